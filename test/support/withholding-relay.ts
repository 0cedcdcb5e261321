import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import { WebSocketServer, type WebSocket } from 'ws'
import type { AddressInfo } from 'node:net'
import { MESSAGE } from '../../crdt/contracts/wire-protocol.ts'

/**
 * A hostile relay for one room: a working y-websocket relay until `withhold()`, then it
 * stays connected, answers every question and passes presence on, but from a frozen copy
 * of the room: it keeps whatever members send and shows nobody anything new. (A line that
 * passes nothing at all is a dead line, not a relay holding back: see round-trips.ts.)
 * `forget()` makes it accept what members send and keep none of it.
 */
export const startWithholdingRelay = async (): Promise<{ url: string; withhold: () => void; forget: () => void; close: () => Promise<void> }> => {
  const live = new Y.Doc()
  let frozen: Y.Doc | null = null
  let forgetting = false
  const shown = () => frozen ?? live
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const sockets = new Set<WebSocket>()
  const send = (ws: WebSocket, write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder()
    write(e)
    if (ws.readyState === 1) ws.send(encoding.toUint8Array(e))
  }
  live.on('update', (update: Uint8Array, origin: unknown) => {
    if (frozen) return
    for (const ws of sockets) if (ws !== origin) send(ws, (e) => { encoding.writeVarUint(e, MESSAGE.sync); syncProtocol.writeUpdate(e, update) })
  })
  server.on('connection', (ws) => {
    sockets.add(ws)
    ws.on('close', () => sockets.delete(ws))
    send(ws, (e) => { encoding.writeVarUint(e, MESSAGE.sync); syncProtocol.writeSyncStep1(e, shown()) })
    ws.on('message', (data: Buffer) => {
      const message = new Uint8Array(data)
      const d = decoding.createDecoder(message)
      const type = decoding.readVarUint(d)
      if (type === MESSAGE.awareness) {
        // Presence: passed on to everyone, as a relay does.
        for (const other of sockets) if (other.readyState === 1) other.send(message)
        return
      }
      if (type !== MESSAGE.sync) return
      const syncType = decoding.readVarUint(d)
      const payload = decoding.readVarUint8Array(d)
      if (syncType === syncProtocol.messageYjsSyncStep1) {
        send(ws, (e) => { encoding.writeVarUint(e, MESSAGE.sync); encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2); encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(shown(), payload)) })
      } else if (!forgetting) {
        Y.applyUpdate(live, payload, ws)
      }
    })
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `ws://127.0.0.1:${port}`,
    withhold: () => {
      frozen = new Y.Doc()
      Y.applyUpdate(frozen, Y.encodeStateAsUpdate(live))
    },
    /** Take members' changes and keep none of them (a relay losing data, or lying). */
    forget: () => { forgetting = true },
    close: () => new Promise((resolve) => {
      for (const ws of sockets) ws.terminate()
      server.close(() => resolve())
    }),
  }
}
