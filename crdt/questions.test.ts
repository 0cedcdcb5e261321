import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { content } from './draft.ts'
import { newIdentity } from './identity.ts'
import { makeRecord, DOMAIN } from './signed-record.ts'
import { changeRole, removeMember } from './roster.ts'
import { addMinorityReport, castBallot, closeQuestion, decide, openQuestion, questionsLog, readQuestions, recordRatification } from './questions.ts'
import { saveVersion } from './versions.ts'
import { L, committee, device, sync, type Device } from './devices.testing.ts'

const write = (d: Device, text: string) => {
  const p = new Y.XmlElement('paragraph')
  p.insert(0, [new Y.XmlText(text)])
  d.doc.transact(() => content(d.doc).push([p]))
}

/** Ana (founder), Ben, Cleo, Dev: a committee of four, on three devices. */
const four = () => committee(['Ana', 'Ben', 'Cleo', 'Dev'], 2)
const view = (d: Device) => readQuestions(d.ledger)[0]!
const summary = (d: Device) => {
  const q = view(d)
  return { status: q.status, counts: q.counts, counted: q.counted.map((b) => b.by).sort(), late: q.late.map((b) => b.by), flagged: q.flagged.map((f) => f.why).sort(), result: q.result }
}
const amendment = { kind: 'amendment' as const, id: 'am1' }

describe('questions, ballots and ratification', () => {
  it('every device computes the same tally: a forged ballot, a removed member, a double vote, and offline ballots before and after the close', () => {
    const { people: [ana, ben, cleo, dev], devices: [a, b, c] } = four()
    const q = openQuestion(a!.ledger, ana!, { text: 'Adopt?', subject: amendment, rule: 'majority', quorum: 3, now: 10 }, L)
    sync(a!, b!, c!)
    castBallot(a!.ledger, ana!, { question: q.id, choice: 'yes', now: 11 }, L)
    // Ben votes twice: his later ballot replaces the first.
    castBallot(b!.ledger, ben!, { question: q.id, choice: 'no', now: 12 }, L)
    castBallot(b!.ledger, ben!, { question: q.id, choice: 'yes', now: 13 }, L)
    // A forged ballot in Cleo's name, signed with another key.
    const eve = newIdentity()
    const forged = makeRecord(eve, { dom: DOMAIN.question, draft: b!.ledger.draftId, prev: b!.ledger.heads() }, { t: 'ballot', question: q.id, choice: 'no', at: 14 }).record
    questionsLog(b!.doc).push([{ ...forged, by: cleo!.id }])
    // Dev is removed; his later ballot does not count.
    removeMember(a!.ledger, ana!, dev!.id, 15, L)
    sync(a!, b!)
    castBallot(b!.ledger, dev!, { question: q.id, choice: 'no', now: 16 }, L)
    // Cleo votes offline (on c), and syncs before the close.
    castBallot(c!.ledger, cleo!, { question: q.id, choice: 'no', now: 17 }, L)
    sync(a!, b!, c!)
    expect(summary(a!)).toEqual(summary(b!))
    expect(summary(a!)).toEqual(summary(c!))
    expect(summary(a!)).toMatchObject({ status: 'open', counts: { yes: 2, no: 1, abstain: 0, block: 0 } })
    expect(summary(a!).flagged).toEqual(['its author was not a member when it was made', 'its signature does not verify, a forgery'])

    // Cleo changes her ballot on a device that syncs only after Ana (the teller) closes.
    const offline = device(a!.ledger.draftId, 'offline')
    sync(c!, offline)
    castBallot(offline.ledger, cleo!, { question: q.id, choice: 'yes', now: 18 }, L)
    closeQuestion(a!.ledger, ana!, { question: q.id, now: 19 }, L)
    sync(a!, b!, c!, offline)
    for (const d of [a!, b!, c!, offline]) {
      expect(summary(d)).toMatchObject({ status: 'closed', counts: { yes: 2, no: 1, abstain: 0, block: 0 }, counted: [ana!.id, ben!.id, cleo!.id].sort(), late: [cleo!.id], result: 'passed' })
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

  it('only the teller or an admin closes; ratification binds to the version’s re-derived hash, with minority reports', async () => {
    const { people: [ana, ben, cleo], devices: [a, b] } = four()
    write(a!, 'Rent shall be capped.')
    const v = await saveVersion(a!.ledger, ana!, { name: 'Draft 3', author: { id: ana!.id, name: 'Ana', color: '#0f6b63' }, now: 9 }, L)
    const q = openQuestion(a!.ledger, ana!, { text: 'Ratify Draft 3?', subject: { kind: 'ratify', version: v.id, hash: v.hash }, rule: 'two-thirds', quorum: 2, now: 10 }, L)
    sync(a!, b!)
    for (const [d, m, choice] of [[a!, ana!, 'yes'], [b!, ben!, 'yes'], [b!, cleo!, 'no']] as const) castBallot(d.ledger, m, { question: q.id, choice, now: 11 }, L)
    sync(a!, b!)
    expect(() => closeQuestion(b!.ledger, cleo!, { question: q.id, now: 12 }, L)).toThrow('teller or an admin')
    closeQuestion(a!.ledger, ana!, { question: q.id, now: 12 }, L)
    addMinorityReport(b!.ledger, cleo!, { question: q.id, text: 'Rent control goes too far.', now: 13 }, L)
    recordRatification(a!.ledger, ana!, { question: q.id, now: 14 }, L)
    sync(a!, b!)
    const ok = view(b!)
    expect(ok.ratification?.why).toBeNull()
    expect(ok.ratification).toMatchObject({ valid: true, result: 'passed', counts: { yes: 2, no: 1, abstain: 0, block: 0 } })
    expect(ok.reports.map((r) => r.text)).toEqual(['Rent control goes too far.'])
  })

  it('an admin may close a vote a teller opened, unless the open says only the teller closes', () => {
    const { people: [ana, ben, cleo], devices: [a, b] } = four()
    changeRole(a!.ledger, ana!, ben!.id, 'admin', 5, L)
    const q = openQuestion(a!.ledger, cleo!, { text: 'Adopt the housing plank?', subject: amendment, rule: 'consensus', quorum: 1, now: 10 }, L)
    const only = openQuestion(a!.ledger, cleo!, { text: 'Adopt it now?', subject: amendment, rule: 'consensus', quorum: 1, now: 10, closers: 'teller' }, L)
    castBallot(a!.ledger, cleo!, { question: q.id, choice: 'yes', now: 11 }, L)
    sync(a!, b!)
    closeQuestion(b!.ledger, ben!, { question: q.id, now: 12 }, L)
    expect(() => closeQuestion(b!.ledger, ben!, { question: only.id, now: 12 }, L)).toThrow('Only the teller')
    sync(a!, b!)
    expect(readQuestions(a!.ledger).find((x) => x.id === q.id)).toMatchObject({ status: 'closed', result: 'passed' })
  })

  it('two closes made without seeing each other are a conflict with no result; a removal after the close changes nothing', () => {
    const { people: [ana, ben, cleo, dev], devices: [a, b] } = four()
    changeRole(a!.ledger, ana!, ben!.id, 'admin', 5, L)
    const q = openQuestion(a!.ledger, ana!, { text: 'Adopt?', subject: amendment, rule: 'majority', quorum: 1, now: 10 }, L)
    const r = openQuestion(a!.ledger, ana!, { text: 'And this?', subject: amendment, rule: 'majority', quorum: 1, now: 10 }, L)
    for (const m of [ana!, cleo!, dev!]) { castBallot(a!.ledger, m, { question: q.id, choice: 'yes', now: 11 }, L); castBallot(a!.ledger, m, { question: r.id, choice: 'yes', now: 11 }, L) }
    sync(a!, b!)
    closeQuestion(a!.ledger, ana!, { question: q.id, now: 12 }, L)
    closeQuestion(b!.ledger, ben!, { question: q.id, now: 12 }, L)
    closeQuestion(a!.ledger, ana!, { question: r.id, now: 12 }, L)
    sync(a!, b!)
    removeMember(a!.ledger, ana!, dev!.id, 20, L)
    sync(a!, b!)
    for (const d of [a!, b!]) {
      const [x, y] = [readQuestions(d.ledger).find((v) => v.id === q.id)!, readQuestions(d.ledger).find((v) => v.id === r.id)!]
      expect(x).toMatchObject({ status: 'closed', result: null })
      expect(x.conflict?.map((c) => c.by).sort()).toEqual([ana!.id, ben!.id].sort())
      // Dev was on the roster when the vote closed: his ballot still counts.
      expect(y).toMatchObject({ status: 'closed', result: 'passed', counts: { yes: 3 }, electorate: 4 })
    }
    expect(() => recordRatification(a!.ledger, ana!, { question: q.id, now: 30 }, L)).toThrow()
  })
})
