import * as Y from 'yjs'
import { NODE } from './format.ts'
import { content } from './draft.ts'
import { ORIGIN } from './origins.ts'

/** What a draft without a title is called, wherever it is named (drafts list, window, exports, hosting). */
export const UNTITLED = 'Untitled platform'

/** The draft's title element: the first `title` node of `content`, if any. */
const titleElement = (doc: Y.Doc): Y.XmlElement | undefined => {
  const first = content(doc).get(0)
  return first instanceof Y.XmlElement && first.nodeName === NODE.title ? first : undefined
}

/** The draft's title as plain text ('' when it has none yet). */
export const readTitle = (doc: Y.Doc): string => {
  const el = titleElement(doc)
  if (!el) return ''
  return el
    .toArray()
    .map((child) => (child instanceof Y.XmlText ? plainText(child) : ''))
    .join('')
}

/**
 * Rename a draft by editing its title text, so the name a member sees in the
 * drafts list and the title printed on the platform can never disagree.
 */
export const renameDraft = (doc: Y.Doc, title: string, origin: unknown = ORIGIN.local): void => {
  doc.transact(() => {
    let el = titleElement(doc)
    if (!el) {
      el = new Y.XmlElement(NODE.title)
      content(doc).insert(0, [el])
    }
    const text = el.get(0)
    if (text instanceof Y.XmlText && el.length === 1) {
      text.delete(0, text.length)
      text.insert(0, title)
    } else {
      el.delete(0, el.length)
      el.insert(0, [new Y.XmlText(title)])
    }
  }, origin)
}

const plainText = (text: Y.XmlText): string =>
  (text.toDelta() as Array<{ insert: unknown }>)
    .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
    .join('')
