import * as Y from 'yjs'
import { BLOCK_ATTR, MARK, NODE } from './format.ts'
import { decodeBlockChange } from './format-changes.ts'

/**
 * Reading the `content` fragment as Yjs stores it, for the code that works on its
 * items directly (settling amendments, the canonical text) rather than through the editor.
 */
export const TEXTBLOCKS: ReadonlySet<string> = new Set<string>([NODE.title, NODE.paragraph, NODE.heading])
export const REVIEW_MARKS: ReadonlySet<string> = new Set<string>([MARK.insertion, MARK.deletion, MARK.format])

/** y-prosemirror stores overlapping marks of one type as `name--hash`. */
export const markName = (key: string): string => /^(.+)--[a-zA-Z0-9+/=]{8}$/.exec(key)?.[1] ?? key

/** One run of a Y.XmlText's delta: text (or an embed) with its formatting attributes. */
export type TextOp = { insert: string | object; attributes?: Record<string, unknown> }
export const textOps = (text: Y.XmlText): TextOp[] => text.toDelta() as TextOp[]

/** The amendment a review mark's value or a block attribute names, if any. */
export const amendmentOf = (value: unknown): string | null => {
  const id = typeof value === 'object' && value !== null ? (value as { amendment?: unknown }).amendment : undefined
  return typeof id === 'string' && id !== '' ? id : null
}

/** Every amendment with a mark, a proposed paragraph break or a proposed block change in the text. */
export const openAmendments = (fragment: Y.XmlFragment): Set<string> => {
  const ids = new Set<string>()
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        for (const op of textOps(child)) {
          for (const [key, value] of Object.entries(op.attributes ?? {})) {
            const id = (value as { amendment?: unknown } | null)?.amendment
            if (REVIEW_MARKS.has(markName(key)) && typeof id === 'string') ids.add(id)
          }
        }
      } else if (child instanceof Y.XmlElement) {
        for (const attr of [BLOCK_ATTR.inserted, BLOCK_ATTR.deleted]) {
          const id = child.getAttribute(attr)
          if (typeof id === 'string' && id) ids.add(id)
        }
        const change = decodeBlockChange(child.getAttribute(BLOCK_ATTR.changed))
        if (change) ids.add(change.amendment)
        walk(child)
      }
    }
  }
  walk(fragment)
  return ids
}
