/**
 * A relay a draft syncs through: its WebSocket address and, for relays that require
 * one, the room token. Stored per draft on this device and carried in invite links.
 */
export interface RelayEndpoint {
  url: string
  token?: string
  /**
   * A meeting host (wss:// with a certificate made for its hosting session): the pin of
   * that certificate's key, `sha256/` and the base64 SHA-256 of its SubjectPublicKeyInfo.
   * The desktop app accepts that certificate at this address only (electron/certificate-pins.ts);
   * a browser cannot, so the browser build does not dial such a relay.
   */
  pin?: string
}

/** A certificate pin in its one form (see `RelayEndpoint.pin`). */
export const isCertificatePin = (pin: unknown): pin is string => typeof pin === 'string' && /^sha256\/[A-Za-z0-9+/]{43}=$/.test(pin)

/** The same relay: the same address, and the same certificate pin (or none). */
export const sameRelay = (a: RelayEndpoint, b: RelayEndpoint): boolean => a.url === b.url && a.pin === b.pin

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
