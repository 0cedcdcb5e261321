import * as Y from 'yjs'
import { MARK, NODE, SUBSECTION_LEVEL } from './format.ts'
import { TEXTBLOCKS, markName, openAmendments, textOps } from './content-items.ts'
import { content, copyDraft } from './draft.ts'
import { settleInContent } from './settle.ts'
import { ORIGIN } from './origins.ts'
import { sha256Hex } from './identity.ts'
import { safeHref } from './safe-href.ts'

/**
 * The canonical text of a draft, and its SHA-256: what a version and a ratification
 * bind to. It must come out byte for byte the same on every device, whatever order the
 * edits arrived in, and two texts that read differently must never give the same
 * bytes. Format 2 (current) is built from exactly what the editor renders:
 *
 * - The accepted text only: the text as it reads with every open amendment rejected
 *   (crdt/settle.ts, on a copy): proposed words and paragraph breaks left out, words
 *   proposed for deletion kept, no review marks. Any text still carrying an insertion
 *   mark after that (one whose amendment id is not a string, say) is left out too: the
 *   editor shows it as a proposal, never as accepted text.
 * - One line per text block, in document order, each ending in "\n" (LF):
 *     <path> "|" <inline>
 *   <path> is the names of the nodes from the top of the document down to the block,
 *   joined by "/": e.g. `title`, `paragraph`, `heading:2`, `blockquote/paragraph`,
 *   `ordered_list:3/list_item/paragraph`. A heading carries the level the editor shows
 *   (3 for a subsection, otherwise 2), an ordered list the number it starts at as the
 *   editor shows it (any integer, 0 and negative ones too; 1 when absent or not a
 *   number); no other attribute is part of the text.
 * - <inline> is the block's text with its formatting as tags around each run:
 *   `[em]`, `[strong]`, `[underline]`, `[link href="…"]`, closed by `[/name]`. Marks open
 *   in name order (link last) and close in reverse; a hard break is `[br]`. A link's
 *   href is the one the editor renders (a string, normalised, http/https/mailto only);
 *   a link the editor renders inert (any other href) is `[link]`.
 * - In text, "\" is written "\\", "[" is written "\[", and every control character
 *   (U+0000–U+001F, U+007F–U+009F), line or paragraph separator (U+2028, U+2029) and
 *   unpaired surrogate as "\u" and four lowercase hex digits: a newline inside a run
 *   can never pass for a new block.
 * - Text is Unicode NFC, encoded as UTF-8, with no byte order mark.
 *
 * Format 1 (versions saved before format 2) stays verifiable: as above, except that a
 * heading carries `Number(level) || 2` and an ordered list `Number(order) || 1`, a
 * link's href is `String(href)` as stored, only "\" and "[" are escaped, and only the
 * insertion marks of open amendments (string ids) are left out.
 *
 * The hash is the lowercase hex SHA-256 of those bytes.
 */
export const CANONICAL_FORMAT = 2
export type CanonicalFormat = 1 | 2

const INLINE_ORDER = [MARK.em, MARK.strong, MARK.underline, MARK.link] as const

const escapeText1 = (text: string) => text.replace(/\\/g, '\\\\').replace(/\[/g, '\\[')
const escapeAttr = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')
// Control characters, separators and lone surrogates: never written raw (format 2).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const escapeText2 = (text: string) => escapeText1(text).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

const segment = (el: Y.XmlElement, format: CanonicalFormat): string => {
  if (el.nodeName === NODE.heading) {
    const level = el.getAttribute('level') as unknown
    return `${NODE.heading}:${format === 1 ? Number(level) || 2 : Number(level) === SUBSECTION_LEVEL ? 3 : 2}`
  }
  if (el.nodeName === NODE.orderedList) {
    const order = el.getAttribute('order') as unknown
    if (format === 1) return `${NODE.orderedList}:${Number(order) || 1}`
    // As the editor's toDOM computes `<ol start>`: an absent attribute is the schema's default, 1.
    const start = order === undefined ? 1 : Math.trunc(Number(order))
    return `${NODE.orderedList}:${Number.isFinite(start) ? start : 1}`
  }
  return el.nodeName
}

const linkTag = (attrs: Record<string, unknown>, format: CanonicalFormat): string => {
  const value = Object.entries(attrs).find(([k]) => markName(k) === MARK.link)?.[1] as { href?: unknown } | null | undefined
  const href = typeof value === 'object' && value !== null ? value.href : undefined
  if (format === 1) return `link href="${escapeAttr(String(href ?? ''))}"`
  const shown = safeHref(href)
  return shown === null ? 'link' : `link href="${escapeAttr(shown)}"`
}

const inline = (block: Y.XmlElement, format: CanonicalFormat): string => {
  const escape = format === 1 ? escapeText1 : escapeText2
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
      // Every insertion mark is an open proposal: never accepted text.
      if (format === 2 && names.includes(MARK.insertion)) continue
      const tags: string[] = []
      for (const name of INLINE_ORDER) {
        if (!names.includes(name)) continue
        tags.push(name === MARK.link ? linkTag(attrs, format) : name)
      }
      if (tags.join('\u0000') !== open.join('\u0000')) {
        closeAll()
        for (const tag of tags) out += `[${tag}]`
        open = tags
      }
      out += escape(op.insert)
    }
  }
  closeAll()
  return out
}

/** The canonical text of a draft's accepted text (format 2 unless asked for 1). */
export const canonicalText = (draft: Y.Doc, format: CanonicalFormat | number = CANONICAL_FORMAT): string => {
  const f: CanonicalFormat = format === 1 ? 1 : 2
  const doc = copyDraft(draft)
  for (const id of openAmendments(content(doc))) settleInContent(doc, id, 'reject', ORIGIN.copy)
  const lines: string[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement, path: string[]) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      const here = [...path, segment(child, f)]
      if (TEXTBLOCKS.has(child.nodeName)) {
        lines.push(`${here.join('/')}|${inline(child, f)}`)
      } else {
        walk(child, here)
      }
    }
  }
  walk(content(doc), [])
  doc.destroy()
  return lines.map((l) => `${l}\n`).join('').normalize('NFC')
}

/** Lowercase hex SHA-256 of a canonical text's UTF-8 bytes. */
export const hashText = (text: string): string => sha256Hex(text)

/** The content hash of a draft's accepted text (format 2 unless asked for 1). */
export const contentHash = async (doc: Y.Doc, format: CanonicalFormat = CANONICAL_FORMAT): Promise<string> => hashText(canonicalText(doc, format))
