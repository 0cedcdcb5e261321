import { sha256 } from '@noble/hashes/sha2.js'
import { hmac } from '@noble/hashes/hmac.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { decodeKey, encodeKey } from '../../../crdt/envelope.ts'
import type { Invite } from './invite.ts'

/**
 * Matching a host announced on the local network with what this device knows. An
 * announcement is anyone's word (electron/lan-announcement.ts), so it only decides
 * what "Hosts near you" lists; the address, token and certificate pin a member joins
 * with come from the invite link. The formulas are main's (lan-announcement.ts); a
 * shared test vector holds both to them.
 */

/** The hosting session an invite's pin stands for: 16 bytes of SHA-256, hex. */
export const sessionOfPin = (pin: string): string =>
  bytesToHex(sha256(utf8ToBytes(`plank meeting session v1\n${pin}`))).slice(0, 32)

/**
 * A private draft's recognition key: HMAC-SHA-256 of the draft id under its room key.
 * It lets a host tag its announcement so that only holders of the room key recognise
 * the draft, without the room key itself ever leaving the page.
 */
export const recognitionKey = (roomKey: string, draftId: string): string | null => {
  const raw = decodeKey(roomKey)
  return raw ? encodeKey(hmac(sha256, raw, utf8ToBytes(`plank meeting recognition v1\n${draftId}`))) : null
}

/** The tag a host announces for its private draft in this session. */
export const meetingTag = (recognition: string, session: string): string | null => {
  const raw = decodeKey(recognition)
  return raw ? encodeKey(hmac(sha256, raw, utf8ToBytes(`plank meeting tag v1\n${session}`)).subarray(0, 16)) : null
}

/** What an announcement says about itself (main's NearbyHost, in the part this needs). */
export type Announced = { session: string } & ({ private: false; draftId: string } | { private: true; tag?: string })

/** The draft on this device an announcement is for: by id for an open draft, by its tag for a private one. */
export const recognise = <D extends { id: string; roomKey?: string }>(near: Announced, drafts: D[]): D | null => {
  if (!near.private) return drafts.find((d) => d.id === near.draftId && !d.roomKey) ?? null
  if (!near.tag) return null
  return drafts.find((d) => {
    const key = d.roomKey ? recognitionKey(d.roomKey, d.id) : null
    return key !== null && meetingTag(key, near.session) === near.tag
  }) ?? null
}

/**
 * Whether an invite is for this announced host: one of its relays is pinned to the
 * announced session. Null when it is; otherwise what to tell the member.
 */
export const inviteMismatch = (invite: Invite, near: Announced): string | null => {
  const pinned = invite.relays.filter((r) => r.pin)
  if (pinned.some((r) => sessionOfPin(r.pin!) === near.session)) {
    if (!near.private && invite.draftId !== near.draftId) return 'That invite is for another draft.'
    return null
  }
  if (pinned.length === 0) return 'That invite names no meeting host. Ask the hosting member for the invite their laptop shows (or scan its QR code).'
  return 'That invite is for another meeting host, or an earlier hosting session. Ask the hosting member for the invite their laptop shows now.'
}
