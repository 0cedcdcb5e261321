import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createDraftDoc, votes, comments, meta, amendments } from './draft.ts'
import { ORIGIN } from './origins.ts'
import { deleteComment, editComment, readThreads, reply, setResolved, startThread } from './comments.ts'
import { discardAmendment, proposeAmendment, readAmendments, recordSummary } from './amendments.ts'
import { readLog, recordDecision, recordPosition, signedPayload, tally } from './decisions.ts'
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

  it('count one position per member, the latest, on every peer', () => {
    const a = createDraftDoc()
    const b = createDraftDoc()
    recordPosition(a, { question: 'q', member: ana, position: 'oppose', reason: 'cost', now: 1 }, ORIGIN.local)
    recordPosition(a, { question: 'q', member: ana, position: 'support', reason: '', now: 5 }, ORIGIN.local)
    recordPosition(b, { question: 'q', member: ben, position: 'block', reason: 'principle', now: 2 }, ORIGIN.local)
    // Ben's earlier-stamped change of mind arrives later from another of his devices.
    recordPosition(b, { question: 'q', member: ben, position: 'abstain', reason: '', now: 3 }, ORIGIN.local)
    recordPosition(b, { question: 'other', member: ben, position: 'oppose', reason: '', now: 3 }, ORIGIN.local)
    sync(a, b)
    const ta = tally(readLog(a), 'q')
    expect(ta).toEqual(tally(readLog(b), 'q'))
    expect(ta.counts).toEqual({ support: 1, oppose: 0, abstain: 1, block: 0 })
    expect(ta.positions.map((p) => [p.member.name, p.position])).toEqual([['Ben', 'abstain'], ['Ana', 'support']])
    expect(ta.status).toBe('open')
  })

  it('show concurrent, different decisions as a conflict instead of hiding one', () => {
    const a = createDraftDoc()
    const b = createDraftDoc()
    recordDecision(a, { question: 'q', member: ana, outcome: 'accepted', now: 10 }, ORIGIN.local)
    recordDecision(b, { question: 'q', member: ben, outcome: 'rejected', now: 11 }, ORIGIN.local)
    sync(a, b)
    const t = tally(readLog(b), 'q')
    expect(t.status).toBe('rejected')
    expect(t.decision?.member.name).toBe('Ben')
    expect(t.conflict?.map((d) => d.outcome).sort()).toEqual(['accepted', 'rejected'])
    expect(tally(readLog(a), 'q')).toEqual(t)
  })

  it('ignore malformed log entries and keep a stable payload for signing', () => {
    const doc = createDraftDoc()
    votes(doc).push([{ v: 1, kind: 'position', question: 'q', member: ana, position: 'veto', at: 1 }, 'junk', null])
    const r = recordPosition(doc, { question: 'q', member: ana, position: 'support', reason: 'yes', now: 2 }, ORIGIN.local)
    expect(readLog(doc)).toEqual([r])
    expect(signedPayload(r)).toBe('{"at":2,"kind":"position","member":{"color":"#0f6b63","id":"ana","name":"Ana"},"position":"support","question":"q","reason":"yes","v":1}')
    expect(signedPayload({ ...r, sig: 'abc' })).toBe(signedPayload(r))
  })
})
