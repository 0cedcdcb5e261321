import { fromBase64Url, toBase64Url } from './base64.ts'

/**
 * The invite link's format, version 1: which draft, through which relays (with their
 * tokens, and a meeting host's certificate pin), its title to show before anything has
 * synced, a private draft's key, an invitation's secret, and an older draft's founding
 * entry. The app writes it (renderer/src/sync/invite.ts reads it back, with reasons a
 * member can act on); the desktop host reads it strictly when the system opens a
 * `plank://join` link (electron/invite-link.ts). Both sides import this one writer and
 * decoder (`decodeInvite`), so the link one writes is the link the other accepts, and
 * a field one refuses the other refuses too. It travels in the URL fragment, which
 * browsers never send to a server.
 */
export const INVITE_FRAGMENT = '#join='

export interface InviteRelay {
  url: string
  token?: string
  /**
   * A meeting host (wss:// with a certificate made for its hosting session): the pin of
   * that certificate's key (`CERTIFICATE_PIN`). The desktop app accepts that certificate
   * at this address only (electron/certificate-pins.ts); a browser cannot, so the
   * browser build does not dial such a relay.
   */
  pin?: string
}

/**
 * A certificate's pin in its one form: `sha256/` and the base64 SHA-256 of its
 * SubjectPublicKeyInfo (HPKP's pin-sha256; electron/meeting-certificate.ts makes it).
 */
export const CERTIFICATE_PIN = /^sha256\/[A-Za-z0-9+/]{43}=$/

export const isCertificatePin = (pin: unknown): pin is string => typeof pin === 'string' && CERTIFICATE_PIN.test(pin)

export interface Invite {
  draftId: string
  relays: InviteRelay[]
  title: string
  /** A private draft's room key (base64url). Only in the fragment: never sent to a relay. */
  key?: string
  /** An invitation's secret (crdt/roster.ts): joining with it puts the member on the roster. */
  invitation?: string
  /**
   * The id of the draft's founding entry, for a draft made before drafts' ids named
   * their founder: the joining device trusts this root and no other (crdt/ledger.ts).
   */
  root?: string
}

/** `base` (anything before a fragment) with the invite in its fragment. */
export const inviteLink = (base: string, invite: Invite): string => {
  const payload = { v: 1, d: invite.draftId, r: invite.relays, t: invite.title, ...(invite.key ? { k: invite.key } : {}), ...(invite.invitation ? { i: invite.invitation } : {}), ...(invite.root ? { o: invite.root } : {}) }
  return `${base.split('#')[0]}${INVITE_FRAGMENT}${toBase64Url(new TextEncoder().encode(JSON.stringify(payload)))}`
}

/**
 * The JSON value an invite payload (the text after `#join=`) holds, unchecked, or
 * undefined when it is not base64url JSON. Padding and white space are passed over, as
 * a link wrapped or padded by a mail program still names the same invite.
 */
export const readInvitePayload = (payload: string): unknown => {
  const bytes = fromBase64Url(payload.replace(/[\t\n\f\r ]/g, '').replace(/={1,2}$/, ''))
  if (!bytes) return undefined
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown
  } catch {
    return undefined
  }
}

/**
 * Why a payload is not an invite this version can use, field by field, so each reader
 * can say it in its own words: `newer` is a later format (update Plank), the rest are
 * damage (or a link nobody's Plank wrote).
 */
export type InviteProblem = 'unreadable' | 'newer' | 'version' | 'draft' | 'relays' | 'pin' | 'title' | 'key' | 'invitation' | 'root'

export type InviteDecoding = { ok: true; invite: Invite } | { ok: false; problem: InviteProblem }

const DRAFT_ID = /^[A-Za-z0-9-]{8,64}$/
/** A room key or an invitation's secret: 32 bytes, base64url. */
const SECRET = /^[A-Za-z0-9_-]{43}$/
/** A founding entry's id: a record hash (crdt/signed-record.ts). */
const RECORD_ID = /^[0-9a-f]{64}$/

const isText = (v: unknown): v is string => typeof v === 'string'

/** One relay entry as the writer writes it; its address is each reader's to judge (a page normalises, main is strict). */
const relayOf = (r: unknown): InviteRelay | 'relays' | 'pin' => {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return 'relays'
  const { url, token, pin } = r as Record<string, unknown>
  if (!isText(url) || (token !== undefined && !isText(token))) return 'relays'
  // A pin that does not read is refused, never dropped: dropping it would dial the host unpinned.
  if (pin !== undefined && !(isCertificatePin(pin) && /^wss:\/\//i.test(url))) return 'pin'
  return { url, ...(token !== undefined ? { token } : {}), ...(pin !== undefined ? { pin } : {}) }
}

/**
 * The one decoder of an invite payload: every field of format 1 checked, so the page
 * and the desktop host refuse the same damaged links. A field that does not read is
 * refused rather than dropped: a wrong key would make every sealed blob look tampered
 * with, and a wrong founding entry would make the device refuse the draft's real one.
 */
export const decodeInvite = (payload: string): InviteDecoding => {
  const refuse = (problem: InviteProblem): InviteDecoding => ({ ok: false, problem })
  const raw = readInvitePayload(payload)
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refuse('unreadable')
  const { v, d, r, t, k, i, o } = raw as Record<string, unknown>
  if (typeof v === 'number' && v > 1) return refuse('newer')
  if (v !== 1) return refuse('version')
  if (!isText(d) || !DRAFT_ID.test(d)) return refuse('draft')
  const relays = Array.isArray(r) ? r.map(relayOf) : []
  if (relays.length === 0 || relays.includes('relays')) return refuse('relays')
  if (relays.includes('pin')) return refuse('pin')
  if (t !== undefined && !isText(t)) return refuse('title')
  if (k !== undefined && !(isText(k) && SECRET.test(k))) return refuse('key')
  if (i !== undefined && !(isText(i) && SECRET.test(i))) return refuse('invitation')
  if (o !== undefined && !(isText(o) && RECORD_ID.test(o))) return refuse('root')
  return {
    ok: true,
    invite: {
      draftId: d, relays: relays as InviteRelay[], title: t ?? '',
      ...(k !== undefined ? { key: k } : {}), ...(i !== undefined ? { invitation: i } : {}), ...(o !== undefined ? { root: o } : {}),
    },
  }
}
