import { decodeBytes, encodeBytes, identityFromSecret } from '../../../crdt/identity.ts'

/**
 * A member's identity as a file, for a second device or a backup: the secret key,
 * name and colour, encrypted with a passphrase (WebCrypto: PBKDF2-SHA-256 with 600,000
 * iterations, as OWASP recommends, then AES-GCM-256). Without the passphrase the file
 * is useless; with it, whoever holds it can sign as the member, so it says so.
 */
export const IDENTITY_FILE_KIND = 'plank-identity'
const ITERATIONS = 600_000

export interface IdentityContents { secretKey: string; name: string; color: string }

const keyFrom = async (passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> => {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey'])
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
}

export const MIN_PASSPHRASE = 10

export const exportIdentity = async (contents: IdentityContents, passphrase: string): Promise<string> => {
  if (passphrase.length < MIN_PASSPHRASE) throw new Error(`Use a passphrase of at least ${MIN_PASSPHRASE} characters.`)
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const key = await keyFrom(passphrase, salt, ITERATIONS)
  const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(JSON.stringify(contents))))
  return `${JSON.stringify({
    kind: IDENTITY_FILE_KIND, v: 1,
    note: 'A Plank member identity, encrypted with a passphrase. Anyone with this file and the passphrase can act as this member: keep both safe.',
    member: identityFromSecret(decodeBytes(contents.secretKey)!).id,
    kdf: { name: 'PBKDF2-SHA-256', iterations: ITERATIONS, salt: encodeBytes(salt) },
    cipher: { name: 'AES-GCM-256', iv: encodeBytes(iv) },
    data: encodeBytes(data),
  }, null, 2)}\n`
}

export const importIdentity = async (text: string, passphrase: string): Promise<IdentityContents> => {
  let file: Record<string, unknown>
  try {
    file = JSON.parse(text) as Record<string, unknown>
  } catch {
    throw new Error('That is not a Plank identity file.')
  }
  const kdf = file.kdf as { iterations?: unknown; salt?: unknown } | undefined
  const cipher = file.cipher as { iv?: unknown } | undefined
  const salt = typeof kdf?.salt === 'string' ? decodeBytes(kdf.salt) : null
  const iv = typeof cipher?.iv === 'string' ? decodeBytes(cipher.iv) : null
  const data = typeof file.data === 'string' ? decodeBytes(file.data) : null
  const iterations = Number(kdf?.iterations)
  if (file.kind !== IDENTITY_FILE_KIND || file.v !== 1 || !salt || !iv || !data || !Number.isInteger(iterations) || iterations < 100_000 || iterations > 10_000_000) {
    throw new Error('That is not a Plank identity file.')
  }
  let plain: ArrayBuffer
  try {
    plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: iv as BufferSource }, await keyFrom(passphrase, salt, iterations), data as BufferSource)
  } catch {
    throw new Error('Wrong passphrase, or the file is damaged.')
  }
  const c = JSON.parse(new TextDecoder().decode(plain)) as Partial<IdentityContents>
  const secret = typeof c.secretKey === 'string' ? decodeBytes(c.secretKey) : null
  if (!secret || secret.length !== 32) throw new Error('The identity in that file is damaged.')
  return { secretKey: c.secretKey!, name: typeof c.name === 'string' ? c.name.slice(0, 60) : '', color: typeof c.color === 'string' ? c.color : '' }
}
