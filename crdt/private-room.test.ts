import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createDraftDoc, content } from './draft.ts'
import { ORIGIN } from './origins.ts'
import { PrivateRoom } from './private-room.ts'
import { ENVELOPE_ARRAY } from './contracts/wire-protocol.ts'
import { generateRoomKey, importRoomKey, type RoomKey } from './envelope.ts'

const MARKER = 'MARKER-phrase-7f3a'

/** A member: a draft, its private room, and the warnings it showed. */
const member = async (key: RoomKey, id = 'draft-1234', compactAt = 64, pieceBytes?: number) => {
  const doc = createDraftDoc()
  const warnings: string[] = []
  const room = new PrivateRoom(doc, id, [key], { onWarning: (w) => warnings.push(w.reason), compactAt, batchMs: 1, ...(pieceBytes ? { pieceBytes } : {}) })
  return { doc, room, warnings, text: () => content(doc).toString() }
}
type Member = Awaited<ReturnType<typeof member>>

/** A relay: it just holds and passes on the envelope (as a stock y-websocket relay does). */
const relay = () => new Y.Doc()
const sync = async (r: Y.Doc, ...ms: Member[]) => {
  for (let round = 0; round < 3; round++) {
    for (const m of ms) await m.room.settled()
    for (const m of ms) {
      Y.applyUpdate(r, Y.encodeStateAsUpdate(m.room.envelope, Y.encodeStateVector(r)))
      Y.applyUpdate(m.room.envelope, Y.encodeStateAsUpdate(r, Y.encodeStateVector(m.room.envelope)), 'relay')
    }
  }
  for (const m of ms) await m.room.settled()
}
const type = (m: Member, text: string, at = 0) => {
  const frag = content(m.doc)
  m.doc.transact(() => {
    if (frag.length === 0) frag.insert(0, [new Y.XmlElement('paragraph')])
    const p = frag.get(0) as Y.XmlElement
    if (p.length === 0) p.insert(0, [new Y.XmlText()])
    ;(p.get(0) as Y.XmlText).insert(at, text)
  }, 'typing')
}
const contains = (haystack: Uint8Array, needle: string) => Buffer.from(haystack).includes(Buffer.from(needle))

describe('private rooms', () => {
  it('carry edits between members while the relay holds only ciphertext', async () => {
    const key = await importRoomKey(generateRoomKey())
    const [a, b, r] = [await member(key), await member(key), relay()]
    type(a, `Our platform: ${MARKER}.`)
    await sync(r, a, b)
    expect(b.text()).toBe(a.text())
    expect(b.text()).toContain(MARKER)
    expect(contains(Y.encodeStateAsUpdate(r), MARKER)).toBe(false)
    expect(contains(Y.encodeStateAsUpdate(r), 'Our platform')).toBe(false)
  })

  it('refuse a blob with one flipped byte, warn, and keep everything else', async () => {
    const key = await importRoomKey(generateRoomKey())
    const [a, r] = [await member(key), relay()]
    type(a, 'First words. ')
    await sync(r, a)
    type(a, 'Second words.', 13)
    await sync(r, a)
    // The relay (or anyone on the path) flips one byte of the second blob.
    const blobs = r.getArray<Uint8Array>(ENVELOPE_ARRAY)
    const bad = Uint8Array.from(blobs.get(1))
    bad[bad.length - 5]! ^= 1
    r.transact(() => { blobs.delete(1, 1); blobs.push([bad]) })
    const b = await member(key)
    await sync(r, b)
    expect(b.warnings).toEqual(['tampered'])
    expect(b.text()).toContain('First words.')
    expect(b.text()).not.toContain('Second')
    // A blob sealed for another draft is refused too (the draft id is authenticated).
    const other = await member(key, 'another-draft')
    await sync(r, other)
    expect(other.warnings.length).toBe(2)
    expect(other.text()).toBe('')
  })

  it('compact: after 10,000 edits the relay holds at most twice the plain state', async () => {
    const key = await importRoomKey(generateRoomKey())
    const [a, b, r] = [await member(key, 'draft-1234', 64), await member(key, 'draft-1234', 64), relay()]
    for (let i = 0; i < 10_000; i++) {
      type(i % 2 ? a : b, `w${i} `, 0)
      if (i % 50 === 49) await sync(r, a, b)
    }
    await sync(r, a, b)
    await a.room.compact()
    await sync(r, a, b)
    expect(b.text()).toBe(a.text())
    const plain = Y.encodeStateAsUpdate(a.doc).length
    const stored = Y.encodeStateAsUpdate(r).length
    console.log(`private room: plain state ${plain} bytes, relay's envelope ${stored} bytes (${(stored / plain).toFixed(2)}×), ${r.getArray(ENVELOPE_ARRAY).length} blobs`)
    expect(stored).toBeLessThanOrEqual(2 * plain)
  })

  it('lose nothing when one member compacts while another writes', async () => {
    const key = await importRoomKey(generateRoomKey())
    const [a, b, r] = [await member(key), await member(key), relay()]
    for (let i = 0; i < 20; i++) type(a, `a${i} `)
    await sync(r, a, b)
    const compaction = a.room.compact()
    type(b, 'written during the compaction ')
    await b.room.settled()
    Y.applyUpdate(r, Y.encodeStateAsUpdate(b.room.envelope))
    await compaction
    await sync(r, a, b)
    expect(a.text()).toContain('written during the compaction')
    expect(b.text()).toBe(a.text())
    const c = await member(key)
    await sync(r, c)
    expect(c.text()).toBe(a.text())
  })

  it('a large paste is sealed in blobs no larger than a piece, and arrives whole; its snapshot does not set off compaction again', async () => {
    const key = await importRoomKey(generateRoomKey())
    const [a, b, r] = [await member(key, 'draft-1234', 8, 16 * 1024), await member(key, 'draft-1234', 8, 16 * 1024), relay()]
    const big = `${MARKER} `.repeat(20_000)
    type(a, big)
    expect(a.room.idle).toBe(false)
    await a.room.settled()
    expect(a.room.idle).toBe(true)
    const blobs = a.room.envelope.getArray<Uint8Array>(ENVELOPE_ARRAY).toArray()
    expect(blobs.length).toBeGreaterThan(10)
    for (const blob of blobs) expect(blob.length).toBeLessThanOrEqual(16 * 1024 + 64)
    await sync(r, a, b)
    expect(b.text()).toBe(a.text())
    expect(b.text()).toContain(big)
    // Compacting a draft bigger than a piece: the snapshot is several blobs, and the
    // next few edits do not count them, so the room does not compact on every keystroke.
    await a.room.compact()
    await sync(r, a, b)
    const afterCompaction = r.getArray(ENVELOPE_ARRAY).length
    type(b, 'one more. ')
    await sync(r, a, b)
    expect(r.getArray(ENVELOPE_ARRAY).length).toBe(afterCompaction + 1)
    expect(a.text()).toBe(b.text())
  })

  it('catch up: edits made while no relay was known reach the envelope on connect', async () => {
    const key = await importRoomKey(generateRoomKey())
    const a = await member(key)
    type(a, 'Written offline. ')
    await a.room.settled()
    // A later session: the envelope starts empty, the draft is loaded from storage.
    const doc = createDraftDoc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.doc), ORIGIN.storage)
    const later = new PrivateRoom(doc, 'draft-1234', [key], { batchMs: 1 })
    const r = relay()
    later.catchUp()
    await later.settled()
    Y.applyUpdate(r, Y.encodeStateAsUpdate(later.envelope))
    const b = await member(key)
    await sync(r, b)
    expect(b.text()).toContain('Written offline.')
  })
})

describe('key rotation', () => {
  it('re-seals the room under a new key: members given it read on; a removed member reads nothing new', async () => {
    const oldKey = await importRoomKey(generateRoomKey())
    const newKey = await importRoomKey(generateRoomKey())
    const [a, b, removed, r] = [await member(oldKey), await member(oldKey), await member(oldKey), relay()]
    type(a, 'Before the rotation. ')
    await sync(r, a, b, removed)
    expect(removed.text()).toContain('Before the rotation.')

    await a.room.rotate(newKey)
    b.room.setKeys([newKey, oldKey])
    type(a, 'After the rotation. ')
    await sync(r, a, b, removed)
    expect(b.text()).toContain('After the rotation.')
    expect(removed.text()).not.toContain('After the rotation.')
    expect(removed.warnings).toContain('other-key')
    // Nothing on the relay is sealed with the old key any more.
    const keyIds = r.getArray<Uint8Array>(ENVELOPE_ARRAY).toArray().map((blob) => Buffer.from(blob.subarray(1, 5)).toString('hex'))
    expect(keyIds.length).toBeGreaterThan(0)
    expect(new Set(keyIds)).toEqual(new Set([newKey.id]))
    // A member still on the old key keeps writing: nothing is lost for those with both keys.
    type(removed, 'Written with the old key. ')
    await sync(r, a, b, removed)
    expect(a.text()).toContain('Written with the old key.')
    // A newcomer with only the new key reads everything sealed since the rotation.
    const newcomer = await member(newKey)
    await sync(r, newcomer)
    expect(newcomer.text()).toContain('Before the rotation.')
    expect(newcomer.text()).toContain('After the rotation.')
  })
})
