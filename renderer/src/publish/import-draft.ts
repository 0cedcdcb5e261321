import type * as Y from 'yjs'
import type { Node as PMNode } from 'prosemirror-model'
import { prosemirrorToYXmlFragment } from 'y-prosemirror'
import { ORIGIN, content, createDraftDoc, seedMeta } from '../../../crdt/index.ts'

/**
 * A new draft holding an imported platform. Like seeding, this is written once, by
 * the member who imports, before the draft is shared.
 */
export const draftFromProseMirror = (pm: PMNode, now = Date.now()): Y.Doc => {
  const doc = createDraftDoc()
  doc.transact(() => {
    seedMeta(doc, { now })
    prosemirrorToYXmlFragment(pm, content(doc))
  }, ORIGIN.seed)
  return doc
}
