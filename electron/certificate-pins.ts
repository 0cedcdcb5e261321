import type { App, Session } from 'electron'
import { spkiPin } from './meeting-certificate.ts'
import { isCertificatePin } from '../crdt/invite-format.ts'

/**
 * Pinned certificates for meeting hosts. A meeting host serves wss:// with a
 * self-signed certificate made for its hosting session (meeting-certificate.ts); the
 * invite link names, per relay, the pin of that certificate's key. Before the page
 * dials such a relay it asks main to pin it (hosting-ipc.ts), and from then on main
 * accepts that certificate only at that host and port, and only when the key matches.
 *
 * Two Electron hooks, both plain functions of this registry so they are tested with
 * `electron` replaced:
 * - `certificate-error` (app): Chromium found the certificate untrusted (it is
 *   self-signed); it is allowed only when the URL's host:port has this key pinned.
 *   Everything else is refused, as Electron does without a handler.
 * - the session's certificate verify proc, which sees a host name but not the port:
 *   on a host with pins, a certificate whose key is none of them is refused outright,
 *   even one a public authority signed; everything else goes to Chromium's own
 *   verification (and so, for a self-signed one, to `certificate-error`).
 */

/** Electron's verify proc results: refuse, or let Chromium decide. */
export const VERIFY = { refuse: -2, chromium: -3 } as const

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

  /** The verify proc's answer for a certificate presented by this host name. */
  verify(hostname: string, certificate: string): number {
    const host = stripBrackets(hostname)
    const pinsHere = [...this.pins.entries()].filter(([k]) => k.slice(0, k.lastIndexOf(':')) === host).flatMap(([, set]) => [...set])
    if (pinsHere.length === 0) return VERIFY.chromium
    const pin = pinOf(certificate)
    return pin !== null && pinsHere.includes(pin) ? VERIFY.chromium : VERIFY.refuse
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
