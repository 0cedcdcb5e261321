import { MARK, NODE, SUBSECTION_LEVEL } from '../../../crdt/format.ts'
import type { FormatChange } from '../../../crdt/format-changes.ts'

/** Proposed changes of form, in words for members (review cards, tooltips). */
export const describeForm = (node: string, attrs: Record<string, unknown>): string => {
  switch (node) {
    case NODE.heading: return Number(attrs.level) === SUBSECTION_LEVEL ? 'a subsection heading' : 'a plank heading'
    case NODE.paragraph: return 'a paragraph'
    case NODE.bulletList: return 'a bulleted list'
    case NODE.orderedList: return Number(attrs.order ?? 1) === 1 ? 'a numbered list' : `a numbered list starting at ${Number(attrs.order)}`
    default: return node
  }
}

const MARK_WORDS: Record<string, [string, string]> = {
  [MARK.strong]: ['bold', 'not bold'],
  [MARK.em]: ['italic', 'not italic'],
  [MARK.underline]: ['underlined', 'not underlined'],
  [MARK.link]: ['a link', 'no link'],
}

export const describeFormatChange = (change: FormatChange): string =>
  Object.entries(change).map(([name, set]) => {
    const [on, off] = MARK_WORDS[name] ?? [name, `not ${name}`]
    if (set && name === MARK.link) return `a link to ${String(set.href)}`
    return set ? on : off
  }).join(', ') || 'no change'
