import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import type { WebsocketProvider } from 'y-websocket'
import { MESSAGE } from '../../../crdt/contracts/wire-protocol.ts'
import { type RoundTrips, WHOLE_ROOM_PATIENCE_MS } from './round-trips.ts'

/**
 * Notices a relay that holds changes back. Every change this member holds from other
 * members should be known to each connected relay: we send it everything we receive
 * (y-websocket forwards between providers). For each relay we track what it has shown
 * it holds — its state vector at connect, and every update it sends — and when it
 * lags behind us for a while we ask it for everything it has (a sync step 1 with an
 * empty state vector). If even that answer lacks changes we have had for a while, the
 * relay is withholding them, and the member is told.
 *
 * Our own changes are left out: not every relay echoes a sender's updates back (Plank's
 * and the stock relay do, older Plank relays did not), so other members are the ones
 * who can notice those being held back.
 */
const CHECK_MS = 2000

export class RelayWatch {
  /** Highest clock per client this relay has shown it holds. */
  private readonly shown = new Map<number, number>()
  private lagSince: number | null = null
  private probing = false
  private probedAt = 0
  private readonly timer: ReturnType<typeof setInterval>
  withheld = 0

  constructor(
    private readonly provider: WebsocketProvider,
    private readonly trips: RoundTrips,
    private readonly onChange: (withheld: number) => void,
    private readonly graceMs = 6000,
  ) {
    const original = provider.messageHandlers[MESSAGE.sync]!
    provider.messageHandlers[MESSAGE.sync] = (encoder, decoder, p, emitSynced, type) => {
      this.observe(decoder)
      original(encoder, decoder, p, emitSynced, type)
    }
    provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connected') return
      // A closed connection is "offline", not withholding; start over when it is back.
      this.shown.clear()
      this.lagSince = null
      this.probing = false
      this.set(0)
    })
    this.timer = setInterval(() => this.check(), CHECK_MS)
  }

  /** Peek at a sync message without consuming it. */
  private observe(decoder: decoding.Decoder): void {
    try {
      const d = decoding.createDecoder(decoder.arr.subarray(decoder.pos))
      const type = decoding.readVarUint(d)
      const payload = decoding.readVarUint8Array(d)
      if (type === syncProtocol.messageYjsSyncStep1) this.raise(Y.decodeStateVector(payload))
      else this.raise(Y.parseUpdateMeta(payload).to)
    } catch {
      // Not ours to judge: y-websocket reads (and rejects) the message itself.
    }
  }

  private raise(clocks: Map<number, number>): void {
    for (const [client, clock] of clocks) if (clock > (this.shown.get(client) ?? 0)) this.shown.set(client, clock)
  }

  /** Changes (by count of items) from other members that this relay has not shown it holds. */
  private missing(): number {
    const doc = this.provider.doc
    let missing = 0
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
      if (client === doc.clientID) continue
      missing += Math.max(0, clock - (this.shown.get(client) ?? 0))
    }
    return missing
  }

  private check(afterProbe = false): void {
    if (!this.provider.wsconnected || !this.provider.synced) return
    const missing = this.missing()
    if (missing === 0) {
      this.lagSince = null
      this.set(0)
      return
    }
    const now = Date.now()
    this.lagSince ??= now
    if (now - this.lagSince < this.graceMs) return
    if (afterProbe) {
      this.set(missing)
      return
    }
    if (this.probing && now - this.probedAt > this.graceMs) {
      // Connected, yet no answer to "send me everything": as good as holding back.
      this.probing = false
      this.set(missing)
      return
    }
    if (!this.probing && now - this.probedAt > this.graceMs) this.probe()
  }

  /** Ask the relay for everything it holds. */
  private probe(): void {
    const sent = this.trips.ask(Y.encodeStateVector(new Map()), () => {
      if (!this.probing) return
      this.probing = false
      this.check(true)
    }, WHOLE_ROOM_PATIENCE_MS)
    if (!sent) return
    this.probing = true
    this.probedAt = Date.now()
  }

  private set(withheld: number): void {
    if (withheld === this.withheld) return
    this.withheld = withheld
    this.onChange(withheld)
  }

  destroy(): void {
    clearInterval(this.timer)
  }
}
