/**
 * A device's own, grow-only copy of every signed record it has verified for one draft.
 * It is what makes a Yjs deletion powerless: the shared document can lose a record
 * (any writer may delete any item), this store never does, and the ledger reads
 * records from here. It also makes reopening a draft fast: a record whose id and
 * signature are already here is not verified again.
 *
 * crdt/ knows only this interface; the app keeps it in IndexedDB
 * (renderer/src/storage/record-store-idb.ts), tests and the relay-less tools in memory.
 * Reads are synchronous (the ledger recomputes on every change); writes go to memory at
 * once and to the backing store in the background.
 */
export type LogName = 'members' | 'questions' | 'votes' | 'versions'

export interface StoredRecord {
  /** The record's id (see signed-record.ts; format-1 records: their old record hash). */
  id: string
  log: LogName
  /** The record exactly as verified. */
  record: Record<string, unknown>
  /** A version's snapshot bytes (the record signs their hash). */
  snapshot?: Uint8Array
  /** When this device first verified it (its own clock). */
  seen: number
}

/** A verified record that vanished from the shared document: evidence, never a change of state. */
export interface TamperNote {
  id: string
  log: LogName
  /** Who the document's attribution (unsigned, as its writer claimed) says deleted it, if anyone. */
  claimedBy: string | null
  /** When this device noticed. */
  noticed: number
}

export interface RecordStore {
  get(id: string): StoredRecord | undefined
  all(): Iterable<StoredRecord>
  add(records: StoredRecord[]): void
  /** The founding entry this device holds to be the draft's root, for a draft whose id does not commit to one. */
  root(): string | null
  pinRoot(id: string): void
  tampered(): TamperNote[]
  noteTampered(notes: TamperNote[]): void
  /** Problems the member has read and dismissed (their keys), so the banner does not repeat them. */
  dismissed(): ReadonlySet<string>
  dismiss(keys: string[]): void
}

/** The store in memory: tests, benchmarks, and a starting point for persistent stores. */
export class MemoryRecordStore implements RecordStore {
  protected readonly records = new Map<string, StoredRecord>()
  protected pinned: string | null = null
  protected readonly notes = new Map<string, TamperNote>()
  protected readonly dismissedKeys = new Set<string>()

  constructor(initial?: { records?: Iterable<StoredRecord>; root?: string | null; tampered?: TamperNote[]; dismissed?: Iterable<string> }) {
    for (const r of initial?.records ?? []) this.records.set(r.id, r)
    this.pinned = initial?.root ?? null
    for (const n of initial?.tampered ?? []) this.notes.set(n.id, n)
    for (const k of initial?.dismissed ?? []) this.dismissedKeys.add(k)
  }

  get(id: string) { return this.records.get(id) }
  all() { return this.records.values() }
  add(records: StoredRecord[]) { for (const r of records) if (!this.records.has(r.id)) this.records.set(r.id, r) }
  root() { return this.pinned }
  pinRoot(id: string) { this.pinned ??= id }
  tampered() { return [...this.notes.values()] }
  noteTampered(notes: TamperNote[]) { for (const n of notes) if (!this.notes.has(n.id)) this.notes.set(n.id, n) }
  dismissed() { return this.dismissedKeys }
  dismiss(keys: string[]) { for (const k of keys) this.dismissedKeys.add(k) }

  /** A copy, as another session on the same device would load it. */
  clone(): MemoryRecordStore {
    return new MemoryRecordStore({ records: this.records.values(), root: this.pinned, tampered: this.tampered(), dismissed: this.dismissedKeys })
  }
}
