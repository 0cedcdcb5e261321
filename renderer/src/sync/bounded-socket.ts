import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { splitUpdate } from '../../../crdt/update-pieces.ts'
import { MESSAGE } from '../../../crdt/contracts/wire-protocol.ts'

/**
 * No message to a relay larger than it accepts. y-websocket sends a change as one
 * message, and its sync step 2 on connecting (everything the relay lacks: an offline
 * backlog) as one message too; a relay closes a connection whose message is over its
 * cap (1009 on Plank's relay, 2 MiB by default), the client reconnects and sends the
 * same message again, and the device is cut off for good.
 *
 * This WebSocket (handed to y-websocket as its WebSocket class) cuts every sync
 * message over the limit into several, each carrying a piece of the update
 * (crdt/update-pieces.ts) that the relay applies like any other. The limit starts
 * under the cap of Plank's relay and halves whenever a relay still closes with 1009
 * (a relay configured with a smaller cap), down to a floor. A piece that cannot be
 * cut (one sealed blob, one large value) and is refused anyway is reported, not sent
 * again and again: the change stays on this device.
 */
const HEADER = 16

export class SendLimit {
  static readonly INITIAL = 1024 * 1024
  static readonly FLOOR = 16 * 1024
  bytes = SendLimit.INITIAL
  /** The size of a piece this relay refused that cannot be cut smaller, if any. */
  refused: number | null = null
  /** Largest piece over the limit sent on the current connection (it could not be cut). */
  oversizeSent = 0

  /** The relay closed with 1009: send smaller pieces, or give up on an uncuttable one. Returns false at the floor. */
  tooBig(): boolean {
    if (this.oversizeSent > 0) {
      this.refused = this.oversizeSent
      this.oversizeSent = 0
      return true
    }
    if (this.bytes <= SendLimit.FLOOR) return false
    this.bytes = Math.max(SendLimit.FLOOR, Math.floor(this.bytes / 2))
    return true
  }
}

/** A y-websocket message cut into messages of at most `maxBytes` (those that cannot be cut come out as they are). */
export const piecesOfMessage = (message: Uint8Array, maxBytes: number): Uint8Array[] => {
  if (message.byteLength <= maxBytes) return [message]
  const decoder = decoding.createDecoder(message)
  if (decoding.readVarUint(decoder) !== MESSAGE.sync) return [message]
  const syncType = decoding.readVarUint(decoder)
  if (syncType !== syncProtocol.messageYjsSyncStep2 && syncType !== syncProtocol.messageYjsUpdate) return [message]
  const update = decoding.readVarUint8Array(decoder)
  return splitUpdate(update, maxBytes - HEADER).map((piece) => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE.sync)
    encoding.writeVarUint(encoder, syncType)
    encoding.writeVarUint8Array(encoder, piece)
    return encoding.toUint8Array(encoder)
  })
}

/** A WebSocket class for one relay's provider that keeps its messages within `limit`. */
export const boundedWebSocket = (limit: SendLimit, onRefused: () => void): typeof WebSocket =>
  class BoundedWebSocket extends WebSocket {
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (!(data instanceof Uint8Array) || data.byteLength <= limit.bytes) return super.send(data as Uint8Array<ArrayBuffer>)
      for (const piece of piecesOfMessage(data, limit.bytes)) {
        if (piece.byteLength > limit.bytes) {
          if (limit.refused !== null && piece.byteLength >= limit.refused) {
            // Refused before: sending it again would only get this connection closed again.
            onRefused()
            continue
          }
          limit.oversizeSent = Math.max(limit.oversizeSent, piece.byteLength)
        }
        super.send(piece as Uint8Array<ArrayBuffer>)
      }
    }
  }
