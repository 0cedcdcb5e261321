import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { content, createDraftDoc, seedDraft } from './draft.ts'
import { canonicalText } from './canonical.ts'
import { startChapterDraft } from './fork.ts'
import { proposeBack } from './propose-back.ts'
import { compositeAmendments, compositedSources, decideComposite, readComposites } from './composite.ts'
import { recordDecision, recordPosition, tally } from './decisions.ts'
import { type Identity, newIdentity } from './identity.ts'
import { ledgerOf } from './devices.testing.ts'
import { Ledger } from './ledger.ts'
import { openAmendments } from './content-items.ts'
import { reviewMarkAttribute } from './review-marks.ts'
import { MARK } from './format.ts'
import { ORIGIN } from './origins.ts'

/** Each name's key: decisions and positions are signed by their member. */
const keys = new Map<string, Identity>()
const keyOf = (name: string): Identity => keys.get(name) ?? keys.set(name, newIdentity()).get(name)!
const member = (name: string) => ({ id: keyOf(name).id, name, color: '#0f6b63' })
const committee = { ...member('Cleo'), color: '#7c3aed' }
const cleo = keyOf('Cleo')
const textAt = (doc: Y.Doc, block: number) => (content(doc).get(block) as Y.XmlElement).get(0) as Y.XmlText

/** A platform whose Housing plank three chapters each amend, proposed back. */
const threeChapters = () => {
  const parent = createDraftDoc()
  seedDraft(parent, { title: 'Platform', planks: ['Housing'], now: 1 })
  textAt(parent, 3).insert(0, 'Rent shall be capped.')
  const chapters = ([['Riverside', ' at 3%'], ['Lakeside', ' at 3% a year'], ['Hilltop', ' for all tenants']] as const).map(([chapter, words]) => {
    const fork = startChapterDraft(parent, { parentId: 'p', parentTitle: 'Platform', chapter, title: `Platform — ${chapter}`, now: 2 })
    const t = textAt(fork, 3)
    t.insert(t.toString().indexOf('capped') + 6, words)
    return { chapter, fork }
  })
  const ids = chapters.map(({ chapter, fork }) => proposeBack(fork, ledgerOf(parent), { author: member(chapter), now: 3, chapter, forkTitle: chapter, identity: keyOf(chapter) }).amendments[0]!.id)
  return { parent, ids }
}

describe('composite amendments', () => {
  it('record their sources, each one’s positions and the chapters; accepting one decides them all', () => {
    const { parent, ids } = threeChapters()
    recordPosition(ledgerOf(parent), { question: ids[0]!, member: member('Dan'), position: 'support', reason: 'Clear', now: 4, identity: keyOf('Dan') }, ORIGIN.local)
    recordPosition(ledgerOf(parent), { question: ids[1]!, member: member('Eve'), position: 'oppose', reason: '', now: 4, identity: keyOf('Eve') }, ORIGIN.local)
    const c = compositeAmendments(ledgerOf(parent), { title: 'Housing: rent cap (composite)', rationale: 'Three chapters, one cap.', author: committee, now: 5, sources: ids }, ORIGIN.local)
    const record = readComposites(parent).get(c.id)!
    expect(record.chapters).toEqual(['Riverside', 'Lakeside', 'Hilltop'])
    expect(record.sources.map((s) => [s.title, s.positions.map((p) => `${p.member.name} ${p.position}`)])).toEqual([
      ['Riverside: Housing', ['Dan support']], ['Lakeside: Housing', ['Eve oppose']], ['Hilltop: Housing', []],
    ])
    expect([...compositedSources(ledgerOf(parent))]).toEqual(ids.map((id) => [id, c.id]))
    // The committee reconciles in the composite: Riverside's " at 3%" struck in favour of Lakeside's.
    const t = textAt(parent, 3)
    let at = 0
    for (const op of t.toDelta() as Array<{ insert: string; attributes?: Record<string, { amendment?: string }> }>) {
      if (Object.values(op.attributes ?? {}).some((v) => v.amendment === ids[0])) break
      at += op.insert.length
    }
    t.format(at, ' at 3%'.length, reviewMarkAttribute(MARK.deletion, { amendment: c.id, author: 'Cleo', color: committee.color }))

    const decided = decideComposite(ledgerOf(parent), { composite: c.id, outcome: 'accepted', member: committee, now: 6, identity: cleo }, ORIGIN.local)
    expect(decided).toEqual([...ids, c.id])
    // Lakeside's and Hilltop's words, in whichever order Yjs put two insertions at one spot; Riverside's struck.
    const line = canonicalText(parent).split('\n').find((l) => l.startsWith('paragraph|Rent'))!
    expect([line.replace(' for all tenants', ''), line.replace(' at 3% a year', '')]).toEqual(['paragraph|Rent shall be capped at 3% a year.', 'paragraph|Rent shall be capped for all tenants.'])
    for (const id of [...ids, c.id]) expect(tally(ledgerOf(parent), id).status).toBe('accepted')
    expect(openAmendments(content(parent)).size).toBe(0)
    // Another device, verifying each signed decision itself, reads the same.
    const elsewhere = createDraftDoc()
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(parent))
    const theirs = new Ledger(elsewhere, 'test-draft-without-roster')
    for (const id of [...ids, c.id]) expect(tally(theirs, id).decision?.member.id).toBe(cleo.id)
    expect([...compositedSources(theirs)]).toEqual([...compositedSources(ledgerOf(parent))])
  })

  it('reject the whole; refuse decided sources and sources another composite holds; a withdrawn composite gives them back', () => {
    const { parent, ids } = threeChapters()
    const before = canonicalText(parent)
    expect(() => compositeAmendments(ledgerOf(parent), { title: 'One', rationale: '', author: committee, now: 5, sources: [ids[0]!] }, ORIGIN.local)).toThrow(/at least two/)
    const first = compositeAmendments(ledgerOf(parent), { title: 'A', rationale: '', author: committee, now: 5, sources: [ids[0]!, ids[1]!] }, ORIGIN.local)
    expect(() => compositeAmendments(ledgerOf(parent), { title: 'B', rationale: '', author: committee, now: 6, sources: [ids[1]!, ids[2]!] }, ORIGIN.local)).toThrow(/already part of a composite/)
    recordDecision(ledgerOf(parent), { question: first.id, member: committee, outcome: 'withdrawn', now: 7, identity: cleo }, ORIGIN.local)
    expect(compositedSources(ledgerOf(parent)).size).toBe(0)
    recordDecision(ledgerOf(parent), { question: ids[2]!, member: committee, outcome: 'rejected', now: 7, identity: cleo }, ORIGIN.local)
    expect(() => compositeAmendments(ledgerOf(parent), { title: 'C', rationale: '', author: committee, now: 8, sources: [ids[1]!, ids[2]!] }, ORIGIN.local)).toThrow(/already decided/)
    const second = compositeAmendments(ledgerOf(parent), { title: 'D', rationale: '', author: committee, now: 8, sources: [ids[0]!, ids[1]!] }, ORIGIN.local)
    decideComposite(ledgerOf(parent), { composite: second.id, outcome: 'rejected', member: committee, now: 9, identity: cleo }, ORIGIN.local)
    expect(tally(ledgerOf(parent), ids[0]!).status).toBe('rejected')
    // Hilltop's was rejected on its own before; its words are still proposed until someone settles them.
    expect(canonicalText(parent)).toBe(before)
  })
})
