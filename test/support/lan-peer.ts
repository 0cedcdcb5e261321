// One app on a local network, for the discovery test: `host <draft> <open|private>`
// hosts a draft the way the desktop app does (LanHost + DNS-SD) and writes into it;
// `join <draft> <url> <token> <pin>` is a member holding the invite (the host's address,
// token and certificate pin): it waits for the announcement of that hosting session,
// then joins through the invite's address, pinned. Each prints JSON lines on stdout;
// run with `node --import tsx` (the test may put each in its own network namespace).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Bonjour } from 'bonjour-service'
import { startRelay } from '../../sync-server/src/relay-server.ts'
import { LanHost } from '../../electron/lan-host.ts'
import { NearbyHosts, bonjourAnnouncer } from '../../electron/lan-discovery.ts'
import type { NearbyHost } from '../../crdt/contracts/host-api.ts'
import { makeMeetingCertificate, type MeetingCertificate } from '../../electron/meeting-certificate.ts'
import { sessionOfPin } from '../../crdt/meeting-session.ts'
import { certificateWithPin } from './pinned-tls.ts'
import { stockClient, waitUntil } from './yjs-client.ts'

const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`)
const [mode, draftId, ...rest] = process.argv.slice(2)
const bonjour = new Bonjour()

if (mode === 'host') {
  let certificate: MeetingCertificate | null = null
  const makeCertificate = async (ips: string[]) => (certificate = await makeMeetingCertificate(ips))
  const host = new LanHost({ startRelay, dataDir: mkdtempSync(join(tmpdir(), 'plank-lan-')), announcer: bonjourAnnouncer(bonjour), makeCertificate })
  const hosted = await host.start({ draftId: draftId!, title: 'Platform', member: 'Ana', private: rest[0] === 'private', recognitionKey: 'r'.repeat(43) })
  // The host's own app trusts its own certificate, as it pins it like any joiner.
  const client = stockClient(hosted.local, draftId!, { token: hosted.token }, { ca: certificate!.cert })
  await client.synced()
  client.type('Hello from the host.')
  say({ event: 'hosting', token: hosted.token, pin: hosted.pin, session: hosted.session, port: hosted.port, addresses: hosted.addresses })
  client.doc.on('update', () => say({ event: 'text', text: client.text() }))
  process.once('SIGTERM', () => {
    client.destroy()
    void host.stop().finally(() => bonjour.destroy(() => process.exit(0)))
  })
} else if (mode === 'join') {
  const [url, token, pin] = rest as [string, string, string]
  const found = await new Promise<NearbyHost>((resolve) => {
    const nearby = new NearbyHosts(bonjour, (hosts) => {
      // Matched by the session the invite's pin names; the announcement's own claims are not used to connect.
      const host = hosts.find((h) => h.session === sessionOfPin(pin))
      if (host) { nearby.stop(); resolve(host) }
    }, 1000)
  })
  say({ event: 'found', host: found })
  const client = stockClient(url, draftId!, { token }, { ca: await certificateWithPin(url, pin) })
  await client.synced()
  await waitUntil(() => client.text().includes('Hello from the host.'), 10_000, 'the host’s text')
  client.type(' Hi from the room.')
  say({ event: 'joined', text: client.text() })
  setTimeout(() => { client.destroy(); bonjour.destroy(() => process.exit(0)) }, 500)
} else {
  console.error('usage: lan-peer.ts host <draft> <open|private> | join <draft> <url> <token> <pin>')
  process.exit(2)
}
