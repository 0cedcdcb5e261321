import { describe, expect, it } from 'vitest'
import * as prng from 'lib0/prng'
import { members } from './draft.ts'
import { type Identity } from './identity.ts'
import { acceptInvitation, changeRole, foundDraft, inviteMembers, removeMember, renameMember } from './roster.ts'
import { castBallot, closeQuestion, openQuestion, readQuestions } from './questions.ts'
import { createDraftDoc } from './draft.ts'
import { L, device, sync, type Device } from './devices.testing.ts'
import { seededIdentity, withSeededRandom } from './testing.ts'

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

const summary = (d: Device) => {
  const r = d.ledger.roster()
  return { members: r.members.map((m) => `${m.name}:${m.role}`), votes: readQuestions(d.ledger).map((q) => ({ status: q.status, counts: q.counts, late: q.late.length, conflict: !!q.conflict })) }
}

describe(`roster and votes under concurrency (seeds ${BASE_SEED}…${BASE_SEED + SEEDS - 1})`, () => {
  it('every device reads the same roster and tally, in any log order', { timeout: 120_000 }, () => {
    for (let seed = BASE_SEED; seed < BASE_SEED + SEEDS; seed++) {
      const g = prng.create(seed)
      const people: Identity[] = Array.from({ length: 6 }, () => seededIdentity(g))
      const founder = people[0]!
      const doc = createDraftDoc()
      doc.clientID = prng.uint32(g, 1, 2 ** 31) // the merge order of concurrent entries
      const draftId = withSeededRandom(g, () => foundDraft(doc, founder, 'P0', 1, L))
      const docs = [device(draftId, 'd0', {}, doc), device(draftId, 'd1'), device(draftId, 'd2')]
      for (const d of docs.slice(1)) d.doc.clientID = prng.uint32(g, 1, 2 ** 31)
      const secret = withSeededRandom(g, () => inviteMembers(docs[0]!.ledger, founder, { role: 'member', max: 4, now: 2 }, L))
      const q = openQuestion(docs[0]!.ledger, founder, { text: 'Q?', subject: { kind: 'amendment', id: 'a' }, rule: 'majority', quorum: 2, now: 3 }, L)
      sync(...docs)
      for (let step = 0; step < 30; step++) {
        const d = prng.oneOf(g, docs)
        const actor = prng.oneOf(g, people)
        const subject = prng.oneOf(g, people)
        const now = 10 + step
        try {
          switch (prng.int32(g, 0, 7)) {
            case 0: acceptInvitation(d.ledger, actor, { secret, name: `P${people.indexOf(actor)}`, now }, L); break
            case 1: changeRole(d.ledger, actor, subject.id, prng.bool(g) ? 'admin' : 'member', now, L); break
            case 2: removeMember(d.ledger, actor, subject.id, now, L); break
            case 3: renameMember(d.ledger, actor, `P${people.indexOf(actor)}′`, now, L); break
            case 4: case 5: castBallot(d.ledger, actor, { question: q.id, choice: prng.oneOf(g, ['yes', 'no', 'abstain', 'block'] as const), now }, L); break
            case 6: if (prng.int32(g, 0, 4) === 0) closeQuestion(d.ledger, actor, { question: q.id, now }, L); break
            case 7: sync(...(prng.bool(g) ? [docs[0]!, docs[1]!] : [docs[1]!, docs[2]!])); break
          }
        } catch { /* an act its author may not take on this device (e.g. closing twice) */ }
      }
      sync(...docs)
      const first = summary(docs[0]!)
      for (const d of docs.slice(1)) expect(summary(d), `seed ${seed}`).toEqual(first)
      const log = members(docs[0]!.doc).toArray()
      const shuffled = device(draftId, 'shuffled')
      // Records of all logs are one graph: shuffle each log, and the order the logs arrive in.
      const shuffle = <T>(list: T[]) => [...list].sort(() => (prng.bool(g) ? 1 : -1))
      const questions = docs[0]!.doc.getArray('questions').toArray()
      if (prng.bool(g)) { members(shuffled.doc).push(shuffle(log)); shuffled.doc.getArray('questions').push(shuffle(questions)) }
      else { shuffled.doc.getArray('questions').push(shuffle(questions)); members(shuffled.doc).push(shuffle(log)) }
      expect(shuffled.ledger.roster().members, `seed ${seed}: log order`).toEqual(docs[0]!.ledger.roster().members)
      // Nobody can remove the founder; only the founder can leave.
      const left = log.some((e) => (e as { t?: string; by?: string; subject?: string }).t === 'remove' && (e as { by: string }).by === founder.id && (e as { subject: string }).subject === founder.id)
      expect(docs[0]!.ledger.roster().has(founder.id) || left, `seed ${seed}: founder`).toBe(true)
    }
  })
})
