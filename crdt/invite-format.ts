import { fromBase64Url, toBase64Url } from './base64.ts'

/**
 * The invite link's format, version 1: which draft, through which relays (with their
 * tokens), its title to show before anything has synced, a private draft's key, an
 * invitation's secret, and an older draft's founding entry. The app writes it
 * (renderer/src/sync/invite.ts reads it back in full, with reasons a member can act
 * on); the desktop host reads it strictly
 * when the system opens a `plank://join` link (electron/invite-link.ts). Both sides
 * import this one writer and decoder, so the link one writes is the link the other
 * accepts. It travels in the URL fragment, which browsers never send to a server.
 */
export const INVITE_FRAGMENT = '#join='

export interface InviteRelay {
  url: string
  token?: string
}

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
