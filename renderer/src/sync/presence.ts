import { safeColor, safeName } from '../../../crdt/author.ts'

/**
 * Presence is data, never markup or style. A peer's awareness state is whatever its
 * software sent (a stock client, a modified one): this reads the `user` field the way
 * everything that draws presence must, so a name is plain, one line and short, and a
 * colour is `#rrggbb` and nothing else (crdt/author.ts).
 */
export interface Peer {
  clientId: number
  name: string
  color: string
}

export const readPeer = (state: unknown, clientId: number): Peer | null => {
  const user = typeof state === 'object' && state !== null ? (state as { user?: unknown }).user : undefined
  if (typeof user !== 'object' || user === null) return null
  const { name, color } = user as Record<string, unknown>
  return { clientId, name: safeName(name), color: safeColor(color) }
}
