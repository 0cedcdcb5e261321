import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LeveldbStore } from './leveldb-store.ts'
import { storeConformance } from './store-conformance.ts'

storeConformance('leveldb', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plank-leveldb-'))
  return { store: new LeveldbStore(dir), reopen: async () => new LeveldbStore(dir) }
})
