import type { EditorState } from 'prosemirror-state'
import type { Node as PMNode } from 'prosemirror-model'
import { prosemirrorToYXmlFragment } from 'y-prosemirror'
import { content, createDraftDoc } from '../../../crdt/index.ts'
import { settledCopy } from './settle.ts'

/** For tests: settle amendments in an editor state's document the way the app does (on Yjs). */
export const settleViaYjs = (state: EditorState, settle: Array<[string, 'accept' | 'reject']>): PMNode => {
  const doc = createDraftDoc()
  prosemirrorToYXmlFragment(state.doc, content(doc))
  return settledCopy(doc, settle)
}
