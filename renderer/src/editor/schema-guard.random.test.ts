import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import { describe, expect, it } from 'vitest'
import { schema } from './schema.ts'
import { findUnrenderable } from './schema-guard.ts'
import { bindGuarded } from './guarded-binding.ts'
import { showableCopy } from './showable-copy.ts'
import { content, copyDraft, createDraftDoc, seedDraft } from '../../../crdt/index.ts'
import { HeadlessEditor } from '../../../test/support/headless-editor.ts'

/**
 * Seeded property test of the guarded app path against Yjs software nobody here wrote:
 * a plain Y.Doc peer writes random fragments into a draft (element names from the
 * schema and unknown ones, random nesting, marks and attributes, text in random places,
 * embeds, hooks), in one or more updates that arrive before the editor binds, after it,
 * or in between, while the member types in their own paragraph. The app path (guard,
 * y-prosemirror's real binding, and the read-only showable copy when the guard stops
 * the editor) must never lose anything the peer wrote: the draft's XML equals the peer's
 * apart from what the member typed, and no item of the peer's is deleted. An unguarded
 * binding run on the same cases must lose something in some of them (the test can fail).
 */
const CASES = Number(process.env.PLANK_GUARD_CASES ?? 400)
const BASE_SEED = Number(process.env.PLANK_SEED ?? Date.now() % 1_000_000)
/** Seeds that once failed (none yet). */
const PINNED: number[] = []
const seeds = () => [...PINNED, ...Array.from({ length: CASES }, (_, i) => BASE_SEED + i)]

const TYPED = '¶'
/** The member's own paragraph (the seed's empty one after the title); the peer never writes there. */
const OWN = 1

const NAMES = ['paragraph', 'heading', 'blockquote', 'bullet_list', 'ordered_list', 'list_item', 'hard_break', 'title', 'text', 'doc', 'code_block', 'image', 'figure']
const MARKS: Array<[string, unknown]> = [
  ['strong', {}], ['strong', true], ['em', {}], ['underline', {}], ['link', { href: 'https://example.org' }], ['link', {}],
  ['link', { href: 'https://example.org', title: 'Example' }], ['code', {}],
  ['insertion--abcdefgh', { amendment: 'a1', author: 'Ana', color: '#0f6b63' }], ['deletion', { amendment: 'a2', author: 'Bo', color: '#b45309' }],
]
const ATTRS: Array<[string, unknown]> = [['level', 2], ['level', 3], ['level', 'x'], ['order', 4], ['align', 'center'], ['ins', 'a1'], ['id', 7]]
const WORDS = ['land', 'bread', 'peace', 'housing', 'for', 'all', 'now']

const words = (g: prng.PRNG) => Array.from({ length: prng.int32(g, 1, 3) }, () => prng.oneOf(g, WORDS)).join(' ')

const randomText = (g: prng.PRNG): Y.XmlText => {
  const t = new Y.XmlText()
  if (prng.int32(g, 0, 30) === 0) {
    t.insertEmbed(0, { image: 'x' })
    return t
  }
  let length = 0
  for (let i = prng.int32(g, 1, 3); i > 0; i--) {
    const attrs = prng.bool(g) ? Object.fromEntries(Array.from({ length: prng.int32(g, 1, 2) }, () => prng.oneOf(g, MARKS))) : undefined
    const run = words(g) + ' '
    t.insert(length, run, attrs)
    length += run.length
  }
  return t
}

/** Something Plank itself would write, so the editable path runs with foreign content around it. */
const validBlock = (g: prng.PRNG): Y.XmlElement => {
  const block = (name: string, ...children: Array<Y.XmlElement | Y.XmlText>) => {
    const e = new Y.XmlElement(name)
    e.insert(0, children)
    return e
  }
  const plain = () => {
    const t = new Y.XmlText()
    t.insert(0, words(g), prng.bool(g) ? { em: {} } : undefined)
    return t
  }
  switch (prng.int32(g, 0, 3)) {
    case 0: return block('paragraph', plain())
    case 1: { const h = block('heading', plain()); h.setAttribute('level', 2 as unknown as string); return h }
    case 2: return block('blockquote', block('paragraph', plain()))
    default: return block(prng.bool(g) ? 'bullet_list' : 'ordered_list', block('list_item', block('paragraph', plain())))
  }
}

const randomElement = (g: prng.PRNG, depth: number): Y.XmlElement => {
  if (prng.int32(g, 0, 2) === 0) return validBlock(g)
  const e = new Y.XmlElement(prng.oneOf(g, NAMES))
  if (prng.int32(g, 0, 2) === 0) for (const [k, v] of Array.from({ length: prng.int32(g, 1, 2) }, () => prng.oneOf(g, ATTRS))) e.setAttribute(k, v as string)
  const children: Array<Y.XmlElement | Y.XmlText> = []
  for (let i = prng.int32(g, 0, 3); i > 0; i--) {
    const roll = prng.int32(g, 0, 40)
    if (roll === 0) children.push(new Y.XmlHook('widget') as unknown as Y.XmlElement) // Yjs types an element's children narrower than it stores
    else if (depth < 3 && roll < 22) children.push(randomElement(g, depth + 1))
    else children.push(randomText(g))
  }
  e.insert(0, children)
  return e
}

/**
 * One transaction of the peer's: new blocks, text at the top, formatting or attributes
 * on what is there. A well-behaved peer writes only what Plank itself would.
 */
const peerWrite = (g: prng.PRNG, fragment: Y.XmlFragment, wellBehaved: boolean) => {
  if (wellBehaved) {
    fragment.insert(prng.int32(g, OWN + 1, fragment.length), [validBlock(g)])
    return
  }
  const others = () => fragment.toArray().map((n, i) => [n, i] as const).filter(([n, i]) => i !== OWN && n instanceof Y.XmlElement).map(([n]) => n as Y.XmlElement)
  switch (prng.int32(g, 0, 9)) {
    case 0: fragment.insert(prng.int32(g, OWN + 1, fragment.length), [randomText(g)]); break
    case 1: case 2: {
      const target = prng.oneOf(g, others())
      const text = target.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText && c.length > 0)
      if (text) text.format(0, prng.int32(g, 1, text.length), Object.fromEntries([prng.oneOf(g, MARKS)]))
      break
    }
    case 3: { const [k, v] = prng.oneOf(g, ATTRS); prng.oneOf(g, others()).setAttribute(k, v as string); break }
    case 4: { const target = prng.oneOf(g, others()); if (target.length > 0) target.delete(prng.int32(g, 0, target.length - 1), 1); break }
    default: fragment.insert(prng.int32(g, OWN + 1, fragment.length), Array.from({ length: prng.int32(g, 1, 2) }, () => randomElement(g, 0)))
  }
}

interface Case { base: Y.Doc; updates: Uint8Array[]; peer: Y.Doc; typeAfter: number[] }

const makeCase = (seed: number): Case => {
  const g = prng.create(seed)
  const base = createDraftDoc()
  seedDraft(base, { title: 'Platform', planks: ['Housing'] })
  const peer = new Y.Doc()
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(base))
  const updates: Uint8Array[] = []
  // Some peers behave: the editor must stay editable with their writes (and the member's typing) around.
  const wellBehaved = prng.int32(g, 0, 2) === 0
  for (let i = prng.int32(g, 1, 3); i > 0; i--) {
    const sv = Y.encodeStateVector(peer)
    peer.transact(() => { for (let j = prng.int32(g, 1, 3); j > 0; j--) peerWrite(g, peer.getXmlFragment('content'), wellBehaved) })
    updates.push(Y.encodeStateAsUpdate(peer, sv))
  }
  // When the editor binds: before any update (0), after some, or after all; the member types after each step.
  const bindAt = prng.int32(g, 0, updates.length)
  return { base, updates, peer, typeAfter: [bindAt] }
}

/** Items the peer wrote that the draft deleted although the peer did not (a deletion made by the app). */
const deletedByApp = (doc: Y.Doc, peer: Y.Doc): number => {
  const peerDeleted = Y.snapshot(peer).ds
  // Formatting markers are normalised by Yjs itself (redundant ones removed); the XML comparison covers formatting.
  return (doc.store.clients.get(peer.clientID) ?? []).filter((s) => s instanceof Y.Item && s.deleted && !(s.content instanceof Y.ContentFormat) &&
    !(Y.isDeleted(peerDeleted, s.id) && Y.isDeleted(peerDeleted, Y.createID(s.id.client, s.id.clock + s.length - 1)))).length
}

const run = (c: Case, guarded: boolean) => {
  const doc = copyDraft(c.base)
  const bindAt = c.typeAfter[0]!
  for (const u of c.updates.slice(0, bindAt)) Y.applyUpdate(doc, u)
  let reported = false
  const editor = guarded
    ? bindGuarded(schema, content(doc), () => new HeadlessEditor(content(doc), schema), () => { reported = true })
    : (() => { const view = new HeadlessEditor(content(doc), schema); return { view, problem: null, destroy: () => view.destroy() } })()
  reported ||= editor.problem !== null
  editor.view?.typeInBlock(OWN, TYPED)
  for (const u of c.updates.slice(bindAt)) {
    Y.applyUpdate(doc, u)
    editor.view?.typeInBlock(OWN, TYPED)
  }
  const editable = editor.view !== null
  const faithful = editor.view?.showsFaithfully(content(doc)) ?? true
  editor.destroy()
  let copyOk = true
  if (reported) {
    // The app then shows a read-only copy it can show in full; binding it deletes nothing, even in the copy.
    const copy = showableCopy(schema, doc)
    const before = content(copy.doc).toString()
    copyOk = findUnrenderable(schema, content(copy.doc)) === null
    new HeadlessEditor(content(copy.doc), schema).destroy()
    copyOk &&= content(copy.doc).toString() === before
  }
  return { doc, reported, copyOk, editable, faithful }
}

describe(`the schema guard against random fragments from a plain Yjs peer (seeds ${BASE_SEED}…${BASE_SEED + CASES - 1})`, () => {
  it('never lets the app lose what the peer wrote; an unguarded binding does', { timeout: 60_000 }, () => {
    let reported = 0
    let editable = 0
    let unguardedLost = 0
    for (const seed of seeds()) {
      const c = makeCase(seed)
      const expected = c.peer.getXmlFragment('content').toString()
      const result = run(c, true)
      expect(result.doc.getXmlFragment('content').toString().replaceAll(TYPED, ''), `seed ${seed}`).toBe(expected)
      expect(deletedByApp(result.doc, c.peer), `seed ${seed}`).toBe(0)
      expect(result.copyOk, `seed ${seed}: the read-only copy could not be shown in full`).toBe(true)
      expect(result.faithful, `seed ${seed}: the editor stayed editable on a document it does not show as it is`).toBe(true)
      if (result.reported) reported++
      if (result.editable) editable++
      // The peer's own copy, after hearing back from the draft, lost nothing either.
      Y.applyUpdate(c.peer, Y.encodeStateAsUpdate(result.doc))
      expect(c.peer.getXmlFragment('content').toString().replaceAll(TYPED, ''), `seed ${seed}`).toBe(expected)

      try {
        const bare = run(makeCase(seed), false)
        if (bare.doc.getXmlFragment('content').toString().replaceAll(TYPED, '') !== expected) unguardedLost++
      } catch {
        unguardedLost++
      }
    }
    console.log(`schema guard property: ${CASES + PINNED.length} cases from seed ${BASE_SEED}; the guard stopped the editor in ${reported}, ${editable} stayed editable; an unguarded binding lost or broke content in ${unguardedLost}`)
    // The generator makes both kinds of case, and the unguarded binding really loses data in many.
    expect(reported).toBeGreaterThan(CASES / 10)
    expect(editable).toBeGreaterThan(CASES / 10)
    expect(unguardedLost).toBeGreaterThan(CASES / 10)
  })
})
