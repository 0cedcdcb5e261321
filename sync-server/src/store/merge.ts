import * as Y from 'yjs'
import { relayDoc } from '../history.ts'

/**
 * Merge stored updates by applying them to a Y.Doc and encoding its state. Linear in
 * practice, unlike Y.mergeUpdates (roughly quadratic in the number of updates, and
 * mergeUpdatesV2 can spin on crafted bytes: yjs issue 687).
 *
 * History is kept as in the relay's rooms (see history.ts): deleted text stays, deleted
 * sealed blobs go.
 */
export const mergeByApplying = (updates: Iterable<Uint8Array>): Uint8Array => {
  const doc = relayDoc()
  doc.transact(() => {
    for (const update of updates) Y.applyUpdate(doc, update)
  })
  const merged = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return merged
}
