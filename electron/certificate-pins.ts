import type { App, Session } from 'electron'
import { spkiPin } from './meeting-certificate.ts'
import { isCertificatePin } from '../crdt/invite-format.ts'

/**
 * Pinned certificates for meeting hosts. A meeting host serves wss:// with a
 * self-signed certificate made for its hosting session (meeting-certificate.ts); the
 * invite link names, per relay, the pin of that certificate's key. Before the page
 * dials such a relay it asks main to pin it (hosting-ipc.ts), and from then on main
 * accepts that key where it was pinned, and no other key there.
 *
 * Two Electron hooks, both plain functions of this registry so they are tested with
 * `electron` replaced:
 * - the session's certificate verify proc, which Chromium runs for every TLS
 *   connection of the session, WebSockets included. On a host name with pins, a
 *   certificate whose key is one of them is accepted (0), and any other is refused
 *   outright (-2), even one a public authority signed. A pinned key at a host name it
 *   was not pinned for is refused too. Everything else (no meeting involved) is left
 *   to Chromium's own verification (-3).
 * - `certificate-error` (app), for a certificate Chromium found untrusted: allowed only
 *   when the URL's host:port has this key pinned; everything else is refused, as
 *   Electron does without a handler. The verify proc accepting the pinned key means
 *   this rarely fires for it; it stays because public Electron issues (19748, 40499)
 *   report that `certificate-error` does not fire for a page's WebSocket connections,
 *   so the verify proc cannot rely on it, and where it does fire it checks the port too.
 *
 * The port caveat: the verify proc is given the host name but not the port, so it
 * accepts a pinned key on any port of the pinned host. That key cannot be presented by
 * anyone but its hosting session: each session makes a fresh key pair in memory, whose
 * private half lives only in the host app (never on disk, never sent), and a TLS
 * handshake proves possession of it. So another port of the same address answering
 * with the pinned key is the same hosting session; an impostor there has another key
 * and is refused like any other.
 */

/** Electron's verify proc results: accept, refuse, or let Chromium decide. */
export const VERIFY = { accept: 0, refuse: -2, chromium: -3 } as const

/** More than any meeting needs; a page asking for more is not doing what it should. */
const MAX_PINS = 256

const stripBrackets = (host: string) => host.replace(/^\[|\]$/g, '').toLowerCase()

/** `host:port` of a wss:// (or https://, as Chromium may report a WebSocket's handshake) address. */
const hostPort = (raw: string): string | null => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if ((url.protocol !== 'wss:' && url.protocol !== 'https:') || url.hostname === '' || url.username || url.password) return null
  return `${stripBrackets(url.hostname)}:${url.port || '443'}`
}

const pinOf = (pem: string): string | null => {
  try {
    return spkiPin(pem)
  } catch {
    return null
  }
}

export class CertificatePins {
  private readonly pins = new Map<string, Set<string>>()
  private count = 0

  constructor(private readonly max = MAX_PINS) {}

  /**
   * Trust the certificate whose key has this pin at this wss:// address. False (and
   * nothing pinned) when either is not one. One address may hold several pins: the
   * same address and port may come back in a later hosting session.
   */
  add(url: unknown, pin: unknown): boolean {
    if (typeof url !== 'string' || url.length > 2048 || !/^wss:\/\//i.test(url) || !isCertificatePin(pin)) return false
    const key = hostPort(url)
    if (!key) return false
    const set = this.pins.get(key) ?? new Set<string>()
    if (set.has(pin)) return true
    if (this.count >= this.max) return false
    set.add(pin)
    this.count++
    this.pins.set(key, set)
    return true
  }

  /** Whether this certificate (PEM), presented at this address, is one pinned for exactly that host and port. */
  accepts(url: string, certificate: string): boolean {
    const key = hostPort(url)
    const pinned = key ? this.pins.get(key) : undefined
    if (!pinned) return false
    const pin = pinOf(certificate)
    return pin !== null && pinned.has(pin)
  }

  /** Whether any pin is held for this host name (on any port). */
  pinsHost(hostname: string): boolean {
    const host = stripBrackets(hostname)
    return [...this.pins.keys()].some((k) => k.slice(0, k.lastIndexOf(':')) === host)
  }

  /** The verify proc's answer for a certificate presented by this host name (on any port: see the top of this file). */
  verify(hostname: string, certificate: string): number {
    // No meeting joined: every connection is Chromium's business, without parsing a certificate.
    if (this.count === 0) return VERIFY.chromium
    const host = stripBrackets(hostname)
    const pinsHere = [...this.pins.entries()].filter(([k]) => k.slice(0, k.lastIndexOf(':')) === host).flatMap(([, set]) => [...set])
    const pin = pinOf(certificate)
    if (pinsHere.length > 0) return pin !== null && pinsHere.includes(pin) ? VERIFY.accept : VERIFY.refuse
    // A meeting host's key at an address nobody pinned it for is not that meeting.
    const pinnedElsewhere = pin !== null && [...this.pins.values()].some((set) => set.has(pin))
    return pinnedElsewhere ? VERIFY.refuse : VERIFY.chromium
  }
}

export interface PinningDeps {
  app: Pick<App, 'on'>
  session: Pick<Session, 'setCertificateVerifyProc'>
  pins: CertificatePins
  log: (message: string) => void
}

/** Wire the registry to Electron: see the top of this file. */
export const installCertificatePinning = (deps: PinningDeps): void => {
  deps.app.on('certificate-error', (event, _contents, url, error, certificate, callback) => {
    if (deps.pins.accepts(url, certificate.data)) {
      event.preventDefault()
      callback(true)
      return
    }
    // Not prevented: Electron refuses the certificate, as it does for every other error.
    const key = hostPort(url)
    if (key && deps.pins.pinsHost(key.slice(0, key.lastIndexOf(':')))) deps.log(`refused a certificate at ${key} that is not the meeting host's pinned one (${error})`)
  })
  deps.session.setCertificateVerifyProc((request, callback) => {
    callback(deps.pins.verify(request.hostname, request.certificate.data))
  })
}
