import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { Awareness } from 'y-protocols/awareness'
import { ORIGIN, PrivateRoom, SealedAwareness, type RoomKey, type RoomWarning } from '../../../crdt/index.ts'
import { CLOSE, LEGACY_CLOSE, NO_CLOSE_FRAME, isFinalClose } from '../../../crdt/contracts/wire-protocol.ts'
import type { RelayEndpoint } from './relays.ts'
import { RelayWatch } from './relay-watch.ts'
import { RoundTrips } from './round-trips.ts'
import { RelayConfirm } from './relay-confirm.ts'
import { SendLimit, boundedWebSocket } from './bounded-socket.ts'

export type RelayState =
  /**
   * `reason`: why the relay last closed the connection, when it said (offline, retrying);
   * `stuck`: it will not take this draft's changes until its operator acts (a full room), though it is still retried.
   */
  | { url: string; state: 'connecting' | 'sending' | 'synced' | 'offline'; withheld?: number; reason?: string; stuck?: boolean }
  | { url: string; state: 'refused'; code: number; reason: string }

export interface SyncStatus {
  relays: RelayState[]
  /** Edits made on this device that no relay has confirmed holding yet. */
  pending: number
  /** Private drafts: relays see only ciphertext. */
  private: boolean
}

/** A private draft's room keys (current first), and what to do when a relay delivers a blob that does not open. */
export interface Privacy {
  keys: RoomKey[]
  onWarning: (warning: RoomWarning) => void
}

/**
 * Why a relay closed the connection, in words a member can act on. Refusals are final
 * (44xx: y-websocket stops trying, and so does a draft); every other close is retried,
 * so a burst of typing or a full room never leaves a member refused for good.
 */
const REFUSALS: Record<number, string> = {
  [CLOSE.badMessage.code]: 'this relay could not read what this app sent',
  [CLOSE.tokenRequired.code]: 'this relay needs an access token',
  [CLOSE.tokenRejected.code]: 'this relay rejected the access token',
  [CLOSE.badRoom.code]: 'this relay refused the draft’s name',
}
const RETRYING: Record<number, string> = {
  [CLOSE.goingAway.code]: 'the relay is restarting',
  [CLOSE.tooBig.code]: 'a change is larger than this relay accepts',
  [CLOSE.internal.code]: 'the relay had an error',
  [CLOSE.tryAgainLater.code]: 'the relay is busy',
  [CLOSE.roomFull.code]: 'this relay’s space for the draft is full',
  // Older Plank relays closed with these; they were never meant to be final.
  [LEGACY_CLOSE.roomFull]: 'this relay’s space for the draft is full',
  [LEGACY_CLOSE.tooFast]: 'this relay is limiting how fast you send',
}
/**
 * Asks the desktop app to trust a meeting host's certificate at one wss:// address, by
 * the pin the invite carries (electron/certificate-pins.ts). Null where nobody can: a
 * page cannot pin a certificate, and a browser would only offer its warning page,
 * which anyone on the Wi-Fi could put in front of a member.
 */
export type CertificatePinning = (url: string, pin: string) => Promise<boolean>

/** Why the browser build does not dial a meeting host (README, "A meeting without internet"). */
export const BROWSER_CANNOT_PIN = 'this is a meeting host: only the Plank desktop app can check its certificate, so a browser does not connect to it'

/** Why a meeting host's line failed, as far as a page can tell (the certificate check happens below it). */
const UNREACHED_HOST = 'the meeting host does not answer at this address, or another machine answers there whose certificate is not the one in the invite'

/** Closes for a room over its quota (and the code older relays used for it). */
const ROOM_FULL: ReadonlySet<number> = new Set([CLOSE.roomFull.code, LEGACY_CLOSE.roomFull])

/** Changes this close together are one edit (a sentence typed, not its keystrokes). */
export const EDIT_PAUSE_MS = 2000
/** A change not confirmed by a relay after this long makes the status say "Sending…". */
const CONFIRM_GRACE_MS = 2500

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/** One relay: its provider and what watches it. */
interface Link {
  provider: WebsocketProvider
  trips: RoundTrips
  confirm: RelayConfirm
  watch: RelayWatch
  limit: SendLimit
  /** The local change counter this relay has shown it holds, on this connection (-1: nothing yet). */
  confirmed: number
  /** The certificate pin it was dialled with (a meeting host). */
  pin: string | undefined
}

/**
 * A draft's live sync: one y-websocket provider per relay (none means purely local),
 * sharing one awareness for presence. Updates from one relay are forwarded to the
 * others (each provider sends every update whose origin is not itself), so relays act
 * as redundant paths, and any single one will do.
 *
 * What the status says is checked, not assumed: "Synced" means a relay answered a
 * question that proves it holds this device's changes (relay-confirm.ts); a relay
 * that stops answering is offline within seconds (round-trips.ts); and no message is
 * larger than a relay takes (bounded-socket.ts). Changes not yet confirmed are
 * counted as edits: a burst of typing is one.
 *
 * Origins: each provider is the origin of what it applies; anything else reaching the
 * doc after load is this member's own change.
 *
 * A private draft syncs its sealed envelope instead (crdt/private-room.ts): providers
 * carry the envelope and a sealed awareness; the draft itself never leaves the device
 * in the clear.
 */
export class DraftSync {
  readonly awareness: Awareness
  private readonly links = new Map<string, Link>()
  private readonly states = new Map<string, RelayState>()
  private readonly privateRoom: PrivateRoom | null
  private keys: RoomKey[]
  private readonly sealedAwareness: SealedAwareness | null
  /** Local changes so far (a counter), and the highest any relay has confirmed. */
  private seq = 0
  private confirmedSeq = -1
  /** Unconfirmed edits: the counter at their last change, and when that was. */
  private edits: Array<{ last: number; at: number }>
  /** Unconfirmed changes with their time, for the grace before "Sending…". */
  private changes: Array<{ seq: number; at: number }> = []
  private readonly ticker: ReturnType<typeof setInterval>
  private lastEmitted = ''
  private readonly waiters: Array<{ seq: number; resolve: (ok: boolean) => void }> = []
  /** Why each relay last closed a connection it will be retried after (undefined: it did not say). */
  private readonly closeReasons = new Map<string, { reason: string; stuck: boolean } | undefined>()
  /** Relays whose room is full: when to try them again. */
  private readonly retryTimers = new Map<string, ReturnType<typeof setTimeout>>()

  constructor(
    private readonly doc: Y.Doc,
    private readonly room: string,
    relays: RelayEndpoint[],
    initialPending: number,
    private readonly onStatus: (status: SyncStatus) => void,
    privacy: Privacy | null = null,
    /** How long to wait before trying a relay whose room was full again. */
    private readonly roomFullRetryMs = 30_000,
    /** Pins meeting hosts' certificates before they are dialled (the desktop app); null: such relays are not dialled. */
    private readonly pinning: CertificatePinning | null = null,
  ) {
    this.awareness = new Awareness(doc)
    this.keys = privacy?.keys ?? []
    this.privateRoom = privacy ? new PrivateRoom(doc, room, this.keys, { onWarning: privacy.onWarning }) : null
    this.sealedAwareness = this.privateRoom ? new SealedAwareness(this.awareness, this.privateRoom.envelope, room, () => this.keys) : null
    // Edits from an earlier session: the first confirmation covers them.
    this.edits = Array.from({ length: initialPending }, () => ({ last: 0, at: Date.now() }))
    doc.on('update', this.onUpdate)
    for (const relay of relays) this.add(relay)
    // The grace for a change runs out without any event: look again every second.
    this.ticker = setInterval(() => this.emit(), 1000)
    this.emit(true)
  }

  get status(): SyncStatus {
    return { relays: [...this.states.values()].map((s) => this.shown(s)), pending: this.pendingEdits(), private: this.privateRoom !== null }
  }

  /** Whether some relay has sent this device everything it holds (a joined draft can open). */
  get receivedFromAny(): boolean {
    return [...this.links.values()].some((l) => l.provider.synced)
  }

  /** A relay has answered, and holds nothing for this draft (a private one: not one sealed blob). */
  get holdsNothing(): boolean {
    if (!this.receivedFromAny) return false
    return this.privateRoom ? this.privateRoom.blobCount === 0 : true
  }

  /** Resolves true once a relay confirms it holds every change made so far, false after `timeoutMs`. */
  whenDelivered(timeoutMs: number): Promise<boolean> {
    if (this.confirmedSeq >= this.seq) return Promise.resolve(true)
    return new Promise((resolve) => {
      const waiter = { seq: this.seq, resolve }
      this.waiters.push(waiter)
      for (const link of this.links.values()) link.confirm.soon(0)
      setTimeout(() => {
        const at = this.waiters.indexOf(waiter)
        if (at >= 0) { this.waiters.splice(at, 1); resolve(false) }
      }, timeoutMs)
    })
  }

  add(relay: RelayEndpoint): void {
    const existing = this.links.get(relay.url)
    if (existing && existing.pin === relay.pin) return
    // The same address with another certificate pin (a later hosting session there): dial it anew.
    if (existing) this.remove(relay.url)
    const url = relay.url
    const limit = new SendLimit()
    const provider = new WebsocketProvider(url, this.room, this.privateRoom?.envelope ?? this.doc, {
      awareness: this.sealedAwareness?.wire ?? this.awareness,
      params: relay.token ? { token: relay.token } : {},
      maxBackoffTime: 5000,
      disableBc: true,
      // y-websocket's rule (44xx is final), except the codes older Plank relays used for "slow down" and "full".
      shouldReconnect: (event: CloseEvent) => !isFinalClose(event.code),
      WebSocketPolyfill: boundedWebSocket(limit, () => this.tooLarge(url, limit)),
      // A meeting host is dialled only once its certificate is pinned: the token must never reach anyone else.
      connect: relay.pin === undefined,
    })
    // A line that went quiet: drop it and dial again (the dial fails fast if the network is gone).
    const trips = new RoundTrips(provider, () => {
      this.set(url, 'offline')
      provider.disconnect()
      provider.connect()
    })
    const confirm = new RelayConfirm(trips, this.privateRoom?.envelope ?? this.doc,
      () => this.privateRoom?.idle ?? true,
      () => this.seq,
      (seq) => this.confirmed(url, seq))
    const watch = new RelayWatch(provider, trips, (withheld) => {
      const current = this.states.get(url)
      if (!current || current.state === 'refused') return
      this.states.set(url, { ...current, withheld })
      this.emit()
    })
    const link: Link = { provider, trips, confirm, watch, limit, confirmed: -1, pin: relay.pin }
    this.links.set(url, link)
    this.states.set(url, { url, state: 'connecting' })
    provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connecting') this.set(url, 'connecting')
      if (status === 'connected') this.set(url, 'sending')
      if (status === 'disconnected') {
        link.confirmed = -1
        confirm.reset()
        this.set(url, 'offline')
      }
    })
    provider.on('sync', (synced: boolean) => {
      if (!synced) return
      // On sync the provider has sent the relay what it lacked. A private draft first
      // seals what the envelope does not hold yet (offline edits of a past session).
      this.privateRoom?.catchUp()
      confirm.soon(0)
    })
    provider.on('connection-error', () => this.set(url, 'offline'))
    provider.on('connection-close', (event: CloseEvent | null) => {
      if (!event) return
      // Emitted before 'status', so the offline state that follows carries the reason.
      // A meeting host that cannot be reached looks, to a page, exactly like one whose certificate was refused.
      const said = RETRYING[event.code] ?? (link.pin !== undefined && event.code === NO_CLOSE_FRAME ? UNREACHED_HOST : undefined)
      this.closeReasons.set(url, said ? { reason: said, stuck: ROOM_FULL.has(event.code) } : undefined)
      // A line that never opened gets no 'disconnected' status from y-websocket: say why now.
      if (said === UNREACHED_HOST) this.set(url, 'offline')
      if (ROOM_FULL.has(event.code)) this.retryLater(url, provider)
      if (event.code !== CLOSE.tooBig.code) return
      // Still too big for this relay: smaller pieces next time, unless there is nothing left to cut.
      if (limit.refused === null && !limit.tooBig()) return this.refuse(url, CLOSE.tooBig.code, 'this relay refuses even small messages')
      // tooBig() names the piece that could not be cut, when that was what the relay refused.
      if (limit.refused !== null) this.tooLarge(url, limit)
    })
    provider.on('closed', ({ code, reason }: { code: number; reason: string }) => {
      this.refuse(url, code, REFUSALS[code] ?? (reason || `closed with code ${code}`))
    })
    if (relay.pin !== undefined) this.pinThenConnect(url, relay.pin, provider)
  }

  private pinThenConnect(url: string, pin: string, provider: WebsocketProvider): void {
    if (!this.pinning) return this.refuse(url, 0, BROWSER_CANNOT_PIN)
    const cannot = 'this app could not check the meeting host’s certificate'
    this.pinning(url, pin).then((ok) => {
      if (this.links.get(url)?.provider !== provider) return
      if (ok) provider.connect()
      else this.refuse(url, 0, cannot)
    }, () => this.refuse(url, 0, cannot))
  }

  /**
   * A full room stays full until its operator acts, and y-websocket would be back within
   * 200 ms (its backoff restarts after every connection that synced, and each one does
   * before the relay sees the edit that does not fit). Stay offline, saying why, and try
   * again later.
   */
  private retryLater(url: string, provider: WebsocketProvider): void {
    if (this.retryTimers.has(url)) return
    // After this event y-websocket finishes the close and schedules its reconnect; this stops it.
    queueMicrotask(() => provider.disconnect())
    this.retryTimers.set(url, setTimeout(() => {
      this.retryTimers.delete(url)
      if (this.links.get(url)?.provider === provider) provider.connect()
    }, this.roomFullRetryMs))
  }

  /** Rotate a private draft's key: seal with `next` from now on and re-seal what the relays hold. */
  async rotateKey(next: RoomKey): Promise<void> {
    if (!this.privateRoom) throw new Error('Only a private draft has a key to change.')
    this.keys = [next, ...this.keys.filter((k) => k.id !== next.id)]
    await this.privateRoom.rotate(next)
  }

  remove(url: string): void {
    clearTimeout(this.retryTimers.get(url))
    this.retryTimers.delete(url)
    this.closeReasons.delete(url)
    const link = this.links.get(url)
    if (link) this.stop(link)
    this.links.delete(url)
    this.states.delete(url)
    this.emit()
  }

  private stop(link: Link): void {
    link.watch.destroy()
    link.confirm.destroy()
    link.trips.destroy()
    link.provider.destroy()
  }

  private refuse(url: string, code: number, reason: string): void {
    if (!this.links.has(url)) return
    this.states.set(url, { url, state: 'refused', code, reason })
    this.emit()
  }

  /** A piece of a change that cannot be cut any smaller is more than this relay takes. */
  private tooLarge(url: string, limit: SendLimit): void {
    const current = this.states.get(url)
    if (current?.state === 'refused') return
    this.refuse(url, CLOSE.tooBig.code, `a change of ${megabytes(limit.refused ?? 0)} is larger than this relay accepts; it is kept on this device`)
  }

  private set(url: string, state: 'connecting' | 'sending' | 'offline'): void {
    const current = this.states.get(url)
    if (!current || current.state === 'refused') return
    // While a relay is down, y-websocket retries with backoff; each retry is not news.
    if (current.state === 'offline' && state === 'connecting') return
    const said = state === 'offline' ? this.closeReasons.get(url) : undefined
    if (current.state === state && current.reason === said?.reason) return
    this.states.set(url, { url, state, withheld: current.withheld ?? 0, ...(said ? { reason: said.reason, stuck: said.stuck } : {}) })
    this.emit()
  }

  private confirmed(url: string, seq: number): void {
    const link = this.links.get(url)
    if (!link) return
    link.confirmed = Math.max(link.confirmed, seq)
    this.closeReasons.delete(url)
    if (seq > this.confirmedSeq) this.confirmedSeq = seq
    this.edits = this.edits.filter((e) => e.last > this.confirmedSeq)
    const slowest = Math.min(...[...this.links.values()].filter((l) => l.confirmed >= 0).map((l) => l.confirmed))
    this.changes = this.changes.filter((c) => c.seq > slowest)
    for (const w of [...this.waiters]) {
      if (w.seq <= this.confirmedSeq) { this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(true) }
    }
    const current = this.states.get(url)
    if (current && current.state !== 'refused' && current.state !== 'synced') this.states.set(url, { url, state: 'synced', withheld: current.withheld ?? 0 })
    this.emit()
  }

  /** A relay's state as shown: "synced" only while it confirms our changes in good time. */
  private shown(s: RelayState): RelayState {
    if (s.state !== 'synced') return s
    const link = this.links.get(s.url)
    if (!link || link.confirmed >= this.seq) return s
    const oldest = this.changes.find((c) => c.seq > link.confirmed)
    return oldest && Date.now() - oldest.at > CONFIRM_GRACE_MS ? { ...s, state: 'sending' } : s
  }

  private pendingEdits(): number {
    return this.edits.filter((e) => e.last > this.confirmedSeq).length
  }

  private readonly onUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin instanceof WebsocketProvider && [...this.links.values()].some((l) => l.provider === origin)) return
    if (origin === ORIGIN.decrypt) return
    const now = Date.now()
    const seq = ++this.seq
    this.noteChange(seq, now)
    // Still sent and confirmed like any change; just not the member's edit.
    if (origin === ORIGIN.bookkeeping) {
      for (const link of this.links.values()) link.confirm.soon()
      return this.emit()
    }
    const last = this.edits[this.edits.length - 1]
    if (last && last.last > this.confirmedSeq && now - last.at < EDIT_PAUSE_MS && last.last > 0) {
      last.last = seq
      last.at = now
    } else {
      this.edits.push({ last: seq, at: now })
    }
    for (const link of this.links.values()) link.confirm.soon()
    this.emit()
  }

  /**
   * Remember when a change was made, for the grace before "Sending…". Only while there
   * is a relay to confirm it; a long session offline folds old entries two into one
   * (the later counter, the earlier time: "Sending…" can only come sooner, never later).
   */
  private noteChange(seq: number, at: number): void {
    if (this.links.size === 0) return
    this.changes.push({ seq, at })
    if (this.changes.length <= 2000) return
    const folded: Array<{ seq: number; at: number }> = []
    for (let i = 0; i < this.changes.length; i += 2) folded.push({ seq: (this.changes[i + 1] ?? this.changes[i]!).seq, at: this.changes[i]!.at })
    this.changes = folded
  }

  private emit(force = false): void {
    const status = this.status
    const key = JSON.stringify(status)
    if (!force && key === this.lastEmitted) return
    this.lastEmitted = key
    this.onStatus(status)
  }

  destroy(): void {
    clearInterval(this.ticker)
    for (const timer of this.retryTimers.values()) clearTimeout(timer)
    this.retryTimers.clear()
    this.doc.off('update', this.onUpdate)
    for (const link of this.links.values()) this.stop(link)
    this.links.clear()
    for (const w of this.waiters.splice(0)) w.resolve(false)
    this.sealedAwareness?.destroy()
    this.privateRoom?.destroy()
    this.awareness.destroy()
  }
}

/** One line for the status indicator. */
export const describeSync = (status: SyncStatus): { text: string; kind: 'ok' | 'busy' | 'warn' | 'error' | 'local' } => {
  const { relays, pending } = status
  if (relays.length === 0) return { text: 'On this device only', kind: 'local' }
  const unsent = pending > 0 ? ` · ${pending} ${pending === 1 ? 'edit' : 'edits'} not yet on any relay` : ''
  if (relays.some((r) => r.state === 'synced')) {
    // A relay that holds back what others sent is worth knowing about, even while another relay carries it.
    const holding = relays.filter((r) => r.state !== 'refused' && (r.withheld ?? 0) > 0)
    if (holding.length > 0) return { text: `Synced · ${holding.length === 1 ? 'a relay is' : `${holding.length} relays are`} holding back changes`, kind: 'warn' }
    return { text: 'Synced', kind: 'ok' }
  }
  if (relays.some((r) => r.state === 'sending')) return { text: `Sending…${unsent}`, kind: 'busy' }
  if (relays.some((r) => r.state === 'connecting')) return { text: `Connecting…${unsent}`, kind: 'busy' }
  // Refused for good, or a full room (retried now and then, but only its operator can make room).
  const blocked = relays.filter((r) => r.state === 'refused' || (r.state === 'offline' && r.stuck === true))
  if (blocked.length > 0 && blocked.length === relays.length) {
    return { text: `Not syncing: ${blocked[0]!.reason}${unsent}`, kind: 'error' }
  }
  const said = relays.find((r) => r.state === 'offline' && r.reason)
  return { text: `Offline${said?.reason ? ` · ${said.reason}` : ''}${unsent}`, kind: 'warn' }
}
