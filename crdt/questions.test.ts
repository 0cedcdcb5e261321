import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createDraftDoc } from './draft.ts'
import { ORIGIN } from './origins.ts'
import { newIdentity, signRecord } from './identity.ts'
import { acceptInvitation, changeRole, foundRoster, inviteMembers, readRoster, removeMember } from './roster.ts'
import { addMinorityReport, castBallot, closeQuestion, decide, openQuestion, questionsLog, readQuestions, recordRatification } from './questions.ts'
import { sync } from './testing.ts'

const L = ORIGIN.local
const [ana, ben, cleo, dev, eve] = [newIdentity(), newIdentity(), newIdentity(), newIdentity(), newIdentity()]
const VERSION_HASH = 'a'.repeat(64)

/** Ana (founder), Ben, Cleo, Dev: a committee of four, on three devices. */
const committee = () => {
  const a = createDraftDoc()
  foundRoster(a, ana, 'Ana', 1, L)
  const secret = inviteMembers(a, ana, { role: 'member', max: 10, now: 2 }, L)
  for (const [m, name] of [[ben, 'Ben'], [cleo, 'Cleo'], [dev, 'Dev']] as const) acceptInvitation(a, m, { secret, name, now: 3 }, L)
  const [b, c] = [createDraftDoc(), createDraftDoc()]
  sync(a, b, c)
  return { a, b, c }
}
const view = (doc: Y.Doc, versionHash: string | null = VERSION_HASH) => readQuestions(doc, readRoster(doc), () => versionHash)[0]!
const summary = (doc: Y.Doc) => {
  const q = view(doc)
  return { status: q.status, counts: q.counts, counted: q.counted.map((b) => b.by), late: q.late.map((b) => b.by), flagged: q.flagged.map((f) => f.why).sort(), result: q.result }
}

describe('questions, ballots and ratification', () => {
  it('every peer computes the same tally: a bad signature, a removed member, a double vote, and offline ballots before and after the close', () => {
    const { a, b, c } = committee()
    const q = openQuestion(a, ana, { text: 'Ratify Draft 3?', subject: { kind: 'ratify', version: 'v3', hash: VERSION_HASH }, rule: 'majority', quorum: 3, now: 10 }, L)
    sync(a, b, c)
    castBallot(a, ana, { question: q.id, choice: 'yes', now: 11 }, L)
    // Ben votes twice: his latest ballot replaces the first.
    castBallot(b, ben, { question: q.id, choice: 'no', now: 12 }, L)
    castBallot(b, ben, { question: q.id, choice: 'yes', now: 13 }, L)
    // A forged ballot in Cleo's name, signed with another key.
    questionsLog(b).push([signRecord(eve, { v: 1, t: 'ballot', question: q.id, choice: 'no', by: cleo.id, at: 14, sig: '' })])
    // Dev is removed; his ballot then does not count.
    removeMember(a, ana, dev.id, 15, L)
    castBallot(b, dev, { question: q.id, choice: 'no', now: 16 }, L)
    // Cleo votes offline (on c), and syncs before the close.
    castBallot(c, cleo, { question: q.id, choice: 'no', now: 17 }, L)
    sync(a, b, c)
    expect(summary(a)).toEqual(summary(b))
    expect(summary(a)).toEqual(summary(c))
    expect(summary(a)).toMatchObject({ status: 'open', counts: { yes: 2, no: 1, abstain: 0, block: 0 }, flagged: ['not a member', 'signature does not verify'] })

    // Ana (the teller) closes; Cleo's second, offline ballot arrives after the close.
    const offline = createDraftDoc()
    sync(c, offline)
    castBallot(offline, cleo, { question: q.id, choice: 'yes', now: 18 }, L)
    closeQuestion(a, ana, readRoster(a), { question: q.id, now: 19 }, L)
    sync(a, b, c)
    sync(offline, a, b, c)
    for (const doc of [a, b, c]) {
      expect(summary(doc)).toEqual({ status: 'closed', counts: { yes: 2, no: 1, abstain: 0, block: 0 }, counted: [ana.id, ben.id, cleo.id], late: [cleo.id], flagged: ['not a member', 'signature does not verify'], result: 'passed' })
    }
  })

  it('applies its rule and the quorum fixed at opening', () => {
    const counts = (yes: number, no: number, abstain = 0, block = 0) => ({ yes, no, abstain, block })
    expect(decide('majority', counts(3, 2), 5)).toEqual({ result: 'passed', quorumMet: true })
    expect(decide('majority', counts(2, 2), 4).result).toBe('failed')
    expect(decide('majority', counts(3, 0), 4)).toEqual({ result: 'no quorum', quorumMet: false })
    expect(decide('two-thirds', counts(4, 2), 1).result).toBe('passed')
    expect(decide('two-thirds', counts(3, 2), 1).result).toBe('failed')
    expect(decide('consensus', counts(9, 0, 3, 0), 1).result).toBe('passed')
    expect(decide('consensus', counts(9, 0, 0, 1), 1).result).toBe('failed')
  })

  it('only the teller or an admin closes; ratification binds to the version’s hash, with minority reports; tampering reads as invalid', () => {
    const { a, b } = committee()
    const q = openQuestion(a, ana, { text: 'Ratify Draft 3?', subject: { kind: 'ratify', version: 'v3', hash: VERSION_HASH }, rule: 'two-thirds', quorum: 2, now: 10 }, L)
    sync(a, b)
    for (const [doc, m, choice] of [[a, ana, 'yes'], [b, ben, 'yes'], [b, cleo, 'no']] as const) castBallot(doc, m, { question: q.id, choice, now: 11 }, L)
    sync(a, b)
    expect(() => closeQuestion(b, cleo, readRoster(b), { question: q.id, now: 12 }, L)).toThrow('teller or an admin')
    closeQuestion(a, ana, readRoster(a), { question: q.id, now: 12 }, L)
    addMinorityReport(b, cleo, { question: q.id, text: 'Rent control goes too far.', now: 13 }, L)
    recordRatification(a, ana, readRoster(a), { question: q.id, now: 14 }, L)
    sync(a, b)
    const ok = view(b)
    expect(ok.ratification?.why).toBeNull()
    expect(ok.ratification).toMatchObject({ valid: true, result: 'passed', counts: { yes: 2, no: 1, abstain: 0, block: 0 } })
    expect(ok.reports.map((r) => r.text)).toEqual(['Rent control goes too far.'])
    // The version's text no longer gives the hash voted on: invalid.
    expect(view(b, 'b'.repeat(64)).ratification).toMatchObject({ valid: false, why: 'the version’s text does not give this hash' })

    // Someone rewrites the record on the log (say, the tally).
    const log = questionsLog(b)
    const index = log.toArray().findIndex((e) => (e as { t: string }).t === 'ratify')
    const altered = { ...(log.get(index) as object), counts: { yes: 3, no: 0, abstain: 0, block: 0 } }
    b.transact(() => { log.delete(index, 1); log.insert(index, [altered]) })
    sync(a, b)
    for (const doc of [a, b]) expect(view(doc).ratification).toMatchObject({ valid: false, why: 'its signature does not verify (the record was altered)' })

    // Re-signed by a non-admin member who was not the teller: still invalid.
    const forged = signRecord(cleo, { ...(altered as unknown as { sig: string }), by: cleo.id, sig: '' })
    b.transact(() => { log.delete(index, 1); log.insert(index, [forged]) })
    expect(view(b).ratification).toMatchObject({ valid: false })
  })

  it('an admin may close a vote a teller opened', () => {
    const { a, b } = committee()
    changeRole(a, ana, ben.id, 'admin', 5, L)
    const q = openQuestion(a, cleo, { text: 'Adopt the housing plank?', subject: { kind: 'amendment', id: 'am1' }, rule: 'consensus', quorum: 1, now: 10 }, L)
    castBallot(a, cleo, { question: q.id, choice: 'yes', now: 11 }, L)
    sync(a, b)
    closeQuestion(b, ben, readRoster(b), { question: q.id, now: 12 }, L)
    sync(a, b)
    expect(view(a)).toMatchObject({ status: 'closed', result: 'passed' })
  })
})
