import { decodeKey, encodeKey, generateRoomKey, importRoomKey, type RoomKey } from '../../../crdt/envelope.ts'
import type { RoomWarning } from '../../../crdt/private-room.ts'
import type { DraftEntry } from './workspace.ts'

/**
 * A private draft's room keys as this device keeps them: base64url in the draft's
 * workspace entry (never in the draft, never sent to a relay), the current key first
 * and, after a key change, the older ones to open blobs from members not yet given it.
 */
export const newRoomKey = (): string => encodeKey(generateRoomKey())

/** The entry's keys, ready to seal and open; empty for an open draft. */
export const roomKeysOf = async (entry: DraftEntry | undefined): Promise<RoomKey[]> => {
  if (!entry?.roomKey) return []
  const raw = [entry.roomKey, ...(entry.previousRoomKeys ?? [])].map(decodeKey).filter((k): k is Uint8Array => k !== null)
  return Promise.all(raw.map(importRoomKey))
}

/** The entry's keys after adopting `next` as the current one (the old current is kept). */
export const adoptKey = (entry: DraftEntry, next: string): Pick<DraftEntry, 'roomKey' | 'previousRoomKeys'> =>
  next === entry.roomKey
    ? { roomKey: entry.roomKey, previousRoomKeys: entry.previousRoomKeys ?? [] }
    : { roomKey: next, previousRoomKeys: [entry.roomKey, ...(entry.previousRoomKeys ?? [])].filter((k): k is string => !!k && k !== next) }

/** What to tell the member when a blob from a relay did not open. */
export const roomWarningMessage = (warning: RoomWarning): string => {
  const why = warning.reason === 'other-key'
    ? 'sealed with a key this device does not hold (the draft’s key may have been changed)'
    : 'altered on the way or damaged'
  const one = warning.count === 1
  return `${warning.count} ${one ? 'change' : 'changes'} from a relay could not be verified (${why}) and ${one ? 'was' : 'were'} ignored. The rest of the draft is unaffected.`
}
