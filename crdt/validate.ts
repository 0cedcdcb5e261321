import * as Y from 'yjs'

export type LoadResult =
  | { ok: true; applied: number }
  | { ok: false; applied: number; reason: string }

/**
 * Apply stored updates one by one, stopping at the first that cannot be read.
 * A draft whose store holds an unreadable update, or updates that reference
 * content that is not there, is damaged: the caller opens it read-only and never
 * writes to its store, so nothing is deleted or overwritten.
 *
 * Uses applyUpdate only (never mergeUpdates on unvalidated bytes: yjs issue 687).
 */
export const applyStoredUpdates = (doc: Y.Doc, updates: Iterable<Uint8Array>, origin: unknown): LoadResult => {
  let applied = 0
  try {
    doc.transact(() => {
      for (const update of updates) {
        Y.applyUpdate(doc, update, origin)
        applied++
      }
    }, origin)
  } catch (err) {
    return { ok: false, applied, reason: `update ${applied + 1} cannot be read (${describe(err)})` }
  }
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
    return { ok: false, applied, reason: 'some stored changes refer to content that is missing' }
  }
  return { ok: true, applied }
}

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err))
