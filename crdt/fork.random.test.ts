import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import { content, createDraftDoc, seedDraft } from './draft.ts'
import { canonicalText } from './canonical.ts'
import { settleInContent } from './settle.ts'
import { ORIGIN } from './origins.ts'
import { NODE } from './format.ts'
import { readForkPoint, startChapterDraft } from './fork.ts'
import { proposeBack } from './propose-back.ts'
import { readSource } from './propose-back-log.ts'
import { dumpItems } from './dump-items.ts'
import { identityFromSecret } from './identity.ts'
import { ledgerOf } from './devices.testing.ts'

/**
 * Seeded property test of proposing back: a chapter and its parent both edit at
 * random (words typed, some bold, and deleted; paragraphs added, emptied and removed)
 * after the fork; then
 *  - accepting every amendment gives the parent exactly the text it would have had if
 *    the chapter's edits had been merged into it directly (as Yjs merges), title aside;
 *  - rejecting every amendment leaves the parent's text as it was.
 */
const SEEDS = Number(process.env.PLANK_FORK_SEEDS ?? 150)
const BASE_SEED = Number(process.env.PLANK_SEED ?? Date.now() % 1_000_000)
/** Seeds that once failed: 256 (a retyped space kept its old formatting instead of the new). */
const PINNED: number[] = [256]
/** A fixed key: signatures, and so the records, are the same every run of a seed. */
const anaKey = identityFromSecret(new Uint8Array(32).fill(7))
const ana = { id: anaKey.id, name: 'Ana', color: '#0f6b63' }
const WORDS = ['rent', 'care', 'water', 'free', 'all', 'the', 'public', 'hands', 'shall', 'be']

const word = (g: prng.PRNG) => prng.oneOf(g, WORDS)
const blocks = (doc: Y.Doc) => content(doc).toArray() as Y.XmlElement[]
const textOf = (el: Y.XmlElement) => el.get(0) as Y.XmlText

/**
 * One random edit: type, delete, add a paragraph, or remove one (never the title); the
 * chapter also formats words and changes a heading's level. (Only the chapter: two
 * drafts formatting overlapping words merge by Yjs's rule, in which the end of one
 * range can undo the other's formatting — a direct merge would copy that, a proposal
 * does not.)
 */
const randomEdit = (g: prng.PRNG, doc: Y.Doc, chapter = false, plain = false) => {
  const all = blocks(doc)
  const i = prng.int32(g, 1, all.length - 1)
  const el = all[i]!
  const t = textOf(el)
  const what = prng.int32(g, 0, 9)
  switch (what < 8 || chapter ? what : 0) {
    case 8: if (t.length > 0) {
      const at = prng.int32(g, 0, t.length - 1)
      const name = el.nodeName === NODE.heading ? 'em' : prng.oneOf(g, ['strong', 'em'])
      t.format(at, prng.int32(g, 1, Math.min(8, t.length - at)), { [name]: prng.bool(g) ? {} : null })
    } break
    case 9: if (el.nodeName === NODE.heading) el.setAttribute('level', (Number(el.getAttribute('level')) === 3 ? 2 : 3) as unknown as string); break
    case 0: case 1: case 2: t.insert(prng.int32(g, 0, t.length), ` ${word(g)}`); break
    case 3: if (t.length > 0) { const at = prng.int32(g, 0, t.length - 1); t.delete(at, prng.int32(g, 1, Math.min(6, t.length - at))) } break
    case 4: {
      const p = new Y.XmlElement(NODE.paragraph)
      p.insert(0, [new Y.XmlText(`${word(g)} ${word(g)}.`)])
      content(doc).insert(i + 1, [p])
      break
    }
    case 5: if (el.nodeName === NODE.paragraph && all.length > 3) content(doc).delete(i, 1); break
    // Formatted words (italic in a heading, which holds no bold, as the editor keeps it).
    case 6: t.insert(prng.int32(g, 0, t.length), ` ${word(g)}`, plain ? {} : el.nodeName === NODE.heading ? { em: {} } : { strong: {} }); break
    case 7: if (t.length > 0) t.delete(0, t.length); break // a block emptied
  }
}

/** Client ids decide the order of insertions at one spot: drawn from the seed too, so a seed replays exactly. */
let clients = prng.create(0)
const withClient = <T extends Y.Doc>(doc: T): T => { doc.clientID = prng.uint32(clients, 1, 0xffffffff); return doc }
const copy = (doc: Y.Doc) => {
  const c = withClient(createDraftDoc())
  Y.applyUpdate(c, Y.encodeStateAsUpdate(doc))
  return c
}
const withoutTitle = (text: string) => text.split('\n').filter((l) => !l.startsWith('title|')).join('\n')

describe(`proposing back on random edits (seeds ${BASE_SEED}…${BASE_SEED + SEEDS - 1})`, () => {
  it('accepting every amendment equals merging the chapter directly; rejecting them all changes nothing', { timeout: 120_000 }, () => {
    for (const seed of [...PINNED, ...Array.from({ length: SEEDS }, (_, i) => BASE_SEED + i)]) {
      const g = prng.create(seed)
      clients = prng.create(seed + 0x5eed)
      const parent = withClient(createDraftDoc())
      seedDraft(parent, { title: 'Platform', planks: ['Housing', 'Health', 'Work'], now: 1 })
      for (const el of blocks(parent).slice(1)) if (el.nodeName === NODE.paragraph) textOf(el).insert(0, `${word(g)} ${word(g)} ${word(g)}.`)
      const chapter = withClient(startChapterDraft(parent, { parentId: 'p', parentTitle: 'Platform', chapter: 'R', title: 'Platform — R', now: 2 }))
      const forkedSv = Y.decodeSnapshot(readForkPoint(chapter)!.snapshot).sv
      for (let k = prng.int32(g, 1, 8); k > 0; k--) randomEdit(g, chapter, true)
      for (let k = prng.int32(g, 0, 6); k > 0; k--) randomEdit(g, parent)

      // What a direct merge of the chapter's edits would give (its title rename aside).
      const merged = copy(parent)
      Y.applyUpdate(merged, Y.encodeStateAsUpdate(chapter, Y.encodeStateVector(forkedSv)))
      const before = canonicalText(parent)
      const target = copy(parent)
      const { amendments } = proposeBack(chapter, ledgerOf(target), { author: ana, now: 3, chapter: 'R', forkTitle: 'R', identity: anaKey })
      expect(canonicalText(target), `seed ${seed}: proposals change nothing until decided`).toBe(before)
      const accepted = copy(target)
      for (const a of amendments) settleInContent(accepted, a.id, 'accept', ORIGIN.local)
      expect(withoutTitle(canonicalText(accepted)), `seed ${seed}: accepted`).toBe(withoutTitle(canonicalText(merged)))
      const rejected = copy(target)
      for (const a of amendments) settleInContent(rejected, a.id, 'reject', ORIGIN.local)
      expect(canonicalText(rejected), `seed ${seed}: rejected`).toBe(before)
    }
  })

  it('proposing again proposes only what changed since; everything accepted equals the direct merge', { timeout: 120_000 }, () => {
    for (const seed of [...PINNED, ...Array.from({ length: SEEDS }, (_, i) => BASE_SEED + i)]) {
      const g = prng.create(seed)
      clients = prng.create(seed + 0x5eed)
      const parent = withClient(createDraftDoc())
      seedDraft(parent, { title: 'Platform', planks: ['Housing', 'Health', 'Work'], now: 1 })
      for (const el of blocks(parent).slice(1)) if (el.nodeName === NODE.paragraph) textOf(el).insert(0, `${word(g)} ${word(g)} ${word(g)}.`)
      const chapter = withClient(startChapterDraft(parent, { parentId: 'p', parentTitle: 'Platform', chapter: 'R', title: 'Platform — R', now: 2 }))
      const forkedSv = Y.decodeSnapshot(readForkPoint(chapter)!.snapshot).sv
      // The parent's own words unformatted here: where the end of a formatted word meets the
      // chapter's formatting, Yjs's merge can undo either, and a later round cannot know which.
      for (let k = prng.int32(g, 0, 6); k > 0; k--) randomEdit(g, parent, false, true)
      const before = copy(parent)
      for (let k = prng.int32(g, 1, 6); k > 0; k--) randomEdit(g, chapter, true)
      const first = proposeBack(chapter, ledgerOf(parent), { author: ana, now: 3, chapter: 'R', forkTitle: 'R', identity: anaKey })
      // The committee accepts the first round, or leaves it open while the chapter goes on.
      const acceptFirst = prng.bool(g)
      if (acceptFirst) for (const a of first.amendments) settleInContent(parent, a.id, 'accept', ORIGIN.local)
      const more = prng.int32(g, 0, 6)
      for (let k = more; k > 0; k--) randomEdit(g, chapter, true)
      const second = proposeBack(chapter, ledgerOf(parent), { author: ana, now: 4, chapter: 'R', forkTitle: 'R', identity: anaKey })
      if (process.env.PLANK_DEBUG && more === 0) console.log('SECOND', JSON.stringify(second), '\n' + dumpItems(parent), '\nCHAPTER\n' + dumpItems(chapter))
      if (more === 0) expect(second.amendments.length + second.updated.length, `seed ${seed}: nothing new, nothing proposed`).toBe(0)
      if (!acceptFirst) {
        const planks = [...first.amendments, ...second.amendments].map((a) => readSource(parent, a.id)?.plank)
        expect(new Set(planks).size, `seed ${seed}: open amendments are updated, not repeated`).toBe(planks.length)
      }
      if (process.env.PLANK_DEBUG) for (const [name, d] of [['before', before], ['parent', parent], ['chapter', chapter]] as const) console.log(`${name}\n${dumpItems(d)}`)
      for (const a of [...first.amendments, ...second.amendments]) settleInContent(parent, a.id, 'accept', ORIGIN.local)
      const merged = copy(before)
      Y.applyUpdate(merged, Y.encodeStateAsUpdate(chapter, Y.encodeStateVector(forkedSv)))
      expect(withoutTitle(canonicalText(parent)), `seed ${seed}: accepted, in two rounds`).toBe(withoutTitle(canonicalText(merged)))
    }
  })
})
