import type { InviteRelay } from '../../../crdt/invite-format.ts'

/**
 * A relay a draft syncs through: its WebSocket address, for relays that require one the
 * room token, and for a meeting host its certificate's pin. Stored per draft on this
 * device and carried in invite links, so it is the invite's relay entry
 * (crdt/invite-format.ts). A relay with a pin is dialled only once the desktop app has
 * pinned it (draft-sync.ts); the browser build does not dial it.
 */
export type RelayEndpoint = InviteRelay

/**
 * Normalise what a member types ("relay.example.org", "https://relay.example.org",
 * "ws://192.168.1.20:1234") to a ws:// or wss:// base URL, or null when it is not one.
 */
export const normaliseRelayUrl = (raw: string): string | null => {
  let text = raw.trim()
  if (text === '') return null
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `wss://${text}`
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return null
  }
  const scheme = { 'ws:': 'ws:', 'wss:': 'wss:', 'http:': 'ws:', 'https:': 'wss:' }[url.protocol]
  if (!scheme || url.hostname === '' || url.username || url.password) return null
  return `${scheme}//${url.host}${url.pathname.replace(/\/+$/, '')}`
}

/** The relay this page was served from, if it was served over http(s) by a Plank relay. */
export const sameOriginRelay = (location: Location): string | null =>
  location.protocol === 'http:' || location.protocol === 'https:' ? normaliseRelayUrl(location.origin) : null
