import * as Y from 'yjs'
import type { Node as PMNode } from 'prosemirror-model'
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import { ORIGIN, content, copyDraft, openAmendments, settleInContent } from '../../../crdt/index.ts'
import { schema } from '../editor/schema.ts'
import { makeShowable } from '../editor/showable-copy.ts'

/**
 * Reading a draft with its proposals settled. Accepting and rejecting themselves are
 * done on the shared document's items (crdt/settle.ts), never through the editor.
 */

/** The draft as it would read with `settle` applied to a copy (the draft itself is untouched). */
export const settledCopy = (draft: Y.Doc, settle: Array<[string, 'accept' | 'reject']>): PMNode => {
  const copy = copyDraft(draft)
  for (const [id, how] of settle) settleInContent(copy, id, how, ORIGIN.copy)
  // What this version cannot show is exported as near as it can, never silently left out.
  makeShowable(schema, copy)
  const doc = yXmlFragmentToProseMirrorRootNode(content(copy), schema)
  copy.destroy()
  return doc
}

/** The accepted text: every open proposal set aside (what is exported and published). */
export const withoutProposals = (draft: Y.Doc): PMNode =>
  settledCopy(draft, [...openAmendments(content(draft))].map((id) => [id, 'reject']))
