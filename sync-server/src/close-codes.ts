/**
 * Why the relay closed a connection. 1xxx are the WebSocket standard's; 44xx are
 * Plank's own, named so a client (and a log reader) can tell a bad token from a
 * full room without guessing.
 */
export const CLOSE = {
  goingAway: { code: 1001, reason: 'relay shutting down' },
  tooBig: { code: 1009, reason: 'message too big' },
  internal: { code: 1011, reason: 'relay error' },
  badMessage: { code: 4400, reason: 'malformed message' },
  tokenRequired: { code: 4401, reason: 'access token required' },
  tokenRejected: { code: 4403, reason: 'access token rejected' },
  badRoom: { code: 4404, reason: 'invalid room name' },
  roomFull: { code: 4413, reason: 'room is over its size quota' },
  rateLimited: { code: 4429, reason: 'too many messages' },
} as const

export type CloseReason = (typeof CLOSE)[keyof typeof CLOSE]
