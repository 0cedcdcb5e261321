import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import type { RelayStore } from './store.ts'

/**
 * The behaviour every relay store must have. Each backend's test file calls this with
 * a factory; `reopen` (for stores that outlive the process) makes a fresh store over the
 * same data, as after a restart.
 */
export const storeConformance = (name: string, make: () => Promise<{ store: RelayStore; reopen?: () => Promise<RelayStore> }>) => {
  const edits = (n: number, text = 'x') => {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < n; i++) doc.getText('t').insert(i, text)
    return { doc, updates }
  }
  const textOf = (state: Uint8Array | null) => {
    const doc = new Y.Doc()
    if (state) Y.applyUpdate(doc, state)
    return doc.getText('t').toString()
  }

  describe(`${name} store`, () => {
    it('returns null for a room it has never seen', async () => {
      const { store } = await make()
      expect(await store.load('nobody-here')).toBeNull()
      await store.close()
    })

    it('gives back everything appended, as one update', async () => {
      const { store } = await make()
      const { doc, updates } = edits(50)
      for (const u of updates) await store.append('room', u)
      expect(textOf(await store.load('room'))).toBe(doc.getText('t').toString())
      await store.close()
    })

    it('keeps rooms apart', async () => {
      const { store } = await make()
      const a = edits(3, 'a')
      const b = edits(4, 'b')
      for (const u of a.updates) await store.append('a', u)
      for (const u of b.updates) await store.append('b', u)
      expect(textOf(await store.load('a'))).toBe('aaa')
      expect(textOf(await store.load('b'))).toBe('bbbb')
      await store.close()
    })

    it('keeps rooms apart whatever their names, however alike once escaped or decoded', async () => {
      const { store, reopen } = await make()
      const names = [
        'test-@y/websocket', 'test-@y%2Fwebsocket', 'my draft', 'my%20draft', 'Grüße-€', '100%', '%', '%25',
        'A', '%41', 'a\u0000b', 'caf\u00e9', 'cafe\u0301', '\ud800', '\udc00', 'x'.repeat(512), '€'.repeat(170),
      ]
      for (const [i, name] of names.entries()) for (const u of edits(1, `room ${i};`).updates) await store.append(name, u)
      if (reopen) await store.close()
      const later = reopen ? await reopen() : store
      for (const [i, name] of names.entries()) expect(textOf(await later.load(name)), name).toBe(`room ${i};`)
      await later.close()
    })

    it('keeps deleted text as history through compaction and reopening (no garbage collection)', async () => {
      const { store, reopen } = await make()
      const doc = new Y.Doc({ gc: false })
      const updates: Uint8Array[] = []
      doc.on('update', (u: Uint8Array) => updates.push(u))
      doc.getText('t').insert(0, 'keep this, drop that')
      doc.getText('t').delete(10, 10)
      for (const u of updates) await store.append('room', u)
      await store.compact('room')
      if (reopen) await store.close()
      const later = reopen ? await reopen() : store
      const loaded = new Y.Doc({ gc: false })
      Y.applyUpdate(loaded, (await later.load('room'))!)
      const structs = [...loaded.store.clients.values()].flat()
      expect(structs.some((s) => s instanceof Y.GC)).toBe(false)
      expect(loaded.getText('t').toString()).toBe('keep this,')
      await later.close()
    })

    it('loses nothing through compaction, including updates appended during it', async () => {
      const { store } = await make()
      const { doc, updates } = edits(600)
      for (const u of updates.slice(0, 590)) await store.append('room', u)
      const compacting = store.compact('room')
      for (const u of updates.slice(590)) await store.append('room', u)
      await compacting
      expect(textOf(await store.load('room'))).toBe(doc.getText('t').toString())
      await store.compact('room')
      expect(textOf(await store.load('room'))).toBe(doc.getText('t').toString())
      await store.close()
    })

    it('accepts appends to many rooms at once', async () => {
      const { store } = await make()
      const rooms = Array.from({ length: 20 }, (_, i) => ({ name: `r${i}`, ...edits(5, String.fromCharCode(97 + i)) }))
      await Promise.all(rooms.flatMap((r) => r.updates.map((u) => store.append(r.name, u))))
      for (const r of rooms) expect(textOf(await store.load(r.name))).toBe(r.doc.getText('t').toString())
      await store.close()
    })

    it('keeps everything across a restart, when the store outlives the process', async () => {
      const { store, reopen } = await make()
      if (!reopen) return
      const { doc, updates } = edits(30)
      for (const u of updates) await store.append('durable', u)
      await store.close()
      const again = await reopen()
      expect(textOf(await again.load('durable'))).toBe(doc.getText('t').toString())
      await again.close()
    })
  })
}
