import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ENVELOPE_ARRAY } from '../../crdt/contracts/wire-protocol.ts'
import { relayDoc } from './history.ts'
import { mergeByApplying } from './store/merge.ts'

const gcRecords = (doc: Y.Doc) => [...doc.store.clients.values()].flat().filter((s) => s instanceof Y.GC).length

describe('what the relay keeps', () => {
  it('keeps deleted draft text as history, but lets compacted sealed blobs go', () => {
    const member = new Y.Doc({ gc: false })
    member.getText('t').insert(0, 'keep this, drop that')
    member.getText('t').delete(10, 10)
    const blobs = member.getArray<Uint8Array>(ENVELOPE_ARRAY)
    blobs.push([new Uint8Array(10_000).fill(7), new Uint8Array(10_000).fill(8)])
    blobs.delete(0, 2) // a compaction replaced them
    blobs.push([new Uint8Array(100).fill(9)])

    const relay = relayDoc()
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(member))
    const stored = mergeByApplying([Y.encodeStateAsUpdate(relay)])
    expect(stored.length).toBeLessThan(2_000)
    const later = new Y.Doc({ gc: false })
    Y.applyUpdate(later, stored)
    expect(later.getText('t').toString()).toBe('keep this,')
    // The deleted words keep their content (a snapshot can show them); the blobs' bytes are gone.
    const structs = later.store.clients.get(member.clientID)!.filter((s): s is Y.Item => s instanceof Y.Item)
    const deletedText = structs.filter((s) => s.deleted && s.parent === later.getText('t'))
    expect(deletedText.map((s) => s.content.getContent().join('')).join('')).toBe(' drop that')
    expect(gcRecords(later)).toBe(0)
  })
})

describe('what a Plank relay stores for a private draft', () => {
  it('stays within twice the plain Yjs state after 10,000 edits and compaction', async () => {
    const { PrivateRoom, createDraftDoc, generateRoomKey, importRoomKey } = await import('../../crdt/index.ts')
    const key = await importRoomKey(generateRoomKey())
    const draft = createDraftDoc()
    const room = new PrivateRoom(draft, 'draft-1234', [key], { batchMs: 1, compactAt: 64 })
    const relay = relayDoc()
    const stored: Uint8Array[] = []
    room.envelope.on('update', (u: Uint8Array) => { stored.push(u); Y.applyUpdate(relay, u) })
    const text = draft.getText('t')
    for (let i = 0; i < 10_000; i++) {
      text.insert(0, `w${i} `)
      if (i % 50 === 49) await room.settled()
    }
    await room.settled()
    await room.compact()
    const plain = Y.encodeStateAsUpdate(draft).length
    const onDisk = mergeByApplying(stored).length
    const inMemory = Y.encodeStateAsUpdate(relay).length
    console.log(`Plank relay, private draft after 10,000 edits: plain ${plain} B, stored ${onDisk} B (${(onDisk / plain).toFixed(2)}×), in memory ${inMemory} B`)
    expect(onDisk).toBeLessThanOrEqual(2 * plain)
    expect(inMemory).toBeLessThanOrEqual(2 * plain)
    room.destroy()
  })
})
