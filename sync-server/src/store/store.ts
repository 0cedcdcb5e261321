/**
 * Where a relay keeps rooms so that a peer who arrives after the others left still gets
 * everything. Four methods; every backend runs the same conformance suite
 * (store-conformance.ts).
 *
 * Every update handed to `append` has already been applied to the room's Y.Doc, so
 * stored bytes are always valid Yjs updates.
 */
export interface RelayStore {
  readonly kind: string
  /** Everything durably appended to the room, as one Yjs update (null for an unknown room). */
  load(room: string): Promise<Uint8Array | null>
  /** Durably store one update; rejects with StoreError when it could not be written. */
  append(room: string, update: Uint8Array): Promise<void>
  /** Rewrite the room as fewer, equivalent records (in the background; never loses data). */
  compact(room: string): Promise<void>
  /** Finish pending writes and release the store. */
  close(): Promise<void>
}

export class StoreError extends Error {
  constructor(message: string, readonly room: string) {
    super(message)
    this.name = 'StoreError'
  }
}
