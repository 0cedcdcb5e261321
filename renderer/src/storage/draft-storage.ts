import * as Y from 'yjs'
import * as idb from 'lib0/indexeddb'
import { IndexeddbPersistence } from 'y-indexeddb'
import { ORIGIN, applyStoredUpdates, compatibility, createDraftDoc } from '../../../crdt/index.ts'

/**
 * One draft on this device: a Y.Doc persisted in its own IndexedDB database by
 * y-indexeddb, wrapped so that what y-indexeddb keeps quiet about reaches the member:
 *
 * - Before y-indexeddb binds, the stored updates are read and checked on a scratch doc.
 *   A damaged store, or a draft from a newer schema, opens read-only and unbound, so
 *   y-indexeddb never trims (rewrites) a store we could not read.
 * - IndexedDB request errors and transaction aborts bubble to the database; we listen
 *   there, so a full disk or a revoked quota shows up instead of failing silently.
 * - "Saved" is real: a read-only transaction queued after the writes completes only
 *   once they have committed.
 */

const UPDATES_STORE = 'updates'
const CUSTOM_STORE = 'custom'

export const draftDatabaseName = (draftId: string): string => `plank-draft-${draftId}`

export type StorageProblem = { kind: 'write-failed' | 'closed' | 'cannot-open'; message: string }

export type SaveState = 'saved' | 'saving' | 'failed'

export type OpenedDraft =
  | { mode: 'editable'; doc: Y.Doc; storage: DraftStorage }
  | { mode: 'read-only'; doc: Y.Doc; reason: string }

/** Open the draft's database without y-indexeddb, creating its stores if it is new. */
const openRaw = (name: string): Promise<IDBDatabase> =>
  idb.openDB(name, (db) => idb.createStores(db, [[UPDATES_STORE, { autoIncrement: true }], [CUSTOM_STORE]]))

/** Every stored update of a draft, oldest first. */
export const readStoredUpdates = async (draftId: string): Promise<Uint8Array[]> => {
  const db = await openRaw(draftDatabaseName(draftId))
  try {
    const [store] = idb.transact(db, [UPDATES_STORE], 'readonly')
    return (await idb.getAll(store!)) as Uint8Array[]
  } finally {
    db.close()
  }
}

/** Load a draft for editing, or read-only when its store is damaged or too new. */
export const openDraft = async (
  draftId: string,
  events: { onProblem: (p: StorageProblem) => void; onSaveState: (s: SaveState) => void },
): Promise<OpenedDraft> => {
  const stored = await readStoredUpdates(draftId)
  const checked = createDraftDoc()
  const load = applyStoredUpdates(checked, stored, ORIGIN.storage)
  if (!load.ok) {
    return {
      mode: 'read-only',
      doc: checked,
      reason: `This draft's stored copy is damaged: ${load.reason}. It is open read-only with what could be read; nothing on this device has been changed or deleted.`,
    }
  }
  const compat = compatibility(checked)
  if (compat.kind === 'newer') {
    return {
      mode: 'read-only',
      doc: checked,
      reason: `This draft was written by a newer version of Plank (format ${compat.schemaVersion}). It is open read-only so nothing in it is lost; update Plank to edit it.`,
    }
  }
  checked.destroy()
  const doc = createDraftDoc()
  const storage = new DraftStorage(draftId, doc, events.onProblem, events.onSaveState)
  await storage.ready
  return { mode: 'editable', doc, storage }
}

export class DraftStorage {
  readonly ready: Promise<void>
  private readonly persistence: IndexeddbPersistence
  private db: IDBDatabase | null = null
  private failed = false
  private saveTimer: ReturnType<typeof setTimeout> | null = null

  constructor(
    readonly draftId: string,
    readonly doc: Y.Doc,
    private readonly onProblem: (p: StorageProblem) => void,
    private readonly onSaveState: (s: SaveState) => void,
  ) {
    this.persistence = new IndexeddbPersistence(draftDatabaseName(draftId), doc)
    const opened = (this.persistence as unknown as { _db: Promise<IDBDatabase> })._db
    this.ready = opened.then(
      async (db) => {
        this.watch(db)
        await this.persistence.whenSynced
      },
      (err: unknown) => {
        this.fail('cannot-open', `This device's storage could not be opened (${String(err)}). Changes are not being saved.`)
        throw err
      },
    )
    doc.on('update', this.onUpdate)
  }

  private watch(db: IDBDatabase): void {
    this.db = db
    const report = (event: Event) => {
      const error = (event.target as IDBRequest | IDBTransaction | null)?.error
      const name = error?.name ?? 'UnknownError'
      const message = name === 'QuotaExceededError'
        ? 'This device is out of storage space for Plank. Your latest changes are not saved: free some space, then keep typing.'
        : `Saving to this device failed (${name}${error?.message ? `: ${error.message}` : ''}). Your latest changes are not saved.`
      this.fail('write-failed', message)
    }
    db.addEventListener('error', report)
    db.addEventListener('abort', report)
    // Chromium closes a database whose files it can no longer write (disk full, data cleared).
    db.addEventListener('close', () => this.fail('closed', 'This device stopped accepting Plank’s changes: the disk may be full, or site data was cleared. Your latest changes are not saved; make space, then reopen the draft.'))
  }

  private fail(kind: StorageProblem['kind'], message: string): void {
    this.failed = true
    this.onSaveState('failed')
    this.onProblem({ kind, message })
  }

  /** After local changes settle, confirm that y-indexeddb's writes have committed. */
  private readonly onUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === this.persistence || this.failed) return
    this.onSaveState('saving')
    if (this.saveTimer !== null) clearTimeout(this.saveTimer)
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null
      void this.confirmSaved()
    }, 150)
  }

  /** Resolves once every write issued so far has committed (IDB runs overlapping transactions in order). */
  async flushed(): Promise<void> {
    const db = this.db
    if (db === null) return
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction([UPDATES_STORE], 'readonly')
      tx.objectStore(UPDATES_STORE).count()
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error ?? new Error('storage check failed'))
    })
  }

  private async confirmSaved(): Promise<void> {
    try {
      await this.flushed()
      if (!this.failed && this.saveTimer === null) this.onSaveState('saved')
    } catch {
      // The failure itself reached onProblem through the database's error event.
    }
  }

  async close(): Promise<void> {
    if (this.saveTimer !== null) clearTimeout(this.saveTimer)
    this.doc.off('update', this.onUpdate)
    await this.persistence.destroy()
  }
}

/** Store a new draft's content (seeded or copied) in a fresh database, then close it. */
export const storeNewDraft = async (draftId: string, doc: Y.Doc): Promise<void> => {
  const persistence = new IndexeddbPersistence(draftDatabaseName(draftId), doc)
  await persistence.whenSynced
  await persistence.destroy()
}

/** Remove a draft's database from this device. */
export const deleteDraftStorage = (draftId: string): Promise<void> => idb.deleteDB(draftDatabaseName(draftId))
