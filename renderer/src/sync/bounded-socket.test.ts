import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import { SendLimit, piecesOfMessage } from './bounded-socket.ts'
import { MESSAGE } from '../../../crdt/contracts/wire-protocol.ts'

const message = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE.sync)
  write(e)
  return encoding.toUint8Array(e)
}

describe('messages a relay accepts', () => {
  it('a sync step 2 or update over the limit becomes several, each under it, that a relay applies to the same document', () => {
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'housing wages care '.repeat(20_000))
    for (const kind of ['step2', 'update'] as const) {
      const big = message((e) => (kind === 'step2' ? syncProtocol.writeSyncStep2(e, doc) : syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc))))
      const pieces = piecesOfMessage(big, 64 * 1024)
      expect(pieces.length).toBeGreaterThan(4)
      const relay = new Y.Doc()
      for (const piece of pieces) {
        expect(piece.byteLength).toBeLessThanOrEqual(64 * 1024)
        const d = decoding.createDecoder(piece)
        expect(decoding.readVarUint(d)).toBe(0)
        syncProtocol.readSyncMessage(d, encoding.createEncoder(), relay, null)
      }
      expect(relay.getText('t').toString()).toBe(doc.getText('t').toString())
    }
  })

  it('leaves alone what is small, a step 1, and anything that is not a sync message', () => {
    const doc = new Y.Doc()
    const step1 = message((e) => syncProtocol.writeSyncStep1(e, doc))
    expect(piecesOfMessage(step1, 4)).toEqual([step1])
    const awareness = new Uint8Array(10_000).fill(1)
    expect(piecesOfMessage(awareness, 100)).toEqual([awareness])
  })

  it('halves its limit when a relay refuses a message as too big, down to a floor; a refused uncuttable piece is remembered', () => {
    const limit = new SendLimit()
    expect(limit.bytes).toBe(SendLimit.INITIAL)
    while (limit.tooBig()) { /* halving */ }
    expect(limit.bytes).toBe(SendLimit.FLOOR)
    const again = new SendLimit()
    again.oversizeSent = 3_000_000
    expect(again.tooBig()).toBe(true)
    expect(again.refused).toBe(3_000_000)
    expect(again.bytes).toBe(SendLimit.INITIAL)
  })
})
