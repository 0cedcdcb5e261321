import * as idb from 'lib0/indexeddb'
import type { RelayEndpoint } from '../sync/relays.ts'

/**
 * The drafts on this device and the app's local settings. Local to the device, never
 * part of any draft: a member's list of drafts is nobody else's business.
 */
export interface DraftEntry {
  id: string
  /** Cached from the draft's title so the list renders without opening every draft. */
  title: string
  created: number
  updated: number
  /** Set while a deletion can still be undone; the draft is purged afterwards. */
  deletedAt?: number
  /** Relays this draft syncs through; none means it stays on this device. */
  relays?: RelayEndpoint[]
  /** Local changes not yet on any relay (kept across restarts). */
  pending?: number
  /** Joined from an invite and not yet received: read-only until the first sync. */
  awaitingFirstSync?: boolean
  /**
   * A private draft's room key (base64url): relays see only ciphertext. Absent: an open
   * draft, readable by any Yjs client (drafts made before private rooms, or by choice).
   */
  roomKey?: string
  /** Keys this draft had before a rotation: they still open blobs from members not yet given the new one. */
  previousRoomKeys?: string[]
  /** The invitation this member (an admin) puts in the invite links they share (its secret). */
  invitation?: string
  /** An invitation from the link this draft was joined with, accepted once the roster arrives. */
  pendingInvitation?: string
  /** The founding entry the invite link named (drafts whose id does not name it; see crdt/ledger.ts). */
  root?: string
}

const DB_NAME = 'plank-workspace'
const DRAFTS = 'drafts'
const SETTINGS = 'settings'

export class Workspace {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(): Promise<Workspace> {
    const db = await idb.openDB(DB_NAME, (db) => idb.createStores(db, [[DRAFTS, { keyPath: 'id' }], [SETTINGS]]))
    return new Workspace(db)
  }

  private store(name: string, mode: 'readonly' | 'readwrite' = 'readwrite'): IDBObjectStore {
    return idb.transact(this.db, [name], mode)[0]!
  }

  /** Drafts not awaiting deletion, most recently edited first. */
  async drafts(): Promise<DraftEntry[]> {
    const all = (await idb.getAll(this.store(DRAFTS, 'readonly'))) as DraftEntry[]
    return all.filter((d) => d.deletedAt === undefined).sort((a, b) => b.updated - a.updated)
  }

  /** Drafts whose deletion was not undone (e.g. the app closed during the undo window). */
  async deletedDrafts(): Promise<DraftEntry[]> {
    const all = (await idb.getAll(this.store(DRAFTS, 'readonly'))) as DraftEntry[]
    return all.filter((d) => d.deletedAt !== undefined)
  }

  async get(id: string): Promise<DraftEntry | undefined> {
    return (await idb.get(this.store(DRAFTS, 'readonly'), id)) as unknown as DraftEntry | undefined
  }

  async put(entry: DraftEntry): Promise<void> {
    await idb.put(this.store(DRAFTS), entry as unknown as string)
  }

  /**
   * Read, change and write an entry in one readwrite transaction, so concurrent updates
   * (a debounced counter and a delete, say) cannot overwrite each other's fields.
   */
  async update(id: string, patch: Partial<Omit<DraftEntry, 'id'>> | ((entry: DraftEntry) => DraftEntry)): Promise<DraftEntry | undefined> {
    const store = this.store(DRAFTS)
    const entry = (await idb.get(store, id)) as unknown as DraftEntry | undefined
    if (!entry) return undefined
    const next = typeof patch === 'function' ? patch(entry) : { ...entry, ...patch }
    await idb.put(store, next as unknown as string)
    return next
  }

  async markDeleted(id: string, now = Date.now()): Promise<void> {
    await this.update(id, { deletedAt: now })
  }

  async restore(id: string): Promise<void> {
    await this.update(id, ({ deletedAt: _gone, ...rest }) => rest)
  }

  async remove(id: string): Promise<void> {
    await idb.del(this.store(DRAFTS), id)
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return (await idb.get(this.store(SETTINGS, 'readonly'), key)) as unknown as T | undefined
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    await idb.put(this.store(SETTINGS), value as string, key)
  }
}
