import * as Y from 'yjs'
import { BLOB, type RoomKey, open, seal } from './envelope.ts'
import { ORIGIN } from './origins.ts'
import { splitUpdate } from './update-pieces.ts'
import { ENVELOPE_ARRAY } from './contracts/wire-protocol.ts'

/**
 * A private room: what a relay holds for a draft is an *envelope* Y.Doc whose one
 * Y.Array holds sealed blobs — the relay stays a stock y-websocket relay and sees only
 * ciphertext. Each member
 *
 * - seals their own changes to the draft (batched) and appends them;
 * - opens what others append and applies it to the draft (origin `decrypt`, so it is
 *   never sealed again); a blob that fails authentication is dropped with a warning,
 *   and the rest of the draft is unaffected;
 * - now and then compacts: appends one sealed snapshot of the whole draft and deletes
 *   exactly the blobs it covers. The snapshot and the list of covered blobs are taken
 *   in the same synchronous step — a blob opened while the snapshot is being sealed is
 *   not in it, so it must not be deleted — and blobs appended concurrently survive.
 *
 * `seen` is a document holding everything the envelope is known to contain, so after
 * a session offline the member appends exactly what the relays lack.
 *
 * No blob is larger than `pieceBytes`: a big change (a 3 MB paste, an offline backlog,
 * the snapshot of a large draft) is sealed as several blobs, each a valid update of
 * its own (crdt/update-pieces.ts), so every blob fits in a message relays accept.
 */
export interface RoomWarning {
  reason: 'tampered' | 'other-key' | 'malformed'
  /** How many blobs were refused so far, in total. */
  count: number
}

export interface PrivateRoomOptions {
  /** Called when a blob is refused; the draft is untouched. */
  onWarning?: (warning: RoomWarning) => void
  /** Compact once the envelope holds this many blobs (default 64). */
  compactAt?: number
  /** Batch local changes for this long before sealing them (default 8 ms: a keystroke's changes, not a sentence's). */
  batchMs?: number
  /** Largest update sealed into one blob (default 128 KiB); larger ones are sealed in pieces. */
  pieceBytes?: number
}

/** Blobs stay well under a relay's message cap (2 MiB on Plank's relay) even after sealing. */
export const BLOB_PIECE_BYTES = 128 * 1024

export class PrivateRoom {
  readonly envelope = new Y.Doc()
  private readonly blobs: Y.Array<Uint8Array> = this.envelope.getArray(ENVELOPE_ARRAY)
  private readonly seen = new Y.Doc({ gc: false })
  /** Blobs (by Yjs item) that have been opened and applied. */
  private readonly applied = new Set<Y.Item>()
  /** Blobs (by Yjs item) known to be pieces of a snapshot: they do not count towards compacting again. */
  private readonly snapshots = new Set<Y.Item>()
  /** Sealing or opening tasks not yet finished. */
  private busy = 0
  private queue: Uint8Array[] = []
  private timer: ReturnType<typeof setTimeout> | null = null
  private compacting = false
  private refused = 0
  private chain: Promise<void> = Promise.resolve()
  private destroyed = false

  constructor(
    private readonly doc: Y.Doc,
    private readonly draftId: string,
    private keys: RoomKey[],
    private readonly opts: PrivateRoomOptions = {},
  ) {
    doc.on('update', this.onDraftUpdate)
    this.blobs.observe(this.onBlobs)
  }

  /** The key new blobs are sealed with (the first); older keys still open old blobs. */
  setKeys(keys: RoomKey[]): void {
    this.keys = keys
  }

  get currentKeyId(): string {
    return this.keys[0]!.id
  }

  /**
   * Key rotation (a member removed): from now on seal with `next`, and replace every
   * blob this member has opened with one snapshot sealed with it, so the relay holds
   * nothing new the old key opens. Older keys stay to open blobs from members who have
   * not yet received the new key; nothing they write is lost.
   */
  async rotate(next: RoomKey): Promise<void> {
    this.keys = [next, ...this.keys.filter((k) => k.id !== next.id)]
    await this.settled()
    await this.compact()
  }

  get blobCount(): number {
    return this.blobs.length
  }

  /** Nothing waiting: every local change so far is sealed into the envelope, every blob seen is opened. */
  get idle(): boolean {
    return this.busy === 0 && this.timer === null && this.queue.length === 0
  }

  get refusedCount(): number {
    return this.refused
  }

  /** Resolves when every blob seen so far is opened and every local change sealed. */
  async settled(): Promise<void> {
    let last: Promise<void>
    do {
      last = this.chain
      if (this.timer) this.flush()
      await last
    } while (last !== this.chain)
  }

  /**
   * After (re)connecting: append whatever the draft has that the envelope is not known
   * to hold (offline edits from an earlier session, or a draft shared for the first time).
   */
  catchUp(): void {
    this.enqueue(async () => {
      if (Y.equalSnapshots(Y.snapshot(this.doc), Y.snapshot(this.seen))) return
      const missing = Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(this.seen))
      await this.append(BLOB.update, missing)
    })
  }

  private readonly onDraftUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === ORIGIN.decrypt || this.destroyed) return
    this.queue.push(update)
    this.timer ??= setTimeout(() => this.flush(), this.opts.batchMs ?? 8)
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const updates = this.queue
    this.queue = []
    if (updates.length === 0) return
    // Our own updates, produced by Yjs on this device: safe to merge.
    const merged = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates)
    this.enqueue(() => this.append(BLOB.update, merged))
  }

  private async append(kind: typeof BLOB.update | typeof BLOB.snapshot, update: Uint8Array): Promise<void> {
    const blobs = await this.sealPieces(kind, update)
    if (this.destroyed) return
    Y.applyUpdate(this.seen, update)
    this.envelope.transact(() => this.blobs.push(blobs), ORIGIN.seal)
    this.markAppliedTail(blobs.length)
    this.maybeCompact()
  }

  /** Seal an update as one blob, or as several when it is larger than a blob may be. */
  private sealPieces(kind: typeof BLOB.update | typeof BLOB.snapshot, update: Uint8Array): Promise<Uint8Array[]> {
    const key = this.keys[0]!
    return Promise.all(splitUpdate(update, this.opts.pieceBytes ?? BLOB_PIECE_BYTES).map((piece) => seal(key, this.draftId, kind, piece)))
  }

  /** Our own just-pushed blobs are already in the draft. */
  private markAppliedTail(n: number, snapshot = false): void {
    let item = this.blobs._start
    const items: Y.Item[] = []
    while (item) {
      if (!item.deleted) items.push(item)
      item = item.right
    }
    for (const it of items.slice(-n)) {
      this.applied.add(it)
      if (snapshot) this.snapshots.add(it)
    }
  }

  private readonly onBlobs = (event: Y.YArrayEvent<Uint8Array>, tr: Y.Transaction): void => {
    if (tr.origin === ORIGIN.seal) return
    for (const item of event.changes.added) {
      if (item.deleted) continue
      for (const blob of item.content.getContent() as unknown[]) this.enqueue(() => this.openBlob(item, blob))
    }
  }

  private async openBlob(item: Y.Item, blob: unknown): Promise<void> {
    const opened = await open(this.keys, this.draftId, blob)
    if (this.destroyed) return
    if (!opened.ok || opened.kind === BLOB.awareness) {
      this.refused++
      this.opts.onWarning?.({ reason: opened.ok ? 'malformed' : opened.reason, count: this.refused })
      return
    }
    try {
      // A decrypted blob is authentic (only key holders can seal), but still checked by
      // Yjs as it is applied; a malformed one throws and is refused like a tampered one.
      Y.applyUpdate(this.doc, opened.payload, ORIGIN.decrypt)
      Y.applyUpdate(this.seen, opened.payload)
      this.applied.add(item)
      if (opened.kind === BLOB.snapshot) this.snapshots.add(item)
    } catch {
      this.refused++
      this.opts.onWarning?.({ reason: 'malformed', count: this.refused })
    }
    this.maybeCompact()
  }

  private maybeCompact(): void {
    if (this.compacting) return
    // Only opened blobs that are not pieces of a snapshot count: a large draft's snapshot
    // is several blobs, and counting them (or ones not opened yet) would compact again at once.
    let updates = 0
    for (const item of this.applied) if (!item.deleted && !this.snapshots.has(item)) updates++
    if (updates < (this.opts.compactAt ?? 64)) return
    this.compacting = true
    this.enqueue(() => this.compact().finally(() => { this.compacting = false }))
  }

  /** Replace every blob this member has applied by one sealed snapshot of the draft. */
  async compact(): Promise<void> {
    // One synchronous step: the snapshot and exactly the blobs it covers.
    const covered = new Set([...this.applied].filter((item) => !item.deleted))
    const snapshot = Y.encodeStateAsUpdate(this.doc)
    const blobs = await this.sealPieces(BLOB.snapshot, snapshot)
    if (this.destroyed) return
    this.envelope.transact(() => {
      let index = 0
      let item = this.blobs._start
      const ranges: number[] = []
      while (item) {
        if (!item.deleted) {
          if (covered.has(item)) ranges.push(index)
          index += item.length
        }
        item = item.right
      }
      for (const i of ranges.reverse()) this.blobs.delete(i, 1)
      this.blobs.push(blobs)
    }, ORIGIN.seal)
    for (const item of covered) {
      this.applied.delete(item)
      this.snapshots.delete(item)
    }
    Y.applyUpdate(this.seen, snapshot)
    this.markAppliedTail(blobs.length, true)
  }

  /** Serialise opening and sealing, so blobs apply in arrival order and none is lost. */
  private enqueue(task: () => Promise<void>): void {
    this.busy++
    this.chain = this.chain.then(task).catch((err: unknown) => {
      this.refused++
      this.opts.onWarning?.({ reason: 'malformed', count: this.refused })
      console.warn('private room:', err)
    }).finally(() => { this.busy-- })
  }

  destroy(): void {
    this.destroyed = true
    if (this.timer) clearTimeout(this.timer)
    this.doc.off('update', this.onDraftUpdate)
    this.blobs.unobserve(this.onBlobs)
    this.envelope.destroy()
    this.seen.destroy()
  }
}
