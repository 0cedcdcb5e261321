import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { content, createDraftDoc, seedDraft } from './draft.ts'
import { canonicalText } from './canonical.ts'
import { settleInContent } from './settle.ts'
import { proposeAmendment } from './amendments.ts'
import { reviewMarkAttribute } from './review-marks.ts'
import { MARK } from './format.ts'
import { ORIGIN } from './origins.ts'
import { readForkPoint, startChapterDraft } from './fork.ts'
import { proposeBack } from './propose-back.ts'
import { readRounds } from './propose-back-log.ts'
import { readAmendments } from './amendments.ts'
import { recordDecision, tally } from './decisions.ts'
import { newIdentity } from './identity.ts'
import { ledgerOf } from './devices.testing.ts'

const anaKey = newIdentity()
const ana = { id: anaKey.id, name: 'Ana', color: '#0f6b63' }
const textAt = (doc: Y.Doc, block: number) => (content(doc).get(block) as Y.XmlElement).get(0) as Y.XmlText
const paragraph = (text: string) => {
  const p = new Y.XmlElement('paragraph')
  p.insert(0, [new Y.XmlText(text)])
  return p
}
const insertAfter = (t: Y.XmlText, needle: string, text: string) => t.insert(t.toString().indexOf(needle) + needle.length, text)
const remove = (t: Y.XmlText, needle: string) => t.delete(t.toString().indexOf(needle), needle.length)

/** Parent: title, "Housing" plank, a paragraph, "Health" plank, a paragraph. */
const platform = () => {
  const parent = createDraftDoc()
  seedDraft(parent, { title: 'Platform', planks: ['Housing', 'Health'], now: 1 })
  textAt(parent, 1).insert(0, 'Our values.')
  textAt(parent, 3).insert(0, 'Rent shall be capped.')
  textAt(parent, 5).insert(0, 'Care is free.')
  return parent
}
const fork = (parent: Y.Doc) => startChapterDraft(parent, { parentId: 'p1', parentTitle: 'Platform', chapter: 'Riverside', title: 'Platform — Riverside', now: 2 })
const copyOf = (doc: Y.Doc) => {
  const c = createDraftDoc()
  Y.applyUpdate(c, Y.encodeStateAsUpdate(doc))
  return c
}
const settleAll = (doc: Y.Doc, ids: string[], how: 'accept' | 'reject') => {
  const copy = createDraftDoc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  for (const id of ids) settleInContent(copy, id, how, ORIGIN.local)
  return canonicalText(copy)
}

describe('chapter drafts', () => {
  it('keep the parent’s history and record the fork point', () => {
    const parent = platform()
    const chapter = fork(parent)
    expect(readForkPoint(chapter)).toMatchObject({ parentId: 'p1', parentTitle: 'Platform', at: 2 })
    expect(canonicalText(chapter)).toBe(canonicalText(parent).replace('title|Platform', 'title|Platform — Riverside'))
    expect(readForkPoint(parent)).toBeNull()
  })

  it('propose back one amendment per changed section; accepting brings the chapter’s edits in, beside the parent’s own', () => {
    const parent = platform()
    const chapter = fork(parent)
    insertAfter(textAt(chapter, 3), 'capped', ' for everyone')
    const health = textAt(chapter, 5)
    remove(health, 'free')
    insertAfter(health, 'Care is ', 'universal')
    content(chapter).insert(6, [paragraph('Clinics in every town.')])
    // Meanwhile the parent's committee edits the same paragraph. (Not right after "free":
    // words typed at the very spot of a replaced word may land either side of the
    // replacement, by Yjs's rule for inserts with the same neighbours.)
    insertAfter(textAt(parent, 5), 'free.', ' Dental care too.')
    const parentBefore = canonicalText(parent)

    const result = proposeBack(chapter, ledgerOf(parent), { author: ana, now: 3, chapter: 'Riverside', forkTitle: 'Platform — Riverside', identity: anaKey })
    expect(result.amendments.map((a) => a.title)).toEqual(['Riverside: Housing', 'Riverside: Health'])
    expect(result.unplaced).toBe(0)
    // Proposals only: the parent's text reads as before until the committee decides.
    expect(canonicalText(parent)).toBe(parentBefore)
    const ids = result.amendments.map((a) => a.id)
    expect(settleAll(parent, ids, 'accept')).toBe([
      'title|Platform', 'paragraph|Our values.', 'heading:2|Housing', 'paragraph|Rent shall be capped for everyone.',
      'heading:2|Health', 'paragraph|Care is universal. Dental care too.', 'paragraph|Clinics in every town.', '',
    ].join('\n'))
    expect(settleAll(parent, ids, 'reject')).toBe(parentBefore)
    // One section can be taken without the other.
    expect(settleAll(parent, [ids[0]!], 'accept')).toContain('paragraph|Care is free. Dental care too.\n')
    expect(readForkPoint(chapter)?.proposedBack).toBe(3)
  })

  it('propose only what a rewrite changed, as an editor that retypes a word stores it', () => {
    const parent = platform()
    const chapter = fork(parent)
    const t = textAt(chapter, 3)
    t.delete(15, 5) // "Rent shall be c|apped." → the editor's diff of "capped" → "capped at 3%"
    t.insert(15, 'apped at 3%')
    const result = proposeBack(chapter, ledgerOf(parent), { author: ana, now: 3, chapter: 'R', forkTitle: 'R', identity: anaKey })
    const ops = textAt(parent, 3).toDelta() as Array<{ insert: string; attributes?: object }>
    expect(ops.map((o) => [o.insert, o.attributes ? Object.keys(o.attributes)[0]!.split('--')[0] : null])).toEqual([
      ['Rent shall be capped', null], [' at 3%', 'insertion'], ['.', null],
    ])
    expect(settleAll(parent, [result.amendments[0]!.id], 'accept')).toContain('paragraph|Rent shall be capped at 3%.\n')
  })

  it('propose deleted paragraphs as joins that accepting removes', () => {
    const parent = platform()
    const chapter = fork(parent)
    content(chapter).delete(1, 1) // "Our values." goes
    const result = proposeBack(chapter, ledgerOf(parent), { author: ana, now: 3, chapter: 'Riverside', forkTitle: 'Riverside', identity: anaKey })
    expect(result.amendments.map((a) => a.title)).toEqual(['Riverside: Opening'])
    expect(settleAll(parent, [result.amendments[0]!.id], 'accept')).not.toContain('Our values.')
    expect(settleAll(parent, [result.amendments[0]!.id], 'reject')).toBe(canonicalText(parent))
  })

  it('say how much could not be placed where the parent deleted the text meanwhile', () => {
    const parent = platform()
    const chapter = fork(parent)
    insertAfter(textAt(chapter, 3), 'capped', ' at 3%')
    insertAfter(textAt(chapter, 5), 'free', ' always')
    content(parent).delete(3, 1) // the parent removed the rent paragraph
    const result = proposeBack(chapter, ledgerOf(parent), { author: ana, now: 3, chapter: 'Riverside', forkTitle: 'Riverside', identity: anaKey })
    expect(result.unplaced).toBe(' at 3%'.length)
    expect(result.amendments.map((a) => a.title)).toEqual(['Riverside: Health'])
  })

  it('refuse while the chapter has open amendments of its own, and for a draft that is not a chapter', () => {
    const parent = platform()
    const chapter = fork(parent)
    const a = proposeAmendment(chapter, { title: 'Undecided', rationale: '', author: ana, now: 3 }, ORIGIN.local)
    textAt(chapter, 3).insert(0, 'New ', reviewMarkAttribute(MARK.insertion, { amendment: a.id, author: 'Ana', color: ana.color }))
    expect(() => proposeBack(chapter, ledgerOf(parent), { author: ana, now: 4, chapter: 'R', forkTitle: 'R', identity: anaKey })).toThrow(/open amendment/)
    expect(() => proposeBack(parent, ledgerOf(chapter), { author: ana, now: 4, chapter: 'R', forkTitle: 'R', identity: anaKey })).toThrow(/not a chapter draft/)
  })
})

describe('proposing back again', () => {
  const propose = (chapter: Y.Doc, parent: Y.Doc, now: number) => proposeBack(chapter, ledgerOf(parent), { author: ana, now, chapter: 'Riverside', forkTitle: 'Riverside', identity: anaKey })
  const marks = (doc: Y.Doc, block: number) => (textAt(doc, block).toDelta() as Array<{ insert: string; attributes?: Record<string, { amendment?: string }> }>)
    .flatMap((op) => Object.entries(op.attributes ?? {}).map(([k, v]) => `${k.split('--')[0]}:${v.amendment === undefined ? '' : 'a'}:${op.insert}`))

  it('proposes only what changed since; an open amendment is updated in place, a decided one is not proposed again', () => {
    const parent = platform()
    const chapter = fork(parent)
    insertAfter(textAt(chapter, 3), 'capped', ' at 3%')
    insertAfter(textAt(chapter, 5), 'free', ' at the point of use')
    const first = propose(chapter, parent, 3)
    expect(first.amendments.map((a) => a.title)).toEqual(['Riverside: Housing', 'Riverside: Health'])
    const [housing, health] = first.amendments.map((a) => a.id) as [string, string]
    // The committee accepts Housing; Health stays open.
    settleInContent(parent, housing, 'accept', ORIGIN.local)
    recordDecision(ledgerOf(parent), { question: housing, member: ana, outcome: 'accepted', now: 4, identity: anaKey }, ORIGIN.local)

    // Nothing new: nothing proposed.
    expect(propose(chapter, parent, 5)).toMatchObject({ amendments: [], updated: [] })

    // The chapter changes both planks again.
    insertAfter(textAt(chapter, 3), '3%', ' a year')
    const t = textAt(chapter, 5)
    remove(t, ' of use')
    insertAfter(t, 'point', ' of care')
    const second = propose(chapter, parent, 6)
    // Housing was decided: a new amendment with only the new words. Health is open: updated in place.
    expect(second.amendments.map((a) => a.title)).toEqual(['Riverside: Housing'])
    expect(second.updated.map((a) => a.id)).toEqual([health])
    expect(marks(parent, 3)).toEqual(['insertion:a: a year'])
    // The words the chapter took back are gone from the proposal, not struck.
    expect(textAt(parent, 5).toString()).not.toContain('of use')
    expect(canonicalText(parent)).toContain('paragraph|Rent shall be capped at 3%.\n')
    expect(settleAll(parent, [second.amendments[0]!.id, health], 'accept')).toContain(
      'paragraph|Rent shall be capped at 3% a year.\nheading:2|Health\nparagraph|Care is free at the point of care.\n')
    expect(readRounds(chapter, 'p1')).toHaveLength(3)
  })

  it('carries formatting, heading levels and a list made numbered', () => {
    const parent = platform()
    const list = new Y.XmlElement('bullet_list')
    for (const words of ['Homes', 'Parks']) {
      const item = new Y.XmlElement('list_item')
      item.insert(0, [paragraph(words)])
      list.insert(list.length, [item])
    }
    content(parent).insert(4, [list])
    const chapter = fork(parent)
    textAt(chapter, 3).format(0, 4, { strong: {} }) // "Rent" bold
    ;(content(chapter).get(2) as Y.XmlElement).setAttribute('level', 3 as unknown as string) // Housing a subsection
    // The editor makes a list numbered by rebuilding it with the same items (y-prosemirror cannot rename).
    const numbered = new Y.XmlElement('ordered_list')
    numbered.setAttribute('order', 1 as unknown as string)
    for (const words of ['Homes', 'Parks']) {
      const item = new Y.XmlElement('list_item')
      item.insert(0, [paragraph(words)])
      numbered.insert(numbered.length, [item])
    }
    content(chapter).insert(4, [numbered])
    content(chapter).delete(5, 1)
    const before = canonicalText(parent)
    const { amendments } = propose(chapter, parent, 3)
    expect(canonicalText(parent)).toBe(before)
    const accepted = settleAll(parent, amendments.map((a) => a.id), 'accept')
    expect(accepted).toContain('paragraph|[strong]Rent[/strong] shall be capped.\n')
    expect(accepted).toContain('heading:3|Housing\n')
    expect(accepted).toContain('ordered_list:1/list_item/paragraph|Homes\nordered_list:1/list_item/paragraph|Parks\n')
    // Proposed as a new form of the list, not as a list deleted and another written.
    expect((content(parent).get(4) as Y.XmlElement).getAttribute('chg')).toContain('ordered_list')
  })

  it('two devices of a chapter proposing at once: the repeat is withdrawn next time, and nothing is doubled', () => {
    const parent = platform()
    const chapter = fork(parent)
    insertAfter(textAt(chapter, 3), 'capped', ' at 3%')
    // The chapter's two devices (both synced), and the parent's on each, offline from each other.
    const [laptop, phone] = [copyOf(chapter), copyOf(chapter)]
    const [parentA, parentB] = [copyOf(parent), copyOf(parent)]
    const a = propose(laptop, parentA, 3)
    const b = propose(phone, parentB, 3)
    // Everything syncs.
    for (const [x, y] of [[laptop, phone], [parentA, parentB]] as const) { Y.applyUpdate(x, Y.encodeStateAsUpdate(y)); Y.applyUpdate(y, Y.encodeStateAsUpdate(x)) }
    expect(readAmendments(parentA).filter((x) => x.title === 'Riverside: Housing')).toHaveLength(2)
    insertAfter(textAt(laptop, 3), '3%', ' a year')
    const third = propose(laptop, parentA, 4)
    expect(third.withdrawn).toHaveLength(1)
    expect([a.amendments[0]!.id, b.amendments[0]!.id]).toContain(third.withdrawn[0])
    expect(third.updated).toHaveLength(1)
    const kept = third.updated[0]!.id
    expect(tally(ledgerOf(parentA), third.withdrawn[0]!).status).toBe('withdrawn')
    expect(settleAll(parentA, [kept], 'accept')).toContain('paragraph|Rent shall be capped at 3% a year.\n')
  })
})
