import type { RelayStore } from './store.ts'
import { mergeByApplying } from './merge.ts'

/** Rooms in memory only: for tests, and for a relay run without --data. */
export class MemoryStore implements RelayStore {
  readonly kind = 'memory'
  private readonly rooms = new Map<string, Uint8Array[]>()

  async load(room: string): Promise<Uint8Array | null> {
    const updates = this.rooms.get(room)
    return updates && updates.length > 0 ? mergeByApplying(updates) : null
  }

  async append(room: string, update: Uint8Array): Promise<void> {
    let updates = this.rooms.get(room)
    if (!updates) this.rooms.set(room, (updates = []))
    updates.push(update.slice())
  }

  async compact(room: string): Promise<void> {
    const updates = this.rooms.get(room)
    if (updates && updates.length > 1) this.rooms.set(room, [mergeByApplying(updates)])
  }

  async close(): Promise<void> {}
}
