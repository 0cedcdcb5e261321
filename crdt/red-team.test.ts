import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { content, createDraftDoc, members, versions, votes } from './draft.ts'
import { type Identity, decodeBytes, newIdentity, sign, signRecord } from './identity.ts'
import { DOMAIN, type Domain, makeRecord } from './signed-record.ts'
import type { LogName } from './record-store.ts'
import { acceptInvitation, changeRole, draftIdOf, foundDraft, invitationKeyOf, inviteMembers, removeMember, startRoster } from './roster.ts'
import { castBallot, closeQuestion, openQuestion, questionsLog, ratifiedTextOf, readQuestions, recordRatification } from './questions.ts'
import { recordDecision, tally } from './decisions.ts'
import { readVersions, saveVersion } from './versions.ts'
import { canonicalText } from './canonical.ts'
import { startChapterDraft } from './fork.ts'
import { L, device, names, sync, type Device } from './devices.testing.ts'

/**
 * The red team: each attack on the signed logs that worked before format 2, run by a
 * hostile writer with nothing but write access to the shared document (a member with
 * a modified client, a removed member who kept the room key, anyone who reaches the
 * relay of an open draft), against three honest devices. Every honest device must
 * still show the true roster, tally and ratification, and name the attempt.
 */
const [ana, ben, cleo, dev, mallory] = [newIdentity(), newIdentity(), newIdentity(), newIdentity(), newIdentity()]
const person = (i: Identity, name: string) => ({ id: i.id, name, color: '#0f6b63' })

/** Ana founds; Ben (admin), Cleo, Dev and Mallory join; three honest devices and the hostile writer's own copy. */
const scene = () => {
  const doc = createDraftDoc()
  const draftId = foundDraft(doc, ana, 'Ana', 1, L)
  const a = device(draftId, 'Ana’s laptop', { me: ana.id }, doc)
  const secret = inviteMembers(a.ledger, ana, { role: 'member', max: 10, now: 2 }, L)
  for (const [m, n] of [[ben, 'Ben'], [cleo, 'Cleo'], [dev, 'Dev'], [mallory, 'Mallory']] as const) acceptInvitation(a.ledger, m, { secret, name: n, now: 3 }, L)
  changeRole(a.ledger, ana, ben.id, 'admin', 4, L)
  const b = device(draftId, 'Ben’s laptop', { me: ben.id })
  const c = device(draftId, 'Cleo’s phone', { me: cleo.id })
  const hostile = { doc: createDraftDoc() }
  sync(a, b, c, hostile)
  return { draftId, secret, a, b, c, honest: [a, b, c], hostile }
}

/** Write a raw record straight into the hostile writer's document. */
const forge = (doc: Y.Doc, signer: Identity, log: LogName, fields: Record<string, unknown> & { t: string; at: number }, p: { draft: string; prev: string[]; dom?: Domain; override?: Record<string, unknown> }) => {
  const dom = p.dom ?? { members: DOMAIN.roster, questions: DOMAIN.question, votes: DOMAIN.decision, versions: DOMAIN.version }[log]
  const { record, id } = makeRecord(signer, { dom, draft: p.draft, prev: p.prev }, fields)
  const value = { ...record, ...p.override }
  if (log === 'versions') throw new Error('use forgeVersion')
  doc.getArray(log).push([value])
  return { record: value, id }
}

const alarms = (d: Device) => d.ledger.problems().filter((p) => p.alarm)
const whys = (d: Device) => alarms(d).map((p) => p.why)
const tallyOf = (d: Device, id: string) => {
  const q = readQuestions(d.ledger).find((x) => x.id === id)!
  return { text: q.text, rule: q.rule, quorum: q.quorum, teller: q.teller, status: q.status, counts: q.counts, result: q.result, ratified: q.ratification?.valid ?? null, why: q.ratification?.why ?? null }
}
const everyone = (honest: Device[], check: (d: Device) => void) => { for (const d of honest) check(d) }

describe('red team: attacks on the signed logs, with three honest devices', () => {
  it('1. a second founder whose hash sorts first is refused; the draft id names its one root', () => {
    const { draftId, a, b, c, honest, hostile } = scene()
    const q = openQuestion(b.ledger, ben, { text: 'Adopt the rent plank?', subject: { kind: 'amendment', id: 'rent' }, rule: 'majority', quorum: 2, now: 5 }, L)
    sync(a, b, c, hostile)
    const root = (a.ledger.root() as { id: string }).id
    // Retry until the forged root's id sorts before the real one, in both spellings of "which draft".
    let forged: string | null = null
    for (let i = 0; forged === null; i++) {
      const f = makeRecord(mallory, { dom: DOMAIN.roster, draft: i % 2 ? draftId : '', prev: [] }, { t: 'found', name: 'Mallory', nonce: String(i), at: 0 })
      if (f.id < root) { hostile.doc.getArray('members').push([f.record]); forged = f.id }
    }
    sync(a, b, c, hostile)
    everyone(honest, (d) => {
      expect(d.ledger.roster().members.find((m) => m.founder)?.name).toBe('Ana')
      expect(names(d)).toEqual(['Ana:admin', 'Ben:admin', 'Cleo:member', 'Dev:member', 'Mallory:member'])
      expect(readQuestions(d.ledger).map((x) => x.id)).toEqual([q.id])
      expect(alarms(d).find((p) => p.id === forged)).toMatchObject({ kind: 'second-root', by: mallory.id, why: 'a second founding entry: this draft has one founder' })
    })
    expect(draftIdOf(root)).toBe(draftId)
  })

  it('2. deleting roster entries, ballots, closes and ratifications changes nothing; it is shown and undone', async () => {
    const { a, b, c, honest, hostile } = scene()
    const p = new Y.XmlElement('paragraph'); p.insert(0, [new Y.XmlText('Rent shall be capped.')]); content(a.doc).push([p])
    const v = await saveVersion(a.ledger, ana, { name: 'Draft 1', author: person(ana, 'Ana'), now: 5 }, L)
    const q = openQuestion(a.ledger, ana, { text: 'Ratify Draft 1?', subject: { kind: 'ratify', version: v.id, hash: v.hash }, rule: 'majority', quorum: 3, now: 6 }, L)
    sync(a, b, c)
    for (const [d, m] of [[a, ana], [b, ben], [c, cleo]] as const) castBallot(d.ledger, m, { question: q.id, choice: 'yes', now: 7 }, L)
    sync(a, b, c)
    closeQuestion(a.ledger, ana, { question: q.id, now: 8 }, L)
    recordRatification(a.ledger, ana, { question: q.id, now: 9 }, L)
    removeMember(a.ledger, ana, mallory.id, 10, L)
    sync(a, b, c, hostile)
    const before = honest.map((d) => tallyOf(d, q.id))
    // Mallory deletes her removal, then the whole roster, and every ballot, close and ratification.
    const log = members(hostile.doc)
    const at = log.toArray().findIndex((e) => (e as { t?: string; subject?: string }).t === 'remove' && (e as { subject: string }).subject === mallory.id)
    log.delete(at, 1)
    sync(b, hostile) // Ben's device sees the first deletion alone
    expect(names(b)).not.toContain('Mallory:member')
    log.delete(0, log.length)
    questionsLog(hostile.doc).delete(0, questionsLog(hostile.doc).length)
    versions(hostile.doc).clear()
    // Unsigned positions would count again in a draft without a roster: they do not.
    votes(hostile.doc).push([{ v: 1, kind: 'position', question: 'rent', member: person(mallory, 'Mallory'), position: 'block', reason: '', at: 11, sig: null }])
    sync(a, b, c, hostile)
    everyone(honest, (d) => {
      expect(names(d)).toEqual(['Ana:admin', 'Ben:admin', 'Cleo:member', 'Dev:member'])
      expect(tallyOf(d, q.id)).toEqual(before[0])
      expect(tallyOf(d, q.id)).toMatchObject({ status: 'closed', result: 'passed', ratified: true })
      expect(alarms(d).filter((x) => x.kind === 'tampered').length).toBeGreaterThanOrEqual(10)
      expect(tally(d.ledger, 'rent').counts.block).toBe(0)
    })
    // Honest devices put the records back: a device that joins only now sees the truth too.
    const late = device(a.ledger.draftId, 'a new device')
    sync(late, hostile)
    expect(names(late)).toEqual(['Ana:admin', 'Ben:admin', 'Cleo:member', 'Dev:member'])
    expect(tallyOf(late, q.id)).toEqual(before[0])
    // It never saw a deletion; it sees the unsigned position for what it is.
    expect(whys(late)).toEqual(['unsigned: it does not count in a draft with a roster'])
  })

  it('3. re-opening a question with other terms, an earlier-dated close and a forged ratification hijack nothing', async () => {
    const { draftId, a, b, c, honest, hostile } = scene()
    const p = new Y.XmlElement('paragraph'); p.insert(0, [new Y.XmlText('Rent shall be capped.')]); content(a.doc).push([p])
    const v1 = await saveVersion(a.ledger, ana, { name: 'Draft 1', author: person(ana, 'Ana'), now: 5 }, L)
    const p2 = new Y.XmlElement('paragraph'); p2.insert(0, [new Y.XmlText('Rent shall be free.')]); content(a.doc).push([p2])
    const v2 = await saveVersion(a.ledger, ana, { name: 'Draft 2', author: person(ana, 'Ana'), now: 5 }, L)
    const q = openQuestion(a.ledger, ana, { text: 'Ratify Draft 1?', subject: { kind: 'ratify', version: v1.id, hash: v1.hash }, rule: 'two-thirds', quorum: 3, now: 6 }, L)
    sync(a, b, c, hostile)
    castBallot(a.ledger, ana, { question: q.id, choice: 'yes', now: 7 }, L)
    castBallot(b.ledger, ben, { question: q.id, choice: 'no', now: 7 }, L)
    castBallot(c.ledger, cleo, { question: q.id, choice: 'no', now: 7 }, L)
    sync(a, b, c, hostile)
    const heads = a.ledger.heads()
    // Format-1 style: the same question id, earlier, with Draft 2, majority, quorum 1 and Mallory as teller.
    questionsLog(hostile.doc).push([
      signRecord(mallory, { v: 1, t: 'open', id: q.id, text: 'Ratify Draft 2?', subject: { kind: 'ratify', version: v2.id, hash: v2.hash }, rule: 'majority', quorum: 1, by: mallory.id, at: 0, sig: '' }),
      signRecord(mallory, { v: 1, t: 'close', question: q.id, ballots: [], by: mallory.id, at: 1, sig: '' }),
    ])
    // Format 2: a close and a ratification of the real question by Mallory, dated before everything.
    const close = forge(hostile.doc, mallory, 'questions', { t: 'close', question: q.id, ballots: [], at: 0 }, { draft: draftId, prev: heads })
    forge(hostile.doc, mallory, 'questions', { t: 'ratify', question: q.id, close: close.id, version: v2.id, hash: v2.hash, result: 'passed', counts: { yes: 3, no: 0, abstain: 0, block: 0 }, at: 0 }, { draft: draftId, prev: [close.id] })
    sync(a, b, c, hostile)
    closeQuestion(a.ledger, ana, { question: q.id, now: 8 }, L)
    recordRatification(a.ledger, ana, { question: q.id, now: 9 }, L)
    sync(a, b, c, hostile)
    everyone(honest, (d) => {
      expect(readQuestions(d.ledger)).toHaveLength(1)
      expect(tallyOf(d, q.id)).toMatchObject({ text: 'Ratify Draft 1?', rule: 'two-thirds', quorum: 3, teller: ana.id, status: 'closed', result: 'failed', counts: { yes: 1, no: 2 } })
      expect(readQuestions(d.ledger)[0]!.conflict).toBeNull()
      expect(whys(d)).toEqual(expect.arrayContaining(['made by an earlier Plank or copied from another draft: it does not name this draft']))
    })
  })

  it('4. one key spelled four ways is one member: the other spellings are refused', () => {
    const { draftId, secret, a, b, c, honest, hostile } = scene()
    const q = openQuestion(a.ledger, ana, { text: 'Adopt?', subject: { kind: 'amendment', id: 'x' }, rule: 'majority', quorum: 1, now: 5 }, L)
    sync(a, b, c, hostile)
    const last = mallory.id.at(-1)!
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const base = alphabet.indexOf(last) & ~3
    const spellings = [0, 1, 2, 3].map((i) => mallory.id.slice(0, 42) + alphabet[base + i]).filter((s) => s !== mallory.id)
    expect(spellings).toHaveLength(3)
    for (const s of spellings) expect(decodeBytes(s)).toEqual(decodeBytes(mallory.id))
    const invitation = invitationKeyOf(secret)!
    for (const s of spellings) {
      // Join again and vote under each spelling (signatures by the same key check out).
      const proof = sign({ id: invitation, secretKey: decodeBytes(secret)! }, `plank-invitation/2\n${draftId}\n${s}\n${invitation}`)
      forge(hostile.doc, mallory, 'members', { t: 'accept', invite: invitation, name: 'M', proof, at: 6 }, { draft: draftId, prev: a.ledger.heads(), override: { by: s } })
      forge(hostile.doc, mallory, 'questions', { t: 'ballot', question: q.id, choice: 'yes', at: 6 }, { draft: draftId, prev: a.ledger.heads(), override: { by: s } })
    }
    castBallot(c.ledger, mallory, { question: q.id, choice: 'yes', now: 7 }, L)
    sync(a, b, c, hostile)
    everyone(honest, (d) => {
      expect(d.ledger.roster().members).toHaveLength(5)
      expect(tallyOf(d, q.id).counts.yes).toBe(1)
      expect(whys(d).filter((w) => w === 'its author key is not written the one canonical way')).toHaveLength(6)
    })
  })

  it('5. a close that leaves out ballots it had seen is flagged and they count; a later removal does not re-tally', async () => {
    const { a, b, c, honest, hostile } = scene()
    const p = new Y.XmlElement('paragraph'); p.insert(0, [new Y.XmlText('Rent shall be capped.')]); content(a.doc).push([p])
    const v = await saveVersion(a.ledger, ana, { name: 'Draft 1', author: person(ana, 'Ana'), now: 5 }, L)
    // Mallory is the teller.
    const q = openQuestion(c.ledger, mallory, { text: 'Ratify Draft 1?', subject: { kind: 'ratify', version: v.id, hash: v.hash }, rule: 'two-thirds', quorum: 3, now: 6, closers: 'teller' }, L)
    sync(a, b, c, hostile)
    for (const [d, m, choice] of [[a, ana, 'yes'], [b, ben, 'yes'], [c, cleo, 'no'], [c, dev, 'yes'], [c, mallory, 'yes']] as const) castBallot(d.ledger, m, { question: q.id, choice, now: 7 }, L)
    sync(a, b, c, hostile)
    // Her close follows every ballot but lists only the yes ballots.
    const yes = readQuestions(a.ledger)[0]!.counted.filter((x) => x.choice === 'yes').map((x) => x.hash)
    forge(hostile.doc, mallory, 'questions', { t: 'close', question: q.id, ballots: yes, at: 8 }, { draft: a.ledger.draftId, prev: a.ledger.heads() })
    sync(a, b, c, hostile)
    recordRatification(a.ledger, ana, { question: q.id, now: 9 }, L)
    sync(a, b, c)
    everyone(honest, (d) => {
      const view = readQuestions(d.ledger)[0]!
      expect(view).toMatchObject({ status: 'closed', counts: { yes: 4, no: 1 }, result: 'passed' })
      expect(view.omitted.map((x) => x.by)).toEqual([cleo.id])
      expect(view.ratification?.valid).toBe(true)
    })
    // Removing a voter afterwards changes neither the tally nor the ratification.
    removeMember(b.ledger, ben, dev.id, 20, L)
    sync(a, b, c)
    everyone(honest, (d) => expect(tallyOf(d, q.id)).toMatchObject({ counts: { yes: 4, no: 1 }, result: 'passed', ratified: true }))
  })

  it('6. a roster chain, ballot or invitation from another draft (or a parent draft) does not count here', () => {
    const { draftId, a, b, c, honest, hostile } = scene()
    const q = openQuestion(a.ledger, ana, { text: 'Adopt?', subject: { kind: 'amendment', id: 'x' }, rule: 'majority', quorum: 1, now: 5 }, L)
    sync(a, b, c, hostile)
    // Draft B, where Mallory is the founder and everyone is her member; and a chapter of this draft.
    const otherDoc = createDraftDoc()
    const otherId = foundDraft(otherDoc, mallory, 'Mallory', 1, L)
    const o = device(otherId, 'Mallory’s draft', {}, otherDoc)
    const s = inviteMembers(o.ledger, mallory, { role: 'admin', max: 9, now: 2 }, L)
    acceptInvitation(o.ledger, dev, { secret: s, name: 'Dev', now: 3 }, L)
    changeRole(o.ledger, mallory, dev.id, 'admin', 4, L)
    const qo = openQuestion(o.ledger, dev, { text: 'Adopt?', subject: { kind: 'amendment', id: 'x' }, rule: 'majority', quorum: 1, now: 5 }, L)
    castBallot(o.ledger, dev, { question: qo.id, choice: 'block', now: 6 }, L)
    const chapterDoc = startChapterDraft(a.doc, { parentId: draftId, parentTitle: 'P', chapter: 'R', title: 'P — R', now: 7 })
    const chapterId = foundDraft(chapterDoc, cleo, 'Cleo', 7, L)
    const chapter = device(chapterId, 'chapter', {}, chapterDoc)
    castBallot(a.ledger, ana, { question: q.id, choice: 'yes', now: 8 }, L)
    // Replay everything from Mallory's draft here, and this draft's ballot into the chapter.
    for (const name of ['members', 'questions'] as const) hostile.doc.getArray(name).push(o.doc.getArray(name).toArray())
    const parentRecords = a.doc.getArray('questions').toArray()
    chapterDoc.getArray('questions').push(parentRecords)
    sync(a, b, c, hostile)
    everyone(honest, (d) => {
      expect(names(d)).toEqual(['Ana:admin', 'Ben:admin', 'Cleo:member', 'Dev:member', 'Mallory:member'])
      expect(readQuestions(d.ledger).map((x) => x.id)).toEqual([q.id])
      expect(whys(d).filter((w) => w === 'signed for another draft').length).toBe(o.doc.getArray('members').length - 1 + o.doc.getArray('questions').length)
    })
    expect(readQuestions(chapter.ledger)).toEqual([])
    expect(names(chapter)).toEqual(['Cleo:admin'])
    expect(whys(chapter).filter((w) => w === 'signed for another draft')).toHaveLength(parentRecords.length)
  })

  it('7. a swapped version record is refused; a ratification stands only on the hash every device re-derives', async () => {
    const { draftId, a, b, c, honest, hostile } = scene()
    const p = new Y.XmlElement('paragraph'); p.insert(0, [new Y.XmlText('Rent shall be capped.')]); content(a.doc).push([p])
    const v = await saveVersion(a.ledger, ana, { name: 'Draft 1', author: person(ana, 'Ana'), now: 5 }, L)
    const q = openQuestion(a.ledger, ana, { text: 'Ratify Draft 1?', subject: { kind: 'ratify', version: v.id, hash: v.hash }, rule: 'majority', quorum: 1, now: 6 }, L)
    castBallot(a.ledger, ana, { question: q.id, choice: 'yes', now: 7 }, L)
    closeQuestion(a.ledger, ana, { question: q.id, now: 8 }, L)
    recordRatification(a.ledger, ana, { question: q.id, now: 9 }, L)
    sync(a, b, c, hostile)
    // Overwrite the record with another snapshot (text with a different word) under the same key.
    const t = (content(hostile.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText
    t.insert(0, 'No. ')
    const stored = versions(hostile.doc).get(v.id) as { record: Record<string, unknown>; snapshot: Uint8Array }
    versions(hostile.doc).set(v.id, { record: stored.record, snapshot: Y.encodeSnapshot(Y.snapshot(hostile.doc)) })
    // And a version by Mallory that claims Draft 1's hash for a different text.
    const snapshot = Y.encodeSnapshot(Y.snapshot(hostile.doc))
    const { record, id } = makeRecord(mallory, { dom: DOMAIN.version, draft: draftId, prev: a.ledger.heads() }, { t: 'version', kind: 'named', name: 'Draft 1', color: '#000000', snap: (await import('./ledger.ts')).snapshotHash(snapshot), hash: v.hash, format: 2, at: 10 })
    versions(hostile.doc).set(id, { record, snapshot })
    const lie = openQuestion(b.ledger, ben, { text: 'Ratify Mallory’s Draft 1?', subject: { kind: 'ratify', version: id, hash: v.hash }, rule: 'majority', quorum: 1, now: 11 }, L)
    sync(a, b, c, hostile)
    castBallot(b.ledger, ben, { question: lie.id, choice: 'yes', now: 12 }, L)
    closeQuestion(b.ledger, ben, { question: lie.id, now: 13 }, L)
    recordRatification(b.ledger, ben, { question: lie.id, now: 14 }, L)
    sync(a, b, c, hostile)
    everyone(honest, (d) => {
      expect(tallyOf(d, q.id)).toMatchObject({ ratified: true })
      expect(tallyOf(d, lie.id)).toMatchObject({ ratified: false, why: 'the version’s text does not give this hash' })
      expect(readVersions(d.ledger).find((x) => x.id === v.id)!.snapshot).toEqual((a.store.get(v.id)!.snapshot))
      // The swapped record was put back by the first device that saw it, and the swap is on record.
      expect(alarms(d).find((x) => x.id === v.id)).toMatchObject({ kind: 'tampered', why: 'deleted from the shared document' })
    })
  })

  it('8. edits that render differently but would hash the same in format 1 do not pass for the ratified text', async () => {
    const { a, b, c, honest, hostile } = scene()
    // Draft 1: a numbered list, a link and a paragraph; ratified.
    const el = (name: string, attrs: Record<string, unknown>, ...children: Array<Y.XmlElement | Y.XmlText>) => { const e = new Y.XmlElement(name); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v as string); e.insert(0, children); return e }
    const text = (t: string, marks: Record<string, unknown> = {}) => { const x = new Y.XmlText(); x.insert(0, t, marks); return x }
    content(a.doc).push([
      el('ordered_list', { order: 1 }, el('list_item', {}, el('paragraph', {}, text('Housing first')))),
      el('paragraph', {}, text('See ', {}), ),
      el('paragraph', {}, text('a')),
      el('paragraph', {}, text('b')),
    ])
    ;((content(a.doc).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(4, 'the law', { link: { href: '7' } })
    const v = await saveVersion(a.ledger, ana, { name: 'Draft 1', author: person(ana, 'Ana'), now: 5 }, L)
    const q = openQuestion(a.ledger, ana, { text: 'Ratify Draft 1?', subject: { kind: 'ratify', version: v.id, hash: v.hash }, rule: 'majority', quorum: 1, now: 6 }, L)
    castBallot(a.ledger, ana, { question: q.id, choice: 'yes', now: 7 }, L)
    closeQuestion(a.ledger, ana, { question: q.id, now: 8 }, L)
    recordRatification(a.ledger, ana, { question: q.id, now: 9 }, L)
    sync(a, b, c, hostile)
    for (const d of honest) expect(ratifiedTextOf(d.ledger)?.version.id).toBe(v.id)
    // Mallory changes what members read, in ways format 1 could not see: the list starts at 0,
    // the link points nowhere, two paragraphs become one with a newline inside. (A run whose
    // insertion mark has no string id, which format 1 took for accepted text: canonical.test.ts.)
    const before1 = canonicalText(hostile.doc, 1)
    const blocks = content(hostile.doc)
    hostile.doc.transact(() => {
      ;(blocks.get(0) as Y.XmlElement).setAttribute('order', 0 as unknown as string)
      ;((blocks.get(1) as Y.XmlElement).get(0) as Y.XmlText).format(4, 7, { link: { href: 7 } })
      blocks.delete(2, 2)
      blocks.insert(2, [el('paragraph', {}, text('a\nparagraph|b'))])
    })
    expect(canonicalText(hostile.doc, 1)).toBe(before1) // under format 1 this would still read as Draft 1
    sync(a, b, c, hostile)
    everyone(honest, (d) => {
      expect(ratifiedTextOf(d.ledger)).toBeNull()
      expect(tallyOf(d, q.id)).toMatchObject({ ratified: true }) // Draft 1 itself stays ratified
    })
  })

  it('9. a removed member’s old links, from any admin and any device, do not readmit them', () => {
    const { draftId, secret, a, b, c, honest, hostile } = scene()
    const bens = inviteMembers(b.ledger, ben, { role: 'member', max: 50, now: 5 }, L)
    sync(a, b, c, hostile)
    removeMember(a.ledger, ana, mallory.id, 6, L)
    sync(a, b, c, hostile)
    // Mallory's own device (she kept the room key): both links, her key and a fresh one.
    const m = device(draftId, 'Mallory’s laptop', {}, hostile.doc)
    for (const [who, link] of [[mallory, secret], [mallory, bens], [newIdentity(), bens]] as const) acceptInvitation(m.ledger, who, { secret: link, name: 'Mallory', now: 7 }, L)
    sync(a, b, c, hostile)
    everyone(honest, (d) => {
      expect(names(d)).toEqual(['Ana:admin', 'Ben:admin', 'Cleo:member', 'Dev:member'])
      expect(alarms(d).filter((x) => x.kind === 'refused' && x.by === mallory.id).map((x) => x.why)).toEqual(['the invitation was voided when Mallory was removed', 'the invitation was voided when Mallory was removed'])
      expect(d.ledger.roster().invitationOpen(invitationKeyOf(bens)!)).toBe(false)
    })
  })

  it('10. a decision dated far in the future does not win: a member’s concurrent one is a visible conflict, a non-member’s is refused', () => {
    const { draftId, a, b, c, honest, hostile } = scene()
    const heads = a.ledger.heads()
    recordDecision(a.ledger, { question: 'rent', member: person(ana, 'Ana'), outcome: 'accepted', now: 10, identity: ana }, L)
    const d = forge(hostile.doc, mallory, 'votes', { t: 'decision', question: 'rent', member: person(mallory, 'Mallory'), outcome: 'rejected', at: 9e15 }, { draft: draftId, prev: heads })
    const outsider = newIdentity()
    forge(hostile.doc, outsider, 'votes', { t: 'decision', question: 'other', member: person(outsider, 'Eve'), outcome: 'rejected', at: 9e15 }, { draft: draftId, prev: heads })
    recordDecision(b.ledger, { question: 'other', member: person(ben, 'Ben'), outcome: 'accepted', now: 10, identity: ben }, L)
    sync(a, b, c, hostile)
    everyone(honest, (h) => {
      expect(tally(h.ledger, 'rent')).toMatchObject({ status: 'open' })
      expect(tally(h.ledger, 'rent').conflict?.map((x) => x.id).sort()).toEqual([d.id, tally(h.ledger, 'rent').conflict!.find((x) => x.member.id === ana.id)!.id].sort())
      expect(tally(h.ledger, 'other')).toMatchObject({ status: 'accepted', conflict: null })
      expect(tally(h.ledger, 'other').flagged.map((f) => f.why)).toEqual(['not a member'])
    })
    // A member who has seen both decides again: that settles it, whatever any clock says.
    recordDecision(c.ledger, { question: 'rent', member: person(cleo, 'Cleo'), outcome: 'accepted', now: 1, identity: cleo }, L)
    sync(a, b, c, hostile)
    everyone(honest, (h) => expect(tally(h.ledger, 'rent')).toMatchObject({ status: 'accepted', conflict: null }))
  })
})

describe('red team: more attacks found on the way', () => {
  it('a removed admin’s close made on old heads (backdated in the graph) is refused', () => {
    const { draftId, a, b, c, honest, hostile } = scene()
    changeRole(a.ledger, ana, mallory.id, 'admin', 5, L)
    const q = openQuestion(a.ledger, ana, { text: 'Adopt?', subject: { kind: 'amendment', id: 'x' }, rule: 'majority', quorum: 2, now: 6 }, L)
    sync(a, b, c, hostile)
    const before = a.ledger.heads()
    removeMember(a.ledger, ana, mallory.id, 7, L)
    castBallot(b.ledger, ben, { question: q.id, choice: 'yes', now: 8 }, L)
    sync(a, b, c, hostile)
    forge(hostile.doc, mallory, 'questions', { t: 'close', question: q.id, ballots: [], at: 6 }, { draft: draftId, prev: before })
    forge(hostile.doc, mallory, 'questions', { t: 'ballot', question: q.id, choice: 'no', at: 6 }, { draft: draftId, prev: before })
    sync(a, b, c, hostile)
    everyone(honest, (d) => {
      expect(tallyOf(d, q.id)).toMatchObject({ status: 'open', counts: { yes: 1, no: 0 } })
      expect(readQuestions(d.ledger)[0]!.flagged.map((f) => f.why)).toEqual(['made concurrently with its author’s removal'])
    })
  })

  it('records whose predecessors never arrive are held, not applied', () => {
    const { draftId, a, b, c, honest, hostile } = scene()
    forge(hostile.doc, mallory, 'members', { t: 'remove', subject: ben.id, at: 5 }, { draft: draftId, prev: ['0'.repeat(64)] })
    forge(hostile.doc, mallory, 'members', { t: 'role', subject: mallory.id, role: 'admin', at: 5 }, { draft: draftId, prev: ['f'.repeat(64)] })
    sync(a, b, c, hostile)
    everyone(honest, (d) => {
      expect(names(d)).toContain('Ben:admin')
      expect(d.ledger.problems().filter((p) => p.kind === 'held')).toHaveLength(2)
    })
  })

  it('re-pushing, reordering and duplicating honest records changes nothing', () => {
    const { a, b, c, honest, hostile } = scene()
    const q = openQuestion(a.ledger, ana, { text: 'Adopt?', subject: { kind: 'amendment', id: 'x' }, rule: 'majority', quorum: 1, now: 5 }, L)
    castBallot(a.ledger, ana, { question: q.id, choice: 'yes', now: 6 }, L)
    sync(a, b, c, hostile)
    const before = tallyOf(a, q.id)
    for (const name of ['members', 'questions'] as const) hostile.doc.getArray(name).insert(0, [...hostile.doc.getArray(name).toArray()].reverse())
    sync(a, b, c, hostile)
    everyone(honest, (d) => {
      expect(tallyOf(d, q.id)).toEqual(before)
      expect(alarms(d)).toEqual([])
    })
  })

  it('in an old draft, re-opening a format-1 question id with other terms leaves the vote without a result', () => {
    const legacyId = '4f0c2a8e-9a51-4c43-8f43-1c2f0b5c9d11'
    const a = device(legacyId, 'old draft, Ana', { me: ana.id })
    const secret = (startRoster(a.ledger, ana, 'Ana', 1, L), inviteMembers(a.ledger, ana, { role: 'member', max: 5, now: 2 }, L))
    acceptInvitation(a.ledger, mallory, { secret, name: 'Mallory', now: 3 }, L)
    const b = device(legacyId, 'old draft, Ben')
    const open = (by: Identity, text: string, at: number) => questionsLog(a.doc).push([signRecord(by, { v: 1, t: 'open', id: 'q-old', text, subject: { kind: 'amendment', id: 'x' }, rule: 'majority', quorum: 1, by: by.id, at, sig: '' })])
    open(ana, 'Adopt?', 5)
    questionsLog(a.doc).push([signRecord(ana, { v: 1, t: 'ballot', question: 'q-old', choice: 'yes', by: ana.id, at: 6, sig: '' })])
    open(mallory, 'Adopt the opposite?', 0)
    sync(a, b)
    for (const d of [a, b]) {
      const q = readQuestions(d.ledger)[0]!
      expect(q).toMatchObject({ legacy: true, result: null, conflictKind: 'opens' })
      expect(q.conflict?.map((c) => c.by).sort()).toEqual([ana.id, mallory.id].sort())
    }
  })

  it('an old draft (random id) pins the founder it first saw, or the one its invite names; a later second founder is refused', () => {
    const legacyId = '4f0c2a8e-9a51-4c43-8f43-1c2f0b5c9d11'
    const a = device(legacyId, 'old draft, Ana', { me: ana.id })
    const found = startRoster(a.ledger, ana, 'Ana', 1, L)
    const secret = inviteMembers(a.ledger, ana, { role: 'member', max: 5, now: 2 }, L)
    acceptInvitation(a.ledger, ben, { secret, name: 'Ben', now: 3 }, L)
    const b = device(legacyId, 'old draft, Ben', { me: ben.id })
    sync(a, b)
    expect(b.ledger.root()).toMatchObject({ kind: 'pinned', id: found.id, from: 'first sight' })
    // Mallory's founding entry, both formats: refused on devices that pinned Ana's.
    const hostile = { doc: createDraftDoc() }
    forge(hostile.doc, mallory, 'members', { t: 'found', name: 'Mallory', nonce: 'x', at: 0 }, { draft: legacyId, prev: [] })
    members(hostile.doc).push([signRecord(mallory, { v: 1, t: 'found', name: 'Mallory', by: mallory.id, at: 0, prev: [], sig: '' })])
    // A device that first sees the draft with both founders and no invite cannot tell: it says so.
    const confused = device(legacyId, 'a new device without an invite')
    // A device whose invite names the root waits for that one.
    const invited = device(legacyId, 'a new device with an invite', { root: found.id })
    sync(invited, hostile)
    expect(names(invited)).toEqual([])
    expect(invited.ledger.root()).toMatchObject({ kind: 'waiting', id: found.id })
    sync(a, b, hostile, confused)
    for (const d of [a, b]) {
      expect(names(d)).toEqual(['Ana:admin', 'Ben:member'])
      expect(whys(d).filter((w) => w === 'a second founding entry: this draft has one founder')).toHaveLength(2)
    }
    expect(confused.ledger.root()).toMatchObject({ kind: 'contested' })
    expect(names(confused)).toEqual([])
    sync(invited, a)
    expect(names(invited)).toEqual(['Ana:admin', 'Ben:member'])
    expect(invited.ledger.root()).toMatchObject({ kind: 'pinned', from: 'invite' })
  })
})
