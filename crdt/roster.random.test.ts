import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import { createDraftDoc, members } from './draft.ts'
import { ORIGIN } from './origins.ts'
import { type Identity } from './identity.ts'
import { acceptInvitation, changeRole, foundRoster, inviteMembers, readRoster, removeMember, renameMember, rosterFrom } from './roster.ts'
import { castBallot, closeQuestion, openQuestion, readQuestions } from './questions.ts'
import { seededIdentity, sync, withSeededRandom } from './testing.ts'

/**
 * Seeded property test of the roster and of votes under concurrency: three devices
 * make random membership changes and cast ballots while syncing only now and then.
 * Once everything has synced, every device reads the same roster and the same tally,
 * whatever order the log holds the entries in, and the founder is a member unless they left.
 * Keys, ids and Yjs client ids come from the seed too (they order concurrent entries), so
 * PLANK_SEED replays a failure exactly.
 */
const SEEDS = Number(process.env.PLANK_ROSTER_SEEDS ?? 40)
const BASE_SEED = Number(process.env.PLANK_SEED ?? Date.now() % 1_000_000)
const L = ORIGIN.local

const summary = (doc: Y.Doc) => {
  const r = readRoster(doc)
  return { members: r.members.map((m) => `${m.name}:${m.role}`), votes: readQuestions(doc, r).map((q) => ({ status: q.status, counts: q.counts, late: q.late.length })) }
}

describe(`roster and votes under concurrency (seeds ${BASE_SEED}…${BASE_SEED + SEEDS - 1})`, () => {
  it('every device reads the same roster and tally, in any log order', { timeout: 120_000 }, () => {
    for (let seed = BASE_SEED; seed < BASE_SEED + SEEDS; seed++) {
      const g = prng.create(seed)
      const people: Identity[] = Array.from({ length: 6 }, () => seededIdentity(g))
      const founder = people[0]!
      const docs = [createDraftDoc(), createDraftDoc(), createDraftDoc()]
      for (const d of docs) d.clientID = prng.uint32(g, 1, 2 ** 31) // the merge order of concurrent entries
      foundRoster(docs[0]!, founder, 'P0', 1, L)
      const secret = withSeededRandom(g, () => inviteMembers(docs[0]!, founder, { role: 'member', max: 4, now: 2 }, L))
      const q = withSeededRandom(g, () => openQuestion(docs[0]!, founder, { text: 'Q?', subject: { kind: 'amendment', id: 'a' }, rule: 'majority', quorum: 2, now: 3 }, L))
      sync(...docs)
      for (let step = 0; step < 30; step++) {
        const doc = prng.oneOf(g, docs)
        const actor = prng.oneOf(g, people)
        const subject = prng.oneOf(g, people)
        const now = 10 + step
        try {
          switch (prng.int32(g, 0, 7)) {
            case 0: acceptInvitation(doc, actor, { secret, name: `P${people.indexOf(actor)}`, now }, L); break
            case 1: changeRole(doc, actor, subject.id, prng.bool(g) ? 'admin' : 'member', now, L); break
            case 2: removeMember(doc, actor, subject.id, now, L); break
            case 3: renameMember(doc, actor, `P${people.indexOf(actor)}′`, now, L); break
            case 4: case 5: castBallot(doc, actor, { question: q.id, choice: prng.oneOf(g, ['yes', 'no', 'abstain', 'block'] as const), now }, L); break
            case 6: if (prng.int32(g, 0, 4) === 0) closeQuestion(doc, actor, readRoster(doc), { question: q.id, now }, L); break
            case 7: sync(...(prng.bool(g) ? [docs[0]!, docs[1]!] : [docs[1]!, docs[2]!])); break
          }
        } catch { /* an act its author may not take on this device (e.g. closing twice) */ }
      }
      sync(...docs)
      const first = summary(docs[0]!)
      for (const d of docs.slice(1)) expect(summary(d), `seed ${seed}`).toEqual(first)
      const log = members(docs[0]!).toArray()
      const shuffled = [...log].sort(() => (prng.bool(g) ? 1 : -1))
      expect(rosterFrom(shuffled).members, `seed ${seed}: log order`).toEqual(readRoster(docs[0]!).members)
      // Nobody can remove the founder; only the founder can leave.
      const left = log.some((e) => (e as { t?: string; by?: string; subject?: string }).t === 'remove' && (e as { by: string }).by === founder.id && (e as { subject: string }).subject === founder.id)
      expect(readRoster(docs[0]!).has(founder.id) || left, `seed ${seed}: founder`).toBe(true)
    }
  })
})
