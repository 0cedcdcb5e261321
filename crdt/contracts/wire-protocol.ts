/**
 * The y-websocket wire protocol as Plank's relay and Plank's client both speak it:
 * message types, the close codes a relay ends a connection with, and the root names of
 * a private room's envelope (the one part of a sealed draft a relay must know).
 * Dependency-free (crdt/contracts/), so the relay (sync-server/), the desktop host
 * (electron/) and the app (renderer/) import the same constants, and a number typed
 * anywhere else is a bug.
 *
 * Close codes decide whether a client ever comes back. y-websocket 3.1 treats every
 * close from 4400 to 4499 as final (its `defaultShouldReconnect`): it stops
 * reconnecting for good and emits `closed`. Every other code, 1xxx and 4500–4599
 * included, makes it reconnect with backoff and sync again, losing nothing. So:
 *
 * - 44xx only for refusals that reconnecting cannot fix: a missing or wrong token, a
 *   room name the relay cannot hold, bytes that are not y-websocket at all.
 * - Anything a client must survive (a room over its quota, a relay that is busy or
 *   shutting down, an internal error) uses a code it reconnects after: the standard
 *   1xxx ones, or 45xx, y-websocket's own "try again later" range (mirroring HTTP 5xx).
 *
 * A relay never closes a connection for sending too fast: it slows the sender down
 * instead (sync-server/src/backpressure.ts).
 */

/** y-websocket message types (the first varint of every message). */
export const MESSAGE = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const

export interface CloseReason {
  readonly code: number
  /** Short, for logs and the close frame (at most 123 bytes). */
  readonly reason: string
}

export const CLOSE = {
  /** The relay is stopping (SIGTERM, a meeting host that stops hosting): reconnect later. */
  goingAway: { code: 1001, reason: 'relay shutting down' },
  /** One message over the relay's size cap (ws sends this itself). */
  tooBig: { code: 1009, reason: 'message too big' },
  internal: { code: 1011, reason: 'relay error' },
  /** The relay cannot take more from this connection right now (its backlog is full): reconnect later. */
  tryAgainLater: { code: 1013, reason: 'relay busy, try again later' },
  /** Bytes that are not y-websocket (a text frame, a message that does not decode). Final. */
  badMessage: { code: 4400, reason: 'malformed message' },
  tokenRequired: { code: 4401, reason: 'access token required' },
  tokenRejected: { code: 4403, reason: 'access token rejected' },
  /** Empty, or longer than the relay holds (see sync-server/src/room-names.ts). Final. */
  badRoom: { code: 4404, reason: 'invalid room name' },
  /** The room is over its size quota; it may be raised or compacted, so not final (HTTP 507). */
  roomFull: { code: 4507, reason: 'room is over its size quota' },
} as const satisfies Record<string, CloseReason>

/**
 * Not a code any relay sends: what a WebSocket reports when its connection ended with
 * no close frame at all (the line dropped, nothing answered, or the TLS handshake was
 * refused). Clients see it; a relay never chooses it.
 */
export const NO_CLOSE_FRAME = 1006

/**
 * Codes older Plank relays used for conditions that were never meant to be final
 * (room full, rate limited). A client meeting one keeps trying, as it would today.
 */
export const LEGACY_CLOSE = {
  roomFull: 4413,
  tooFast: 4429,
} as const

export const LEGACY_RETRYABLE_CLOSES: ReadonlySet<number> = new Set(Object.values(LEGACY_CLOSE))

/** Whether a close code is a refusal that reconnecting cannot fix (y-websocket's 4400–4499). */
export const isFinalClose = (code: number): boolean =>
  code >= 4400 && code < 4500 && !LEGACY_RETRYABLE_CLOSES.has(code)

/**
 * A private room on a relay is an *envelope* document, not the draft: its one root is
 * this `Y.Array` of sealed blobs (crdt/private-room.ts appends and compacts it). The
 * relay knows the name so it can let compacted blobs really go (sync-server/src/history.ts).
 * Part of the format every member and relay shares: renaming it is a new protocol.
 */
export const ENVELOPE_ARRAY = 'sealed'
