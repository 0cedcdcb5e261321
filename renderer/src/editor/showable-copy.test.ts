import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { schema } from './schema.ts'
import { findUnrenderable } from './schema-guard.ts'
import { showableCopy } from './showable-copy.ts'
import { content, copyDraft, createDraftDoc, seedDraft } from '../../../crdt/index.ts'
import { FOREIGN_STRUCTURES } from '../../../test/support/foreign-structures.ts'
import { HeadlessEditor } from '../../../test/support/headless-editor.ts'
import { withoutProposals } from '../review/settle.ts'

const withForeign = (write: (c: Y.XmlFragment) => void) => {
  const doc = createDraftDoc()
  seedDraft(doc, { title: 'Platform', planks: ['Housing'] })
  const peer = new Y.Doc()
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
  peer.transact(() => write(peer.getXmlFragment('content')))
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer))
  return doc
}

const words = (fragment: Y.XmlFragment): string[] => {
  const out: string[] = []
  const walk = (n: Y.XmlElement | Y.XmlFragment) => n.toArray().forEach((c) => {
    if (c instanceof Y.XmlText) for (const op of c.toDelta() as Array<{ insert: unknown }>) if (typeof op.insert === 'string') out.push(...op.insert.split(/\s+/).filter(Boolean))
    if (c instanceof Y.XmlElement) walk(c)
  })
  walk(fragment)
  return out
}

describe('a showable copy', () => {
  describe.each(FOREIGN_STRUCTURES.filter((s) => s.says))('of a draft holding $name', ({ write, says }) => {
    it('shows every word, marks the block, and leaves the draft as it was', () => {
      const draft = withForeign(write)
      const before = Y.encodeStateAsUpdate(draft)
      let wrote = false
      draft.on('update', () => { wrote = true })
      const { doc, notes } = showableCopy(schema, draft)

      expect(findUnrenderable(schema, content(doc))).toBeNull()
      expect(notes.map((n) => n.problem.what)).toEqual([expect.stringMatching(says!)])
      // The copy keeps the draft's top-level places, so the note points at the right block.
      expect(content(doc).length).toBe(content(draft).length)

      // y-prosemirror shows it without deleting anything from the copy, and every word is on screen.
      const xml = content(doc).toString()
      const editor = new HeadlessEditor(content(doc), schema)
      expect(content(doc).toString()).toBe(xml)
      const shown = editor.state.doc.textContent
      for (const word of words(content(draft))) expect(shown).toContain(word)

      expect(wrote).toBe(false)
      expect(Y.encodeStateAsUpdate(draft)).toEqual(before)
    })
  })

  it('gives exports every word too (y-prosemirror alone would leave them out)', () => {
    for (const { write } of FOREIGN_STRUCTURES.filter((s) => s.says)) {
      const draft = withForeign(write)
      const exported = withoutProposals(draft).textContent
      for (const word of words(content(draft))) expect(exported).toContain(word)
    }
  })

  it('is the draft itself, unchanged, when everything can be shown', () => {
    const draft = withForeign((c) => c.insert(c.length, [new Y.XmlElement('paragraph')]))
    const { doc, notes } = showableCopy(schema, draft)
    expect(notes).toEqual([])
    expect(Y.encodeStateAsUpdate(doc)).toEqual(Y.encodeStateAsUpdate(copyDraft(draft)))
  })
})
