import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import { webcrypto, createHash, X509Certificate, createPrivateKey, randomBytes } from 'node:crypto'
import { createServer } from 'node:https'
import { WebSocketServer } from 'ws'
import { chromium } from 'playwright-core'
const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto })
const make = async () => {
  const alg = { name: 'ECDSA', namedCurve: 'P-256' }
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']) as CryptoKeyPair
  const cert = new pkijs.Certificate()
  cert.version = 2
  const serial = randomBytes(16); serial[0]! &= 0x7f
  cert.serialNumber = new asn1js.Integer({ valueHex: serial })
  const cn = () => new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: 'Plank meeting host' }) })
  cert.issuer.typesAndValues.push(cn()); cert.subject.typesAndValues.push(cn())
  cert.notBefore.value = new Date(Date.now() - 3600_000)
  cert.notAfter.value = new Date(Date.now() + 2 * 86400_000)
  const san = new pkijs.AltName({ altNames: [new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: new Uint8Array([127, 0, 0, 1]) }) })] })
  cert.extensions = [
    new pkijs.Extension({ extnID: '2.5.29.17', critical: false, extnValue: san.toSchema().toBER(false) }),
    new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false) }),
  ]
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey, engine)
  await cert.sign(keys.privateKey, 'SHA-256', engine)
  const der = Buffer.from(cert.toSchema(true).toBER(false))
  const pem = new X509Certificate(der).toString()
  const key = createPrivateKey({ key: Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }) as string
  const spki = createHash('sha256').update(new X509Certificate(der).publicKey.export({ format: 'der', type: 'spki' })).digest('base64')
  return { pem, key, spki }
}
const serve = async (c: { pem: string; key: string }) => {
  const server = createServer({ cert: c.pem, key: c.key })
  const wss = new WebSocketServer({ server })
  const seen: string[] = []
  wss.on('connection', (ws, req) => { seen.push(req.url!); ws.send('hello') })
  server.on('tlsClientError', (e) => seen.push('tls error: ' + e.message.slice(0, 90)))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return { port: (server.address() as { port: number }).port, seen, close: () => server.close() }
}
const good = await make(), bad = await make()
const [s1, s2] = [await serve(good), await serve(bad)]
const ctx = await chromium.launchPersistentContext('/tmp/proto/profile', { executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', `--ignore-certificate-errors-spki-list=${good.spki}`] })
const page = ctx.pages()[0] ?? await ctx.newPage()
page.on('console', (m) => console.log('console:', m.text()))
const tryWs = (url: string) => page.evaluate((u) => new Promise((res) => { const w = new WebSocket(u); w.onmessage = (e) => res('msg ' + e.data); w.onerror = () => res('error'); setTimeout(() => res('timeout'), 5000) }), url)
console.log('bad:', await tryWs(`wss://127.0.0.1:${s2.port}/room?token=secret`), s2.seen)
console.log('good:', await tryWs(`wss://127.0.0.1:${s1.port}/room?token=secret`), s1.seen)
console.log('good again:', await tryWs(`wss://127.0.0.1:${s1.port}/room?token=secret`), s1.seen)
await ctx.close(); s1.close(); s2.close()
