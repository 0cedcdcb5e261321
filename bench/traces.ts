import * as Y from 'yjs'
import { gunzipSync } from 'node:zlib'
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { NODE, content, createDraftDoc } from '../crdt/index.ts'

/**
 * Replays of the recorded editing sessions in ../shared/traces (format in its README):
 * through Plank's document layer (a draft doc, gc off, the text in a paragraph of
 * `content`) and through a raw Y.Text (gc on) as the baseline, in the same process.
 */
export const TRACES_DIR = process.env.PLANK_TRACES ?? join(import.meta.dirname, '..', '..', 'shared', 'traces')

type Patch = [number, number, string]
interface SequentialTrace { startContent: string; endContent: string; txns: Array<{ patches: Patch[] }> }
interface ConcurrentTrace { endContent: string; numAgents: number; txns: Array<{ agent: number; parents: number[]; patches: Patch[] }> }

export const loadTrace = <T>(path: string): T => JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as T

export const sequentialTraces = (): string[] => {
  const dir = join(TRACES_DIR, 'sequential')
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json.gz')).sort() : []
}

const ASTRAL = /[\u{10000}-\u{10FFFF}]/u
/** Positions are in code points; Yjs counts UTF-16 units. Equal unless a trace has astral characters. */
const assertBmpOnly = (trace: SequentialTrace) => {
  if (ASTRAL.test(trace.startContent) || trace.txns.some((t) => t.patches.some((p) => ASTRAL.test(p[2])))) {
    throw new Error('trace has astral characters: code point → UTF-16 conversion needed')
  }
}

export interface ReplayResult {
  edits: number
  ms: number
  heapBytes: number
  stateBytes: number
  correct: boolean
}

const gc = () => (globalThis as { gc?: () => void }).gc?.()

const replay = (trace: SequentialTrace, make: () => { doc: Y.Doc; text: Y.Text | Y.XmlText }): ReplayResult => {
  gc()
  const before = process.memoryUsage().heapUsed
  const start = performance.now()
  const { doc, text } = make()
  if (trace.startContent) text.insert(0, trace.startContent)
  let edits = 0
  for (const txn of trace.txns) {
    doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (del > 0) text.delete(pos, del)
        if (ins) text.insert(pos, ins)
        edits++
      }
    })
  }
  const ms = performance.now() - start
  const heapBytes = process.memoryUsage().heapUsed - before
  const stateBytes = Y.encodeStateAsUpdate(doc).byteLength
  const correct = text.toString() === trace.endContent
  doc.destroy()
  return { edits, ms, heapBytes, stateBytes, correct }
}

/** Plank's layer: a draft doc (gc off) whose content holds one paragraph. */
export const replayPlank = (trace: SequentialTrace): ReplayResult => {
  assertBmpOnly(trace)
  return replay(trace, () => {
    const doc = createDraftDoc()
    const paragraph = new Y.XmlElement(NODE.paragraph)
    content(doc).insert(0, [paragraph])
    const text = new Y.XmlText()
    paragraph.insert(0, [text])
    return { doc, text }
  })
}

/** Baseline: a raw Y.Text, as a plain Yjs app would hold the same text. */
export const replayRawYText = (trace: SequentialTrace): ReplayResult =>
  replay(trace, () => {
    const doc = new Y.Doc()
    return { doc, text: doc.getText('t') }
  })

/**
 * A concurrent trace as several peers: each txn is applied on its agent's replica once
 * that replica has seen exactly the txn's causal history, then all replicas merge.
 */
export const replayConcurrent = (path: string): { ms: number; agents: number; txns: number; peersEqual: boolean; matchesRecording: boolean } => {
  const trace = loadTrace<ConcurrentTrace>(path)
  const start = performance.now()
  // Concurrent inserts at one spot are ordered by client ID in Yjs and by agent in the
  // recording; numbering clients by agent makes both agree, so endContent is reproducible.
  const agents = Array.from({ length: trace.numAgents }, (_, i) => {
    const doc = createDraftDoc()
    doc.clientID = i + 1
    return doc
  })
  const seen = agents.map(() => new Set<number>())
  const updates: Uint8Array[] = []
  const text = (doc: Y.Doc) => doc.getText('text')
  trace.txns.forEach((txn, index) => {
    const doc = agents[txn.agent]!
    const mine = seen[txn.agent]!
    const missing: number[] = []
    const stack = [...txn.parents]
    while (stack.length > 0) {
      const p = stack.pop()!
      if (mine.has(p)) continue
      mine.add(p)
      missing.push(p)
      stack.push(...trace.txns[p]!.parents)
    }
    missing.sort((a, b) => a - b)
    for (const p of missing) Y.applyUpdate(doc, updates[p]!)
    const sv = Y.encodeStateVector(doc)
    doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (del > 0) text(doc).delete(pos, del)
        if (ins) text(doc).insert(pos, ins)
      }
    })
    updates[index] = Y.encodeStateAsUpdate(doc, sv)
    mine.add(index)
  })
  // Every replica receives every other's state, in its own order, as peers syncing would.
  for (const a of agents) for (const b of agents) if (a !== b) Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
  const texts = agents.map((doc) => text(doc).toString())
  const ms = performance.now() - start
  return {
    ms, agents: trace.numAgents, txns: trace.txns.length,
    peersEqual: texts.every((t) => t === texts[0]) && agents.every((d) => Y.encodeStateVector(d).toString() === Y.encodeStateVector(agents[0]!).toString()),
    matchesRecording: texts[0] === trace.endContent,
  }
}
