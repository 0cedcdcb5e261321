import * as Y from 'yjs'
import { EditorState } from 'prosemirror-state'
import { initProseMirrorDoc, updateYFragment, ySyncPluginKey } from 'y-prosemirror'
import type { Node as PMNode } from 'prosemirror-model'
import { schema } from '../renderer/src/editor/schema.ts'
import { NODE, content, createDraftDoc } from '../crdt/index.ts'
import type { ReplayResult } from './traces.ts'

/**
 * A sequential trace replayed as a member's editor would produce it: each recorded
 * transaction is a ProseMirror transaction, written into the draft with y-prosemirror's
 * updateYFragment (what the sync plugin calls after every local transaction). The trace
 * is one block of text, so each write diffs that block: cost grows with its length.
 */
export const replayThroughProseMirror = (trace: { startContent: string; endContent: string; txns: Array<{ patches: Array<[number, number, string]> }> }): ReplayResult => {
  ;(globalThis as { gc?: () => void }).gc?.()
  const before = process.memoryUsage().heapUsed
  const start = performance.now()
  const doc = createDraftDoc()
  const paragraph = new Y.XmlElement(NODE.paragraph)
  paragraph.insert(0, [new Y.XmlText(trace.startContent)])
  content(doc).insert(0, [paragraph])
  const init = initProseMirrorDoc(content(doc), schema) as unknown as { doc: PMNode; meta: never }
  let state = EditorState.create({ schema, doc: init.doc })
  let edits = 0
  for (const txn of trace.txns) {
    const tr = state.tr
    for (const [pos, del, ins] of txn.patches) {
      // Inside the paragraph: document position = 1 + text offset.
      if (ins) tr.insertText(ins, 1 + pos, 1 + pos + del)
      else if (del > 0) tr.delete(1 + pos, 1 + pos + del)
      edits++
    }
    state = state.apply(tr)
    doc.transact(() => updateYFragment(doc, content(doc), state.doc, init.meta), ySyncPluginKey)
  }
  const ms = performance.now() - start
  const heapBytes = process.memoryUsage().heapUsed - before
  const stateBytes = Y.encodeStateAsUpdate(doc).byteLength
  const text = (content(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText
  const correct = text.toString() === trace.endContent && state.doc.textContent === trace.endContent
  doc.destroy()
  return { edits, ms, heapBytes, stateBytes, correct }
}
