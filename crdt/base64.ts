import * as buffer from 'lib0/buffer'

/**
 * Bytes as text, in one place: base64url for keys, member ids, signatures and invite
 * links; base64 for sealed presence (its format since private rooms began). lib0
 * encodes. Decoding checks the alphabet first, because lib0 decodes with `atob` in a
 * browser (which throws on a stray character) but with Node's Buffer (which skips it):
 * a damaged key must read as damaged in the app, in Electron and in Node alike.
 * Hex needs no wrapper: lib0's `toHexString` / `fromHexString`.
 */

/** base64url without padding (RFC 4648 §5), as every Plank key and id is written. */
export const toBase64Url = (bytes: Uint8Array): string => buffer.toBase64UrlEncoded(bytes)

/** The bytes of unpadded base64url, or null for anything else (padding included: one value, one spelling). */
export const fromBase64Url = (text: string): Uint8Array | null =>
  /^[A-Za-z0-9_-]*$/.test(text) && text.length % 4 !== 1 ? buffer.fromBase64UrlEncoded(text) : null

export const toBase64 = (bytes: Uint8Array): string => buffer.toBase64(bytes)

/** The bytes of base64 (padded or not), or null when it is not base64. */
export const fromBase64 = (text: string): Uint8Array | null => {
  const bare = text.replace(/={1,2}$/, '')
  return /^[A-Za-z0-9+/]*$/.test(bare) && bare.length % 4 !== 1 ? buffer.fromBase64(bare) : null
}
