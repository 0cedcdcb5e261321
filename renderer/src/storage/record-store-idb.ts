import * as idb from 'lib0/indexeddb'
import { MemoryRecordStore, type StoredRecord, type TamperNote } from '../../../crdt/record-store.ts'

/**
 * A draft's verified records on this device (crdt/record-store.ts), in an IndexedDB
 * database of their own, beside the draft's. Loaded whole when the draft opens (reads
 * are then synchronous, from memory); every addition is written through. Nothing in
 * it is ever deleted while the draft is on the device: it is the device's own memory
 * of what it verified, which a deletion in the shared document cannot reach.
 */
const RECORDS = 'records'
const META = 'meta'
const ROOT = 'root'
const TAMPERED = 'tampered'
const DISMISSED = 'dismissed'

export const recordDatabaseName = (draftId: string): string => `plank-records-${draftId}`

const openDb = (draftId: string): Promise<IDBDatabase> =>
  idb.openDB(recordDatabaseName(draftId), (db) => idb.createStores(db, [[RECORDS, { keyPath: 'id' }], [META]]))

export class IndexedDbRecordStore extends MemoryRecordStore {
  private failed = false

  private constructor(private readonly db: IDBDatabase, initial: ConstructorParameters<typeof MemoryRecordStore>[0], private readonly onError: (message: string) => void) {
    super(initial)
  }

  static async open(draftId: string, onError: (message: string) => void): Promise<IndexedDbRecordStore> {
    const db = await openDb(draftId)
    const [records, meta] = idb.transact(db, [RECORDS, META], 'readonly')
    const [all, root, tampered, dismissed] = await Promise.all([
      idb.getAll(records!) as Promise<StoredRecord[]>,
      idb.get(meta!, ROOT) as Promise<unknown>,
      idb.get(meta!, TAMPERED) as Promise<unknown>,
      idb.get(meta!, DISMISSED) as Promise<unknown>,
    ])
    return new IndexedDbRecordStore(db, {
      records: all,
      root: typeof root === 'string' ? root : null,
      tampered: Array.isArray(tampered) ? tampered as TamperNote[] : [],
      dismissed: Array.isArray(dismissed) ? dismissed as string[] : [],
    }, onError)
  }

  override add(records: StoredRecord[]): void {
    const fresh = records.filter((r) => !this.get(r.id))
    super.add(fresh)
    if (fresh.length === 0) return
    this.write(RECORDS, (store) => Promise.all(fresh.map((r) => idb.put(store, r as unknown as string))))
  }

  override pinRoot(id: string): void {
    const before = this.root()
    super.pinRoot(id)
    if (before === null) this.write(META, (store) => idb.put(store, id, ROOT))
  }

  override noteTampered(notes: TamperNote[]): void {
    super.noteTampered(notes)
    const all = this.tampered()
    this.write(META, (store) => idb.put(store, all as unknown as string, TAMPERED))
  }

  override dismiss(keys: string[]): void {
    super.dismiss(keys)
    const all = [...this.dismissed()]
    this.write(META, (store) => idb.put(store, all as unknown as string, DISMISSED))
  }

  close(): void {
    this.db.close()
  }

  private write(name: string, put: (store: IDBObjectStore) => Promise<unknown>): void {
    try {
      const [store] = idb.transact(this.db, [name], 'readwrite')
      put(store!).catch((err: unknown) => this.report(err))
    } catch (err) {
      this.report(err)
    }
  }

  /** Said once: the records stay in memory and in the draft; only this device's extra copy is short. */
  private report(err: unknown): void {
    if (this.failed) return
    this.failed = true
    this.onError(`This device could not keep its own copy of the draft’s verified records (${err instanceof Error ? err.message : String(err)}). Votes and the roster still work; a deletion by someone else may go unnoticed until it can.`)
  }
}

export const deleteRecordStore = (draftId: string): Promise<void> => idb.deleteDB(recordDatabaseName(draftId))
