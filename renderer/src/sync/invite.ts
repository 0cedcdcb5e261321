import type { RelayEndpoint } from './relays.ts'
import { isCertificatePin, normaliseRelayUrl } from './relays.ts'
import { decodeKey } from '../../../crdt/envelope.ts'

/**
 * An invite link: which draft, through which relays (with their tokens), and its title
 * to show before anything has synced. It travels in the URL fragment, which browsers
 * never send to a server.
 */
export interface Invite {
  draftId: string
  relays: RelayEndpoint[]
  title: string
  /** A private draft's room key (base64url). Only in the fragment: never sent to a relay. */
  key?: string
  /** An invitation's secret (crdt/roster.ts): joining with it puts the member on the roster. */
  invitation?: string
}

const PREFIX = '#join='

const toBase64Url = (text: string): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

const fromBase64Url = (text: string): string =>
  new TextDecoder().decode(Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))

export const inviteLink = (base: string, invite: Invite): string =>
  `${base.split('#')[0]}${PREFIX}${toBase64Url(JSON.stringify({ v: 1, d: invite.draftId, r: invite.relays, t: invite.title, ...(invite.key ? { k: invite.key } : {}), ...(invite.invitation ? { i: invite.invitation } : {}) }))}`

/** An invite read from a link, or why it cannot be used, in words a member can act on. */
export type InviteReading = { ok: true; invite: Invite } | { ok: false; reason: string }

const DAMAGED = 'This invite link is incomplete or damaged: part of it was probably lost when it was copied. Ask for the link again and paste all of it.'
const DAMAGED_PIN = 'The meeting host’s certificate fingerprint in this invite link is damaged, so this app could not tell the host from an impostor. Ask for the link again.'

/** Whether text is meant as an invite at all (has the fragment), so a failure to read it deserves a message. */
export const looksLikeInvite = (text: string): boolean => text.includes(PREFIX)

/** Read an invite from a pasted link (or just its fragment), saying what is wrong with it when it cannot be used. */
export const readInvite = (text: string): InviteReading => {
  const at = text.indexOf(PREFIX)
  if (at < 0) return { ok: false, reason: text.trim() === '' ? 'Paste the invite link a member sent you.' : 'That is not a Plank invite link: an invite link contains “#join=”. Ask the member who invited you to send it again.' }
  let raw: Record<string, unknown>
  try {
    raw = JSON.parse(fromBase64Url(text.slice(at + PREFIX.length).trim())) as Record<string, unknown>
  } catch {
    return { ok: false, reason: DAMAGED }
  }
  if (!raw || typeof raw !== 'object') return { ok: false, reason: DAMAGED }
  if (typeof raw.v === 'number' && raw.v > 1) return { ok: false, reason: 'This invite link was made by a newer version of Plank. Update Plank, then open it again.' }
  if (raw.v !== 1 || typeof raw.d !== 'string' || !/^[A-Za-z0-9-]{8,64}$/.test(raw.d) || !Array.isArray(raw.r)) return { ok: false, reason: DAMAGED }
  const relays: RelayEndpoint[] = []
  for (const r of raw.r as Array<Record<string, unknown>>) {
    const url = typeof r?.url === 'string' ? normaliseRelayUrl(r.url) : null
    if (!url) continue
    // A pin that does not read is refused whole: dropping it would dial the host unpinned.
    if (r.pin !== undefined && !(isCertificatePin(r.pin) && url.startsWith('wss://'))) return { ok: false, reason: DAMAGED_PIN }
    relays.push({ url, ...(typeof r.token === 'string' && r.token ? { token: r.token } : {}), ...(isCertificatePin(r.pin) ? { pin: r.pin } : {}) })
  }
  if (relays.length === 0) return { ok: false, reason: 'This invite link names no relay this app can reach the draft through. Ask for a link made after the draft was shared through a relay.' }
  // A private draft's key that does not read would make every blob look tampered with.
  if (raw.k !== undefined && !(typeof raw.k === 'string' && decodeKey(raw.k))) return { ok: false, reason: 'The draft’s key in this invite link is damaged, so its text could not be read. Ask for the link again.' }
  if (raw.i !== undefined && !(typeof raw.i === 'string' && /^[A-Za-z0-9_-]{43}$/.test(raw.i))) return { ok: false, reason: DAMAGED }
  const key = typeof raw.k === 'string' ? raw.k : undefined
  const invitation = typeof raw.i === 'string' ? raw.i : undefined
  return { ok: true, invite: { draftId: raw.d, relays, title: typeof raw.t === 'string' ? raw.t.slice(0, 300) : '', ...(key ? { key } : {}), ...(invitation ? { invitation } : {}) } }
}

/** Read an invite from a pasted link (or just its fragment); null when it is not one. */
export const parseInvite = (text: string): Invite | null => {
  const reading = readInvite(text)
  return reading.ok ? reading.invite : null
}
