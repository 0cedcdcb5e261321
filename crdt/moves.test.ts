import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { content, createDraftDoc } from './draft.ts'
import { canonicalText } from './canonical.ts'
import { settleInContent } from './settle.ts'
import { ORIGIN } from './origins.ts'
import { BLOCK_ATTR, NODE } from './format.ts'
import { forwardMovedEdits, movesLog } from './moves.ts'
import { encodeBlockChange } from './format-changes.ts'

const paragraph = (text: string) => {
  const p = new Y.XmlElement(NODE.paragraph)
  p.insert(0, [new Y.XmlText(text)])
  return p
}
/** "Rent is capped." and "Water is public." with a proposed join (a1) between them. */
const base = () => {
  const doc = createDraftDoc()
  const title = new Y.XmlElement(NODE.title)
  title.insert(0, [new Y.XmlText('Platform')])
  const second = paragraph('Water is public.')
  second.setAttribute(BLOCK_ATTR.deleted, 'a1')
  content(doc).insert(0, [title, paragraph('Rent is capped. '), second])
  return doc
}
const copy = (doc: Y.Doc) => {
  const c = createDraftDoc()
  Y.applyUpdate(c, Y.encodeStateAsUpdate(doc))
  return c
}
const send = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote')
const textOf = (doc: Y.Doc, i: number) => ((content(doc).get(i) as Y.XmlElement).get(0) as Y.XmlText)

describe('words moved by a decision', () => {
  it('keep what a member typed into them at the same moment, once, on both devices', () => {
    const start = base()
    const [decider, editor] = [copy(start), copy(start)]
    forwardMovedEdits(decider)
    forwardMovedEdits(editor)
    textOf(editor, 2).insert('Water is'.length, ' clean and')
    textOf(editor, 2).format(0, 5, { em: {} })
    settleInContent(decider, 'a1', 'accept', ORIGIN.local)
    for (let i = 0; i < 3; i++) { send(decider, editor); send(editor, decider) }
    expect(canonicalText(editor)).toBe(canonicalText(decider))
    expect(canonicalText(decider)).toBe('title|Platform\nparagraph|Rent is capped. [em]Water[/em] is clean and public.\n')
  })

  it('keep them once when two devices carry them over at the same time', () => {
    const start = base()
    const [decider, editor, witness] = [copy(start), copy(start), copy(start)]
    for (const d of [decider, editor, witness]) forwardMovedEdits(d)
    textOf(editor, 2).insert(0, 'Clean ')
    send(editor, witness)
    settleInContent(decider, 'a1', 'accept', ORIGIN.local)
    // The decision reaches both before either hears from the other: both carry "Clean " over.
    send(decider, editor)
    send(decider, witness)
    for (let i = 0; i < 3; i++) for (const a of [decider, editor, witness]) for (const b of [decider, editor, witness]) if (a !== b) send(a, b)
    for (const d of [editor, witness]) expect(canonicalText(d)).toBe(canonicalText(decider))
    expect(canonicalText(decider)).toBe('title|Platform\nparagraph|Rent is capped. Clean Water is public.\n')
  })

  it('ignore malformed records, and records of a move that deleted nothing', () => {
    const doc = copy(base())
    forwardMovedEdits(doc)
    const before = canonicalText(doc)
    const text = textOf(doc, 2)
    const id = [text._item!.id.client, text._item!.id.clock]
    const other = textOf(doc, 1)
    const target = [other._item!.id.client, other._item!.id.clock]
    const peer = copy(doc)
    movesLog(peer).push([{ v: 1, kind: 'move', id: 'x', src: 'nope' }, { v: 1, kind: 'forward', move: 'x', segs: [[1, 2, 3]] }])
    // A record claiming a live paragraph moved, with no knowledge of it: honest devices copy nothing.
    movesLog(peer).push([{ v: 1, kind: 'move', id: 'y', src: id, dst: target, after: null, sv: [], del: [], segs: [] }])
    send(peer, doc)
    expect(canonicalText(doc)).toBe(before)
  })

  it('are copied once when two members accept the same join, or the same new block type, at once', () => {
    const start = base()
    const heading = new Y.XmlElement(NODE.paragraph)
    heading.insert(0, [new Y.XmlText('Clinics open late.')])
    heading.setAttribute(BLOCK_ATTR.changed, encodeBlockChange({ amendment: 'a1', author: 'Ana', color: '#0f6b63', node: NODE.heading, attrs: { level: 2 } }))
    content(start).insert(3, [heading])
    const [ben, cleo] = [copy(start), copy(start)]
    forwardMovedEdits(ben)
    forwardMovedEdits(cleo)
    settleInContent(ben, 'a1', 'accept', ORIGIN.local)
    settleInContent(cleo, 'a1', 'accept', ORIGIN.local)
    for (let i = 0; i < 3; i++) { send(ben, cleo); send(cleo, ben) }
    expect(canonicalText(cleo)).toBe(canonicalText(ben))
    expect(canonicalText(ben)).toBe('title|Platform\nparagraph|Rent is capped. Water is public.\nheading:2|Clinics open late.\n')
  })
})
