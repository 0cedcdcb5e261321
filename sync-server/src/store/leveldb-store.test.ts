import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { LeveldbPersistence } from 'y-leveldb'
import { describe, expect, it } from 'vitest'
import { LeveldbStore } from './leveldb-store.ts'
import { storeConformance } from './store-conformance.ts'
import { storageKey } from './room-key.ts'

storeConformance('leveldb', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plank-leveldb-'))
  return { store: new LeveldbStore(dir), reopen: async () => new LeveldbStore(dir) }
})

describe('leveldb store keys', () => {
  it('still loads rooms stored before any room name was allowed (stored under the bare name)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plank-leveldb-legacy-'))
    // What earlier relays wrote: y-leveldb keyed by the room name itself.
    const before = new LeveldbPersistence(dir)
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'written by an older relay')
    const legacyNames = ['draft-2f9c.v1', "a~b:c@d!e$f&g'h(i)j*k+l,m;n=o"]
    for (const name of legacyNames) await before.storeUpdate(name, Y.encodeStateAsUpdate(doc))
    await before.destroy()

    const store = new LeveldbStore(dir)
    for (const name of legacyNames) {
      expect(storageKey(name)).toBe(name)
      const loaded = new Y.Doc()
      Y.applyUpdate(loaded, (await store.load(name))!)
      expect(loaded.getText('t').toString()).toBe('written by an older relay')
    }
    await store.close()
  })

  it('keys every other name as printable ASCII, with % always starting an escape', () => {
    expect(storageKey('my draft')).toBe('my%20draft')
    expect(storageKey('my%20draft')).toBe('my%2520draft')
    expect(storageKey('test-@y/websocket')).toBe('test-@y%2Fwebsocket')
    expect(storageKey('Grüße-€')).toBe('Gr%C3%BC%C3%9Fe-%E2%82%AC')
    expect(storageKey('\ud800')).toBe('%ED%A0%80')
    expect(storageKey('\u{1F600}')).toBe('%F0%9F%98%80')
  })
})
