// y-leveldb ships types its package.json "exports" does not expose; the subset we use.
declare module 'y-leveldb' {
  import type * as Y from 'yjs'
  export class LeveldbPersistence {
    constructor(location: string, opts?: { levelOptions?: Record<string, unknown> })
    getYDoc(docName: string): Promise<Y.Doc | null>
    storeUpdate(docName: string, update: Uint8Array): Promise<number | null>
    flushDocument(docName: string): Promise<void>
    destroy(): Promise<void>
  }
}
