import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { EditorState } from 'prosemirror-state'
import { prosemirrorToYXmlFragment } from 'y-prosemirror'
import { schema } from './schema.ts'
import { findUnrenderable, guardFragment, type Unrenderable } from './schema-guard.ts'
import { bindGuarded } from './guarded-binding.ts'
import { content, copyDraft, createDraftDoc, seedDraft } from '../../../crdt/index.ts'
import { FOREIGN_STRUCTURES } from '../../../test/support/foreign-structures.ts'
import { HeadlessEditor } from '../../../test/support/headless-editor.ts'

const draft = () => {
  const doc = createDraftDoc()
  seedDraft(doc, { title: 'Platform', planks: ['Housing'] })
  return doc
}

/** A plain Yjs peer that has the draft, writes with `change`, and sends its update. */
const peerWrites = (doc: Y.Doc, change: (c: Y.XmlFragment) => void): { update: Uint8Array; client: number } => {
  const peer = new Y.Doc()
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(peer)
  peer.transact(() => change(peer.getXmlFragment('content')))
  return { update: Y.encodeStateAsUpdate(peer, before), client: peer.clientID }
}

/** What the member types in tests; nothing a peer writes here contains it. */
const TYPED = '¶'

const xmlAfter = (base: Y.Doc, update: Uint8Array): string => {
  const doc = copyDraft(base)
  Y.applyUpdate(doc, update)
  return content(doc).toString()
}

/** The draft holds exactly what it held, apart from what the member typed. */
const kept = (doc: Y.Doc, expected: string): boolean => content(doc).toString().replaceAll(TYPED, '') === expected

describe('schema guard', () => {
  it('accepts everything the editor writes', () => {
    const doc = draft()
    const text = (i: number) => (content(doc).get(i) as Y.XmlElement).get(0) as Y.XmlText
    text(1).insert(0, 'Homes', { strong: {}, link: { href: 'https://example.org' } })
    text(2).insert(0, 'Work', { em: {}, underline: {} })
    text(0).insert(0, 'Proposed', { 'insertion--abcdefgh': { amendment: 'a1', author: 'Amina', color: '#0f6b63' }, 'insertion--bcdefghi': { amendment: 'a2', author: 'Bo', color: '#b45309' } })
    expect(findUnrenderable(schema, content(doc))).toBeNull()

    // Every node and mark, written by y-prosemirror itself from a ProseMirror document.
    const s = schema
    const pm = s.node('doc', null, [
      s.node('title', null, [s.text('T')]),
      s.node('heading', { level: 3 }, [s.text('Sub', [s.marks.em!.create()])]),
      s.node('blockquote', null, [s.node('paragraph', null, [s.text('q'), s.node('hard_break'), s.text('r')])]),
      s.node('bullet_list', null, [s.node('list_item', null, [s.node('paragraph', null, [s.text('a')]), s.node('ordered_list', { order: 3 }, [s.node('list_item', null, [s.node('paragraph')])])])]),
      s.node('paragraph', { ins: 'a1' }, [s.text('u', [s.marks.underline!.create(), s.marks.deletion!.create({ amendment: 'a1', author: 'A', color: '#000000' })])]),
    ])
    const other = new Y.Doc()
    prosemirrorToYXmlFragment(pm, other.getXmlFragment('content'))
    expect(findUnrenderable(schema, other.getXmlFragment('content'))).toBeNull()
    // And what a headless editor then writes by typing everywhere.
    const editor = new HeadlessEditor(other.getXmlFragment('content'), schema)
    editor.typeEverywhere('!')
    expect(findUnrenderable(schema, other.getXmlFragment('content'))).toBeNull()
  })

  it('accepts an empty draft (one still arriving) and empty text', () => {
    const doc = createDraftDoc()
    expect(findUnrenderable(schema, content(doc))).toBeNull()
    content(doc).insert(0, [new Y.XmlElement('paragraph')])
    ;(content(doc).get(0) as Y.XmlElement).insert(0, [new Y.XmlText()])
    expect(findUnrenderable(schema, content(doc))).toBeNull()
  })

  describe.each(FOREIGN_STRUCTURES)('$name', ({ write, says }) => {
    it(says ? 'is found at open and as it arrives, with who wrote it' : 'is shown as it is', () => {
      const base = draft()
      const { update, client } = peerWrites(base, write)
      const atOpen = copyDraft(base)
      Y.applyUpdate(atOpen, update)
      const found = findUnrenderable(schema, content(atOpen))

      const arriving = copyDraft(base)
      const seen: Unrenderable[] = []
      guardFragment(schema, content(arriving), (p) => seen.push(p))
      Y.applyUpdate(arriving, update)

      if (says === null) {
        expect(found).toBeNull()
        expect(seen).toEqual([])
      } else {
        expect(found?.what).toMatch(says)
        expect(found?.client).toBe(client)
        expect(seen[0]?.what).toMatch(says)
        expect(seen[0]?.client).toBe(client)
      }
    })

    it(says ? 'is lost or shown wrongly by an unguarded binding, and kept by the guarded one' : 'is kept by the binding through edits around and inside it', () => {
      const base = draft()
      const { update } = peerWrites(base, write)
      const expected = xmlAfter(base, update)

      // Unguarded: y-prosemirror binds (before or after the peer's writes arrive), the member types in every block.
      const unguarded = [false, true].map((arrivesLate) => {
        const doc = copyDraft(base)
        if (!arrivesLate) Y.applyUpdate(doc, update)
        try {
          const editor = new HeadlessEditor(content(doc), schema)
          if (arrivesLate) Y.applyUpdate(doc, update)
          editor.typeEverywhere(TYPED)
          return kept(doc, expected) && editor.showsFaithfully(content(doc))
        } catch {
          return false
        }
      })
      expect(unguarded).toEqual(says ? expect.arrayContaining([false]) : [true, true])

      // Guarded, the peer's writes arriving before and after the editor binds.
      for (const arrivesLate of [false, true]) {
        const doc = copyDraft(base)
        if (!arrivesLate) Y.applyUpdate(doc, update)
        let reported: Unrenderable | null = null
        const guarded = bindGuarded(schema, content(doc), () => new HeadlessEditor(content(doc), schema), (p) => { reported = p })
        guarded.view?.typeEverywhere(TYPED)
        if (arrivesLate) Y.applyUpdate(doc, update)
        guarded.view?.typeEverywhere(TYPED)
        expect(kept(doc, expected)).toBe(true)
        expect(guarded.problem?.what ?? null).toEqual(says ? expect.stringMatching(says) : null)
        if (arrivesLate && says) expect(reported).not.toBeNull()
        if (guarded.view) expect(guarded.view.showsFaithfully(content(doc))).toBe(true)
      }
    })
  })

  it('checks formatting applied to existing text, and says who applied it', () => {
    const doc = draft()
    const seen: Unrenderable[] = []
    guardFragment(schema, content(doc), (p) => seen.push(p))
    const { update, client } = peerWrites(doc, (c) => ((c.get(2) as Y.XmlElement).get(0) as Y.XmlText).format(0, 3, { strong: {} }))
    Y.applyUpdate(doc, update)
    expect(seen).toEqual([{ what: 'bold text in a plank heading', client }])
  })

  it('checks what a deletion leaves behind', () => {
    const doc = draft()
    const quote = new Y.XmlElement('blockquote')
    const inner = new Y.XmlElement('paragraph')
    quote.insert(0, [inner])
    content(doc).insert(3, [quote])
    expect(findUnrenderable(schema, content(doc))).toBeNull()
    const seen: Unrenderable[] = []
    guardFragment(schema, content(doc), (p) => seen.push(p))
    quote.delete(0, 1)
    expect(seen.map((p) => p.what)).toEqual(['an empty quote'])
  })

  it('names a subsection heading as such', () => {
    const doc = draft()
    const { update } = peerWrites(doc, (c) => {
      const h = new Y.XmlElement('heading')
      h.setAttribute('level', 3 as unknown as string)
      const t = new Y.XmlText()
      t.insert(0, 'Sub', { link: { href: 'https://example.org' } })
      h.insert(0, [t])
      c.insert(c.length, [h])
    })
    Y.applyUpdate(doc, update)
    expect(findUnrenderable(schema, content(doc))?.what).toBe('a link in a subsection heading')
  })

  it('keeps a peer’s odd names plain and short in what it says', () => {
    const doc = draft()
    content(doc).insert(1, [new Y.XmlElement(`<img src=x onerror=alert(1)>${'x'.repeat(500)}`)])
    const what = findUnrenderable(schema, content(doc))!.what
    expect(what).not.toMatch(/[<>= ]x/)
    expect(what.length).toBeLessThan(60)
  })

  it('runs before the binding on a state it has already judged', () => {
    const doc = draft()
    const editor = bindGuarded(schema, content(doc), () => new HeadlessEditor(content(doc), schema), () => {})
    expect(editor.view?.state).toBeInstanceOf(EditorState)
    editor.view!.typeInBlock(1, 'Words')
    expect(editor.problem).toBeNull()
    editor.destroy()
    expect(editor.view).toBeNull()
  })
})

