import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import { X509Certificate, createHash, createPrivateKey, randomBytes, webcrypto } from 'node:crypto'
import { isIPv4 } from 'node:net'

/**
 * The certificate a meeting host serves wss:// with: a fresh ECDSA P-256 key pair and a
 * self-signed X.509 certificate for each hosting session, made in memory and never
 * written to disk. No authority can vouch for a laptop on a basement's Wi-Fi, so
 * joiners trust it by its pin, which travels in the invite link and its QR code.
 *
 * Node's crypto makes and signs keys but cannot build a certificate, so the
 * certificate is assembled with PKI.js (the PeculiarVentures library, on Node's
 * WebCrypto), which electron-builder already brings into the tree.
 */
export interface MeetingCertificate {
  /** PEM, for the relay's TLS server. */
  cert: string
  key: string
  /** What joiners pin: see `spkiPin`. */
  pin: string
}

/**
 * A certificate's pin: `sha256/` and the base64 SHA-256 of its SubjectPublicKeyInfo.
 * It names the key, not the certificate, as HPKP's pin-sha256 did; the part after
 * `sha256/` is exactly what Chromium's --ignore-certificate-errors-spki-list takes.
 */
export const spkiPin = (certificate: string | Buffer): string => {
  const spki = new X509Certificate(certificate).publicKey.export({ type: 'spki', format: 'der' })
  return `sha256/${createHash('sha256').update(spki).digest('base64')}`
}

/** Longer than any meeting; a host that runs longer is restarted with a new one. */
const VALID_DAYS = 30

const commonName = () => new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: 'Plank meeting host' }) })

const ipBytes = (ip: string) => new Uint8Array(ip.split('.').map(Number))

/** A new key pair and a certificate naming these IPv4 addresses (and 127.0.0.1, for the host's own app). */
export const makeMeetingCertificate = async (addresses: string[]): Promise<MeetingCertificate> => {
  // PKI.js types its engine with the DOM's Crypto, which Node's WebCrypto implements (electron/ has no DOM types).
  const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] })
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' }
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const certificate = new pkijs.Certificate()
  certificate.version = 2
  const serial = randomBytes(16)
  serial[0]! &= 0x7f // a positive INTEGER
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial })
  certificate.issuer.typesAndValues.push(commonName())
  certificate.subject.typesAndValues.push(commonName())
  // An hour back, for a joiner whose clock is a little behind.
  certificate.notBefore.value = new Date(Date.now() - 3600_000)
  certificate.notAfter.value = new Date(Date.now() + VALID_DAYS * 86400_000)
  const ips = [...new Set(['127.0.0.1', ...addresses.filter((a) => isIPv4(a))])]
  const names = new pkijs.AltName({ altNames: ips.map((ip) => new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: ipBytes(ip) }) })) })
  certificate.extensions = [
    new pkijs.Extension({ extnID: '2.5.29.17', critical: false, extnValue: names.toSchema().toBER(false) }),
    new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false) }),
  ]
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey, engine)
  await certificate.sign(keys.privateKey, 'SHA-256', engine)
  const der = Buffer.from(certificate.toSchema(true).toBER(false))
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  return {
    cert: new X509Certificate(der).toString(),
    key: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }) as string,
    pin: spkiPin(der),
  }
}
