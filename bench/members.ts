import * as Y from 'yjs'
import { join } from 'node:path'
import {
  NODE, ORIGIN, content, createDraftDoc, newIdentity, recordAttribution, foundRoster, inviteMembers, acceptInvitation,
  readRoster, openQuestion, castBallot, readQuestions, recordPosition, readLog, tally, type Identity,
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
 * What verifying signatures costs: a roster of `n` members who each cast a signed
 * ballot, read cold (every signature checked) and warm (checks remembered), against a
 * tally of the same number of unsigned positions in a draft with no roster (baseline).
 */
export const votingRun = (n: number) => {
  const doc = createDraftDoc()
  const founder = newIdentity()
  foundRoster(doc, founder, 'Founder', 1, ORIGIN.local)
  const secret = inviteMembers(doc, founder, { role: 'member', max: n, now: 2 }, ORIGIN.local)
  const people: Identity[] = [founder]
  for (let i = 1; i < n; i++) {
    const m = newIdentity()
    acceptInvitation(doc, m, { secret, name: `Member ${i}`, now: 3 + i }, ORIGIN.local)
    people.push(m)
  }
  const q = openQuestion(doc, founder, { text: 'Ratify?', subject: { kind: 'amendment', id: 'a' }, rule: 'majority', quorum: 1, now: 10 }, ORIGIN.local)
  people.forEach((m, i) => castBallot(doc, m, { question: q.id, choice: i % 3 === 0 ? 'no' : 'yes', now: 20 + i }, ORIGIN.local))
  // A fresh copy, so nothing read from it is remembered from writing.
  const copy = createDraftDoc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const time = (f: () => unknown) => { const s = performance.now(); f(); return performance.now() - s }
  const rosterMs = time(() => readRoster(copy))
  const roster = readRoster(copy)
  const coldMs = time(() => readQuestions(copy, roster))
  const warmMs = time(() => readQuestions(copy, readRoster(copy)))
  const legacy = createDraftDoc()
  for (let i = 0; i < n; i++) recordPosition(legacy, { question: 'a', member: { id: `m${i}`, name: `Member ${i}`, color: '#0f6b63' }, position: i % 3 === 0 ? 'oppose' : 'support', reason: '', now: i }, ORIGIN.local)
  const baselineMs = time(() => tally(readLog(legacy), 'a'))
  const counts = readQuestions(copy, roster)[0]!.counts
  return { members: n, rosterMs, coldMs, warmMs, baselineMs, correct: counts.yes + counts.no === n }
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
  const author = { id: 'a', name: 'A', color: '#0f6b63' }
  const sameText = (a: Y.Doc, b: Y.Doc) => canonicalText(a).split('\n').slice(1).join('\n') === canonicalText(b).split('\n').slice(1).join('\n')
  const direct = copy()
  const mergeMs = time(() => Y.applyUpdate(direct, Y.encodeStateAsUpdate(chapter, Y.encodeStateVector(forked.sv))))
  const target = copy()
  let amendments: string[] = []
  const proposeMs = time(() => { amendments = proposeBack(chapter, target, { author, now: 2, chapter: 'R', forkTitle: 'R' }).amendments.map((a) => a.id) })
  const acceptMs = time(() => { for (const id of amendments) settleInContent(target, id, 'accept', ORIGIN.local) })
  const same = sameText(target, direct)

  // A second round: only what changed since the first. (The baseline takes everything
  // of the chapter's it lacks, the first round's record in the chapter included.)
  const proposed = Y.encodeStateVector(direct)
  edit(Math.max(1, Math.round(edits / 5)))
  const merge2Ms = time(() => Y.applyUpdate(direct, Y.encodeStateAsUpdate(chapter, proposed)))
  let second: string[] = []
  const propose2Ms = time(() => { const r = proposeBack(chapter, target, { author, now: 3, chapter: 'R', forkTitle: 'R' }); second = [...r.amendments, ...r.updated].map((a) => a.id) })
  const accept2Ms = time(() => { for (const id of second) settleInContent(target, id, 'accept', ORIGIN.local) })
  return { planks, edits, amendments: amendments.length, proposeMs, acceptMs, mergeMs, same, amendments2: second.length, propose2Ms, accept2Ms, merge2Ms, same2: sameText(target, direct) }
}
