import { Awareness, removeAwarenessStates } from 'y-protocols/awareness'
import { relayDoc } from './history.ts'

/**
 * One room in memory: the relay's copy of a draft (history kept: see history.ts)
 * and its awareness. Connections and persistence are the core's business.
 */
export class Room<Conn> {
  readonly doc = relayDoc()
  readonly awareness = new Awareness(this.doc)
  readonly connections = new Map<Conn, Set<number>>()
  /** Bytes accepted into this room (loaded state + appended updates), for the quota. */
  bytes = 0
  /** Appends since the last compaction. */
  appendsSinceCompaction = 0
  /** Serialises this room's writes to the store, in the order updates were applied. */
  writes: Promise<void> = Promise.resolve()
  evictionTimer: ReturnType<typeof setTimeout> | null = null

  constructor(readonly name: string) {
    // The relay is not a participant: it holds no awareness state of its own.
    this.awareness.setLocalState(null)
  }

  /** Forget the awareness states a departing connection controlled. */
  dropAwarenessOf(conn: Conn): void {
    const ids = this.connections.get(conn)
    if (ids && ids.size > 0) removeAwarenessStates(this.awareness, [...ids], null)
  }

  destroy(): void {
    this.awareness.destroy()
    this.doc.destroy()
  }
}
