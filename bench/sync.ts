import * as Y from 'yjs'
import { join } from 'node:path'
import { NODE, content, createDraftDoc } from '../crdt/index.ts'
import { splitUpdate } from '../crdt/update-pieces.ts'
import { TRACES_DIR, loadTrace } from './traces.ts'

/**
 * What large changes and honest sync status cost (npm run bench -- sync).
 *
 * Pieces: a change cut into pieces a relay accepts (crdt/update-pieces.ts), against
 * encoding it whole, which the provider does anyway; and a peer applying the pieces
 * against applying it whole.
 *
 * Confirmation: a relay answering "do you hold my changes?" (a step 1 one unit short
 * of the member's state vector, renderer/src/sync/relay-confirm.ts), against answering
 * the step 1 y-websocket sends on every connect (the member's own state vector).
 */
const time = (f: () => void, runs = 5): number => {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    f()
    times.push(performance.now() - start)
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!
}

/** The automerge-paper session as a draft: its 260k edits in one paragraph. */
const paperDraft = (): Y.Doc => {
  const paper = loadTrace<{ txns: Array<{ patches: Array<[number, number, string]> }> }>(join(TRACES_DIR, 'sequential', 'automerge-paper.json.gz'))
  const doc = createDraftDoc()
  const paragraph = new Y.XmlElement(NODE.paragraph)
  content(doc).insert(0, [paragraph])
  const text = new Y.XmlText()
  paragraph.insert(0, [text])
  for (const txn of paper.txns) doc.transact(() => { for (const [pos, del, ins] of txn.patches) { if (del) text.delete(pos, del); if (ins) text.insert(pos, ins) } })
  return doc
}

/** A 3 MB paste: one transaction of 3,000 paragraphs. */
const pasteUpdate = (): { doc: Y.Doc; update: Uint8Array } => {
  const doc = createDraftDoc()
  let update: Uint8Array = new Uint8Array()
  doc.on('update', (u: Uint8Array) => { update = u })
  const sentence = 'Every member of the chapter has a say in what the platform asks for. '
  doc.transact(() => {
    for (let i = 0; i < 3000; i++) {
      const p = new Y.XmlElement(NODE.paragraph)
      p.insert(0, [new Y.XmlText(`Paragraph ${i}. ${sentence.repeat(15)}`)])
      content(doc).push([p])
    }
  })
  return { doc, update }
}

export interface PieceRow { change: string; bytes: number; cap: number; pieces: number; splitMs: number; encodeMs: number; applyPiecesMs: number; applyWholeMs: number; piecesBytes: number }

export const piecesRun = (): PieceRow[] => {
  const rows: PieceRow[] = []
  const paste = pasteUpdate()
  const paper = paperDraft()
  const cases: Array<[string, Y.Doc, number]> = [
    ['3 MB paste (one transaction)', paste.doc, 1024 * 1024],
    ['automerge-paper as an offline backlog', paper, 256 * 1024],
    ['automerge-paper, a relay capping at 64 KB', paper, 64 * 1024],
  ]
  for (const [change, doc, cap] of cases) {
    const update = Y.encodeStateAsUpdate(doc)
    let pieces: Uint8Array[] = []
    const splitMs = time(() => { pieces = splitUpdate(update, cap) })
    const encodeMs = time(() => { Y.encodeStateAsUpdate(doc) })
    const applyPiecesMs = time(() => { const d = new Y.Doc({ gc: false }); for (const p of pieces) Y.applyUpdate(d, p) }, 3)
    const applyWholeMs = time(() => { Y.applyUpdate(new Y.Doc({ gc: false }), update) }, 3)
    rows.push({ change, bytes: update.byteLength, cap, pieces: pieces.length, splitMs, encodeMs, applyPiecesMs, applyWholeMs, piecesBytes: pieces.reduce((n, p) => n + p.byteLength, 0) })
  }
  return rows
}

export interface ConfirmRow { room: string; clients: number; confirmMs: number; step1Ms: number; confirmBytes: number; step1Bytes: number }

/** A relay's cost to answer each question, on the room's document. */
export const confirmRun = (): ConfirmRow[] => {
  const rows: ConfirmRow[] = []
  const paper = paperDraft()
  // The same text written over 100 sessions (a client id each), as a draft's history has.
  const sessions = createDraftDoc()
  const p = new Y.XmlElement(NODE.paragraph)
  content(sessions).insert(0, [p])
  const text = new Y.XmlText()
  p.insert(0, [text])
  for (let s = 0; s < 100; s++) {
    sessions.clientID = 1000 + s
    for (let i = 0; i < 50; i++) sessions.transact(() => { text.insert(text.length, `word${i} `); if (i % 5 === 0) text.delete(0, 2) })
  }
  for (const [room, doc] of [['automerge-paper (260k edits, one client)', paper], ['100 sessions of edits', sessions]] as const) {
    const ours = Y.decodeStateVector(Y.encodeStateVector(doc))
    const short = new Map([...ours].map(([c, clock]) => [c, clock - 1]))
    const question = Y.encodeStateVector(short)
    const step1 = Y.encodeStateVector(doc)
    let confirmBytes = 0
    let step1Bytes = 0
    const confirmMs = time(() => { confirmBytes = Y.encodeStateAsUpdate(doc, question).byteLength }, 9)
    const step1Ms = time(() => { step1Bytes = Y.encodeStateAsUpdate(doc, step1).byteLength }, 9)
    rows.push({ room, clients: ours.size, confirmMs, step1Ms, confirmBytes, step1Bytes })
  }
  return rows
}
