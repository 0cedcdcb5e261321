import * as Y from 'yjs'
import type { RoundTrips } from './round-trips.ts'

/**
 * Whether a relay holds this device's changes — what "Synced" must mean. y-websocket's
 * own "synced" only says this device has received what the relay had; it sends its
 * changes and never hears whether they arrived.
 *
 * So we ask: a sync step 1 with our state vector, each client's clock one short. The
 * relay answers with what it holds beyond that: for every client, our last unit if it
 * has it, and its whole delete set. The relay holds our changes when, for every client,
 * its answer reaches our clock, and its delete set covers ours (a deletion adds no
 * clock, so the delete set is the only evidence of it). Asked after our changes were
 * sent on the same connection, an answer reflects them: a relay answers in order.
 *
 * Asked after each burst of changes (throttled) and every few seconds besides, which
 * is also the connection's heartbeat (see round-trips.ts).
 */
type DeleteSet = ReturnType<typeof Y.createDeleteSetFromStructStore>

const THROTTLE_MS = 300
const HEARTBEAT_MS = 4000

export class RelayConfirm {
  private asking = false
  private again = false
  private timer: ReturnType<typeof setTimeout> | null = null
  private readonly heartbeat: ReturnType<typeof setInterval>

  constructor(
    private readonly trips: RoundTrips,
    /** The document the provider syncs: the draft, or a private draft's envelope. */
    private readonly doc: Y.Doc,
    /** Whether every local change is in `doc` (a private draft seals them first). */
    private readonly ready: () => boolean,
    /** The local change counter now, confirmed when the answer proves the relay holds it. */
    private readonly seq: () => number,
    private readonly onConfirmed: (seq: number) => void,
  ) {
    this.heartbeat = setInterval(() => { if (this.trips.outstanding === 0) this.soon(0) }, HEARTBEAT_MS)
  }

  /** Ask soon (changes were made, or the connection synced). */
  soon(delay = THROTTLE_MS): void {
    if (this.asking) { this.again = true; return }
    this.timer ??= setTimeout(() => { this.timer = null; this.ask() }, delay)
  }

  private ask(): void {
    if (!this.trips.connected) return
    if (!this.ready()) { this.soon(100); return }
    const seq = this.seq()
    const ours = Y.decodeStateVector(Y.encodeStateVector(this.doc))
    const probe = new Map<number, number>()
    for (const [client, clock] of ours) probe.set(client, clock - 1)
    const deleted = Y.createDeleteSetFromStructStore(this.doc.store)
    this.asking = true
    this.again = false
    const sent = this.trips.ask(Y.encodeStateVector(probe), (answer) => {
      this.asking = false
      if (holds(answer, ours, deleted)) this.onConfirmed(seq)
      if (this.again) this.soon()
    })
    if (!sent) this.asking = false
  }

  /** The connection closed: questions on it are gone. */
  reset(): void {
    this.asking = false
    this.again = false
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer)
    clearInterval(this.heartbeat)
  }
}

/** Whether a relay's answer shows it holds every unit in `ours` and every deletion in `deleted`. */
export const holds = (answer: Uint8Array, ours: Map<number, number>, deleted: DeleteSet): boolean => {
  let decoded: { structs: Array<Y.Item | Y.GC | Y.Skip>; ds: DeleteSet }
  try {
    decoded = Y.decodeUpdate(answer)
  } catch {
    return false
  }
  const reach = new Map<number, number>()
  for (const s of decoded.structs) {
    if (s instanceof Y.Skip) continue
    reach.set(s.id.client, Math.max(reach.get(s.id.client) ?? 0, s.id.clock + s.length))
  }
  for (const [client, clock] of ours) if (clock > 0 && (reach.get(client) ?? 0) < clock) return false
  for (const [client, ranges] of deleted.clients) {
    const theirs = [...(decoded.ds.clients.get(client) ?? [])].sort((a, b) => a.clock - b.clock)
    for (const r of ranges) if (!covered(theirs, r.clock, r.clock + r.len)) return false
  }
  return true
}

/** Whether sorted ranges cover [from, to) without a gap. */
const covered = (ranges: Array<{ clock: number; len: number }>, from: number, to: number): boolean => {
  let at = from
  for (const r of ranges) {
    if (r.clock > at) break
    at = Math.max(at, r.clock + r.len)
    if (at >= to) return true
  }
  return at >= to
}
