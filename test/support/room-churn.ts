import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import WebSocket from 'ws'
import { MESSAGE } from '../../crdt/contracts/wire-protocol.ts'

/**
 * Open `count` rooms on a relay, write a paragraph into each, and leave: what a
 * relay serving many chapters sees over a day. Batches keep the client side light.
 */
export const churnRooms = async (url: string, count: number, batch = 100): Promise<void> => {
  for (let start = 0; start < count; start += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - start) }, async (_, i) => {
      const doc = new Y.Doc()
      doc.getText('t').insert(0, `Room ${start + i}: a chapter's draft paragraph, long enough to be a real edit.`)
      const ws = new WebSocket(`${url}/churn-${start + i}`)
      await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, MESSAGE.sync)
      syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc))
      ws.send(encoding.toUint8Array(e))
      await new Promise((resolve) => setTimeout(resolve, 5))
      ws.close()
      await new Promise((resolve) => ws.once('close', resolve))
    }))
  }
}
