import type { RelayEndpoint } from './relays.ts'
import { normaliseRelayUrl } from './relays.ts'
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
  /**
   * The id of the draft's founding entry, for a draft made before drafts' ids named
   * their founder: the joining device trusts this root and no other (crdt/ledger.ts).
   */
  root?: string
}

const PREFIX = '#join='

const toBase64Url = (text: string): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

const fromBase64Url = (text: string): string =>
  new TextDecoder().decode(Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))

export const inviteLink = (base: string, invite: Invite): string =>
  `${base.split('#')[0]}${PREFIX}${toBase64Url(JSON.stringify({ v: 1, d: invite.draftId, r: invite.relays, t: invite.title, ...(invite.key ? { k: invite.key } : {}), ...(invite.invitation ? { i: invite.invitation } : {}), ...(invite.root ? { o: invite.root } : {}) }))}`

/** Read an invite from a pasted link (or just its fragment); null when it is not one. */
export const parseInvite = (text: string): Invite | null => {
  const at = text.indexOf(PREFIX)
  if (at < 0) return null
  try {
    const raw = JSON.parse(fromBase64Url(text.slice(at + PREFIX.length).trim())) as Record<string, unknown>
    if (raw.v !== 1 || typeof raw.d !== 'string' || !/^[A-Za-z0-9-]{8,64}$/.test(raw.d) || !Array.isArray(raw.r)) return null
    const relays: RelayEndpoint[] = []
    for (const r of raw.r as Array<Record<string, unknown>>) {
      const url = typeof r?.url === 'string' ? normaliseRelayUrl(r.url) : null
      if (!url) continue
      relays.push(typeof r.token === 'string' && r.token ? { url, token: r.token } : { url })
    }
    if (relays.length === 0) return null
    const key = typeof raw.k === 'string' && decodeKey(raw.k) ? raw.k : undefined
    const invitation = typeof raw.i === 'string' && /^[A-Za-z0-9_-]{43}$/.test(raw.i) ? raw.i : undefined
    const root = typeof raw.o === 'string' && /^[0-9a-f]{64}$/.test(raw.o) ? raw.o : undefined
    return { draftId: raw.d, relays, title: typeof raw.t === 'string' ? raw.t.slice(0, 300) : '', ...(key ? { key } : {}), ...(invitation ? { invitation } : {}), ...(root ? { root } : {}) }
  } catch {
    return null
  }
}
