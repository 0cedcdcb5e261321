/**
 * Links in a draft may only point at the web or at an e-mail address. Anything else
 * (javascript:, data:, file:, custom protocols) is refused when typed, pasted or
 * received from a peer, so a link can never run code or open a local program. The
 * editor renders a link with this href, and the canonical text (format 2) hashes the
 * same, so what is hashed is what members see.
 */
const ALLOWED_SCHEMES = new Set(['http:', 'https:', 'mailto:'])

/** The normalised URL when it is allowed, otherwise null. */
export const safeHref = (raw: unknown): string | null => {
  if (typeof raw !== 'string') return null
  const trimmed = raw.trim()
  if (trimmed === '') return null
  // A bare domain typed by a member ("example.org/plan") means https.
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`
  let url: URL
  try {
    url = new URL(candidate)
  } catch {
    return null
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) return null
  if (url.protocol !== 'mailto:' && url.hostname === '') return null
  return url.href
}
