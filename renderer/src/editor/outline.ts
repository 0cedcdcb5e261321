import type { Node as PMNode } from 'prosemirror-model'
import { NODE, SUBSECTION_LEVEL } from '../../../crdt/format.ts'

export interface OutlineEntry {
  /** Document position of the heading node (for scrolling and selection). */
  pos: number
  level: 2 | 3
  text: string
}

/** The planks and subsections of a draft, in document order. */
export const outlineOf = (doc: PMNode): OutlineEntry[] => {
  const entries: OutlineEntry[] = []
  doc.forEach((node, offset) => {
    if (node.type.name !== NODE.heading) return
    entries.push({
      pos: offset,
      level: Number(node.attrs.level) === SUBSECTION_LEVEL ? 3 : 2,
      text: node.textContent,
    })
  })
  return entries
}

/**
 * Words as a reader counts them: runs of letters, digits and joined punctuation
 * ("rent-controlled", "don’t", "3.5"), a number with thousands separators ("500,000")
 * being one.
 */
const WORD = /[\p{L}\p{N}]+(?:['’\-.][\p{L}\p{N}]+|(?<=\p{N}),\p{N}+)*/gu

export const countWords = (doc: PMNode): number => {
  let count = 0
  doc.descendants((node) => {
    if (node.isTextblock) {
      count += node.textBetween(0, node.content.size, ' ', ' ').match(WORD)?.length ?? 0
      return false
    }
    return true
  })
  return count
}
