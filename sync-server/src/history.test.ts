import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ENVELOPE_ARRAY } from '../../crdt/private-room.ts'
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
