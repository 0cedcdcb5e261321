import * as Y from 'yjs'
import { join } from 'node:path'
import { EditorState } from 'prosemirror-state'
import type { Node as PMNode } from 'prosemirror-model'
import { initProseMirrorDoc, updateYFragment, ySyncPluginKey } from 'y-prosemirror'
import { NODE, content } from '../crdt/index.ts'
import { schema } from '../renderer/src/editor/schema.ts'
import { findUnrenderable, guardFragment } from '../renderer/src/editor/schema-guard.ts'
import { platformDoc } from './cold-start.ts'
import { TRACES_DIR, loadTrace } from './traces.ts'

/**
 * What the schema guard costs (renderer/src/editor/schema-guard.ts). At open it walks
 * the whole draft, as y-prosemirror's own first build does (the baseline). While
 * editing it observes every transaction: a recorded session is typed into one paragraph
 * of a 100-plank platform the way the editor writes it (a ProseMirror transaction, then
 * y-prosemirror's updateYFragment), with the guard observing against the same without.
 */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export interface GuardOpenRow { draft: string; guardMs: number; buildMs: number }
export interface GuardTypingRow { trace: string; transactions: number; guardedMs: number; bareMs: number; problems: number }

export const guardOpen = (planks: number): GuardOpenRow => {
  const doc = platformDoc(planks)
  const guard: number[] = []
  const build: number[] = []
  for (let i = 0; i < 18; i++) {
    let t = performance.now()
    if (findUnrenderable(schema, content(doc)) !== null) throw new Error('the platform should be renderable')
    guard.push(performance.now() - t)
    t = performance.now()
    initProseMirrorDoc(content(doc), schema)
    build.push(performance.now() - t)
  }
  // The first three of each warm the JIT and are left out.
  return { draft: `${planks} planks`, guardMs: median(guard.slice(3)), buildMs: median(build.slice(3)) }
}

type Patch = [number, number, string]
type Trace = { txns: Array<{ patches: Patch[] }> }

/**
 * Type a trace into a paragraph in the middle of a 100-plank platform as the editor
 * writes it (a ProseMirror transaction, then y-prosemirror's updateYFragment), with or
 * without the guard observing every transaction.
 */
const typeTrace = (trace: Trace, guarded: boolean): { ms: number; problems: number } => {
  const doc = platformDoc(100)
  const paragraph = new Y.XmlElement(NODE.paragraph)
  paragraph.insert(0, [new Y.XmlText()])
  const at = 200
  content(doc).insert(at, [paragraph])
  const init = initProseMirrorDoc(content(doc), schema) as unknown as { doc: PMNode; meta: never }
  let state = EditorState.create({ schema, doc: init.doc })
  let offset = 1
  for (let i = 0; i < at; i++) offset += state.doc.child(i).nodeSize
  let problems = 0
  const stop = guarded ? guardFragment(schema, content(doc), () => { problems++ }) : () => {}
  const start = performance.now()
  for (const txn of trace.txns) {
    const tr = state.tr
    for (const [pos, del, ins] of txn.patches) {
      if (ins) tr.insertText(ins, offset + pos, offset + pos + del)
      else if (del > 0) tr.delete(offset + pos, offset + pos + del)
    }
    state = state.apply(tr)
    doc.transact(() => updateYFragment(doc, content(doc), state.doc, init.meta), ySyncPluginKey)
  }
  const ms = performance.now() - start
  stop()
  return { ms, problems }
}

export const guardTyping = (name: string): GuardTypingRow => {
  const trace = loadTrace<Trace>(join(TRACES_DIR, 'sequential', `${name}.json.gz`))
  // ABBA so drift hits both.
  const b1 = typeTrace(trace, false)
  const g1 = typeTrace(trace, true)
  const g2 = typeTrace(trace, true)
  const b2 = typeTrace(trace, false)
  return { trace: name, transactions: trace.txns.length, guardedMs: (g1.ms + g2.ms) / 2, bareMs: (b1.ms + b2.ms) / 2, problems: g1.problems + g2.problems }
}
