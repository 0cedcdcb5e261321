import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import { createDraftDoc } from './draft.ts'
import { ORIGIN } from './origins.ts'
import { acceptInvitation, foundDraft, inviteMembers } from './roster.ts'
import { Ledger } from './ledger.ts'
import { openQuestion } from './questions.ts'
import { seededIdentity, sync, withSeededRandom } from './testing.ts'

/** What seeded tests rely on: the same seed gives the same log, byte for byte. */
const rosterFromSeed = (seed: number): Uint8Array => {
  const g = prng.create(seed)
  const [founder, joiner] = [seededIdentity(g), seededIdentity(g)]
  const doc = createDraftDoc()
  doc.clientID = prng.uint32(g, 1, 2 ** 31)
  const draftId = withSeededRandom(g, () => foundDraft(doc, founder!, 'Ana', 1, ORIGIN.local))
  const ledger = new Ledger(doc, draftId)
  const secret = withSeededRandom(g, () => inviteMembers(ledger, founder!, { role: 'member', max: 2, now: 2 }, ORIGIN.local))
  acceptInvitation(ledger, joiner!, { secret, name: 'Ben', now: 3 }, ORIGIN.local)
  withSeededRandom(g, () => openQuestion(ledger, founder!, { text: 'Q?', subject: { kind: 'amendment', id: 'a' }, rule: 'majority', quorum: 1, now: 4 }, ORIGIN.local))
  expect(ledger.roster().members.map((m) => m.name)).toEqual(['Ana', 'Ben'])
  ledger.destroy()
  return Y.encodeStateAsUpdate(doc)
}

describe('test helpers', () => {
  it('a seed replays a roster exactly: keys, founding nonce (and so the draft id), invitation, question id and client id', () => {
    expect(rosterFromSeed(7)).toEqual(rosterFromSeed(7))
    expect(rosterFromSeed(7)).not.toEqual(rosterFromSeed(8))
  })

  it('withSeededRandom gives the real random source back, even when its body throws', () => {
    const real = crypto.getRandomValues
    expect(() => withSeededRandom(prng.create(1), () => { throw new Error('inside') })).toThrow('inside')
    expect(crypto.getRandomValues).toBe(real)
    const seeded = (seed: number) => withSeededRandom(prng.create(seed), () => crypto.getRandomValues(new Uint8Array(16)))
    expect(seeded(1)).toEqual(seeded(1))
    expect(crypto.getRandomValues(new Uint8Array(16))).not.toEqual(crypto.getRandomValues(new Uint8Array(16)))
  })

  it('sync brings every doc up to date with every other', () => {
    const docs = [createDraftDoc(), createDraftDoc(), createDraftDoc()]
    docs.forEach((d, i) => d.getArray<string>('t').push([`from ${i}`]))
    sync(...docs)
    const seen = docs.map((d) => [...d.getArray<string>('t').toArray()].sort())
    expect(seen).toEqual([['from 0', 'from 1', 'from 2'], ['from 0', 'from 1', 'from 2'], ['from 0', 'from 1', 'from 2']])
  })
})
