// y-leveldb ships types its package.json "exports" does not expose; the subset we use.
declare module 'y-leveldb' {
  import type * as Y from 'yjs'
  export class LeveldbPersistence {
    constructor(location: string, opts?: { levelOptions?: Record<string, unknown> })
    getYDoc(docName: string): Promise<Y.Doc | null>
    storeUpdate(docName: string, update: Uint8Array): Promise<number | null>
    flushDocument(docName: string): Promise<void>
    destroy(): Promise<void>
    /** Runs `f` with the LevelDB handle, serialised with y-leveldb's own work; null if it threw. */
    _transact<T>(f: (db: unknown) => Promise<T>): Promise<T | null>
  }
  export function getLevelUpdatesEntries(db: unknown, docName: string): Promise<Array<{ key: unknown[]; value: Uint8Array }>>
}
