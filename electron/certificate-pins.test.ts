import { beforeAll, describe, expect, it, vi } from 'vitest'
import { EventEmitter } from 'node:events'
import { X509Certificate } from 'node:crypto'
import type { App, Certificate, Request, Session } from 'electron'
import { CertificatePins, VERIFY, installCertificatePinning } from './certificate-pins.ts'
import { makeMeetingCertificate, spkiPin, type MeetingCertificate } from './meeting-certificate.ts'

/**
 * The pinning main installs, driven as Electron would drive it: `app` and the session
 * replaced at the boundary, real certificates made as a meeting host makes them.
 */
let host: MeetingCertificate
let impostor: MeetingCertificate
beforeAll(async () => {
  host = await makeMeetingCertificate(['192.168.1.20'])
  // Another self-signed certificate for the very same address, as anyone on the Wi-Fi could make.
  impostor = await makeMeetingCertificate(['192.168.1.20'])
})

const electronBoundary = () => {
  const app = new EventEmitter()
  let proc: ((request: Request, callback: (result: number) => void) => void) | null = null
  const session = { setCertificateVerifyProc: (p: typeof proc) => { proc = p } }
  const pins = new CertificatePins()
  const log = vi.fn()
  installCertificatePinning({ app: app as unknown as Pick<App, 'on'>, session: session as unknown as Pick<Session, 'setCertificateVerifyProc'>, pins, log })
  /** Chromium found the certificate at `url` untrusted: does main allow it? */
  const certificateError = (url: string, pem: string) => {
    const event = { preventDefault: vi.fn() }
    const callback = vi.fn()
    app.emit('certificate-error', event, {}, url, 'net::ERR_CERT_AUTHORITY_INVALID', { data: pem } as Certificate, callback, false)
    // Electron denies unless the handler prevented the default and said true.
    return event.preventDefault.mock.calls.length > 0 && callback.mock.calls.length === 1 && callback.mock.calls[0]![0] === true
  }
  const verify = (hostname: string, pem: string) => {
    let result: number | null = null
    proc!({ hostname, certificate: { data: pem } } as unknown as Request, (r) => { result = r })
    return result
  }
  return { pins, certificateError, verify, log }
}

describe('pinning a meeting host’s certificate', () => {
  it('makes a fresh key pair and certificate each session, pinned by the SHA-256 of its public key', async () => {
    expect(host.pin).toMatch(/^sha256\/[A-Za-z0-9+/]{43}=$/)
    expect(impostor.pin).not.toBe(host.pin)
    const cert = new X509Certificate(host.cert)
    expect(cert.subjectAltName).toBe('IP Address:127.0.0.1, IP Address:192.168.1.20')
    expect(cert.checkPrivateKey(await import('node:crypto').then((c) => c.createPrivateKey(host.key)))).toBe(true)
    expect(spkiPin(host.cert)).toBe(host.pin)
  })

  it('accepts the pinned certificate at its host and port', () => {
    const { pins, certificateError, verify } = electronBoundary()
    expect(pins.add('wss://192.168.1.20:41234', host.pin)).toBe(true)
    // The verify proc accepts it itself: the page's WebSocket may never see certificate-error (Electron issues 19748, 40499).
    expect(verify('192.168.1.20', host.cert)).toBe(VERIFY.accept)
    // Where certificate-error does fire, it accepts it too, at that host and port.
    expect(certificateError('wss://192.168.1.20:41234/draft-1?token=t', host.cert)).toBe(true)
    // Chromium may report the WebSocket handshake under https://.
    expect(certificateError('https://192.168.1.20:41234/draft-1', host.cert)).toBe(true)
  })

  it('refuses another self-signed certificate on the same host and port', () => {
    const { pins, certificateError, verify, log } = electronBoundary()
    pins.add('wss://192.168.1.20:41234', host.pin)
    expect(certificateError('wss://192.168.1.20:41234/draft-1?token=t', impostor.cert)).toBe(false)
    // The verify proc refuses it outright: on a pinned host, not even a publicly signed certificate stands in.
    expect(verify('192.168.1.20', impostor.cert)).toBe(VERIFY.refuse)
    expect(log).toHaveBeenCalledWith(expect.stringContaining('not the meeting host'))
  })

  it('refuses the pinned certificate at another host', () => {
    const { pins, certificateError, verify } = electronBoundary()
    pins.add('wss://192.168.1.20:41234', host.pin)
    expect(verify('192.168.1.21', host.cert)).toBe(VERIFY.refuse)
    expect(verify('relay.example.org', host.cert)).toBe(VERIFY.refuse)
    expect(certificateError('wss://192.168.1.21:41234/draft-1', host.cert)).toBe(false)
    expect(certificateError('wss://relay.example.org/draft-1', host.cert)).toBe(false)
    // A host nobody pinned, with a key nobody pinned, is Chromium's business, exactly as without pinning.
    expect(verify('192.168.1.21', impostor.cert)).toBe(VERIFY.chromium)
    expect(verify('relay.example.org', impostor.cert)).toBe(VERIFY.chromium)
  })

  it('cannot tell ports apart in the verify proc: the pinned key on another port of its host is accepted there, another key is not', () => {
    const { pins, certificateError, verify } = electronBoundary()
    pins.add('wss://192.168.1.20:41234', host.pin)
    // The verify proc is given no port. Only the hosting session holds this key's private half, so it is that session.
    expect(verify('192.168.1.20', host.cert)).toBe(VERIFY.accept)
    expect(verify('192.168.1.20', impostor.cert)).toBe(VERIFY.refuse)
    // certificate-error, where it fires, sees the port and keeps to it.
    expect(certificateError('wss://192.168.1.20:41235/draft-1', host.cert)).toBe(false)
  })

  it('leaves every certificate to Chromium while no meeting host is pinned', () => {
    const { verify } = electronBoundary()
    expect(verify('192.168.1.20', host.cert)).toBe(VERIFY.chromium)
    expect(verify('relay.example.org', '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----')).toBe(VERIFY.chromium)
  })

  it('holds several pins for one address (a later session there), and only pins a page may ask for', () => {
    const { pins, certificateError } = electronBoundary()
    expect(pins.add('wss://192.168.1.20:41234', host.pin)).toBe(true)
    expect(pins.add('wss://192.168.1.20:41234', impostor.pin)).toBe(true)
    expect(certificateError('wss://192.168.1.20:41234/d', impostor.cert)).toBe(true)
    for (const [url, pin] of [
      ['ws://192.168.1.20:41234', host.pin], // not TLS: nothing to pin
      ['https://192.168.1.20:41234', host.pin],
      ['wss://user:pw@192.168.1.20:41234', host.pin],
      ['not a url', host.pin],
      ['wss://192.168.1.20:41234', 'sha256/short'],
      ['wss://192.168.1.20:41234', host.pin.replace('sha256/', 'sha1/')],
      [42, host.pin],
      ['wss://192.168.1.20:41234', null],
    ] as const) expect(pins.add(url, pin), `${String(url)} ${String(pin)}`).toBe(false)
    // A garbled certificate is simply not the pinned one.
    expect(certificateError('wss://192.168.1.20:41234/d', '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----')).toBe(false)
  })

  it('stops taking pins past its cap, keeping the ones it has', () => {
    const pins = new CertificatePins(2)
    expect(pins.add('wss://10.0.0.1:1', host.pin)).toBe(true)
    expect(pins.add('wss://10.0.0.2:1', host.pin)).toBe(true)
    expect(pins.add('wss://10.0.0.3:1', host.pin)).toBe(false)
    expect(pins.add('wss://10.0.0.1:1', host.pin)).toBe(true) // already held
    expect(pins.accepts('wss://10.0.0.2:1/x', host.cert)).toBe(true)
  })
})
