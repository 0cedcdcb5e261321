import * as Y from 'yjs'
import { ENVELOPE_ARRAY } from '../../crdt/contracts/wire-protocol.ts'

/**
 * The relay's documents keep history, except for private rooms' sealed blobs.
 *
 * A draft's deleted text must stay an item, not become a bare GC record: a member who
 * loads the room later would otherwise hold different items from those who saw the
 * edits live (comments on since-deleted words resolve differently; versions cannot
 * show what was deleted). A private room's envelope is the opposite case: members
 * compact it by deleting blobs a sealed snapshot replaces, and those must really go,
 * or what a relay stores would grow with every compaction.
 */
export const relayDoc = (): Y.Doc => {
  const doc: Y.Doc = new Y.Doc({
    gc: true,
    gcFilter: (item) => item.parent !== null && item.parent === doc.share.get(ENVELOPE_ARRAY),
  })
  return doc
}
