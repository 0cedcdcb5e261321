import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { oversized, splitUpdate } from './update-pieces.ts'
import { sync } from './testing.ts'

/** A small seeded PRNG (mulberry32), so a failing seed can be replayed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const WORDS = ['housing ', 'wages ', 'care ', 'ünïcödé ', '😀 ', 'a', '\n', '漢字 ', 'transit ']

/** Random edits by one doc: text typed and deleted, map values, list items, paragraphs. */
const edit = (doc: Y.Doc, rnd: () => number, steps: number) => {
  const text = doc.getText('text')
  const map = doc.getMap('meta')
  const list = doc.getArray('list')
  const frag = doc.getXmlFragment('content')
  for (let i = 0; i < steps; i++) {
    const r = rnd()
    if (r < 0.45) {
      let s = ''
      const words = 1 + Math.floor(rnd() * (rnd() < 0.1 ? 400 : 6))
      for (let w = 0; w < words; w++) s += WORDS[Math.floor(rnd() * WORDS.length)]
      // Never split a surrogate pair by inserting inside it.
      let at = Math.floor(rnd() * (text.length + 1))
      const str = text.toString()
      if (at > 0 && at < str.length && str.charCodeAt(at - 1) >= 0xd800 && str.charCodeAt(at - 1) <= 0xdbff) at--
      text.insert(at, s)
    } else if (r < 0.6 && text.length > 0) {
      const str = text.toString()
      let at = Math.floor(rnd() * str.length)
      let len = Math.min(str.length - at, 1 + Math.floor(rnd() * 30))
      if (at > 0 && str.charCodeAt(at - 1) >= 0xd800 && str.charCodeAt(at - 1) <= 0xdbff) at--
      if (str.charCodeAt(at + len - 1) >= 0xd800 && str.charCodeAt(at + len - 1) <= 0xdbff) len++
      text.delete(at, Math.min(len, str.length - at))
    } else if (r < 0.7) {
      map.set(`k${Math.floor(rnd() * 5)}`, { n: rnd(), s: 'x'.repeat(Math.floor(rnd() * 50)) })
    } else if (r < 0.8) {
      list.insert(Math.floor(rnd() * (list.length + 1)), rnd() < 0.5 ? [1, 'two', { three: 3 }] : [new Uint8Array(Math.floor(rnd() * 300))])
    } else if (r < 0.9 && list.length > 0) {
      list.delete(Math.floor(rnd() * list.length), 1)
    } else {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText('para '.repeat(1 + Math.floor(rnd() * 20)))])
      frag.insert(Math.floor(rnd() * (frag.length + 1)), [p])
    }
  }
}

const state = (doc: Y.Doc) => ({
  text: doc.getText('text').toString(),
  meta: doc.getMap('meta').toJSON(),
  list: doc.getArray('list').toJSON(),
  content: doc.getXmlFragment('content').toString(),
  sv: [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(),
})

/** Apply pieces in order to a copy of `base`; check it ends where applying the whole update does, and never waits on a later piece. */
const check = (base: Uint8Array, update: Uint8Array, maxBytes: number, gc: boolean) => {
  const whole = new Y.Doc({ gc })
  Y.applyUpdate(whole, base)
  const pendingBefore = whole.store.pendingStructs !== null
  Y.applyUpdate(whole, update)
  const piecewise = new Y.Doc({ gc })
  Y.applyUpdate(piecewise, base)
  const pieces = splitUpdate(update, maxBytes)
  for (const piece of pieces) {
    Y.applyUpdate(piecewise, piece)
    if (!pendingBefore && whole.store.pendingStructs === null) expect(piecewise.store.pendingStructs).toBeNull()
  }
  expect(state(piecewise)).toEqual(state(whole))
  expect(Y.equalSnapshots(Y.snapshot(piecewise), Y.snapshot(whole))).toBe(true)
  // Only a struct that cannot be cut may exceed the limit (here: binary list items).
  for (const size of oversized(pieces, maxBytes)) expect(size).toBeGreaterThan(maxBytes)
  return pieces
}

describe('splitting an update into pieces a relay accepts', () => {
  it('a 3 MB paste becomes pieces under the cap, and they rebuild the same text', () => {
    const doc = new Y.Doc({ gc: false })
    const big = 'The people’s platform: housing, wages and care for all. 😀 '.repeat(52_000)
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    doc.getText('text').insert(0, big)
    expect(updates[0]!.byteLength).toBeGreaterThan(3_000_000)
    const pieces = splitUpdate(updates[0]!, 512 * 1024)
    expect(pieces.length).toBeGreaterThanOrEqual(6)
    for (const p of pieces) expect(p.byteLength).toBeLessThanOrEqual(512 * 1024)
    const peer = new Y.Doc()
    for (const p of pieces) Y.applyUpdate(peer, p)
    expect(peer.getText('text').toString()).toBe(big)
  })

  it('an update already under the cap is passed on as it is', () => {
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'short')
    const u = Y.encodeStateAsUpdate(doc)
    expect(splitUpdate(u, 1000)).toEqual([u])
  })

  it('a struct that cannot be cut comes out alone and is reported as oversized', () => {
    const doc = new Y.Doc()
    doc.getArray('sealed').push([new Uint8Array(5000), new Uint8Array(10)])
    doc.getText('t').insert(0, 'x'.repeat(3000))
    const pieces = splitUpdate(Y.encodeStateAsUpdate(doc), 1000)
    expect(oversized(pieces, 1000)).toHaveLength(1)
    const peer = new Y.Doc()
    for (const p of pieces) Y.applyUpdate(peer, p)
    expect(peer.getText('t').toString()).toBe('x'.repeat(3000))
    expect((peer.getArray('sealed').get(0) as Uint8Array).length).toBe(5000)
  })

  it('a cap so small that each piece holds one character never cuts an emoji in half (was seed 1)', () => {
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'ab😀cd😀ef'.repeat(30))
    for (const cap of [200, 120, 90]) {
      const peer = new Y.Doc()
      for (const p of splitUpdate(Y.encodeStateAsUpdate(doc), cap)) Y.applyUpdate(peer, p)
      expect(peer.getText('t').toString()).toBe('ab😀cd😀ef'.repeat(30))
    }
  })

  it('a long run of deletions travels in pieces too', () => {
    const doc = new Y.Doc({ gc: false })
    const t = doc.getText('t')
    for (let i = 0; i < 3000; i++) t.insert(t.length, `w${i} `)
    for (let i = 0; i < 3000; i += 2) t.delete(i * 2 % Math.max(1, t.length - 3), 2)
    const pieces = splitUpdate(Y.encodeStateAsUpdate(doc), 300)
    for (const p of pieces) expect(p.byteLength).toBeLessThanOrEqual(300)
    const peer = new Y.Doc({ gc: false })
    for (const p of pieces) Y.applyUpdate(peer, p)
    expect(peer.getText('t').toString()).toBe(t.toString())
  })

  it('random documents of several members: full state, diffs and single changes, any cap (seeded)', () => {
    const seed = Number(process.env.PLANK_SEED ?? Date.now() % 100_000)
    console.log(`update-pieces seed ${seed} (PLANK_SEED=${seed} to replay)`)
    const rnd = prng(seed)
    const pieceCounts: number[] = []
    for (let round = 0; round < 12; round++) {
      const gc = round % 3 === 0
      const docs = [0, 1, 2].map(() => new Y.Doc({ gc }))
      const changes: Uint8Array[] = []
      docs[0]!.on('update', (u: Uint8Array) => changes.push(u))
      let mid: Uint8Array = new Uint8Array([0])
      let midState: Uint8Array = Y.encodeStateAsUpdate(new Y.Doc())
      for (let step = 0; step < 6; step++) {
        for (const d of docs) edit(d, rnd, 5 + Math.floor(rnd() * 15))
        sync(docs[0]!, docs[1]!)
        if (rnd() < 0.5) sync(docs[1]!, docs[2]!)
        if (step === 2) { mid = Y.encodeStateVector(docs[0]!); midState = Y.encodeStateAsUpdate(docs[0]!) }
      }
      const cap = 40 + Math.floor(rnd() * 3000)
      const empty = Y.encodeStateAsUpdate(new Y.Doc())
      pieceCounts.push(check(empty, Y.encodeStateAsUpdate(docs[0]!), cap, gc).length)
      check(midState, Y.encodeStateAsUpdate(docs[0]!, mid), cap, gc)
      const merged = Y.mergeUpdates(changes.slice(-20))
      const before = new Y.Doc({ gc })
      for (const c of changes.slice(0, -20)) Y.applyUpdate(before, c)
      check(Y.encodeStateAsUpdate(before), merged, cap, gc)
    }
    // The documents are large enough that most rounds really are cut into pieces.
    expect(pieceCounts.filter((n) => n > 3).length).toBeGreaterThan(6)
  })
})
