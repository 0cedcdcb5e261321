import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import { type Identity, identityFromSecret } from './identity.ts'

/**
 * Helpers for tests only (never imported by the app): like the rest of crdt/, no DOM
 * and no Node, so tests of any layer can use them. Randomness in tests comes from
 * lib0's seeded generator (`prng.create(seed)`), so everything a seeded test does,
 * keys included, is a function of its seed and a failure can be replayed.
 */

/**
 * Bring every doc up to date with every other, as peers do once they are all
 * connected: each one receives what it is missing from each of the others.
 */
export const sync = (...docs: Y.Doc[]): void => {
  for (const from of docs) {
    for (const to of docs) if (to !== from) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)))
  }
}

/**
 * A member identity whose Ed25519 secret key is drawn from the seeded generator (any
 * 32 bytes are a valid secret key). Member ids are public keys and their hashes break
 * ties in the roster, so random keys would make a seeded test unrepeatable.
 */
export const seededIdentity = (gen: prng.PRNG): Identity => identityFromSecret(prng.uint8Array(gen, 32))

/**
 * Run `fn` with the Web Crypto random source drawing from the seeded generator, so the
 * keys and ids that code under test makes for itself (an invitation's key pair, a
 * question's id) follow the seed as well. Only for synchronous code: the real source
 * is back before anything else can run. (Yjs client ids do not come through here:
 * lib0 binds the source when it loads; set `doc.clientID` instead.)
 */
export const withSeededRandom = <T>(gen: prng.PRNG, fn: () => T): T => {
  const own = Object.getOwnPropertyDescriptor(crypto, 'getRandomValues')
  crypto.getRandomValues = <A extends ArrayBufferView | null>(array: A): A => {
    if (array) new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(prng.uint8Array(gen, array.byteLength))
    return array
  }
  try {
    return fn()
  } finally {
    if (own) Object.defineProperty(crypto, 'getRandomValues', own)
    else delete (crypto as { getRandomValues?: unknown }).getRandomValues
  }
}
