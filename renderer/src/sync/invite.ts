import type { RelayEndpoint } from './relays.ts'
import { normaliseRelayUrl } from './relays.ts'
import { decodeKey } from '../../../crdt/envelope.ts'
import { INVITE_FRAGMENT as PREFIX, type Invite, inviteLink, readInvitePayload } from '../../../crdt/invite-format.ts'

/**
 * Reading an invite link (its format, and the writer, are crdt/invite-format.ts): the
 * draft, its relays (with their tokens) and its title to show before anything has synced.
 */
export { type Invite, inviteLink }

/** An invite read from a link, or why it cannot be used, in words a member can act on. */
export type InviteReading = { ok: true; invite: Invite } | { ok: false; reason: string }

const DAMAGED = 'This invite link is incomplete or damaged: part of it was probably lost when it was copied. Ask for the link again and paste all of it.'

/** Whether text is meant as an invite at all (has the fragment), so a failure to read it deserves a message. */
export const looksLikeInvite = (text: string): boolean => text.includes(PREFIX)

/** Read an invite from a pasted link (or just its fragment), saying what is wrong with it when it cannot be used. */
export const readInvite = (text: string): InviteReading => {
  const at = text.indexOf(PREFIX)
  if (at < 0) return { ok: false, reason: text.trim() === '' ? 'Paste the invite link a member sent you.' : 'That is not a Plank invite link: an invite link contains “#join=”. Ask the member who invited you to send it again.' }
  const raw = readInvitePayload(text.slice(at + PREFIX.length).trim()) as Record<string, unknown> | undefined
  if (!raw || typeof raw !== 'object') return { ok: false, reason: DAMAGED }
  if (typeof raw.v === 'number' && raw.v > 1) return { ok: false, reason: 'This invite link was made by a newer version of Plank. Update Plank, then open it again.' }
  if (raw.v !== 1 || typeof raw.d !== 'string' || !/^[A-Za-z0-9-]{8,64}$/.test(raw.d) || !Array.isArray(raw.r)) return { ok: false, reason: DAMAGED }
  const relays: RelayEndpoint[] = []
  for (const r of raw.r as Array<Record<string, unknown>>) {
    const url = typeof r?.url === 'string' ? normaliseRelayUrl(r.url) : null
    if (!url) continue
    relays.push(typeof r.token === 'string' && r.token ? { url, token: r.token } : { url })
  }
  if (relays.length === 0) return { ok: false, reason: 'This invite link names no relay this app can reach the draft through. Ask for a link made after the draft was shared through a relay.' }
  // A private draft's key that does not read would make every blob look tampered with.
  if (raw.k !== undefined && !(typeof raw.k === 'string' && decodeKey(raw.k))) return { ok: false, reason: 'The draft’s key in this invite link is damaged, so its text could not be read. Ask for the link again.' }
  if (raw.i !== undefined && !(typeof raw.i === 'string' && /^[A-Za-z0-9_-]{43}$/.test(raw.i))) return { ok: false, reason: DAMAGED }
  // The founding entry an older draft's link names: damaged, it would make the device refuse the real one.
  if (raw.o !== undefined && !(typeof raw.o === 'string' && /^[0-9a-f]{64}$/.test(raw.o))) return { ok: false, reason: DAMAGED }
  const key = typeof raw.k === 'string' ? raw.k : undefined
  const invitation = typeof raw.i === 'string' ? raw.i : undefined
  const root = typeof raw.o === 'string' ? raw.o : undefined
  return { ok: true, invite: { draftId: raw.d, relays, title: typeof raw.t === 'string' ? raw.t.slice(0, 300) : '', ...(key ? { key } : {}), ...(invitation ? { invitation } : {}), ...(root ? { root } : {}) } }
}

/** Read an invite from a pasted link (or just its fragment); null when it is not one. */
export const parseInvite = (text: string): Invite | null => {
  const reading = readInvite(text)
  return reading.ok ? reading.invite : null
}
