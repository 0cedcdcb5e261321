/**
 * Who wrote a comment, proposed an amendment or took a position. Until members have
 * keys (signed identities), `id` is a random id made once per device; the records
 * that carry an author are shaped so a signature can be added beside it later.
 */
export interface Author {
  id: string
  name: string
  color: string
}

const COLOR = /^#[0-9a-f]{6}$/i
const FALLBACK_COLOR = '#64748b'

/** Peers are untrusted: read an author field defensively, never trusting its shape. */
export const readAuthor = (value: unknown): Author | null => {
  if (typeof value !== 'object' || value === null) return null
  const { id, name, color } = value as Record<string, unknown>
  if (typeof id !== 'string' || id === '' || id.length > 200) return null
  return {
    id,
    name: typeof name === 'string' && name.trim() !== '' ? name.slice(0, 200) : 'Anonymous member',
    color: typeof color === 'string' && COLOR.test(color) ? color : FALLBACK_COLOR,
  }
}

export const safeColor = (value: unknown): string => (typeof value === 'string' && COLOR.test(value) ? value : FALLBACK_COLOR)
