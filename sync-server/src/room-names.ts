import { decodePercent, splitTarget } from './request-target.ts'

/**
 * Which room a WebSocket upgrade asks for, and its token.
 *
 * y-websocket puts the room name in the path as it is (`serverUrl + '/' + room`); the
 * URL parser of the browser or of `ws` then percent-encodes spaces and non-ASCII
 * (`my draft` arrives as `/my%20draft`, `Grüße-€` as `/Gr%C3%BC%C3%9Fe-%E2%82%AC`) but
 * leaves `%` and `/` alone (`test-@y/websocket` arrives as `/test-@y/websocket`, `100%`
 * as `/100%`). So the room is the whole path after its first `/`, percent-decoded
 * leniently (request-target.ts). Any name a stock client can send is accepted, from 1
 * to MAX_ROOM_NAME_BYTES bytes of UTF-8; how a name is kept on disk is
 * store/room-key.ts's business.
 */
export const MAX_ROOM_NAME_BYTES = 512

export interface UpgradeTarget {
  /** The decoded room name; check it with roomNameProblem. */
  room: string
  /** The `token` query parameter, or null. */
  token: string | null
}

export const parseUpgradeTarget = (target: string | undefined): UpgradeTarget => {
  const { path, query } = splitTarget(target)
  const encoded = path.startsWith('/') ? path.slice(1) : path
  // The HTTP parser caps a target at 16 KiB; a name too long even encoded is cut before decoding.
  const room = decodePercent(encoded.slice(0, MAX_ROOM_NAME_BYTES * 3 + 1))
  return { room, token: query.get('token') }
}

/** Why a decoded room name cannot be used, or null if it can. */
export const roomNameProblem = (room: string): 'empty' | 'too long' | null => {
  if (room.length === 0) return 'empty'
  if (Buffer.byteLength(room, 'utf8') > MAX_ROOM_NAME_BYTES) return 'too long'
  return null
}
