import { LeveldbPersistence } from 'y-leveldb'
import * as Y from 'yjs'
import { mkdirSync } from 'node:fs'
import { StoreError, type RelayStore } from './store.ts'

/**
 * Rooms on disk in LevelDB through y-leveldb. Chosen over SQLite because its LevelDB
 * ships prebuilt (installs in seconds; better-sqlite3 compiles for ~90 s on every clean
 * install), it is the Yjs ecosystem's own store, and its compaction merges by applying
 * to a Y.Doc rather than with Y.mergeUpdates. A put has reached the OS when it resolves,
 * so a SIGKILLed relay loses nothing it acknowledged.
 *
 * y-leveldb logs and swallows write errors (its transactions resolve to null). This
 * wrapper turns that null back into a StoreError so a full disk is reported, not hidden.
 */
export class LeveldbStore implements RelayStore {
  readonly kind = 'leveldb'
  private readonly db: LeveldbPersistence

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true })
    this.db = new LeveldbPersistence(dir)
  }

  async load(room: string): Promise<Uint8Array | null> {
    const doc = (await this.db.getYDoc(room)) as Y.Doc | null
    if (doc === null) throw new StoreError(`could not read room ${room} from ${this.dir}`, room)
    const hasContent = doc.store.clients.size > 0
    const state = hasContent ? Y.encodeStateAsUpdate(doc) : null
    doc.destroy()
    return state
  }

  async append(room: string, update: Uint8Array): Promise<void> {
    const clock = (await this.db.storeUpdate(room, update)) as number | null
    if (typeof clock !== 'number') throw new StoreError(`could not write to ${this.dir} (disk full or unwritable?)`, room)
  }

  async compact(room: string): Promise<void> {
    await this.db.flushDocument(room)
  }

  async close(): Promise<void> {
    await this.db.destroy()
  }
}
