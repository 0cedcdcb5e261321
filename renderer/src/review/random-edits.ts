import * as prng from 'lib0/prng'
import type { EditorState, Transaction } from 'prosemirror-state'
import type { Node as PMNode } from 'prosemirror-model'
import { schema } from '../editor/schema.ts'

/** Seeded random platforms and member edits, for the review property tests. */
export const randomDoc = (g: prng.PRNG): PMNode => {
  const marks = ['strong', 'em', 'underline']
  const block = () => {
    const parts = Array.from({ length: prng.int32(g, 1, 3) }, () => {
      const m = prng.bool(g) ? [schema.marks[prng.oneOf(g, marks)]!.create()] : []
      return schema.text(prng.word(g, 2, 8) + ' ', m)
    })
    return prng.int32(g, 0, 4) === 0
      ? schema.nodes.heading!.create({ level: 2 }, schema.text(prng.word(g, 3, 8)))
      : schema.nodes.paragraph!.create(null, parts)
  }
  return schema.nodes.doc!.create(null, [schema.nodes.title!.create(null, schema.text('T')), ...Array.from({ length: prng.int32(g, 2, 4) }, block)])
}

/** A position inside some text block (never the title, to keep edits inside one kind of node). */
export const textPos = (g: prng.PRNG, doc: PMNode): number => {
  const spots: number[] = []
  doc.descendants((node, pos) => {
    if (node.isTextblock && node.type.name !== 'title') for (let i = 0; i <= node.content.size; i++) spots.push(pos + 1 + i)
    return !node.isTextblock
  })
  return prng.oneOf(g, spots)
}

export const randomEdit = (g: prng.PRNG, state: EditorState): Transaction => {
  const a = textPos(g, state.doc)
  const b = textPos(g, state.doc)
  const [from, to] = a <= b ? [a, b] : [b, a]
  switch (prng.int32(g, 0, 3)) {
    case 0: return state.tr.insertText(prng.word(g, 1, 6), a)
    case 1: return state.tr.delete(from, to)
    case 2: return state.tr.insertText(prng.word(g, 1, 6), from, to)
    default: return state.tr.split(a)
  }
}


/** A platform with formatting, links, headings of both levels and both kinds of list. */
export const randomRichDoc = (g: prng.PRNG): PMNode => {
  const s = schema
  const marks = () => {
    const out = []
    for (const name of ['strong', 'em', 'underline']) if (prng.int32(g, 0, 3) === 0) out.push(s.marks[name]!.create())
    if (prng.int32(g, 0, 5) === 0) out.push(s.marks.link!.create({ href: `https://example.org/${prng.word(g, 1, 4)}` }))
    return out
  }
  const inline = () => Array.from({ length: prng.int32(g, 1, 3) }, () => s.text(prng.word(g, 2, 7) + ' ', marks()))
  const paragraph = () => s.nodes.paragraph!.create(null, inline())
  const list = () => {
    const items = Array.from({ length: prng.int32(g, 1, 3) }, () => s.nodes.list_item!.create(null, paragraph()))
    return prng.bool(g) ? s.nodes.bullet_list!.create(null, items) : s.nodes.ordered_list!.create({ order: prng.int32(g, 1, 3) }, items)
  }
  const block = () => {
    switch (prng.int32(g, 0, 5)) {
      case 0: return s.nodes.heading!.create({ level: prng.oneOf(g, [2, 3]) }, s.text(prng.word(g, 3, 8), prng.bool(g) ? [s.marks.em!.create()] : []))
      case 1: return list()
      default: return paragraph()
    }
  }
  return s.nodes.doc!.create(null, [s.nodes.title!.create(null, s.text('T')), ...Array.from({ length: prng.int32(g, 2, 5) }, block)])
}

/** A change of form a member can make: formatting, a heading's level, a block's type, a list's type or start. */
export const randomFormEdit = (g: prng.PRNG, state: EditorState): Transaction => {
  const a = textPos(g, state.doc)
  const b = textPos(g, state.doc)
  const [from, to] = a <= b ? [a, b] : [b, a]
  const tr = state.tr
  const lists: Array<{ pos: number; node: PMNode }> = []
  state.doc.descendants((node, pos) => { if (node.type.name.endsWith('_list')) lists.push({ pos, node }) })
  const mark = prng.oneOf(g, ['strong', 'em', 'underline', 'link'])
  const type = schema.marks[mark]!
  switch (prng.int32(g, 0, 6)) {
    case 0: case 1: return tr.addMark(from, to, mark === 'link' ? type.create({ href: `https://example.org/${prng.word(g, 1, 4)}` }) : type.create())
    case 2: return tr.removeMark(from, to, type)
    case 3: {
      const style = prng.int32(g, 0, 2)
      return tr.setBlockType(from, to, style === 0 ? schema.nodes.paragraph! : schema.nodes.heading!, style === 0 ? null : { level: style === 1 ? 2 : 3 })
    }
    case 4: case 5: {
      if (lists.length === 0) return tr.addMark(from, to, schema.marks.em!.create())
      const { pos, node } = prng.oneOf(g, lists)
      if (node.type.name === 'ordered_list' && prng.bool(g)) return tr.setNodeAttribute(pos, 'order', prng.int32(g, 0, 9))
      return tr.setNodeMarkup(pos, node.type.name === 'ordered_list' ? schema.nodes.bullet_list! : schema.nodes.ordered_list!)
    }
    default: return tr.addMark(from, to, schema.marks.em!.create())
  }
}
