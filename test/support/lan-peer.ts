// One app on a local network, for the discovery test: `host <draft>` hosts a draft the
// way the desktop app does (LanHost + DNS-SD) and writes into it; `join <draft> <token>`
// looks for hosts near it and joins the first that announces that draft. Each prints
// JSON lines on stdout; run with `node --import tsx` (the test may put each in its own
// network namespace).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Bonjour } from 'bonjour-service'
import { startRelay } from '../../sync-server/src/relay-server.ts'
import { LanHost } from '../../electron/lan-host.ts'
import { NearbyHosts, bonjourAnnouncer } from '../../electron/lan-discovery.ts'
import { stockClient, waitUntil } from './yjs-client.ts'

const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`)
const [mode, draftId, token] = process.argv.slice(2)
const bonjour = new Bonjour()

if (mode === 'host') {
  const host = new LanHost({ startRelay, dataDir: mkdtempSync(join(tmpdir(), 'plank-lan-')), announcer: bonjourAnnouncer(bonjour) })
  const hosted = await host.start({ draftId: draftId!, title: 'Platform', member: 'Ana', private: false })
  const client = stockClient(hosted.local, draftId!, { token: hosted.token })
  await client.synced()
  client.type('Hello from the host.')
  say({ event: 'hosting', token: hosted.token, port: hosted.port, addresses: hosted.addresses })
  client.doc.on('update', () => say({ event: 'text', text: client.text() }))
  process.once('SIGTERM', () => {
    client.destroy()
    void host.stop().finally(() => bonjour.destroy(() => process.exit(0)))
  })
} else if (mode === 'join') {
  const found = await new Promise<import('../../crdt/contracts/host-api.ts').NearbyHost>((resolve) => {
    const nearby = new NearbyHosts(bonjour, (hosts) => {
      const host = hosts.find((h) => h.draftId === draftId)
      if (host) { nearby.stop(); resolve(host) }
    }, 1000)
  })
  say({ event: 'found', host: found })
  const client = stockClient(found.addresses[0]!, draftId!, { token: token! })
  await client.synced()
  await waitUntil(() => client.text().includes('Hello from the host.'), 10_000, 'the host’s text')
  client.type(' Hi from the room.')
  say({ event: 'joined', text: client.text() })
  setTimeout(() => { client.destroy(); bonjour.destroy(() => process.exit(0)) }, 500)
} else {
  console.error('usage: lan-peer.ts host <draft> | join <draft> <token>')
  process.exit(2)
}
