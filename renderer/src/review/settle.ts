import * as Y from 'yjs'
import type { Node as PMNode } from 'prosemirror-model'
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import { ORIGIN, content, createDraftDoc, settleInContent } from '../../../crdt/index.ts'
import { schema } from '../editor/schema.ts'
import { blockDeletedBy, blockInsertedBy, deletionType, insertionType } from './suggestion-marks.ts'

/**
 * Reading a draft with its proposals settled. Accepting and rejecting themselves are
 * done on the shared document's items (crdt/settle.ts), never through the editor.
 */

/** Every amendment with a mark or proposed break in the document. */
export const amendmentsIn = (doc: PMNode): Set<string> => {
  const ids = new Set<string>()
  doc.descendants((node) => {
    if (node.isTextblock) {
      for (const v of [blockInsertedBy(node), blockDeletedBy(node)]) if (typeof v === 'string' && v) ids.add(v)
    }
    for (const m of node.marks) if (m.type === insertionType || m.type === deletionType) ids.add(String(m.attrs.amendment))
    return true
  })
  return ids
}

/** The draft as it would read with `settle` applied to a copy (the draft itself is untouched). */
export const settledCopy = (draft: Y.Doc, settle: Array<[string, 'accept' | 'reject']>): PMNode => {
  const copy = createDraftDoc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(draft))
  for (const [id, how] of settle) settleInContent(copy, id, how, ORIGIN.copy)
  const doc = yXmlFragmentToProseMirrorRootNode(content(copy), schema)
  copy.destroy()
  return doc
}

/** The accepted text: every open proposal set aside (what is exported and published). */
export const withoutProposals = (draft: Y.Doc, current: PMNode): PMNode =>
  settledCopy(draft, [...amendmentsIn(current)].map((id) => [id, 'reject']))
