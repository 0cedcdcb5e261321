import type { RelayEndpoint } from './relays.ts'
import { normaliseRelayUrl } from './relays.ts'
import { INVITE_FRAGMENT as PREFIX, type Invite, type InviteProblem, decodeInvite, inviteLink } from '../../../crdt/invite-format.ts'

/**
 * Reading an invite link (its format, and the writer, are crdt/invite-format.ts): the
 * draft, its relays (with their tokens and pins) and its title to show before anything
 * has synced.
 */
export { type Invite, inviteLink }

/** An invite read from a link, or why it cannot be used, in words a member can act on. */
export type InviteReading = { ok: true; invite: Invite } | { ok: false; reason: string }

const DAMAGED = 'This invite link is incomplete or damaged: part of it was probably lost when it was copied. Ask for the link again and paste all of it.'
const DAMAGED_PIN = 'The meeting host’s certificate fingerprint in this invite link is damaged, so this app could not tell the host from an impostor. Ask for the link again.'

/** Whether text is meant as an invite at all (has the fragment), so a failure to read it deserves a message. */
export const looksLikeInvite = (text: string): boolean => text.includes(PREFIX)

const NO_RELAY = 'This invite link names no relay this app can reach the draft through. Ask for a link made after the draft was shared through a relay.'

/** What each of the decoder's problems means to the member holding the link. */
const REASON: Record<InviteProblem, string> = {
  unreadable: DAMAGED,
  newer: 'This invite link was made by a newer version of Plank. Update Plank, then open it again.',
  version: DAMAGED,
  draft: DAMAGED,
  relays: NO_RELAY,
  // Dropping a pin that does not read would dial the meeting host unpinned.
  pin: DAMAGED_PIN,
  title: DAMAGED,
  // A private draft's key that does not read would make every blob look tampered with.
  key: 'The draft’s key in this invite link is damaged, so its text could not be read. Ask for the link again.',
  invitation: DAMAGED,
  // Trusting a wrong founding entry would make the device refuse the draft's real one.
  root: DAMAGED,
}

/** Read an invite from a pasted link (or just its fragment), saying what is wrong with it when it cannot be used. */
export const readInvite = (text: string): InviteReading => {
  const at = text.indexOf(PREFIX)
  if (at < 0) return { ok: false, reason: text.trim() === '' ? 'Paste the invite link a member sent you.' : 'That is not a Plank invite link: an invite link contains “#join=”. Ask the member who invited you to send it again.' }
  const decoded = decodeInvite(text.slice(at + PREFIX.length).trim())
  if (!decoded.ok) return { ok: false, reason: REASON[decoded.problem] }
  const { invite } = decoded
  // Addresses as a member would type them are read as such; ones no relay could have are passed over.
  const relays: RelayEndpoint[] = []
  for (const r of invite.relays) {
    const url = normaliseRelayUrl(r.url)
    if (url) relays.push({ url, ...(r.token ? { token: r.token } : {}), ...(r.pin ? { pin: r.pin } : {}) })
  }
  if (relays.length === 0) return { ok: false, reason: NO_RELAY }
  return { ok: true, invite: { ...invite, relays, title: invite.title.slice(0, 300) } }
}

/** Read an invite from a pasted link (or just its fragment); null when it is not one. */
export const parseInvite = (text: string): Invite | null => {
  const reading = readInvite(text)
  return reading.ok ? reading.invite : null
}
