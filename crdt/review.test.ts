import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createDraftDoc, votes, comments, meta, amendments } from './draft.ts'
import { ORIGIN } from './origins.ts'
import { deleteComment, editComment, readThreads, reply, setResolved, startThread } from './comments.ts'
import { discardAmendment, proposeAmendment, readAmendments, recordSummary } from './amendments.ts'
import { recordDecision, recordPosition, tally } from './decisions.ts'
import { L, committee, device, sync as syncDevices } from './devices.testing.ts'
import { removeMember } from './roster.ts'
import { castBallot, closeQuestion, openQuestion, readQuestions } from './questions.ts'
import { sync } from './testing.ts'

const ana = { id: 'ana', name: 'Ana', color: '#0f6b63' }
const ben = { id: 'ben', name: 'Ben', color: '#b45309' }
const anchor = { start: new Uint8Array([1, 2]), end: new Uint8Array([3]) }

describe('comment threads', () => {
  it('keep replies, resolves and edits made concurrently on two devices', () => {
    const a = createDraftDoc()
    const b = createDraftDoc()
    const id = startThread(a, { body: 'Too vague?', author: ana, now: 1, anchor, quote: 'free for all' }, ORIGIN.local)
    sync(a, b)
    reply(a, id, { body: 'Agreed', author: ana, now: 2 }, ORIGIN.local)
    reply(b, id, { body: 'Disagree', author: ben, now: 3 }, ORIGIN.local)
    setResolved(b, id, true, ben, 4, ORIGIN.local)
    editComment(a, id, null, 'Too vague: who pays?', ana, 5, ORIGIN.local)
    sync(a, b)
    for (const doc of [a, b]) {
      const [t] = readThreads(doc)
      expect(t!.body).toBe('Too vague: who pays?')
      expect(t!.edited).toBe(5)
      expect(t!.replies.map((r) => r.body).sort()).toEqual(['Agreed', 'Disagree'])
      expect(t!.resolved).toBe(true)
      expect(t!.resolvedBy?.name).toBe('Ben')
      expect(t!.anchor?.start).toEqual(anchor.start)
    }
  })

  it('only let the author edit or delete a comment, and keep a tombstone for replies', () => {
    const doc = createDraftDoc()
    const id = startThread(doc, { body: 'Mine', author: ana, now: 1, anchor, quote: 'x' }, ORIGIN.local)
    const r = reply(doc, id, { body: 'Reply', author: ben, now: 2 }, ORIGIN.local)
    expect(() => editComment(doc, id, null, 'Hijacked', ben, 3, ORIGIN.local)).toThrow(/author/)
    expect(() => deleteComment(doc, id, r, ana, ORIGIN.local)).toThrow(/author/)
    deleteComment(doc, id, null, ana, ORIGIN.local)
    const [t] = readThreads(doc)
    expect(t!.deleted).toBe(true)
    expect(t!.body).toBe('')
    expect(t!.replies[0]!.body).toBe('Reply')
    expect(() => reply(doc, id, { body: '   ', author: ben, now: 4 }, ORIGIN.local)).toThrow(/empty/)
  })

  it('skip threads a peer sent in a broken shape', () => {
    const doc = createDraftDoc()
    startThread(doc, { body: 'Fine', author: ana, now: 1, anchor, quote: 'x' }, ORIGIN.local)
    comments(doc).set('junk', 42)
    const bad = new Y.Map<unknown>()
    bad.set('id', 'bad')
    bad.set('author', 'not an object')
    comments(doc).set('bad', bad)
    expect(readThreads(doc).map((t) => t.body)).toEqual(['Fine'])
  })
})

describe('amendments and the decision log', () => {
  it('keep what a decided amendment proposed, changes of form included, and read a hostile summary as plain data', () => {
    const doc = createDraftDoc()
    const a = proposeAmendment(doc, { title: 'Stress water', rationale: '', author: ana, now: 1 }, ORIGIN.local)
    recordSummary(doc, a.id, {
      pieces: [{ kind: 'fmt', text: 'clean water', note: 'bold' }, { kind: 'ins', text: ' now' }],
      breaks: 0, joins: 0, forms: ['“Health” becomes a subsection heading'], plank: ['Health'],
    }, ORIGIN.local)
    // The first summary stays: a second write (say, a concurrent decision) changes nothing.
    recordSummary(doc, a.id, { pieces: [{ kind: 'del', text: 'other' }], breaks: 0, joins: 0, forms: [], plank: [] }, ORIGIN.local)
    expect(readAmendments(doc)[0]!.summary).toEqual({
      pieces: [{ kind: 'fmt', text: 'clean water', note: 'bold' }, { kind: 'ins', text: ' now' }],
      breaks: 0, joins: 0, forms: ['“Health” becomes a subsection heading'], plank: ['Health'],
    })
    // A summary with only a change of form is kept too.
    const b = proposeAmendment(doc, { title: 'Heading', rationale: '', author: ana, now: 2 }, ORIGIN.local)
    recordSummary(doc, b.id, { pieces: [], breaks: 0, joins: 0, forms: ['“Health” becomes a plank heading'], plank: [] }, ORIGIN.local)
    expect(readAmendments(doc)[1]!.summary?.forms).toEqual(['“Health” becomes a plank heading'])
    // A modified client writes junk: unknown kinds, notes on words, non-strings and huge lists are dropped or cut.
    const c = proposeAmendment(doc, { title: 'Junk', rationale: '', author: ana, now: 3 }, ORIGIN.local)
    const record = amendments(doc).get(c.id) as Y.Map<unknown>
    record.set('summary', {
      pieces: [{ kind: 'script', text: 'x' }, { kind: 'ins', text: 'ok', note: 'ignored' }, { kind: 'fmt', text: 'w', note: 7 }],
      breaks: -1, joins: 'many', forms: [1, 'x'.repeat(500), ...Array.from({ length: 50 }, () => 'f')], plank: [{}],
    })
    const junk = readAmendments(doc)[2]!.summary!
    expect(junk.pieces).toEqual([{ kind: 'ins', text: 'ok' }, { kind: 'fmt', text: 'w' }])
    expect([junk.breaks, junk.joins, junk.plank]).toEqual([0, 0, []])
    expect(junk.forms[0]).toHaveLength(200)
    expect(junk.forms.length).toBeLessThanOrEqual(20)
  })

  it('create a discussion thread with the amendment and raise the draft to the review schema', () => {
    const doc = createDraftDoc()
    const a = proposeAmendment(doc, { title: ' Universal care ', rationale: 'Why', author: ana, now: 1 }, ORIGIN.local)
    expect(readAmendments(doc)).toEqual([a])
    expect(a.title).toBe('Universal care')
    const discussion = readThreads(doc).find((t) => t.id === a.discussion)
    expect(discussion?.amendment).toBe(a.id)
    expect(meta(doc).get('schemaVersion')).toBe(3) // amendments may propose changes of form
    discardAmendment(doc, a.id, ORIGIN.local)
    expect(readAmendments(doc)).toEqual([])
    expect(readThreads(doc)).toEqual([])
  })

  it('a vote that decides an amendment: the decision signed after the close follows it, and every device reads it so', () => {
    const { people: [a1, b1], devices: [, a, b] } = committee(['Ana', 'Ben'])
    const q = openQuestion(a!.ledger, a1!, { text: 'Adopt “Rent cap”?', subject: { kind: 'amendment', id: 'am1' }, rule: 'majority', quorum: 2, now: 10 }, L)
    syncDevices(a!, b!)
    castBallot(a!.ledger, a1!, { question: q.id, choice: 'yes', now: 11 }, L)
    castBallot(b!.ledger, b1!, { question: q.id, choice: 'yes', now: 12 }, L)
    syncDevices(a!, b!)
    // What the teller's app does on closing: close, then decide as the result says.
    const close = closeQuestion(a!.ledger, a1!, { question: q.id, now: 13 }, L)
    expect(readQuestions(a!.ledger)[0]!.result).toBe('passed')
    const decision = recordDecision(a!.ledger, { question: 'am1', member: { id: a1!.id, name: 'Ana', color: '#0f6b63' }, outcome: 'accepted', now: 14, identity: a1! }, L)
    syncDevices(a!, b!)
    for (const d of [a!, b!]) {
      expect(d.ledger.isAncestor(d.ledger.node(close.id)!, d.ledger.node(decision.id)!)).toBe(true)
      expect(tally(d.ledger, 'am1').status).toBe('accepted')
      expect(readQuestions(d.ledger)[0]!.result).toBe('passed')
    }
  })

  it('count one position per member, the latest in causal order, on every device', () => {
    const { people: [a1, b1], devices: [, a, b] } = committee(['Ana', 'Ben'])
    const [ana, ben] = [{ id: a1!.id, name: 'Ana', color: '#0f6b63' }, { id: b1!.id, name: 'Ben', color: '#b45309' }]
    recordPosition(a!.ledger, { question: 'q', member: ana, position: 'oppose', reason: 'cost', now: 1, identity: a1! }, L)
    recordPosition(a!.ledger, { question: 'q', member: ana, position: 'support', reason: '', now: 5, identity: a1! }, L)
    recordPosition(b!.ledger, { question: 'q', member: ben, position: 'block', reason: 'principle', now: 9, identity: b1! }, L)
    // Ben changes his mind on the same device, with a clock that went backwards: it still replaces his block.
    recordPosition(b!.ledger, { question: 'q', member: ben, position: 'abstain', reason: '', now: 3, identity: b1! }, L)
    recordPosition(b!.ledger, { question: 'other', member: ben, position: 'oppose', reason: '', now: 3, identity: b1! }, L)
    syncDevices(a!, b!)
    const ta = tally(a!.ledger, 'q')
    expect(ta).toEqual(tally(b!.ledger, 'q'))
    expect(ta.counts).toEqual({ support: 1, oppose: 0, abstain: 1, block: 0 })
    expect(ta.positions.map((p) => [p.member.name, p.position]).sort()).toEqual([['Ana', 'support'], ['Ben', 'abstain']])
    expect(ta.status).toBe('open')
  })

  it('show concurrent, different decisions as a conflict; a decision made after seeing another replaces it, whatever time it claims', () => {
    const { people: [a1, b1], devices: [, a, b] } = committee(['Ana', 'Ben'])
    const [ana, ben] = [{ id: a1!.id, name: 'Ana', color: '#0f6b63' }, { id: b1!.id, name: 'Ben', color: '#b45309' }]
    recordDecision(a!.ledger, { question: 'q', member: ana, outcome: 'accepted', now: 10, identity: a1! }, L)
    recordDecision(b!.ledger, { question: 'q', member: ben, outcome: 'rejected', now: 9e15, identity: b1! }, L)
    syncDevices(a!, b!)
    const t = tally(b!.ledger, 'q')
    expect(t.conflict?.map((d) => d.outcome).sort()).toEqual(['accepted', 'rejected'])
    expect(tally(a!.ledger, 'q')).toEqual(t)
    // Ana, having seen both, decides again (her clock says earlier): that settles it.
    recordDecision(a!.ledger, { question: 'q', member: ana, outcome: 'accepted', now: 5, identity: a1! }, L)
    syncDevices(a!, b!)
    for (const d of [a!, b!]) expect(tally(d.ledger, 'q')).toMatchObject({ status: 'accepted', conflict: null, decision: { member: { name: 'Ana' } } })
  })

  it('a removed member’s position stops counting; a decision they took before their removal stands', () => {
    const { people: [a1, b1], devices: [, a] } = committee(['Ana', 'Ben'])
    const ben = { id: b1!.id, name: 'Ben', color: '#b45309' }
    recordPosition(a!.ledger, { question: 'q', member: ben, position: 'block', reason: '', now: 1, identity: b1! }, L)
    recordDecision(a!.ledger, { question: 'r', member: ben, outcome: 'accepted', now: 2, identity: b1! }, L)
    removeMember(a!.ledger, a1!, b1!.id, 3, L)
    expect(tally(a!.ledger, 'q')).toMatchObject({ counts: { block: 0 }, flagged: [{ why: 'no longer a member' }] })
    expect(tally(a!.ledger, 'r')).toMatchObject({ status: 'accepted' })
  })

  it('count format-1 records of a draft from before members, and ignore malformed ones', () => {
    const old = device('4f0c2a8e-9a51-4c43-8f43-1c2f0b5c9d11')
    const ana = { id: 'ana', name: 'Ana', color: '#0f6b63' }
    votes(old.doc).push([
      { v: 1, kind: 'position', question: 'q', member: ana, position: 'veto', at: 1, sig: null }, 'junk', null,
      { v: 1, kind: 'position', question: 'q', member: ana, position: 'support', reason: 'yes', at: 2, sig: null },
      { v: 1, kind: 'decision', question: 'q', member: ana, outcome: 'accepted', at: 3, sig: null },
      // Dated far in the future: it waits until then, never "the latest" now.
      { v: 1, kind: 'decision', question: 'q', member: { ...ana, id: 'eve' }, outcome: 'rejected', at: 9e15, sig: null },
    ])
    const t = tally(old.ledger, 'q', 100)
    expect(t).toMatchObject({ counts: { support: 1 }, status: 'accepted', conflict: null })
    expect(t.flagged.map((f) => f.why)).toEqual(['dated in the future'])
    expect(old.ledger.problems().filter((p) => p.kind === 'malformed')).toHaveLength(3)
  })
})
