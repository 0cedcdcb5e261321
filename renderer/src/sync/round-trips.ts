import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type { WebsocketProvider } from 'y-websocket'
import { MESSAGE } from '../../../crdt/contracts/wire-protocol.ts'

/**
 * Questions to a relay over a provider's connection: send a sync step 1 (a state
 * vector) and get the relay's sync step 2 back (everything it holds beyond it, and its
 * whole delete set). A y-websocket relay answers every step 1 with one step 2, in the
 * order asked, and sends a step 2 at no other time; so answers are matched to
 * questions by order. The first step 1 on each connection is y-websocket's own.
 *
 * Also the connection's pulse: a question unanswered while nothing at all arrives from
 * the relay (and nothing of ours is still being sent) for `silenceMs` means the line
 * is dead — a Wi-Fi gone, a laptop lid closed — long before the socket notices (and
 * y-websocket's own watchdog, after 30 s of silence).
 */
export interface Question {
  onAnswer: (update: Uint8Array) => void
  askedAt: number
  /** How long the relay may stay silent before this is answered (a whole room takes longer). */
  patienceMs: number
}

/** An answer that may be the whole room (y-websocket's first step 1; "send me everything"): as long as y-websocket's own watchdog allows. */
export const WHOLE_ROOM_PATIENCE_MS = 30_000

export class RoundTrips {
  private queue: Question[] = []
  private lastHeard = 0
  private connectingSince = 0
  private readonly timer: ReturnType<typeof setInterval>

  constructor(
    private readonly provider: WebsocketProvider,
    private readonly onSilent: () => void,
    private readonly silenceMs = 4000,
  ) {
    provider.messageHandlers.forEach((handler, type) => {
      provider.messageHandlers[type] = (encoder, decoder, p, emitSynced, messageType) => {
        this.lastHeard = Date.now()
        const answer = type === MESSAGE.sync ? this.peekStep2(decoder) : null
        handler(encoder, decoder, p, emitSynced, messageType)
        if (answer) this.queue.shift()?.onAnswer(answer)
      }
    })
    provider.on('status', ({ status }: { status: string }) => {
      // y-websocket sends its own step 1 right after announcing the connection; its answer is the room.
      this.queue = status === 'connected' ? [{ onAnswer: () => {}, askedAt: Date.now(), patienceMs: WHOLE_ROOM_PATIENCE_MS }] : []
      this.lastHeard = Date.now()
      this.connectingSince = status === 'connecting' ? Date.now() : 0
    })
    this.timer = setInterval(() => this.check(), 500)
  }

  get connected(): boolean {
    return this.provider.wsconnected && this.provider.ws?.readyState === 1
  }

  /** Questions sent and not answered yet on this connection. */
  get outstanding(): number {
    return this.queue.length
  }

  /** Ask the relay for what it holds beyond `stateVector`; false when not connected. */
  ask(stateVector: Uint8Array, onAnswer: (update: Uint8Array) => void, patienceMs = this.silenceMs): boolean {
    const ws = this.provider.ws
    if (!this.connected || !ws) return false
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE.sync)
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1)
    encoding.writeVarUint8Array(encoder, stateVector)
    this.queue.push({ onAnswer, askedAt: Date.now(), patienceMs })
    ws.send(encoding.toUint8Array(encoder))
    return true
  }

  private peekStep2(decoder: decoding.Decoder): Uint8Array | null {
    try {
      const d = decoding.createDecoder(decoder.arr.subarray(decoder.pos))
      return decoding.readVarUint(d) === syncProtocol.messageYjsSyncStep2 ? decoding.readVarUint8Array(d) : null
    } catch {
      return null // y-websocket reads (and rejects) it itself
    }
  }

  private check(): void {
    // A connection that never opens (the other end accepts but never answers) is retried.
    if (this.connectingSince && this.provider.wsconnecting && Date.now() - this.connectingSince > 3 * this.silenceMs) {
      this.connectingSince = 0
      this.onSilent()
      return
    }
    // Answers come in order: the first one outstanding is what the line waits for.
    const head = this.queue[0]
    if (!head || !this.connected) return
    // Still sending a large change: the relay answers once it has read it all.
    if ((this.provider.ws?.bufferedAmount ?? 0) > 0) { this.lastHeard = Date.now(); return }
    const since = Math.max(this.lastHeard, head.askedAt)
    if (Date.now() - since > head.patienceMs) {
      this.queue = []
      this.onSilent()
    }
  }

  destroy(): void {
    clearInterval(this.timer)
  }
}
