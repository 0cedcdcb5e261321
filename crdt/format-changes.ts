import { CHANGEABLE_BLOCKS, MARK, NODE, PLANK_LEVEL, SUBSECTION_LEVEL } from './format.ts'
import { canonicalJSON } from './identity.ts'

/**
 * What a proposed change of form says, and how it is written down.
 *
 * - A formatting change (the `format` mark on words): for each of bold, italic,
 *   underline and link, either the mark to set (its attributes) or null to remove it.
 *   Accepting it does to those words exactly what the member's toolbar did; rejecting
 *   it only removes the proposal, so the words keep their formatting untouched.
 * - A block change (the `chg` attribute of a paragraph, heading or list): the node
 *   type and the attributes that make its form (a heading's level, a numbered list's
 *   start). Accepting gives the block that form; rejecting removes the proposal.
 *
 * Both are canonical JSON strings (sorted keys): the same change is the same bytes on
 * every peer, and ProseMirror and y-prosemirror compare them as plain strings. Values
 * from peers are parsed defensively: anything malformed reads as no change at all.
 */
export const FORMAT_MARKS: readonly string[] = [MARK.strong, MARK.em, MARK.underline, MARK.link]

/** Mark name → its attributes to set, or null to remove it. */
export type FormatChange = Record<string, Record<string, unknown> | null>

export const encodeFormatChange = (change: FormatChange): string => canonicalJSON(change)

const MAX_HREF = 2048

const markAttrs = (name: string, value: unknown): Record<string, unknown> | null | undefined => {
  if (value === null) return null
  if (typeof value !== 'object' || Array.isArray(value)) return undefined
  if (name !== MARK.link) return {}
  const href = (value as { href?: unknown }).href
  return typeof href === 'string' && href.length <= MAX_HREF ? { href } : undefined
}

export const decodeFormatChange = (raw: unknown): FormatChange => {
  if (typeof raw !== 'string' || raw.length > 10_000) return {}
  let parsed: unknown
  try { parsed = JSON.parse(raw) } catch { return {} }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {}
  const out: FormatChange = {}
  for (const name of FORMAT_MARKS) {
    if (!(name in parsed)) continue
    const attrs = markAttrs(name, (parsed as Record<string, unknown>)[name])
    if (attrs !== undefined) out[name] = attrs
  }
  return out
}

/** A proposed block form, with the amendment (and its author, for showing it) that proposes it. */
export interface BlockChange {
  amendment: string
  author: string
  color: string
  node: string
  attrs: Record<string, number>
}

/** The attributes that make a block's form, for a block of `node` (others are not part of it). */
export const formAttrs = (node: string, attrs: Record<string, unknown>): Record<string, number> => {
  if (node === NODE.heading) return { level: Number(attrs.level) === SUBSECTION_LEVEL ? SUBSECTION_LEVEL : PLANK_LEVEL }
  if (node === NODE.orderedList) {
    const order = Math.trunc(Number(attrs.order ?? 1))
    return { order: Number.isFinite(order) ? Math.min(Math.max(order, 0), 1_000_000) : 1 }
  }
  return {}
}

export const encodeBlockChange = (change: BlockChange): string =>
  canonicalJSON({ amendment: change.amendment, author: change.author, color: change.color, node: change.node, attrs: formAttrs(change.node, change.attrs) })

const TEXTBLOCK_FORMS: ReadonlySet<string> = new Set<string>([NODE.paragraph, NODE.heading])
const LIST_FORMS: ReadonlySet<string> = new Set<string>([NODE.bulletList, NODE.orderedList])

/** Whether a block of type `from` may be proposed to become `to` (text blocks among themselves, lists among themselves). */
export const changeableInto = (from: string, to: string): boolean =>
  (TEXTBLOCK_FORMS.has(from) && TEXTBLOCK_FORMS.has(to)) || (LIST_FORMS.has(from) && LIST_FORMS.has(to))

export const decodeBlockChange = (raw: unknown): BlockChange | null => {
  if (typeof raw !== 'string' || raw.length > 2000) return null
  let v: unknown
  try { v = JSON.parse(raw) } catch { return null }
  if (typeof v !== 'object' || v === null) return null
  const r = v as Record<string, unknown>
  if (typeof r.amendment !== 'string' || r.amendment === '' || typeof r.node !== 'string' || !CHANGEABLE_BLOCKS.has(r.node)) return null
  const attrs = typeof r.attrs === 'object' && r.attrs !== null ? r.attrs as Record<string, unknown> : {}
  return {
    amendment: r.amendment,
    author: typeof r.author === 'string' ? r.author.slice(0, 200) : '',
    color: typeof r.color === 'string' ? r.color.slice(0, 50) : '',
    node: r.node,
    attrs: formAttrs(r.node, attrs),
  }
}

/** Whether a block of `node` with `attrs` already has the proposed form (the proposal would change nothing). */
export const hasForm = (node: string, attrs: Record<string, unknown>, change: { node: string; attrs: Record<string, number> }): boolean =>
  node === change.node && canonicalJSON(formAttrs(node, attrs)) === canonicalJSON(change.attrs)
