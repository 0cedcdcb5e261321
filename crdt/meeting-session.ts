import { sha256 } from '@noble/hashes/sha2.js'
import { hmac } from '@noble/hashes/hmac.js'
import { toHexString } from 'lib0/buffer'
import { decodeKey, encodeKey } from './envelope.ts'

/**
 * The formulas that let a meeting host's announcement (electron/lan-announcement.ts,
 * in main) be matched with what a member's page knows (renderer/src/sync/meeting-match.ts)
 * without the announcement naming anything: both sides import them from here, so the
 * host announces exactly what the page looks for.
 *
 * - The session: derived from the pin of the hosting session's certificate, so an
 *   invite names the one session it is for without carrying anything more.
 * - A private draft's recognition key: an HMAC of the draft id under its room key,
 *   computed by the page, so the room key itself never leaves the page.
 * - The tag a host announces for its private draft: an HMAC of the session under the
 *   recognition key, so only holders of the room key recognise the draft, and two
 *   hosting sessions of the same draft cannot be linked by anyone else.
 *
 * Changing any of them is a change of the announcement's format (ANNOUNCEMENT_VERSION).
 */

const utf8 = (text: string) => new TextEncoder().encode(text)

/** The session id an invite's pin stands for: 16 bytes of SHA-256, hex. */
export const sessionOfPin = (pin: string): string => toHexString(sha256(utf8(`plank meeting session v1\n${pin}`))).slice(0, 32)

/** A private draft's recognition key (base64url, 32 bytes), or null when the room key does not read. */
export const recognitionKey = (roomKey: string, draftId: string): string | null => {
  const raw = decodeKey(roomKey)
  return raw ? encodeKey(hmac(sha256, raw, utf8(`plank meeting recognition v1\n${draftId}`))) : null
}

/** The tag a host announces for its private draft in this session (16 bytes, base64url), or null when the key does not read. */
export const meetingTag = (recognition: string, session: string): string | null => {
  const raw = decodeKey(recognition)
  return raw ? encodeKey(hmac(sha256, raw, utf8(`plank meeting tag v1\n${session}`)).subarray(0, 16)) : null
}
