import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { MESSAGE } from '../../crdt/contracts/wire-protocol.ts'

/**
 * Hostile y-websocket messages from a seeded generator: random bytes, mutated real
 * updates, junk sync and awareness messages, never-ending varints, the issue-687 bomb.
 * Used by the frame fuzzer (relay-hostile) and the HTTP-edge fuzzer (fuzz/http-edge).
 */

/** yjs issue 687: 27 bytes on which Y.mergeUpdatesV2 never returns. */
export const ISSUE_687 = Buffer.from('00010000000001000100010200001602000001fdffffffff7f0000', 'hex')

export const realUpdate = (gen: prng.PRNG): Uint8Array => {
  const doc = new Y.Doc()
  doc.getXmlFragment('content').insert(0, [new Y.XmlElement('paragraph')])
  doc.getText('t').insert(0, prng.word(gen, 1, 40))
  doc.getMap('meta').set('k', prng.word(gen, 1, 10))
  return Y.encodeStateAsUpdate(doc)
}

export const mutate = (gen: prng.PRNG, bytes: Uint8Array): Uint8Array => {
  const out = Uint8Array.from(bytes)
  const flips = prng.int32(gen, 1, 6)
  for (let i = 0; i < flips; i++) out[prng.int32(gen, 0, out.length - 1)] = prng.int32(gen, 0, 255)
  return prng.bool(gen) ? out : out.subarray(0, prng.int32(gen, 1, out.length))
}

export const hostileMessage = (gen: prng.PRNG): Uint8Array => {
  const e = encoding.createEncoder()
  switch (prng.int32(gen, 0, 5)) {
    case 0: return prng.uint8Array(gen, prng.int32(gen, 0, 200)) // random bytes
    case 1: // a sync update carrying a mutated real update
      encoding.writeVarUint(e, MESSAGE.sync)
      syncProtocol.writeUpdate(e, mutate(gen, realUpdate(gen)))
      return encoding.toUint8Array(e)
    case 2: // sync step 2 with random bytes
      encoding.writeVarUint(e, MESSAGE.sync)
      encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2)
      encoding.writeVarUint8Array(e, prng.uint8Array(gen, prng.int32(gen, 0, 100)))
      return encoding.toUint8Array(e)
    case 3: // awareness junk
      encoding.writeVarUint(e, MESSAGE.awareness)
      encoding.writeVarUint8Array(e, prng.uint8Array(gen, prng.int32(gen, 0, 100)))
      return encoding.toUint8Array(e)
    case 4: // a varint that never ends, a length far beyond the message, or the issue-687 bomb
      if (prng.bool(gen)) return Uint8Array.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])
      encoding.writeVarUint(e, MESSAGE.sync)
      syncProtocol.writeUpdate(e, ISSUE_687)
      return encoding.toUint8Array(e)
    default: // a valid update whose dependencies never arrive
      encoding.writeVarUint(e, MESSAGE.sync)
      syncProtocol.writeUpdate(e, mutate(gen, realUpdate(gen)).subarray(0))
      return encoding.toUint8Array(e)
  }
}
