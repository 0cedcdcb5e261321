import { describe, expect, it } from 'vitest'
import { EditorState, TextSelection, type Transaction } from 'prosemirror-state'
import { splitBlock } from 'prosemirror-commands'
import type { Node as PMNode } from 'prosemirror-model'
import { schema } from '../editor/schema.ts'
import { toProposal, REFUSED_STRUCTURE } from './propose.ts'
import { REFUSED_TAKEN } from './format-proposals.ts'
import { settleViaYjs } from './settle-helper.ts'
import { proposedChanges } from './suggestion-marks.ts'

const ana = { amendment: 'a1', author: 'Ana', color: '#0f6b63' }
const ben = { amendment: 'b1', author: 'Ben', color: '#b45309' }
const { paragraph, heading, title, text } = {
  paragraph: (...c: PMNode[]) => schema.nodes.paragraph!.create(null, c),
  heading: (t: string) => schema.nodes.heading!.create({ level: 2 }, schema.text(t)),
  title: (t: string) => schema.nodes.title!.create(null, schema.text(t)),
  text: (t: string, marks: string[] = []) => schema.text(t, marks.map((m) => m === 'link' ? schema.marks.link!.create({ href: 'https://example.org' }) : schema.marks[m]!.create())),
}

/** The platform used throughout: formatting included, so "exactly" means exactly. */
const platform = () => schema.nodes.doc!.create(null, [
  title('Platform'),
  heading('Health'),
  paragraph(text('Healthcare shall be '), text('free', ['strong']), text(' for all, '), text('paid', ['em']), text(' from '), text('taxes', ['link']), text('.')),
  paragraph(text('Clinics open late.')),
])

const stateOf = (doc: PMNode) => EditorState.create({ doc, schema })
const find = (doc: PMNode, needle: string): number => {
  let at = -1
  doc.descendants((node, pos) => {
    if (at >= 0) return false
    if (node.isText && node.text!.includes(needle)) at = pos + node.text!.indexOf(needle)
    return true
  })
  if (at < 0) {
    // The needle spans several text nodes: search the concatenated text of each block.
    doc.descendants((node, pos) => {
      if (at >= 0 || !node.isTextblock) return at < 0
      const i = node.textContent.indexOf(needle)
      if (i >= 0) at = pos + 1 + i
      return false
    })
  }
  if (at < 0) throw new Error(`"${needle}" not found`)
  return at
}
const propose = (state: EditorState, tr: Transaction, tag = ana): EditorState => {
  const result = toProposal(tr, state, tag)
  if ('refused' in result) throw new Error(result.refused)
  return state.apply(result.tr)
}
/** Settle the way the app does (on the shared document), back into an editor state. */
const settle = (state: EditorState, id: string, how: 'accept' | 'reject') => stateOf(settleViaYjs(state, [[id, how]]))
const replaceWord = (state: EditorState, word: string, by: string): Transaction => {
  const at = find(state.doc, word)
  return state.tr.insertText(by, at, at + word.length)
}

describe('propose mode', () => {
  it('keeps the replaced words, marks them and the new words, and changes no accepted text', () => {
    let s = stateOf(platform())
    s = propose(s, replaceWord(s, 'free', 'universal'))
    expect(s.doc.textContent).toContain('free')
    expect(s.doc.textContent).toContain('freeuniversal')
    expect(proposedChanges(s.doc).get('a1')).toMatchObject({ inserted: 'universal', deleted: 'free', breaks: 0, joins: 0 })
    expect(proposedChanges(s.doc).get('a1')?.pieces.map((p) => [p.kind, p.text])).toEqual([['del', 'free'], ['ins', 'universal']])
    expect(settle(s, 'a1', 'reject').doc.eq(platform())).toBe(true)
  })

  it('accept gives the edit as if made directly; reject gives back the original exactly', () => {
    const original = stateOf(platform())
    const edits: Array<[string, (s: EditorState) => Transaction]> = [
      ['replace a bold word', (s) => replaceWord(s, 'free', 'universal')],
      ['delete across three marks', (s) => s.tr.delete(find(s.doc, 'for all'), find(s.doc, 'from'))],
      ['type inside a word', (s) => s.tr.insertText('XY', find(s.doc, 'care'))],
      ['delete across two paragraphs', (s) => s.tr.delete(find(s.doc, 'taxes') + 2, find(s.doc, 'open'))],
      ['delete a heading and the paragraph break after it', (s) => s.tr.delete(find(s.doc, 'Health') - 1, find(s.doc, 'Healthcare'))],
      ['paste two paragraphs in the middle', (s) => s.tr.replace(find(s.doc, 'late'), find(s.doc, 'late'), schema.nodes.doc!.create(null, [paragraph(text('one')), paragraph(text('two'))]).slice(1, 10, true))],
    ]
    for (const [name, edit] of edits) {
      const direct = original.apply(edit(original)).doc
      const proposed = propose(original, edit(original))
      expect(proposed.doc.eq(original.doc), name).toBe(false)
      expect(settle(proposed, 'a1', 'accept').doc.toJSON(), name).toEqual(direct.toJSON())
      expect(settle(proposed, 'a1', 'reject').doc.toJSON(), name).toEqual(original.doc.toJSON())
    }
  })

  it('proposes a paragraph break (Enter) that reject joins back', () => {
    let s = stateOf(platform())
    s = s.apply(s.tr.setSelection(TextSelection.create(s.doc, find(s.doc, ' open'))))
    splitBlock(s, (tr) => { s = propose(s, tr) })
    s = propose(s, s.tr.insertText('New clinic.'))
    expect(s.doc.childCount).toBe(5)
    expect(proposedChanges(s.doc).get('a1')).toMatchObject({ inserted: 'New clinic.', deleted: '', breaks: 1, joins: 0 })
    expect(settle(s, 'a1', 'reject').doc.eq(platform())).toBe(true)
    const accepted = settle(s, 'a1', 'accept').doc
    expect(accepted.child(4).textContent).toBe('New clinic. open late.')
    expect(accepted.child(4).attrs.ins).toBe(null)
  })

  it('really removes what the same amendment inserted, and walks back over struck words', () => {
    let s = stateOf(platform())
    s = propose(s, s.tr.insertText('very ', find(s.doc, 'free')))
    const at = find(s.doc, 'very ')
    s = propose(s, s.tr.delete(at, at + 5))
    expect(s.doc.eq(platform())).toBe(true)
    // Backspace twice from after "free": both letters struck, the caret moves left each time.
    const end = find(s.doc, 'free') + 4
    s = s.apply(s.tr.setSelection(TextSelection.create(s.doc, end)))
    s = propose(s, s.tr.delete(end - 1, end))
    expect(s.selection.head).toBe(end - 1)
    s = propose(s, s.tr.delete(end - 2, end - 1))
    expect(s.selection.head).toBe(end - 2)
    expect(proposedChanges(s.doc).get('a1')?.deleted).toBe('ee')
  })

  it('proposes formatting, heading levels, block types and list changes; accept makes them, reject leaves the original', () => {
    const original = stateOf(schema.nodes.doc!.create(null, [
      ...platform().content.content,
      schema.nodes.ordered_list!.create({ order: 1 }, [schema.nodes.list_item!.create(null, paragraph(text('One'))), schema.nodes.list_item!.create(null, paragraph(text('Two')))]),
    ]))
    const listPos = (s: EditorState) => find(s.doc, 'One') - 3
    const edits: Array<[string, (s: EditorState) => Transaction]> = [
      ['bold words', (s) => s.tr.addMark(find(s.doc, 'Clinics'), find(s.doc, 'Clinics') + 7, schema.marks.strong!.create())],
      ['unbold a bold word', (s) => s.tr.removeMark(find(s.doc, 'free'), find(s.doc, 'free') + 4, schema.marks.strong!)],
      ['italic across bold and plain words', (s) => s.tr.addMark(find(s.doc, 'be free'), find(s.doc, 'for all'), schema.marks.em!.create())],
      ['link words', (s) => s.tr.addMark(find(s.doc, 'open'), find(s.doc, 'open') + 4, schema.marks.link!.create({ href: 'https://example.org/hours' }))],
      ['change a link', (s) => s.tr.addMark(find(s.doc, 'taxes'), find(s.doc, 'taxes') + 5, schema.marks.link!.create({ href: 'https://example.org/tax' }))],
      ['bold a heading (not allowed there: nothing happens)', (s) => s.tr.addMark(find(s.doc, 'Health'), find(s.doc, 'Health') + 6, schema.marks.strong!.create())],
      ['make the heading a subsection', (s) => s.tr.setBlockType(find(s.doc, 'Health'), find(s.doc, 'Health'), schema.nodes.heading!, { level: 3 })],
      ['make a paragraph a heading', (s) => s.tr.setBlockType(find(s.doc, 'Clinics'), find(s.doc, 'Clinics'), schema.nodes.heading!, { level: 2 })],
      ['make a paragraph with formatting a heading', (s) => s.tr.setBlockType(find(s.doc, 'Healthcare'), find(s.doc, 'Healthcare'), schema.nodes.heading!, { level: 3 })],
      ['make the heading a paragraph', (s) => s.tr.setBlockType(find(s.doc, 'Health'), find(s.doc, 'Health'), schema.nodes.paragraph!)],
      ['make the numbered list bulleted', (s) => s.tr.setNodeMarkup(listPos(s), schema.nodes.bullet_list!)],
      ['start the numbered list at 4', (s) => s.tr.setNodeAttribute(listPos(s), 'order', 4)],
    ]
    for (const [name, edit] of edits) {
      const direct = original.apply(edit(original)).doc
      const proposed = propose(original, edit(original))
      expect(settle(proposed, 'a1', 'accept').doc.toJSON(), name).toEqual(direct.toJSON())
      expect(settle(proposed, 'a1', 'reject').doc.toJSON(), name).toEqual(original.doc.toJSON())
      if (!direct.eq(original.doc)) expect(proposedChanges(proposed.doc).get('a1'), name).toBeDefined()
    }
  })

  it('formats its own proposed words directly, and undoes a formatting proposal when formatted back', () => {
    let s = stateOf(platform())
    s = propose(s, s.tr.insertText('always ', find(s.doc, 'open')))
    const at = find(s.doc, 'always')
    s = propose(s, s.tr.addMark(at, at + 6, schema.marks.em!.create()))
    const always = s.doc.nodeAt(at)!
    expect(always.marks.map((m) => m.type.name).sort()).toEqual(['em', 'insertion'])
    const free = find(s.doc, 'free')
    s = propose(s, s.tr.addMark(free, free + 4, schema.marks.underline!.create()))
    expect(s.doc.nodeAt(free)!.marks.map((m) => m.type.name)).toContain('format')
    s = propose(s, s.tr.removeMark(free, free + 4, schema.marks.underline!))
    // Removing underline the words never had is nothing to propose: the words stay underlined-as-proposed.
    expect(s.doc.nodeAt(free)!.marks.map((m) => m.type.name)).toContain('format')
    s = propose(s, s.tr.removeMark(free, free + 4, schema.marks.strong!))
    const change = s.doc.nodeAt(free)!.marks.find((m) => m.type.name === 'format')!.attrs.change
    expect(JSON.parse(String(change))).toEqual({ strong: null, underline: {} })
    expect(settle(s, 'a1', 'reject').doc.eq(platform())).toBe(true)
  })

  it('refuses what it cannot yet propose, and a block another amendment already reshapes', () => {
    let s = stateOf(platform())
    const at = find(s.doc, 'Clinics')
    expect(toProposal(s.tr.wrap(s.doc.resolve(at).blockRange()!, [{ type: schema.nodes.blockquote! }]), s, ana)).toEqual({ refused: REFUSED_STRUCTURE })
    s = propose(s, s.tr.setBlockType(at, at, schema.nodes.heading!, { level: 3 }), ben)
    expect(toProposal(s.tr.setBlockType(at, at, schema.nodes.heading!, { level: 2 }), s, ana)).toEqual({ refused: REFUSED_TAKEN })
  })

  it('lets two amendments change the same words and be decided in either order', () => {
    let s = stateOf(platform())
    s = propose(s, replaceWord(s, 'free for all', 'universal'), ana)
    const a = find(s.doc, 'for all')
    s = propose(s, s.tr.insertText('every resident', a + 4, a + 7), ben)
    const orders: Array<Array<['a1' | 'b1', 'accept' | 'reject']>> = [
      [['a1', 'accept'], ['b1', 'accept']], [['b1', 'accept'], ['a1', 'accept']],
    ]
    const results = orders.map((order) => order.reduce((st, [id, how]) => settle(st, id, how), s).doc.textContent)
    expect(results[0]).toBe(results[1])
    expect(results[0]).toContain('universal')
    expect(results[0]).not.toContain('free')
    // Reject both, any order: the original, exactly.
    expect(settle(settle(s, 'b1', 'reject'), 'a1', 'reject').doc.eq(platform())).toBe(true)
    expect(settle(settle(s, 'a1', 'reject'), 'b1', 'reject').doc.eq(platform())).toBe(true)
  })
})
