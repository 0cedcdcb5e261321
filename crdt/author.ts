/**
 * Who wrote a comment, proposed an amendment or took a position. Until members have
 * keys (signed identities), `id` is a random id made once per device; the records
 * that carry an author are shaped so a signature can be added beside it later.
 *
 * Names and colours arrive from peers (records in the draft, presence, the roster, the
 * local network), so they are data and never markup or style: every place that draws
 * one reads it through `safeName` and `safeColor` below.
 */
export interface Author {
  id: string
  name: string
  color: string
}

const COLOR = /^#[0-9a-f]{6}$/i
const FALLBACK_COLOR = '#64748b'

/** Longest name shown, in characters as a reader counts them (grapheme clusters). */
export const MAX_NAME_LENGTH = 60

/** A colour a peer gave: `#rrggbb` or nothing (so it can go into a style without carrying one). */
export const isColor = (value: unknown): value is string => typeof value === 'string' && COLOR.test(value)

export const safeColor = (value: unknown): string => (isColor(value) ? value : FALLBACK_COLOR)

/**
 * Characters a name never needs and an attacker uses: control characters, bidi
 * embeddings, overrides and isolates (an RTL override makes "Amina" read as the
 * reverse, or flips the text after it), invisible marks, and Unicode tag characters
 * (invisible text). Line breaks become spaces. Right-to-left names, and the joiners
 * that emoji and Persian script need, are kept.
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
/** A few combining marks make an accent; hundreds stack over the lines above and below. */
const MARK_PILE = /(\p{M}{4})\p{M}+/gu

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * A name as it may be drawn: plain text, one line, at most `max` characters, without
 * control or bidi-override characters; `fallback` when nothing is left.
 */
export const safeName = (value: unknown, fallback = 'Anonymous member', max = MAX_NAME_LENGTH): string => {
  if (typeof value !== 'string') return fallback
  // Bounded work however long the input: no name needs more than a few code units per character.
  const cleaned = value.slice(0, max * 16)
    .replace(LONE_SURROGATE, '')
    .replace(/\s+/g, ' ')
    .replace(INVISIBLE, '')
    .replace(MARK_PILE, '$1')
    .trim()
  if (cleaned === '') return fallback
  // At most `max` UTF-16 units is at most `max` characters: no need to count them (segmenting is slow).
  if (cleaned.length <= max) return cleaned
  const parts = [...graphemes.segment(cleaned)]
  return parts.length > max ? `${parts.slice(0, max - 1).map((p) => p.segment).join('').trimEnd()}…` : cleaned
}

/** Peers are untrusted: read an author field defensively, never trusting its shape. */
export const readAuthor = (value: unknown): Author | null => {
  if (typeof value !== 'object' || value === null) return null
  const { id, name, color } = value as Record<string, unknown>
  if (typeof id !== 'string' || id === '' || id.length > 200) return null
  return { id, name: safeName(name), color: safeColor(color) }
}
