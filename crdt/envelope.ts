import { fromHexString, toHexString } from 'lib0/buffer'
import { fromBase64Url, toBase64Url } from './base64.ts'

/**
 * Sealed blobs for private rooms: AES-GCM-256 (WebCrypto), the draft id bound in as
 * associated data, so a blob cannot be replayed into another draft.
 *
 *   blob      = version (1) | key id (4) | IV (12) | ciphertext + tag
 *   plaintext = kind (1) | payload
 *
 * The key id (first 4 bytes of SHA-256 of the key) tells "sealed with a key this member
 * does not hold" (after a rotation) apart from "tampered" (authentication failed).
 */
export const BLOB = { update: 1, snapshot: 2, awareness: 3 } as const
export type BlobKind = (typeof BLOB)[keyof typeof BLOB]

const VERSION = 1
const HEADER = 1 + 4 + 12

export interface RoomKey {
  id: string
  key: CryptoKey
}

const aad = (draftId: string) => new TextEncoder().encode(`plank-room-v1:${draftId}`)

export const generateRoomKey = (): Uint8Array => crypto.getRandomValues(new Uint8Array(32))

export const importRoomKey = async (raw: Uint8Array): Promise<RoomKey> => {
  if (raw.length !== 32) throw new Error('A room key is 32 bytes.')
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', raw as BufferSource))
  const key = await crypto.subtle.importKey('raw', raw as BufferSource, 'AES-GCM', false, ['encrypt', 'decrypt'])
  return { id: toHexString(digest.subarray(0, 4)), key }
}

export const encodeKey = (raw: Uint8Array): string => toBase64Url(raw)

export const decodeKey = (text: string): Uint8Array | null => {
  const raw = fromBase64Url(text)
  return raw?.length === 32 ? raw : null
}

export const seal = async (key: RoomKey, draftId: string, kind: BlobKind, payload: Uint8Array): Promise<Uint8Array> => {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const plain = new Uint8Array(1 + payload.length)
  plain[0] = kind
  plain.set(payload, 1)
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(draftId) }, key.key, plain))
  const blob = new Uint8Array(HEADER + sealed.length)
  blob[0] = VERSION
  blob.set(fromHexString(key.id), 1)
  blob.set(iv, 5)
  blob.set(sealed, HEADER)
  return blob
}

export type Opened =
  | { ok: true; kind: BlobKind; payload: Uint8Array }
  | { ok: false; reason: 'tampered' | 'other-key' | 'malformed' }

/** Open a blob with whichever of the member's keys sealed it. Never throws. */
export const open = async (keys: readonly RoomKey[], draftId: string, blob: unknown): Promise<Opened> => {
  if (!(blob instanceof Uint8Array) || blob.length < HEADER + 17 || blob[0] !== VERSION) return { ok: false, reason: 'malformed' }
  const key = keys.find((k) => k.id === toHexString(blob.subarray(1, 5)))
  if (!key) return { ok: false, reason: 'other-key' }
  try {
    const plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: blob.slice(5, HEADER), additionalData: aad(draftId) }, key.key, blob.slice(HEADER)))
    const kind = plain[0]
    if (kind !== BLOB.update && kind !== BLOB.snapshot && kind !== BLOB.awareness) return { ok: false, reason: 'malformed' }
    return { ok: true, kind, payload: plain.subarray(1) }
  } catch {
    return { ok: false, reason: 'tampered' }
  }
}
