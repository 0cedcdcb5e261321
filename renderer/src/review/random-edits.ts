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

