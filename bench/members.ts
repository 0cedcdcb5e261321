import * as Y from 'yjs'
import { join } from 'node:path'
import {
  NODE, ORIGIN, content, createDraftDoc, newIdentity, recordAttribution, foundDraft, inviteMembers, acceptInvitation,
  openQuestion, castBallot, readQuestions, tally, type Identity, Ledger, MemoryRecordStore, forgetCheckedSignatures,
} from '../crdt/index.ts'
import * as prng from 'lib0/prng'
import { TRACES_DIR, loadTrace } from './traces.ts'
import { platformDoc } from './cold-start.ts'
import { canonicalText, proposeBack, readForkPoint, settleInContent, startChapterDraft } from '../crdt/index.ts'

type Patch = [number, number, string]
const FLUSH_EVERY = 15
interface Trace { startContent: string; txns: Array<{ patches: Patch[] }> }

/**
 * What recording who-changed-what costs: a trace replayed transaction by transaction
 * (as typing is) into a draft with attribution recorded, against the same draft without
 * (the baseline), in this same run.
 */
export const attributionRun = (file: string): { edits: number; plainMs: number; attributedMs: number; plainBytes: number; attributedBytes: number } => {
  const trace = loadTrace<Trace>(join(TRACES_DIR, 'sequential', file))
  const run = (attributed: boolean) => {
    const doc = createDraftDoc()
    const p = new Y.XmlElement(NODE.paragraph)
    const text = new Y.XmlText()
    p.insert(0, [text])
    content(doc).insert(0, [p])
    const recorder = attributed ? recordAttribution(doc, { id: newIdentity().id, name: 'Ana', color: '#0f6b63' }, ORIGIN.local) : null
    if (trace.startContent) text.insert(0, trace.startContent)
    let edits = 0
    const start = performance.now()
    trace.txns.forEach((txn, i) => {
      // The batch window (3 s) closes every 15 keystrokes or so when typing at about 5 a second.
      if (i % FLUSH_EVERY === FLUSH_EVERY - 1) recorder?.flush()
      doc.transact(() => {
        for (const [pos, del, ins] of txn.patches) {
          if (del > 0) text.delete(pos, del)
          if (ins) text.insert(pos, ins)
          edits++
        }
      })
    })
    recorder?.stop()
    const ms = performance.now() - start
    return { edits, ms, bytes: Y.encodeStateAsUpdate(doc).byteLength }
  }
  const plain = run(false)
  const attributed = run(true)
  return { edits: plain.edits, plainMs: plain.ms, attributedMs: attributed.ms, plainBytes: plain.bytes, attributedBytes: attributed.bytes }
}

/**
 * What the signed, verified logs cost (crdt/ledger.ts): a draft of `n` members who each
 * cast a signed ballot on one question, opened on a device that has never seen it
 * (cold: every signature verified) and on one that has (warm: its record store from
 * before, so nothing is verified again), and a tally brought up to date after each new
 * ballot. Baselines, in the same run: the same numbers of unsigned roster entries read
 * from a plain Y.Array, and of unsigned positions tallied in a draft with no roster.
 */
export const membersRun = (n: number) => {
  const time = (f: () => unknown) => { const s = performance.now(); f(); return performance.now() - s }
  const founder = newIdentity()
  const rosterDoc = createDraftDoc()
  const draftId = foundDraft(rosterDoc, founder, 'Founder', 1, ORIGIN.local)
  const writer = new Ledger(rosterDoc, draftId)
  const secret = inviteMembers(writer, founder, { role: 'member', max: n, now: 2 }, ORIGIN.local)
  const people: Identity[] = [founder]
  for (let i = 1; i < n; i++) {
    const m = newIdentity()
    acceptInvitation(writer, m, { secret, name: `Member ${i}`, now: 3 + i }, ORIGIN.local)
    people.push(m)
  }
  const rosterState = Y.encodeStateAsUpdate(rosterDoc)
  const q = openQuestion(writer, founder, { text: 'Ratify?', subject: { kind: 'amendment', id: 'a' }, rule: 'majority', quorum: 1, now: 10 }, ORIGIN.local)
  people.forEach((m, i) => castBallot(writer, m, { question: q.id, choice: i % 3 === 0 ? 'no' : 'yes', now: 20 + i }, ORIGIN.local))
  const fullState = Y.encodeStateAsUpdate(rosterDoc)
  /** A device opening the draft: a fresh doc from the stored state, and its record store (empty: never seen). */
  const open = (state: Uint8Array, store: MemoryRecordStore) => {
    const doc = createDraftDoc()
    Y.applyUpdate(doc, state)
    return new Ledger(doc, draftId, { store })
  }
  forgetCheckedSignatures()
  const coldRoster = open(rosterState, new MemoryRecordStore())
  const rosterColdMs = time(() => coldRoster.roster())
  const rosterWarm = open(rosterState, (coldRoster.store as MemoryRecordStore).clone())
  const rosterWarmMs = time(() => rosterWarm.roster())
  forgetCheckedSignatures()
  const coldFull = open(fullState, new MemoryRecordStore())
  const tallyColdMs = time(() => readQuestions(coldFull))
  const warmFull = open(fullState, (coldFull.store as MemoryRecordStore).clone())
  const tallyWarmMs = time(() => readQuestions(warmFull))
  // New ballots arriving one at a time (members changing their vote), each followed by the tally.
  const perBallot: number[] = []
  for (let i = 0; i < 20; i++) {
    const source = open(Y.encodeStateAsUpdate(warmFull.doc), (warmFull.store as MemoryRecordStore).clone())
    castBallot(source, people[i]!, { question: q.id, choice: 'abstain', now: 100_000 + i }, ORIGIN.local)
    const update = Y.encodeStateAsUpdate(source.doc, Y.encodeStateVector(warmFull.doc))
    perBallot.push(time(() => { Y.applyUpdate(warmFull.doc, update); readQuestions(warmFull) }))
  }
  const counts = readQuestions(warmFull)[0]!.counts
  // Baselines: unsigned entries.
  const plain = createDraftDoc()
  plain.getArray('plain-roster').push(people.map((p, i) => ({ id: p.id, name: `Member ${i}`, role: i === 0 ? 'admin' : 'member' })))
  const plainCopy = createDraftDoc()
  Y.applyUpdate(plainCopy, Y.encodeStateAsUpdate(plain))
  const rosterBaselineMs = time(() => new Map(plainCopy.getArray<{ id: string }>('plain-roster').toArray().map((m) => [m.id, m])))
  const legacyDoc = createDraftDoc()
  legacyDoc.getArray('votes').push(people.map((p, i) => ({ v: 1, kind: 'position', question: 'a', member: { id: `m${i}`, name: `Member ${i}`, color: '#0f6b63' }, position: i % 3 === 0 ? 'oppose' : 'support', reason: '', at: i, sig: null })))
  const legacyCopy = createDraftDoc()
  Y.applyUpdate(legacyCopy, Y.encodeStateAsUpdate(legacyDoc))
  const legacyLedger = new Ledger(legacyCopy, 'legacy-draft-without-roster')
  const tallyBaselineMs = time(() => tally(legacyLedger, 'a'))
  const perPosition: number[] = []
  for (let i = 0; i < 20; i++) {
    legacyLedger.doc.getArray('votes').push([{ v: 1, kind: 'position', question: 'a', member: { id: `m${i}`, name: `Member ${i}`, color: '#0f6b63' }, position: 'abstain', reason: '', at: 100_000 + i, sig: null }])
    perPosition.push(time(() => tally(legacyLedger, 'a')))
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  return {
    members: n, rosterColdMs, rosterWarmMs, rosterBaselineMs, tallyColdMs, tallyWarmMs, tallyBaselineMs,
    perBallotMs: median(perBallot), perPositionMs: median(perPosition),
    correct: counts.yes + counts.no + counts.abstain === n && counts.abstain === 20 && rosterWarm.roster().members.length === n,
  }
}

/**
 * What proposing back costs on a platform of `planks` planks (~0.5 page each) after a
 * chapter made `edits` random edits in it (typing, deleting, some words made bold):
 * proposeBack, then accepting every amendment, against merging the chapter's update
 * into the parent directly (the baseline). Then the chapter makes a fifth as many edits
 * again and proposes back a second time (only what changed since), against merging
 * just those.
 */
export const chapterRun = (planks: number, edits: number) => {
  const parent = platformDoc(planks)
  const chapter = startChapterDraft(parent, { parentId: 'p', parentTitle: 'P', chapter: 'R', title: 'P — R', now: 1 })
  const forked = Y.decodeSnapshot(readForkPoint(chapter)!.snapshot)
  const g = prng.create(7)
  const blocks = content(chapter).toArray() as Y.XmlElement[]
  const edit = (n: number) => {
    for (let i = 0; i < n; i++) {
      const t = prng.oneOf(g, blocks.slice(1)).get(0) as Y.XmlText
      const what = prng.int32(g, 0, 4)
      if (what < 2 && t.length > 10) t.delete(prng.int32(g, 0, t.length - 6), 5)
      else if (what === 2 && t.length > 10 && (t.parent as Y.XmlElement).nodeName === 'paragraph') t.format(prng.int32(g, 0, t.length - 6), 5, { strong: {} })
      else t.insert(prng.int32(g, 0, t.length), ' amended')
    }
  }
  edit(edits)
  const copy = () => { const c = createDraftDoc(); Y.applyUpdate(c, Y.encodeStateAsUpdate(parent)); return c }
  const time = (f: () => unknown) => { const s = performance.now(); f(); return performance.now() - s }
  const identity = newIdentity()
  const author = { id: identity.id, name: 'A', color: '#0f6b63' }
  const sameText = (a: Y.Doc, b: Y.Doc) => canonicalText(a).split('\n').slice(1).join('\n') === canonicalText(b).split('\n').slice(1).join('\n')
  const direct = copy()
  const mergeMs = time(() => Y.applyUpdate(direct, Y.encodeStateAsUpdate(chapter, Y.encodeStateVector(forked.sv))))
  const target = copy()
  // The parent's ledger on this device (no roster here): what the app proposes back through.
  const targetLedger = new Ledger(target, 'p')
  let amendments: string[] = []
  const proposeMs = time(() => { amendments = proposeBack(chapter, targetLedger, { author, now: 2, chapter: 'R', forkTitle: 'R', identity }).amendments.map((a) => a.id) })
  const acceptMs = time(() => { for (const id of amendments) settleInContent(target, id, 'accept', ORIGIN.local) })
  const same = sameText(target, direct)

  // A second round: only what changed since the first. (The baseline takes everything
  // of the chapter's it lacks, the first round's record in the chapter included.)
  const proposed = Y.encodeStateVector(direct)
  edit(Math.max(1, Math.round(edits / 5)))
  const merge2Ms = time(() => Y.applyUpdate(direct, Y.encodeStateAsUpdate(chapter, proposed)))
  let second: string[] = []
  const propose2Ms = time(() => { const r = proposeBack(chapter, targetLedger, { author, now: 3, chapter: 'R', forkTitle: 'R', identity }); second = [...r.amendments, ...r.updated].map((a) => a.id) })
  const accept2Ms = time(() => { for (const id of second) settleInContent(target, id, 'accept', ORIGIN.local) })
  return { planks, edits, amendments: amendments.length, proposeMs, acceptMs, mergeMs, same, amendments2: second.length, propose2Ms, accept2Ms, merge2Ms, same2: sameText(target, direct) }
}
