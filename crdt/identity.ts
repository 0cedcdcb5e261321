import { ed25519 } from '@noble/curves/ed25519.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { toHexString } from 'lib0/buffer'
import { fromBase64Url, toBase64Url } from './base64.ts'

/**
 * A member's identity: an Ed25519 key pair made on their device (@noble/curves, an
 * audited pure-JS implementation, so signing and checking are synchronous and give
 * the same answer in Electron, any browser and Node). The public key, base64url, is
 * the member's id everywhere in a draft; the secret key never leaves the device except
 * in a passphrase-encrypted export (identity-file.ts).
 */
export interface Identity {
  /** base64url of the 32-byte public key: the member id. */
  id: string
  secretKey: Uint8Array
}

const toB64url = toBase64Url
const fromB64url = fromBase64Url

export const encodeBytes = toB64url
export const decodeBytes = fromB64url

export const identityFromSecret = (secretKey: Uint8Array): Identity => ({ id: toB64url(ed25519.getPublicKey(secretKey)), secretKey })

export const newIdentity = (): Identity => identityFromSecret(ed25519.utils.randomSecretKey())

/**
 * Whether a member id is an Ed25519 public key in its one canonical spelling: 32 bytes,
 * base64url without padding, and the text it decodes from is exactly the text those
 * bytes encode to. The 43rd character carries two unused bits, so four spellings
 * decode to the same key; only the one `encodeBytes` writes is a member id, so one key
 * is one member (ids are compared as text everywhere).
 */
export const isMemberKey = (id: unknown): id is string => {
  if (typeof id !== 'string' || id.length !== 43) return false
  const bytes = fromB64url(id)
  return bytes?.length === 32 && toB64url(bytes) === id
}

const utf8 = (text: string) => new TextEncoder().encode(text)

export const sign = (identity: Identity, message: string): string => toB64url(ed25519.sign(utf8(message), identity.secretKey))

/**
 * Checked signatures, remembered: tallies and the roster are recomputed on every change,
 * and the same records would otherwise be verified again each time.
 */
const checked = new Map<string, boolean>()
const MAX_CHECKED = 50_000

/** Forget the signatures checked so far (benchmarks measure a device that has checked none). */
export const forgetCheckedSignatures = (): void => checked.clear()

/** Any malformed key or signature simply does not verify. */
export const verify = (memberId: string, message: string, signature: unknown): boolean => {
  if (typeof signature !== 'string' || !isMemberKey(memberId)) return false
  const key = `${memberId}\n${signature}\n${message}`
  const known = checked.get(key)
  if (known !== undefined) return known
  const sig = fromB64url(signature)
  const pub = fromB64url(memberId)
  let ok = false
  if (sig && sig.length === 64 && pub && toB64url(sig) === signature) {
    try {
      // Strict RFC 8032 checks (no ZIP-215 leniency): one signature per key and message.
      ok = ed25519.verify(sig, utf8(message), pub, { zip215: false })
    } catch {
      ok = false
    }
  }
  if (checked.size >= MAX_CHECKED) checked.clear()
  checked.set(key, ok)
  return ok
}

/** JSON with keys sorted at every level: the one byte sequence a signature covers. */
export const canonicalJSON = (value: unknown): string => {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical)
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
    return v
  }
  return JSON.stringify(canonical(value))
}

/** Lowercase hex SHA-256 of a string's UTF-8 bytes (synchronous, for record hashes). */
export const sha256Hex = (text: string): string => toHexString(sha256(utf8(text)))

/** Lowercase hex SHA-256 of bytes. */
export const sha256HexOfBytes = (bytes: Uint8Array): string => toHexString(sha256(bytes))

/** Sign a record: every field but `sig`, canonical JSON. */
export const signRecord = <T extends { sig?: unknown }>(identity: Identity, record: T): T & { sig: string } => {
  const { sig: _sig, ...body } = record
  return { ...record, sig: sign(identity, canonicalJSON(body)) }
}

/** Whether a record is signed by `memberId` (every field but `sig`). */
export const verifyRecord = (memberId: string, record: { sig?: unknown }): boolean => {
  const { sig, ...body } = record
  return verify(memberId, canonicalJSON(body), sig)
}

/** The id of a signed record: the hash of all of it, signature included. */
export const recordHash = (record: object): string => sha256Hex(canonicalJSON(record))
