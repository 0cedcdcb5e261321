import { meetingTag, recognitionKey, sessionOfPin } from '../../../crdt/meeting-session.ts'
import type { Invite } from './invite.ts'

/**
 * Matching a host announced on the local network with what this device knows. An
 * announcement is anyone's word (electron/lan-announcement.ts), so it only decides
 * what "Hosts near you" lists; the address, token and certificate pin a member joins
 * with come from the invite link. The session, recognition key and tag are computed
 * with the host's own formulas (crdt/meeting-session.ts).
 */

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
