import * as Y from 'yjs'
import { MARK, NODE } from './format.ts'
import { TEXTBLOCKS, markName, openAmendments, textOps } from './content-items.ts'
import { content, copyDraft } from './draft.ts'
import { settleInContent } from './settle.ts'
import { ORIGIN } from './origins.ts'
import { toHexString } from 'lib0/buffer'

/**
 * The canonical text of a draft, and its SHA-256: what a version (and later a
 * ratification) binds to. It must come out byte for byte the same on every peer,
 * whatever order the edits arrived in, so it is defined here precisely (format 1):
 *
 * - The accepted text only: the text as it reads with every open amendment rejected
 *   (crdt/settle.ts, on a copy): proposed words and paragraph breaks left out, words
 *   proposed for deletion kept, no review marks.
 * - One line per text block, in document order, each ending in "\n" (LF):
 *     <path> "|" <inline>
 *   <path> is the names of the nodes from the top of the document down to the block,
 *   joined by "/": e.g. `title`, `paragraph`, `heading:2`, `blockquote/paragraph`,
 *   `ordered_list:3/list_item/paragraph`. A heading carries its level and an ordered
 *   list its start number after ":"; no other attribute is part of the text.
 * - <inline> is the block's text with its formatting as tags around each run:
 *   `[em]`, `[strong]`, `[underline]`, `[link href="…"]`, closed by `[/name]`. Marks open
 *   in name order (link last) and close in reverse; a hard break is `[br]`. In text,
 *   "\" is written "\\" and "[" is written "\[".
 * - Text is Unicode NFC, encoded as UTF-8, with no byte order mark.
 *
 * The hash is the lowercase hex SHA-256 of those bytes.
 */
export const CANONICAL_FORMAT = 1

const INLINE_ORDER = [MARK.em, MARK.strong, MARK.underline, MARK.link] as const

const escapeText = (text: string) => text.replace(/\\/g, '\\\\').replace(/\[/g, '\\[')
const escapeAttr = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')

const segment = (el: Y.XmlElement): string => {
  if (el.nodeName === NODE.heading) return `${NODE.heading}:${Number(el.getAttribute('level')) || 2}`
  if (el.nodeName === NODE.orderedList) return `${NODE.orderedList}:${Number(el.getAttribute('order')) || 1}`
  return el.nodeName
}

const inline = (block: Y.XmlElement): string => {
  let out = ''
  let open: string[] = [] // tags currently open, outermost first
  const closeAll = () => { for (const tag of [...open].reverse()) out += `[/${tag.split(' ')[0]}]`; open = [] }
  for (const child of block.toArray()) {
    if (child instanceof Y.XmlElement) {
      if (child.nodeName === NODE.hardBreak) { closeAll(); out += '[br]' }
      continue
    }
    if (!(child instanceof Y.XmlText)) continue
    for (const op of textOps(child)) {
      if (typeof op.insert !== 'string') continue
      const attrs = op.attributes ?? {}
      const names = Object.keys(attrs).map(markName)
      const tags: string[] = []
      for (const name of INLINE_ORDER) {
        if (!names.includes(name)) continue
        if (name === MARK.link) {
          const href = (Object.entries(attrs).find(([k]) => markName(k) === MARK.link)?.[1] as { href?: unknown } | undefined)?.href
          tags.push(`link href="${escapeAttr(String(href ?? ''))}"`)
        } else {
          tags.push(name)
        }
      }
      if (tags.join('\u0000') !== open.join('\u0000')) {
        closeAll()
        for (const tag of tags) out += `[${tag}]`
        open = tags
      }
      out += escapeText(op.insert)
    }
  }
  closeAll()
  return out
}

/** The canonical text (format 1) of a draft's accepted text. */
export const canonicalText = (draft: Y.Doc): string => {
  const doc = copyDraft(draft)
  for (const id of openAmendments(content(doc))) settleInContent(doc, id, 'reject', ORIGIN.copy)
  const lines: string[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement, path: string[]) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      const here = [...path, segment(child)]
      if (TEXTBLOCKS.has(child.nodeName)) {
        lines.push(`${here.join('/')}|${inline(child)}`)
      } else {
        walk(child, here)
      }
    }
  }
  walk(content(doc), [])
  doc.destroy()
  return lines.map((l) => `${l}\n`).join('').normalize('NFC')
}

/** Lowercase hex SHA-256 of the canonical text's UTF-8 bytes. */
export const contentHash = async (doc: Y.Doc): Promise<string> => {
  const bytes = new TextEncoder().encode(canonicalText(doc))
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return toHexString(digest)
}
