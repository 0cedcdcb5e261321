import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import { content, createDraftDoc } from './draft.ts'
import { canonicalText } from './canonical.ts'
import { settleInContent } from './settle.ts'
import { ORIGIN } from './origins.ts'
import { BLOCK_ATTR, NODE } from './format.ts'
import { encodeBlockChange } from './format-changes.ts'
import { forwardMovedEdits } from './moves.ts'
import { dumpItems } from './dump-items.ts'

/**
 * Seeded property test: an amendment joins paragraphs (a proposed join accepted, a
 * proposed split rejected) or gives blocks a new type, which moves their words; at the
 * same moment another member edits exactly those words on their own device (types,
 * deletes, formats). A third device hears of the edit before the decision. After
 * everything has synced:
 *  - every device reads the same text;
 *  - and it is the text of making the edit first and the decision after: the
 *    concurrent edit is there, once.
 */
const SEEDS = Number(process.env.PLANK_MOVE_SEEDS ?? 200)
const BASE_SEED = Number(process.env.PLANK_SEED ?? Date.now() % 1_000_000)
/** Seeds that once failed: 5284 (two runs carried over at one spot whose anchor was also deleted, placed in reverse). */
const PINNED: number[] = [5284]
const WORDS = ['rent', 'care', 'water', 'free', 'all', 'public', 'hands', 'shall', 'be', 'homes']
const STYLES: Array<Record<string, unknown>> = [{}, {}, { strong: {} }, { em: {} }, { strong: {}, em: {} }]

const block = (heading: boolean): Y.XmlElement => {
  const el = new Y.XmlElement(heading ? NODE.heading : NODE.paragraph)
  if (heading) el.setAttribute('level', 2 as unknown as string)
  const text = new Y.XmlText()
  el.insert(0, [text])
  return el
}

/** A platform whose blocks carry proposals of amendment a1: joins, splits, new types. */
const platform = (g: prng.PRNG): Y.Doc => {
  const doc = createDraftDoc()
  doc.clientID = clientId()
  const title = new Y.XmlElement(NODE.title)
  title.insert(0, [new Y.XmlText('Platform')])
  const blocks = Array.from({ length: prng.int32(g, 3, 6) }, () => block(prng.int32(g, 0, 4) === 0))
  content(doc).insert(0, [title, ...blocks])
  blocks.forEach((el, i) => {
    const what = prng.int32(g, 0, 5)
    if (what === 0 && i > 0) el.setAttribute(BLOCK_ATTR.deleted, 'a1')
    else if (what === 1 && i > 0) el.setAttribute(BLOCK_ATTR.inserted, 'a1')
    else if (what === 2) {
      const node = el.nodeName === NODE.heading ? NODE.paragraph : NODE.heading
      el.setAttribute(BLOCK_ATTR.changed, encodeBlockChange({ amendment: 'a1', author: 'Ana', color: '#0f6b63', node, attrs: { level: 3 } }))
    }
    // Bold only where no join depends on it (a heading cannot hold bold, so a join into one is refused).
    const joins = el.getAttribute(BLOCK_ATTR.deleted) || el.getAttribute(BLOCK_ATTR.inserted)
    const styles = el.nodeName === NODE.heading ? [{}] : joins ? STYLES.filter((st) => !('strong' in st)) : STYLES
    const text = el.get(0) as Y.XmlText
    for (let k = prng.int32(g, 1, 4); k > 0; k--) text.insert(text.length, `${prng.oneOf(g, WORDS)} `, { ...prng.oneOf(g, styles) })
  })
  return doc
}

/** Client ids decide the order of concurrent insertions: draw them from the seed too, so a seed replays exactly. */
let clients: prng.PRNG = prng.create(0)
const clientId = () => prng.uint32(clients, 1, 0xffffffff)
const copy = (doc: Y.Doc): Y.Doc => {
  const c = createDraftDoc()
  c.clientID = clientId()
  Y.applyUpdate(c, Y.encodeStateAsUpdate(doc))
  return c
}

/**
 * One edit of the words in a block the decision moves (joined into the block before,
 * or rebuilt with a new type): typed, deleted or formatted. Not in a block others are
 * joined onto: words typed at its very end, where the joined words are appended, land
 * before or after them by Yjs's rule for two insertions at one spot (as they would
 * with no move at all), which no decision can know.
 */
const editMovedWords = (g: prng.PRNG, doc: Y.Doc, how: 'accept' | 'reject'): void => {
  const blocks = (content(doc).toArray() as Y.XmlElement[]).slice(1)
  const joins = (el: Y.XmlElement | undefined) => !!el && !!el.getAttribute(how === 'accept' ? BLOCK_ATTR.deleted : BLOCK_ATTR.inserted)
  const moved = blocks.filter((el, i) => (joins(el) || (how === 'accept' && !!el.getAttribute(BLOCK_ATTR.changed))) && !joins(blocks[i + 1]))
  if (moved.length === 0) return
  const text = prng.oneOf(g, moved).get(0) as Y.XmlText
  const at = prng.int32(g, 0, text.length)
  const n = Math.min(prng.int32(g, 1, 5), text.length - at)
  switch (prng.int32(g, 0, 3)) {
    // Italic and underline, which every block may hold, so a join is possible either way round.
    case 0: case 1: text.insert(at, `${prng.oneOf(g, WORDS)}! `, prng.bool(g) ? { em: {} } : {}); break
    case 2: if (n > 0) text.delete(at, n); break
    case 3: if (n > 0) text.format(at, n, prng.bool(g) ? { underline: {} } : { em: null }); break
  }
}

/** Deliver everything each device lacks, until nothing more is written (devices forward as they learn). */
const syncAll = (docs: Y.Doc[]): void => {
  for (let round = 0; round < 10; round++) {
    let changed = false
    for (const from of docs) {
      for (const to of docs) {
        if (from === to) continue
        const missing = Y.encodeStateAsUpdate(from, Y.encodeStateVector(to))
        const before = Y.encodeStateVector(to)
        Y.applyUpdate(to, missing, 'remote')
        if (!equalBytes(before, Y.encodeStateVector(to)) || !equalDs(from, to)) changed = true
      }
    }
    if (!changed) return
  }
}
const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i])
const equalDs = (a: Y.Doc, b: Y.Doc) => Y.equalDeleteSets(Y.createDeleteSetFromStructStore(a.store), Y.createDeleteSetFromStructStore(b.store))

describe(`decisions that move words, under a concurrent editor (seeds ${BASE_SEED}…${BASE_SEED + SEEDS - 1})`, () => {
  it('keep the concurrent edit, once, on every device', { timeout: 120_000 }, () => {
    for (const seed of [...PINNED, ...Array.from({ length: SEEDS }, (_, i) => BASE_SEED + i)]) {
      const g = prng.create(seed)
      clients = prng.create(seed + 0x5eed)
      const base = platform(g)
      const how = prng.oneOf(g, ['accept', 'reject'] as const)
      const [decider, editor, witness] = [copy(base), copy(base), copy(base)]
      const unwatch = [decider, editor, witness].map(forwardMovedEdits)
      for (let k = prng.int32(g, 1, 3); k > 0; k--) editMovedWords(g, editor, how)
      const edit = Y.encodeStateAsUpdate(editor, Y.encodeStateVector(base))
      // The witness hears of the edit before the decision; the decider decides without it.
      Y.applyUpdate(witness, edit, 'remote')
      settleInContent(decider, 'a1', how, ORIGIN.local)
      syncAll([decider, editor, witness])

      // Sequentially: the edit first, then the decision.
      const sequential = copy(base)
      Y.applyUpdate(sequential, edit)
      settleInContent(sequential, 'a1', how, ORIGIN.local)

      if (process.env.PLANK_DEBUG) for (const [name, d] of [['edited', (() => { const c = copy(base); Y.applyUpdate(c, edit); return c })()], ['decider', decider], ['sequential', sequential]] as const) console.log(`${name}\n${dumpItems(d)}`)
      const texts = [decider, editor, witness].map(canonicalText)
      expect(texts[1], `seed ${seed}: editor and decider agree`).toBe(texts[0])
      expect(texts[2], `seed ${seed}: witness and decider agree`).toBe(texts[0])
      expect(texts[0], `seed ${seed} (${how}): the concurrent edit is kept, once`).toBe(canonicalText(sequential))
      unwatch.forEach((u) => u())
    }
  })
})
