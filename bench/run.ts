import * as Y from 'yjs'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { NODE, content, createDraftDoc, seedDraft } from '../crdt/index.ts'
import { TRACES_DIR, loadTrace, replayConcurrent, replayPlank, replayRawYText, sequentialTraces } from './traces.ts'
import { execFileSync } from 'node:child_process'
import type { LoadResult, RelayKind } from './relay-load.ts'
import { coldStart, platformDoc, type ColdStartCase } from './cold-start.ts'
import { replayThroughProseMirror } from './traces-prosemirror.ts'
import { privacyRun } from './private-rooms.ts'
import { attributionRun, chapterRun, membersRun } from './members.ts'
import { guardOpen, guardTyping } from './schema-guard.ts'
import { confirmRun, piecesRun } from './sync.ts'
import { meetingRun } from './meeting.ts'

/**
 * npm run bench: every figure next to its baseline, measured in this same run.
 * Prints tables and writes bench/results.json. See bench/README.md.
 */
const only = new Set(process.argv.slice(2))
const want = (section: string) => only.size === 0 || only.has(section)
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version }
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`

if (want('traces')) {
  console.log('\n## Editing traces: Plank document layer vs raw Y.Text (baseline)\n')
  const rows = []
  for (const file of sequentialTraces()) {
    const trace = loadTrace<Parameters<typeof replayPlank>[0]>(join(TRACES_DIR, 'sequential', file))
    const raw = replayRawYText(trace)
    const plank = replayPlank(trace)
    rows.push({
      trace: file.replace('.json.gz', ''), edits: plank.edits,
      'plank edits/s': Math.round(plank.edits / (plank.ms / 1000)), 'raw edits/s': Math.round(raw.edits / (raw.ms / 1000)),
      'time ratio': ratio(plank.ms, raw.ms),
      'plank state': kb(plank.stateBytes), 'raw state': kb(raw.stateBytes), 'size ratio': ratio(plank.stateBytes, raw.stateBytes),
      'plank heap': kb(plank.heapBytes), 'raw heap': kb(raw.heapBytes),
      correct: plank.correct && raw.correct ? 'yes' : 'NO',
    })
  }
  console.table(rows)

  // Through the editor's write path: feasible for a small trace only (see traces-prosemirror.ts).
  const pmTraces = (process.env.PLANK_BENCH_PM_TRACES ?? 'sveltecomponent').split(',')
  const pmRows = []
  for (const name of pmTraces) {
    const trace = loadTrace<Parameters<typeof replayPlank>[0]>(join(TRACES_DIR, 'sequential', `${name}.json.gz`))
    const pm = replayThroughProseMirror(trace)
    const plank = replayPlank(trace)
    pmRows.push({
      trace: name, edits: pm.edits,
      'via ProseMirror edits/s': Math.round(pm.edits / (pm.ms / 1000)), 'direct edits/s': Math.round(plank.edits / (plank.ms / 1000)),
      'time ratio': ratio(pm.ms, plank.ms), 'via ProseMirror state': kb(pm.stateBytes), 'direct state': kb(plank.stateBytes),
      'size ratio': ratio(pm.stateBytes, plank.stateBytes), correct: pm.correct && plank.correct ? 'yes' : 'NO',
    })
  }
  console.log('\nThe same traces as editor transactions written by y-prosemirror (updateYFragment), vs direct Yjs edits:')
  console.table(pmRows)
  results.tracesThroughProseMirror = pmRows
  const concurrent = ['clownschool', 'friendsforever'].map((name) => ({ trace: name, ...replayConcurrent(join(TRACES_DIR, 'concurrent', `${name}.json.gz`)) }))
  console.table(concurrent.map((c) => ({ ...c, ms: Math.round(c.ms) })))
  results.traces = rows
  results.concurrentTraces = concurrent
}

if (want('guard')) {
  console.log('\n## Schema guard: checking a draft before y-prosemirror builds it (baseline: the build), and while typing (baseline: typing unguarded)\n')
  const open = [100, 400].map(guardOpen)
  console.table(open.map((r) => ({ draft: r.draft, 'guard ms (median of 15)': r.guardMs.toFixed(2), 'y-prosemirror build ms': r.buildMs.toFixed(2), ratio: ratio(r.guardMs, r.buildMs) })))
  const typing = (process.env.PLANK_BENCH_GUARD_TRACES ?? 'sveltecomponent').split(',').map(guardTyping)
  console.table(typing.map((r) => ({
    trace: r.trace, transactions: r.transactions, 'guarded ms (mean of 2)': r.guardedMs.toFixed(0), 'unguarded ms': r.bareMs.toFixed(0),
    'µs per transaction': ((r.guardedMs - r.bareMs) * 1000 / r.transactions).toFixed(1), ratio: ratio(r.guardedMs, r.bareMs), 'false alarms': r.problems,
  })))
  results.schemaGuard = { open, typing }
}

if (want('relay')) {
  console.log('\n## Relay: update propagation, CPU and memory — Plank vs @y/websocket-server 0.1.1 (baseline)\n')
  // Each run in its own process; order ABBA so drift (thermal, page cache) hits both.
  const run = (kind: RelayKind, clients: number, rooms: number): LoadResult =>
    JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', new URL('./relay-load-cli.ts', import.meta.url).pathname, kind, String(clients), String(rooms)], { encoding: 'utf8' })) as LoadResult
  // Two runs of one relay: latency and CPU averaged, peak memory the higher, deliveries summed.
  const meanOfRuns = (a: LoadResult, b: LoadResult): LoadResult => ({ ...a, p50ms: (a.p50ms + b.p50ms) / 2, p99ms: (a.p99ms + b.p99ms) / 2, cpuSeconds: (a.cpuSeconds + b.cpuSeconds) / 2, peakRssMB: Math.max(a.peakRssMB, b.peakRssMB), deliveries: a.deliveries + b.deliveries })
  const rows = []
  for (const [clients, rooms] of [[2, 1], [20, 2], [200, 20]] as const) {
    const s1 = run('stock', clients, rooms)
    const p1 = run('plank', clients, rooms)
    const p2 = run('plank', clients, rooms)
    const s2 = run('stock', clients, rooms)
    const stock = meanOfRuns(s1, s2)
    const plank = meanOfRuns(p1, p2)
    rows.push({
      'clients × rooms': `${clients} × ${rooms}`, deliveries: plank.deliveries,
      'plank p50 ms (mean of 2 runs)': plank.p50ms.toFixed(1), 'stock p50 ms': stock.p50ms.toFixed(1),
      'plank p99 ms': plank.p99ms.toFixed(1), 'stock p99 ms': stock.p99ms.toFixed(1), 'p99 ratio': ratio(plank.p99ms, stock.p99ms),
      'plank CPU s': plank.cpuSeconds.toFixed(2), 'stock CPU s': stock.cpuSeconds.toFixed(2),
      'plank peak RSS MB': plank.peakRssMB.toFixed(0), 'stock peak RSS MB': stock.peakRssMB.toFixed(0),
    })
    results[`relay-${clients}x${rooms}`] = { plank, stock }
  }
  console.table(rows)
}

if (want('private')) {
  console.log('\n## Private drafts vs open drafts (baseline), same relay, same run: 400 one-character edits at 40/s\n')
  // Order ABBA so drift hits both.
  const o1 = await privacyRun('open')
  const p1 = await privacyRun('private')
  const p2 = await privacyRun('private')
  const o2 = await privacyRun('open')
  const mean = (x: number, y: number) => (x + y) / 2
  const row = (name: string, f: (r: typeof o1) => number, fmt: (n: number) => string) => {
    const open = mean(f(o1), f(o2))
    const priv = mean(f(p1), f(p2))
    return { measure: name, private: fmt(priv), open: fmt(open), ratio: ratio(priv, open) }
  }
  const rows = [
    row('p50 latency (ms)', (r) => r.p50ms, (n) => n.toFixed(1)),
    row('p99 latency (ms)', (r) => r.p99ms, (n) => n.toFixed(1)),
    row('bytes sent by the writer', (r) => r.bytesFromWriter, kb),
    row('bytes received by the reader', (r) => r.bytesToReader, kb),
    row('state after the session (envelope vs draft)', (r) => r.finalStateBytes, kb),
  ]
  console.table(rows)
  results.privateRooms = { rows, runs: [o1, p1, p2, o2] }
}

if (want('meeting')) {
  console.log('\n## Meeting host over wss:// vs the same host over ws:// (baseline), same run: start, then 300 one-character edits at 40/s\n')
  // Order ABBA so drift hits both.
  const w1 = await meetingRun('ws')
  const s1 = await meetingRun('wss')
  const s2 = await meetingRun('wss')
  const w2 = await meetingRun('ws')
  const mean = (x: number, y: number) => (x + y) / 2
  const row = (name: string, f: (r: typeof w1) => number, fmt: (n: number) => string) => {
    const plain = mean(f(w1), f(w2))
    const tls = mean(f(s1), f(s2))
    return { measure: name, 'wss://': fmt(tls), 'ws://': fmt(plain), ratio: ratio(tls, plain) }
  }
  const rows = [
    row('start hosting (ms)', (r) => r.startMs, (n) => n.toFixed(1)),
    row('p50 latency (ms)', (r) => r.p50ms, (n) => n.toFixed(1)),
    row('p99 latency (ms)', (r) => r.p99ms, (n) => n.toFixed(1)),
    row('bytes sent by the writer', (r) => r.bytesFromWriter, kb),
    row('bytes received by the reader', (r) => r.bytesToReader, kb),
  ]
  console.table(rows)
  results.meeting = { rows, runs: [w1, s1, s2, w2] }
}

if (want('cold-start')) {
  console.log('\n## Cold start in Chromium: launch to editable, drafts stored in IndexedDB (median of 3)\n')
  const state = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc)
  const tiny = createDraftDoc()
  seedDraft(tiny, { title: 'One line' })
  const platform = platformDoc(100)
  // automerge-paper as a draft's history: each recorded transaction one stored update.
  const paper = loadTrace<{ endContent: string; txns: Array<{ patches: Array<[number, number, string]> }> }>(join(TRACES_DIR, 'sequential', 'automerge-paper.json.gz'))
  const history = createDraftDoc()
  const paragraph = new Y.XmlElement(NODE.paragraph)
  content(history).insert(0, [paragraph])
  const text = new Y.XmlText()
  paragraph.insert(0, [text])
  const historyUpdates: Uint8Array[] = [Y.encodeStateAsUpdate(history)]
  history.on('update', (u: Uint8Array) => historyUpdates.push(u))
  for (const txn of paper.txns) history.transact(() => { for (const [pos, del, ins] of txn.patches) { if (del) text.delete(pos, del); if (ins) text.insert(pos, ins) } })
  const tail = paper.endContent.trim().split('\n').pop()!.slice(-30)
  const cases: ColdStartCase[] = [
    { name: 'one-line draft (baseline)', updates: [state(tiny)], lastText: 'One line', storedBytes: state(tiny).byteLength },
    { name: '100 planks, ~50 pages', updates: [state(platform)], lastText: 'Plank 100', storedBytes: state(platform).byteLength },
    { name: 'automerge-paper, 260k updates (uncompacted)', updates: historyUpdates, lastText: tail, storedBytes: historyUpdates.reduce((s, u) => s + u.byteLength, 0) },
    { name: 'automerge-paper, compacted to one state', updates: [state(history)], lastText: tail, storedBytes: state(history).byteLength },
  ]
  const timings = await coldStart(cases)
  const base = timings[0]!.medianMs
  console.table(timings.map((t) => ({ draft: t.name, 'stored updates': t.updates, stored: `${t.storedKB.toFixed(0)} KB`, 'launch → editable ms': t.medianMs.toFixed(0), 'vs baseline': ratio(t.medianMs, base) })))
  results.coldStart = timings
}

if (want('members')) {
  console.log('\n## Who changed what: a trace typed into a draft with attribution recorded vs without (baseline)\n')
  const rows = ['automerge-paper.json.gz', 'rustcode.json.gz', 'sveltecomponent.json.gz'].map((file) => {
    const r = attributionRun(file)
    return { trace: file.replace('.json.gz', ''), edits: r.edits, 'attributed ms': Math.round(r.attributedMs), 'plain ms': Math.round(r.plainMs), 'time ratio': ratio(r.attributedMs, r.plainMs), 'attributed state': kb(r.attributedBytes), 'plain state': kb(r.plainBytes), 'size ratio': ratio(r.attributedBytes, r.plainBytes) }
  })
  console.table(rows)
  results.attribution = rows
  console.log('\n## Signed, verified roster and votes: a device that never saw the draft (cold) and one that did (warm), vs unsigned entries (baseline)\n')
  const sizes = (process.env.PLANK_BENCH_MEMBERS ?? '50,300,5000').split(',').map(Number)
  membersRun(20) // once, unmeasured: the first size should not also pay for compiling the code
  const votes = sizes.map(membersRun)
  console.table(votes.map((v) => ({
    members: v.members,
    'roster cold ms': v.rosterColdMs.toFixed(0), 'roster warm ms': v.rosterWarmMs.toFixed(1), 'unsigned roster ms': v.rosterBaselineMs.toFixed(2), 'warm vs unsigned': ratio(v.rosterWarmMs, v.rosterBaselineMs),
    'tally cold ms': v.tallyColdMs.toFixed(0), 'tally warm ms': v.tallyWarmMs.toFixed(1), 'unsigned tally ms': v.tallyBaselineMs.toFixed(2), 'warm vs unsigned ': ratio(v.tallyWarmMs, v.tallyBaselineMs),
    'per new ballot ms': v.perBallotMs.toFixed(2), 'per unsigned position ms': v.perPositionMs.toFixed(2),
    correct: v.correct ? 'yes' : 'NO',
  })))
  console.log('Targets: a 5,000-member roster opens warm in under 1 s; a tally updates in under 50 ms per new ballot.')
  results.votes = votes
  console.log('\n## Proposing back: a chapter’s random edits as amendments, then accepted, vs merging them directly (baseline)\n')
  const chapters = [chapterRun(20, 50), chapterRun(100, 500)]
  console.table(chapters.map((c) => ({ planks: c.planks, edits: c.edits, amendments: c.amendments, 'propose back ms': c.proposeMs.toFixed(1), 'accept all ms': c.acceptMs.toFixed(1), 'direct merge ms (baseline)': c.mergeMs.toFixed(1), 'ratio': ratio(c.proposeMs + c.acceptMs, c.mergeMs), 'same text': c.same ? 'yes' : 'NO' })))
  console.log('\nThe same chapters propose back a second time after a fifth as many edits again: only what changed since, vs merging just those (baseline)\n')
  console.table(chapters.map((c) => ({ planks: c.planks, edits: Math.max(1, Math.round(c.edits / 5)), amendments: c.amendments2, 'propose again ms': c.propose2Ms.toFixed(1), 'accept all ms': c.accept2Ms.toFixed(1), 'direct merge ms (baseline)': c.merge2Ms.toFixed(1), 'ratio': ratio(c.propose2Ms + c.accept2Ms, c.merge2Ms), 'same text': c.same2 ? 'yes' : 'NO' })))
  results.chapters = chapters
}

if (want('sync')) {
  console.log('\n## Large changes in pieces: cutting and applying them vs encoding and applying the change whole (baseline)\n')
  const pieces = piecesRun()
  console.table(pieces.map((r) => ({
    change: r.change, size: kb(r.bytes), cap: kb(r.cap), pieces: r.pieces,
    'split ms': r.splitMs.toFixed(1), 'encode ms (baseline)': r.encodeMs.toFixed(1), 'split vs encode': ratio(r.splitMs, r.encodeMs),
    'apply pieces ms': r.applyPiecesMs.toFixed(1), 'apply whole ms (baseline)': r.applyWholeMs.toFixed(1), 'apply ratio': ratio(r.applyPiecesMs, r.applyWholeMs),
    'bytes ratio': ratio(r.piecesBytes, r.bytes),
  })))
  results.pieces = pieces
  console.log('\n## Confirming a relay holds our changes: the relay answering the question vs answering y-websocket’s own step 1 (baseline)\n')
  const confirm = confirmRun()
  console.table(confirm.map((r) => ({
    room: r.room, clients: r.clients,
    'answer ms': r.confirmMs.toFixed(2), 'step 1 answer ms (baseline)': r.step1Ms.toFixed(2), 'time ratio': ratio(r.confirmMs, r.step1Ms),
    'answer bytes': r.confirmBytes, 'step 1 answer bytes': r.step1Bytes,
  })))
  results.confirm = confirm
}

writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`)
console.log('\nWrote bench/results.json')
