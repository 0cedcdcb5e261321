/**
 * The key a room is stored under, for stores that write names to disk or to a shared
 * key space. Room names may now hold any character (see ../room-names.ts); keys stay
 * printable ASCII and two names never share one.
 *
 * A name made only of the characters the relay used to allow (letters, digits and
 * `._~:@!$&'()*+,;=-`) is its own key, so every room stored before other names were
 * accepted loads as it always did. Any other character is percent-encoded as UTF-8
 * (`%` itself included, as `%25`), which keeps keys unambiguous: a `%` in a key always
 * starts an escape. A lone surrogate (which a well-formed name never holds) is encoded
 * as its three-byte form, so even those keep distinct keys.
 */
const KEPT = /[A-Za-z0-9._~:@!$&'()*+,;=-]/

export const storageKey = (room: string): string => {
  let key = ''
  for (const char of room) key += KEPT.test(char) ? char : escape(char.codePointAt(0)!)
  return key
}

const escape = (cp: number): string => {
  const bytes = cp < 0x80 ? [cp]
    : cp < 0x800 ? [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)]
      : cp < 0x10000 ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
        : [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
  return bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')
}
