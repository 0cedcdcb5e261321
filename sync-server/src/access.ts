import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Optional access control: with a relay secret set, a connection must present a token
 * for its room, HMAC-SHA256(secret, room) in base64url. The operator hands tokens to a
 * chapter out of band (`plank-relay token <room>`); the relay stores no per-room list.
 * Checked at the upgrade, before the client is attached to any room.
 */
export const roomToken = (secret: string, room: string): string =>
  createHmac('sha256', secret).update(room).digest('base64url')

export type AccessResult = 'ok' | 'missing' | 'rejected'

export const checkAccess = (secret: string | undefined, room: string, token: string | null): AccessResult => {
  if (!secret) return 'ok'
  if (!token) return 'missing'
  const expected = Buffer.from(roomToken(secret, room))
  const given = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'rejected'
}
