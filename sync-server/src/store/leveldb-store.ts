import { LeveldbPersistence, getLevelUpdatesEntries } from 'y-leveldb'
import { mkdirSync } from 'node:fs'
import { StoreError, type RelayStore } from './store.ts'
import { mergeByApplying } from './merge.ts'
import { storageKey } from './room-key.ts'

/**
 * Rooms on disk in LevelDB through y-leveldb. Chosen over SQLite because its LevelDB
 * ships prebuilt (installs in seconds; better-sqlite3 compiles for ~90 s on every clean
 * install), it is the Yjs ecosystem's own store, and its compaction merges by applying
 * to a Y.Doc rather than with Y.mergeUpdates. A put has reached the OS when it resolves,
 * so a SIGKILLed relay loses nothing it acknowledged.
 *
 * y-leveldb logs and swallows write errors (its transactions resolve to null). This
 * wrapper turns that null back into a StoreError so a full disk is reported, not hidden.
 *
 * Loading and compacting are done here rather than by y-leveldb: its merges use a
 * garbage-collecting Y.Doc, which replaces deleted text by bare records. A member who
 * joins after that holds different items from everyone else: a comment anchored on
 * since-deleted words resolves differently for them, and versions cannot show what
 * was deleted. Here the merge keeps history (see merge.ts).
 *
 * Rooms are kept under storageKey(name) (room-key.ts): the name itself for every name
 * the relay accepted before, an escaped form for the rest.
 */
type Entry = { key: unknown[]; value: Uint8Array }
type Db = { clear(range: { gte: unknown[]; lt: unknown[] }): Promise<void> }
export class LeveldbStore implements RelayStore {
  readonly kind = 'leveldb'
  private readonly db: LeveldbPersistence

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true })
    this.db = new LeveldbPersistence(dir)
  }

  private entries(room: string): Promise<Entry[] | null> {
    return this.db._transact((db: unknown) => getLevelUpdatesEntries(db, storageKey(room))) as Promise<Entry[] | null>
  }

  async load(room: string): Promise<Uint8Array | null> {
    const entries = await this.entries(room)
    if (entries === null) throw new StoreError(`could not read room ${room} from ${this.dir}`, room)
    if (entries.length === 0) return null
    return entries.length === 1 ? entries[0]!.value : mergeByApplying(entries.map((e) => e.value))
  }

  async append(room: string, update: Uint8Array): Promise<void> {
    const clock = (await this.db.storeUpdate(storageKey(room), update)) as number | null
    if (typeof clock !== 'number') throw new StoreError(`could not write to ${this.dir} (disk full or unwritable?)`, room)
  }

  /** Store one merged update, then drop the ones it covers (a crash in between keeps both: harmless). */
  async compact(room: string): Promise<void> {
    const entries = await this.entries(room)
    if (entries === null || entries.length < 2) return
    const merged = mergeByApplying(entries.map((e) => e.value))
    await this.append(room, merged)
    const last = entries[entries.length - 1]!.key
    await this.db._transact((db: unknown) => (db as Db).clear({ gte: ['v1', storageKey(room), 'update', 0], lt: [...last.slice(0, 3), (last[3] as number) + 1] }))
  }

  async close(): Promise<void> {
    await this.db.destroy()
  }
}
