import type * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { Awareness } from 'y-protocols/awareness'
import { ORIGIN, PrivateRoom, SealedAwareness, type RoomKey, type RoomWarning } from '../../../crdt/index.ts'
import { CLOSE, isFinalClose } from '../../../crdt/wire-protocol.ts'
import type { RelayEndpoint } from './relays.ts'
import { RelayWatch } from './relay-watch.ts'

export type RelayState =
  /** `reason`: why the relay last closed the connection, when it said (offline, retrying). */
  | { url: string; state: 'connecting' | 'synced' | 'offline'; withheld?: number; reason?: string }
  | { url: string; state: 'refused'; code: number; reason: string }

export interface SyncStatus {
  relays: RelayState[]
  /** Local changes made since this draft last synced with any relay. */
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
  4413: 'this relay’s space for the draft is full',
  4429: 'this relay is limiting how fast you send',
}
/** Closes for a room over its quota (and the code older relays used for it). */
const ROOM_FULL: ReadonlySet<number> = new Set([CLOSE.roomFull.code, 4413])

/**
 * A draft's live sync: one y-websocket provider per relay (none means purely local),
 * sharing one awareness for presence. Updates from one relay are forwarded to the
 * others (each provider sends every update whose origin is not itself), so relays act
 * as redundant paths, and any single one will do.
 *
 * Origins: each provider is the origin of what it applies; anything else reaching the
 * doc after load is this member's own change, counted as pending until a relay syncs.
 *
 * A private draft syncs its sealed envelope instead (crdt/private-room.ts): providers
 * carry the envelope and a sealed awareness; the draft itself never leaves the device
 * in the clear.
 */
export class DraftSync {
  readonly awareness: Awareness
  private readonly providers = new Map<string, WebsocketProvider>()
  private readonly watches = new Map<string, RelayWatch>()
  private readonly states = new Map<string, RelayState>()
  /** Why each relay last closed a connection it will be retried after (undefined: it did not say). */
  private readonly closeReasons = new Map<string, string | undefined>()
  /** Relays whose room is full: when to try them again. */
  private readonly retryTimers = new Map<string, ReturnType<typeof setTimeout>>()
  private pending: number
  private readonly privateRoom: PrivateRoom | null
  private keys: RoomKey[]
  private readonly sealedAwareness: SealedAwareness | null

  constructor(
    private readonly doc: Y.Doc,
    private readonly room: string,
    relays: RelayEndpoint[],
    initialPending: number,
    private readonly onStatus: (status: SyncStatus) => void,
    privacy: Privacy | null = null,
    /** How long to wait before trying a relay whose room was full again. */
    private readonly roomFullRetryMs = 30_000,
  ) {
    this.awareness = new Awareness(doc)
    this.keys = privacy?.keys ?? []
    this.privateRoom = privacy ? new PrivateRoom(doc, room, this.keys, { onWarning: privacy.onWarning }) : null
    this.sealedAwareness = this.privateRoom ? new SealedAwareness(this.awareness, this.privateRoom.envelope, room, () => this.keys) : null
    this.pending = initialPending
    doc.on('update', this.onUpdate)
    for (const relay of relays) this.add(relay)
    this.emit()
  }

  get status(): SyncStatus {
    return { relays: [...this.states.values()], pending: this.pending, private: this.privateRoom !== null }
  }

  get syncedWithAny(): boolean {
    return [...this.states.values()].some((s) => s.state === 'synced')
  }

  add(relay: RelayEndpoint): void {
    if (this.providers.has(relay.url)) return
    const provider = new WebsocketProvider(relay.url, this.room, this.privateRoom?.envelope ?? this.doc, {
      awareness: this.sealedAwareness?.wire ?? this.awareness,
      params: relay.token ? { token: relay.token } : {},
      maxBackoffTime: 5000,
      disableBc: true,
      // y-websocket's rule (44xx is final), except the codes older Plank relays used for "slow down" and "full".
      shouldReconnect: (event: CloseEvent) => !isFinalClose(event.code),
    })
    this.providers.set(relay.url, provider)
    this.watches.set(relay.url, new RelayWatch(provider, (withheld) => {
      const current = this.states.get(relay.url)
      if (!current || current.state === 'refused') return
      this.states.set(relay.url, { ...current, withheld })
      this.emit()
    }))
    this.states.set(relay.url, { url: relay.url, state: 'connecting' })
    provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connecting') this.set(relay.url, 'connecting')
      if (status === 'disconnected') this.set(relay.url, 'offline')
    })
    provider.on('sync', (synced: boolean) => {
      if (!synced) return
      // On sync the provider has sent the relay everything it lacked. A private draft
      // first seals what the envelope does not hold yet (offline edits of a past session).
      this.privateRoom?.catchUp()
      this.pending = 0
      this.set(relay.url, 'synced')
    })
    provider.on('connection-error', () => this.set(relay.url, 'offline'))
    provider.on('connection-close', (event: CloseEvent | null) => {
      if (!event) return
      // Emitted before 'status', so the offline state below carries the reason.
      this.closeReasons.set(relay.url, RETRYING[event.code])
      if (ROOM_FULL.has(event.code)) this.retryLater(relay.url, provider)
    })
    provider.on('closed', ({ code, reason }: { code: number; reason: string }) => {
      this.states.set(relay.url, { url: relay.url, state: 'refused', code, reason: REFUSALS[code] ?? (reason || `closed with code ${code}`) })
      this.emit()
    })
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
      if (this.providers.get(url) === provider) provider.connect()
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
    this.watches.get(url)?.destroy()
    this.watches.delete(url)
    this.providers.get(url)?.destroy()
    this.providers.delete(url)
    this.states.delete(url)
    this.closeReasons.delete(url)
    this.emit()
  }

  private set(url: string, state: 'connecting' | 'synced' | 'offline'): void {
    const current = this.states.get(url)
    if (!current || current.state === 'refused') return
    if (state === 'synced') this.closeReasons.delete(url)
    const reason = state === 'offline' ? this.closeReasons.get(url) : undefined
    if (current.state === state && current.reason === reason) return
    // While a relay is down, y-websocket retries with backoff; each retry is not news.
    if (current.state === 'offline' && state === 'connecting') return
    this.states.set(url, { url, state, withheld: current.withheld ?? 0, ...(reason ? { reason } : {}) })
    this.emit()
  }

  private readonly onUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin instanceof WebsocketProvider && [...this.providers.values()].includes(origin)) return
    if (origin === ORIGIN.decrypt) return
    // A provider that is synced sends this change at once; otherwise it waits for one.
    if (this.syncedWithAny) return
    this.pending++
    this.emit()
  }

  private emit(): void {
    this.onStatus(this.status)
  }

  destroy(): void {
    this.doc.off('update', this.onUpdate)
    for (const timer of this.retryTimers.values()) clearTimeout(timer)
    this.retryTimers.clear()
    for (const watch of this.watches.values()) watch.destroy()
    this.watches.clear()
    for (const provider of this.providers.values()) provider.destroy()
    this.providers.clear()
    this.sealedAwareness?.destroy()
    this.privateRoom?.destroy()
    this.awareness.destroy()
  }
}

/** One line for the status indicator. */
export const describeSync = (status: SyncStatus): { text: string; kind: 'ok' | 'busy' | 'warn' | 'error' | 'local' } => {
  const { relays, pending } = status
  if (relays.length === 0) return { text: 'On this device only', kind: 'local' }
  const unsent = pending > 0 ? ` · ${pending} ${pending === 1 ? 'change' : 'changes'} not yet on any relay` : ''
  if (relays.some((r) => r.state === 'synced')) {
    // A relay that holds back what others sent is worth knowing about, even while another relay carries it.
    const holding = relays.filter((r) => r.state !== 'refused' && (r.withheld ?? 0) > 0)
    if (holding.length > 0) return { text: `Synced · ${holding.length === 1 ? 'a relay is' : `${holding.length} relays are`} holding back changes`, kind: 'warn' }
    return { text: 'Synced', kind: 'ok' }
  }
  if (relays.some((r) => r.state === 'connecting')) return { text: `Connecting…${unsent}`, kind: 'busy' }
  const refused = relays.find((r) => r.state === 'refused')
  if (refused && refused.state === 'refused' && relays.every((r) => r.state === 'refused')) {
    return { text: `Not syncing: ${refused.reason}${unsent}`, kind: 'error' }
  }
  const said = relays.find((r) => r.state === 'offline' && r.reason)
  return { text: `Offline${said?.reason ? ` · ${said.reason}` : ''}${unsent}`, kind: 'warn' }
}
