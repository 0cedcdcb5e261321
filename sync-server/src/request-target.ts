/**
 * Reading an HTTP request target (`/path?query`) without any call that can throw: it
 * comes from anyone, before any check. `new URL('//', base)` throws and
 * `decodeURIComponent('/100%')` throws, and on the relay's upgrade path either one
 * used to end the process.
 */
export interface RequestTarget {
  /** The path, still percent-encoded, with any `scheme://authority` of an absolute-form target removed. */
  path: string
  /** The query; URLSearchParams decodes leniently (a stray `%` stays a `%`). */
  query: URLSearchParams
}

export const splitTarget = (target: string | undefined): RequestTarget => {
  let path = target ?? ''
  const q = path.indexOf('?')
  const query = new URLSearchParams(q >= 0 ? path.slice(q + 1) : '')
  if (q >= 0) path = path.slice(0, q)
  const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/.exec(path)
  if (absolute) path = path.slice(absolute[0].length)
  return { path, query }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Percent-decoding that cannot throw. Each run of `%XX` escapes is decoded as UTF-8 one
 * character at a time; bytes that do not form a valid character (a lone `%FF`, an
 * encoded surrogate) stay as the escapes they were, and a `%` that starts no escape
 * (`100%`) stays a `%`.
 */
export const decodePercent = (text: string): string =>
  text.includes('%') ? text.replace(/(?:%[0-9A-Fa-f]{2})+/g, decodeRun) : text

const decodeRun = (run: string): string => {
  const bytes = new Uint8Array(run.length / 3)
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16)
  let out = ''
  let at = 0
  while (at < bytes.length) {
    const length = utf8Length(bytes[at]!)
    const char = length > 0 && at + length <= bytes.length ? decodeChar(bytes.subarray(at, at + length)) : null
    if (char === null) {
      out += run.slice(at * 3, at * 3 + 3)
      at++
    } else {
      out += char
      at += length
    }
  }
  return out
}

/** How many bytes a UTF-8 sequence starting with `lead` has (0: it cannot start one). */
const utf8Length = (lead: number): number =>
  lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0

const decodeChar = (bytes: Uint8Array): string | null => {
  try {
    return utf8.decode(bytes)
  } catch {
    return null // an invalid sequence: the caller keeps its escapes
  }
}
