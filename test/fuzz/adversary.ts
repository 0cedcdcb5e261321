import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import { sha256 } from '@noble/hashes/sha2.js'
import {
  CHOICES, DOMAIN, type Domain, type Identity, Ledger, type LogName, MemoryRecordStore, ORIGIN, POSITIONS, type Role,
  acceptInvitation, addMinorityReport, castBallot, changeRole, closeQuestion, content, createDraftDoc, foundDraft, identityFromSecret,
  inviteMembers, makeRecord, openQuestion, readQuestions, readVersions, recordDecision, recordPosition, recordRatification, removeMember,
  renameMember, revokeInvitation, saveVersion, signRecord, tally, recordIdOf, invitationKeyOf,
} from '../../crdt/index.ts'

/**
 * The adversarial fuzzer for the signed logs (crdt/ledger.ts). Three honest devices,
 * used by four honest members (and newcomers they invite), take random acts and sync
 * now and then — directly, or through the one document everyone shares, which a
 * hostile writer also writes to. The hostile writer holds the keys of a member removed
 * at the start and of an outsider, and pushes random forged, replayed, reordered,
 * deleted, backdated and malformed records, and records copied from another draft.
 *
 * After a last full sync, every honest device must show the same roster, votes,
 * decisions and versions, and the same as a reference device that reads only the
 * honest records (the hostile ones taken out of the document). Everything is a
 * function of the seed: keys come from it, so a failing seed replays exactly.
 */
export interface AdversaryResult { honestActs: number; attacks: number; refused: number; tampered: number }

const L = ORIGIN.local

/** An honest device's ledger, noting every record it signs: the reference is built from exactly these. */
class HonestLedger extends Ledger {
  constructor(doc: Y.Doc, draftId: string, private readonly made: Set<string>) {
    super(doc, draftId, { repair: true, store: new MemoryRecordStore() })
  }

  override append(...args: Parameters<Ledger['append']>): ReturnType<Ledger['append']> {
    const entry = super.append(...args)
    this.made.add(entry.id)
    return entry
  }
}
const key = (seed: number, who: string): Identity => identityFromSecret(sha256(new TextEncoder().encode(`plank-adversary-${seed}-${who}`)))
type Device = { doc: Y.Doc; ledger: Ledger; name: string }

const exchange = (a: { doc: Y.Doc }, b: { doc: Y.Doc }) => {
  Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)))
  Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)))
}

/** What a member sees: the roster, every vote, every amendment's tally, the versions. */
export const summary = (ledger: Ledger, amendments: string[]) => {
  const roster = ledger.roster()
  return JSON.stringify({
    roster: roster.members.map((m) => `${m.name}:${m.role}${m.founder ? ':founder' : ''}`),
    questions: readQuestions(ledger).map((q) => ({
      id: q.id, status: q.status, counts: q.counts, result: q.result, late: q.late.length, electorate: q.electorate,
      conflict: q.conflict?.length ?? 0, omitted: q.omitted.length, reports: q.reports.length,
      ratification: q.ratification ? { valid: q.ratification.valid, why: q.ratification.why } : null,
    })),
    amendments: amendments.map((a) => { const t = tally(ledger, a); return { a, counts: t.counts, status: t.status, conflict: t.conflict?.length ?? 0 } }),
    versions: readVersions(ledger).filter((v) => !v.foreign).map((v) => `${v.id}:${v.name}`),
  })
}

export const runAdversary = (seed: number, steps = 120): AdversaryResult => {
  const g = prng.create(seed)
  const [ana, ben, cleo, dev, mallory, eve] = ['ana', 'ben', 'cleo', 'dev', 'mallory', 'eve'].map((w) => key(seed, w)) as [Identity, Identity, Identity, Identity, Identity, Identity]
  const newcomers = ['fay', 'gus', 'hal'].map((w) => key(seed, w))
  const names = new Map<string, string>([[ana.id, 'Ana'], [ben.id, 'Ben'], [cleo.id, 'Cleo'], [dev.id, 'Dev'], ...newcomers.map((n, i) => [n.id, ['Fay', 'Gus', 'Hal'][i]!] as [string, string])])

  // Setup: Ana founds; everyone joins; Mallory is removed. A paragraph to save versions of.
  const doc0 = createDraftDoc()
  const draftId = foundDraft(doc0, ana, 'Ana', 1, L)
  const honestIds = new Set<string>([draftId])
  const devices: Device[] = [doc0, createDraftDoc(), createDraftDoc()].map((doc, i) => ({ doc, name: `device ${i}`, ledger: new HonestLedger(doc, draftId, honestIds) }))
  const first = devices[0]!
  const setupSecret = inviteMembers(first.ledger, ana, { role: 'member', max: 20, now: 2 }, L)
  for (const [m, n] of [[ben, 'Ben'], [cleo, 'Cleo'], [dev, 'Dev'], [mallory, 'Mallory']] as const) acceptInvitation(first.ledger, m, { secret: setupSecret, name: n, now: 3 }, L)
  changeRole(first.ledger, ana, ben.id, 'admin', 4, L)
  changeRole(first.ledger, ana, mallory.id, 'admin', 4, L)
  // What Mallory saw while she was an admin: her backdated acts name these heads.
  const beforeRemoval = first.ledger.heads()
  const p = new Y.XmlElement('paragraph')
  p.insert(0, [new Y.XmlText('Rent shall be capped.')])
  content(doc0).push([p])
  removeMember(first.ledger, ana, mallory.id, 5, L)
  const hostile = { doc: createDraftDoc() }
  for (const d of [...devices.slice(1), hostile]) exchange(first, d)
  honestIds.add((first.ledger.root() as { id: string }).id)

  // Another draft with the same people: its records are replayed here.
  const otherDoc = createDraftDoc()
  const other = new Ledger(otherDoc, foundDraft(otherDoc, mallory, 'Mallory', 1, L))
  const otherSecret = inviteMembers(other, mallory, { role: 'admin', max: 9, now: 2 }, L)
  for (const m of [ana, ben, cleo]) acceptInvitation(other, m, { secret: otherSecret, name: 'x', now: 3 }, L)
  const otherQ = openQuestion(other, ana, { text: 'Elsewhere?', subject: { kind: 'amendment', id: 'a0' }, rule: 'majority', quorum: 1, now: 4 }, L)
  castBallot(other, ben, { question: otherQ.id, choice: 'no', now: 5 }, L)
  recordDecision(other, { question: 'a0', member: { id: cleo.id, name: 'Cleo', color: '#0f6b63' }, outcome: 'rejected', now: 6, identity: cleo }, L)

  const honest = [ana, ben, cleo, dev]
  const secrets: string[] = []
  const amendments = ['a0', 'a1', 'a2']
  const oldHeads: string[][] = [first.ledger.heads()]
  const result: AdversaryResult = { honestActs: 0, attacks: 0, refused: 0, tampered: 0 }
  const questionIds = (d: Device) => readQuestions(d.ledger).map((q) => q.id)

  const honestAct = (d: Device, now: number) => {
    const me = prng.oneOf(g, honest)
    const subject = prng.oneOf(g, [...honest, ...newcomers, mallory])
    const qs = questionIds(d)
    const q = qs.length ? prng.oneOf(g, qs) : null
    const member = { id: me.id, name: names.get(me.id)!, color: '#0f6b63' }
    switch (prng.int32(g, 0, 15)) {
      case 0: secrets.push(inviteMembers(d.ledger, me, { role: prng.oneOf(g, ['member', 'admin'] as Role[]), max: 2, now }, L)); break
      case 1: if (secrets.length) { const n = prng.oneOf(g, newcomers); acceptInvitation(d.ledger, n, { secret: prng.oneOf(g, secrets), name: names.get(n.id)!, now }, L); if (!honest.includes(n)) honest.push(n) } break
      case 2: changeRole(d.ledger, me, subject.id, prng.oneOf(g, ['member', 'admin'] as Role[]), now, L); break
      case 3: if (prng.int32(g, 0, 3) === 0) removeMember(d.ledger, me, subject.id, now, L); break
      case 4: renameMember(d.ledger, me, `${names.get(me.id)}${now % 3 ? '' : '′'}`, now, L); break
      case 5: if (secrets.length && prng.bool(g)) revokeInvitation(d.ledger, me, prng.oneOf(g, secrets), now, L); break
      case 6: {
        const versions = readVersions(d.ledger).filter((v) => v.signed && !v.foreign)
        const v = versions.length && prng.bool(g) ? prng.oneOf(g, versions) : null
        openQuestion(d.ledger, me, { text: `Q${now}`, subject: v ? { kind: 'ratify', version: v.id, hash: v.hash } : { kind: 'amendment', id: prng.oneOf(g, amendments) }, rule: prng.oneOf(g, ['majority', 'two-thirds', 'consensus'] as const), quorum: prng.int32(g, 0, 3), now, closers: prng.bool(g) ? 'teller' : 'teller-or-admin' }, L)
        break
      }
      case 7: case 8: case 9: if (q) castBallot(d.ledger, me, { question: q, choice: prng.oneOf(g, [...CHOICES]), now }, L); break
      case 10: if (q) closeQuestion(d.ledger, me, { question: q, now }, L); break
      case 11: if (q) { if (prng.bool(g)) recordRatification(d.ledger, me, { question: q, now }, L); else addMinorityReport(d.ledger, me, { question: q, text: 'No.', now }, L) } break
      case 12: recordPosition(d.ledger, { question: prng.oneOf(g, amendments), member, position: prng.oneOf(g, [...POSITIONS]), reason: '', now, identity: me }, L); break
      case 13: recordDecision(d.ledger, { question: prng.oneOf(g, amendments), member, outcome: prng.oneOf(g, ['accepted', 'rejected', 'withdrawn'] as const), now, identity: me }, L); break
      default: {
        const t = (content(d.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText
        t.insert(t.length, ` ${now}`)
        void saveVersion(d.ledger, me, { name: `V${now}`, author: member, now }, L)
      }
    }
    oldHeads.push(d.ledger.heads())
  }

  const forge = (signer: Identity, log: Exclude<LogName, 'versions'>, fields: Record<string, unknown> & { t: string; at: number }, prev: string[], override: Record<string, unknown> = {}) => {
    const dom: Domain = { members: DOMAIN.roster, questions: DOMAIN.question, votes: DOMAIN.decision }[log]
    hostile.doc.getArray(log).push([{ ...makeRecord(signer, { dom, draft: draftId, prev }, fields).record, ...override }])
  }
  const hostileAct = (now: number) => {
    result.attacks++
    const heads = prng.int32(g, 0, 2) === 0 ? beforeRemoval : prng.oneOf(g, oldHeads)
    const signer = prng.oneOf(g, [mallory, eve])
    const victim = prng.oneOf(g, honest)
    const q = prng.oneOf(g, [...new Set(hostile.doc.getArray<{ t?: string; v?: number }>('questions').toArray().filter((e) => e?.t === 'open' && e.v === 2).map((e) => makeIdOf(e)))].concat(['f'.repeat(64)]))
    switch (prng.int32(g, 0, 11)) {
      case 0: // forged in an honest member's name
        forge(signer, prng.oneOf(g, ['members', 'questions', 'votes'] as const), prng.oneOf(g, [
          { t: 'remove', subject: prng.oneOf(g, honest).id, at: now },
          { t: 'ballot', question: q, choice: 'block', at: now },
          { t: 'decision', question: prng.oneOf(g, amendments), member: { id: victim.id, name: 'X', color: '#000000' }, outcome: 'rejected', at: 9e15 },
        ]), heads, { by: victim.id })
        break
      case 1: { // backdated acts of the removed member, or an outsider's
        const acts = [
          ['members', { t: 'role', subject: signer.id, role: 'admin', at: 0 }],
          ['members', { t: 'remove', subject: prng.oneOf(g, honest).id, at: 0 }],
          ['members', { t: 'invite', invite: eve.id, role: 'admin', max: 5, at: 0 }],
          ['questions', { t: 'ballot', question: q, choice: 'no', at: 0 }],
          ['questions', { t: 'close', question: q, ballots: [], at: 0 }],
          ['votes', { t: 'decision', question: prng.oneOf(g, amendments), member: { id: signer.id, name: 'M', color: '#000000' }, outcome: 'rejected', at: 9e15 }],
        ] as const
        const [log, fields] = prng.oneOf(g, [...acts])
        forge(signer, log, fields as never, heads)
        break
      }
      case 2: // Mallory tries the setup link again
        forge(mallory, 'members', { t: 'accept', invite: makeInviteKey(setupSecret), name: 'Mallory', proof: 'x'.repeat(86), at: now }, heads)
        break
      case 3: { // replays from the other draft
        const log = prng.oneOf(g, ['members', 'questions', 'votes'] as const)
        const values = otherDoc.getArray(log).toArray()
        if (values.length) hostile.doc.getArray(log).push([prng.oneOf(g, values)])
        break
      }
      case 4: case 5: { // deletions of honest (or any) records
        const log = prng.oneOf(g, ['members', 'questions', 'votes'] as const)
        const arr = hostile.doc.getArray(log)
        if (arr.length) { const at = prng.int32(g, 0, arr.length - 1); arr.delete(at, Math.min(arr.length - at, prng.int32(g, 1, 4))) }
        break
      }
      case 6: { // a version swapped, or deleted
        const map = hostile.doc.getMap('versions')
        const keys = [...map.keys()]
        if (keys.length) {
          const k = prng.oneOf(g, keys)
          if (prng.bool(g)) map.delete(k)
          else map.set(k, { ...(map.get(k) as object), snapshot: Y.encodeSnapshot(Y.snapshot(hostile.doc)) })
        }
        break
      }
      case 7: { // reordering: honest records pushed again, reversed
        const log = prng.oneOf(g, ['members', 'questions', 'votes'] as const)
        const arr = hostile.doc.getArray(log)
        arr.insert(0, arr.toArray().slice(-3).reverse())
        break
      }
      case 8: // a second root
        forge(signer, 'members', { t: 'found', name: 'Mallory', nonce: String(now), at: 0 }, [])
        break
      case 9: // malformed and non-canonical junk
        hostile.doc.getArray(prng.oneOf(g, ['members', 'questions', 'votes'] as const)).push([prng.oneOf(g, [null, 'junk', { v: 2 }, { v: 1, t: 'ballot' }])])
        break
      case 10: // format-1 records, which a draft with a derived id refuses
        hostile.doc.getArray('questions').push([signRecord(signer, { v: 1, t: 'open', id: 'q', text: 'Hijack', subject: { kind: 'amendment', id: 'a1' }, rule: 'majority', quorum: 0, by: signer.id, at: 0, sig: '' })])
        break
      default: // an unsigned position
        hostile.doc.getArray('votes').push([{ v: 1, kind: 'position', question: prng.oneOf(g, amendments), member: { id: victim.id, name: 'X', color: '#000000' }, position: 'block', reason: '', at: now, sig: null }])
    }
  }

  for (let step = 0; step < steps; step++) {
    const now = 10 + step
    const roll = prng.int32(g, 0, 9)
    try {
      if (roll <= 4) { honestAct(prng.oneOf(g, devices), now); result.honestActs++ }
      else if (roll <= 6) hostileAct(now)
      else if (roll === 7) { const [a, b] = [prng.oneOf(g, devices), prng.oneOf(g, devices)]; if (a !== b) exchange(a, b) }
      else { const d = prng.oneOf(g, devices); exchange(d, hostile); d.ledger.refresh() }
    } catch { /* an act its author may not take on this device (e.g. closing a closed vote) */ }
  }
  // The last full sync: devices read (putting back what was deleted) and exchange until nothing changes.
  for (let round = 0; round < 4; round++) {
    for (const a of [...devices, hostile]) for (const b of [...devices, hostile]) if (a !== b) Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)))
    for (const d of devices) d.ledger.refresh()
  }
  const views = devices.map((d) => summary(d.ledger, amendments))
  for (let i = 1; i < views.length; i++) if (views[i] !== views[0]) throw new Error(`seed ${seed}: ${devices[i]!.name} differs from ${devices[0]!.name}:\n${views[i]}\n${views[0]}`)

  // The reference: the same document with every record no honest device signed taken out.
  const refDoc = createDraftDoc()
  Y.applyUpdate(refDoc, Y.encodeStateAsUpdate(first.doc))
  const probe = new Ledger(refDoc, draftId)
  const idOf = (log: LogName, value: unknown): string | null => {
    const node = probe.node(makeIdOf((log === 'versions' ? (value as { record?: unknown } | null)?.record : value) as object))
    return node ? node.id : null
  }
  refDoc.transact(() => {
    for (const log of ['members', 'questions', 'votes'] as const) {
      const arr = refDoc.getArray(log)
      for (let i = arr.length - 1; i >= 0; i--) { const id = idOf(log, arr.get(i)); if (!id || !honestIds.has(id)) arr.delete(i, 1) }
    }
    const map = refDoc.getMap('versions')
    for (const k of [...map.keys()]) { const id = idOf('versions', map.get(k)); if (!id || !honestIds.has(id)) map.delete(k) }
  })
  probe.destroy()
  const reference = new Ledger(refDoc, draftId)
  const expected = summary(reference, amendments)
  if (views[0] !== expected) throw new Error(`seed ${seed}: honest devices differ from the reference of honest records alone:\n${views[0]}\n${expected}`)
  for (const p of first.ledger.problems()) { if (p.kind === 'tampered') result.tampered++; else if (p.alarm) result.refused++ }
  return result
}

/** The id of a format-2 record (hash of its signed bytes); anything else gets an id nothing has. */
const makeIdOf = (value: object | null): string => { try { return value ? recordIdOf(value) : '' } catch { return '' } }
const makeInviteKey = (secret: string): string => invitationKeyOf(secret)!
