import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import WebSocket from 'ws'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRelayProcess, type RelayProcess } from './support/relay-process.ts'
import { stockClient, waitUntil } from './support/yjs-client.ts'
import { DraftSync, describeSync, type SyncStatus } from '../renderer/src/sync/draft-sync.ts'
import { CLOSE } from '../crdt/contracts/wire-protocol.ts'

/**
 * Limits that keep clients alive. y-websocket never reconnects after a close from 4400
 * to 4499, so a relay that closed a fast writer with 4429 ended that client for good:
 * of a 1,500-transaction burst, the other member got 1,060. Now the relay slows a fast
 * writer down (it stops reading its socket) and closes only with codes clients come
 * back from; Plank's own client (DraftSync, run here in Node) treats closes the same way.
 */
const BURST = 1500

const relays: RelayProcess[] = []
const cleanups: Array<() => void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) c()
  for (const r of relays.splice(0)) await r.kill('SIGKILL')
})
const start = async (args: string[] = [], port?: number) => {
  const relay = await startRelayProcess(args, { port })
  relays.push(relay)
  return relay
}
const reader = (url: string, room: string) => {
  const c = stockClient(url, room)
  cleanups.push(() => c.destroy())
  return c
}
const metric = async (relay: RelayProcess, name: string) =>
  Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(await (await fetch(`${relay.http}/metrics`)).text())?.[1] ?? NaN)

// Plank's client uses the platform's WebSocket; Node 20 has none of its own.
beforeAll(() => { (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket })

/** Plank's own sync for one draft, with every status it reports. */
const plankClient = (url: string, room: string, roomFullRetryMs?: number) => {
  const doc = new Y.Doc()
  const statuses: SyncStatus[] = []
  const sync = new DraftSync(doc, room, [{ url }], 0, (s) => statuses.push(structuredClone(s)), null, roomFullRetryMs)
  cleanups.push(() => { sync.destroy(); doc.destroy() })
  return { doc, sync, statuses, refusedEver: () => statuses.some((s) => s.relays.some((r) => r.state === 'refused')) }
}

describe('a burst of transactions', () => {
  it(`from a stock client: all ${BURST} reach the other client, and the writer is slowed, never closed`, async () => {
    const relay = await start() // default limits: 300 messages a second, bursts of 1,000
    const writer = stockClient(relay.url, 'burst')
    cleanups.push(() => writer.destroy())
    const other = reader(relay.url, 'burst')
    await Promise.all([writer.synced(), other.synced()])
    const closes: number[] = []
    writer.provider.on('connection-close', (event: { code: number } | null) => { if (event) closes.push(event.code) })

    for (let i = 0; i < BURST; i++) writer.doc.getArray<number>('a').push([i]) // one transaction, one message each
    await waitUntil(() => other.doc.getArray('a').length === BURST, 30_000, `all ${BURST} transactions at the other client`)

    expect(other.doc.getArray('a').toArray()).toEqual(Array.from({ length: BURST }, (_, i) => i))
    expect(closes).toEqual([])
    expect(writer.provider.wsconnected).toBe(true)
    expect(await metric(relay, 'plank_throttled_total')).toBeGreaterThan(0) // the limit was reached, and it slowed
    expect(relay.logs.filter((l) => l.event === 'connection-closed')).toEqual([])
  })

  it(`from Plank's own client: all ${BURST} arrive and the relay is never shown as refusing`, async () => {
    const relay = await start()
    const plank = plankClient(relay.url, 'plank-burst')
    const other = reader(relay.url, 'plank-burst')
    await waitUntil(() => plank.sync.status.relays[0]?.state === 'synced', 10_000, 'Plank to sync')
    await other.synced()
    for (let i = 0; i < BURST; i++) plank.doc.getArray<number>('a').push([i])
    await waitUntil(() => other.doc.getArray('a').length === BURST, 30_000, `all ${BURST} transactions at the other client`)
    await waitUntil(() => describeSync(plank.sync.status).text === 'Synced', 10_000, 'Plank to show Synced')
    expect(plank.refusedEver()).toBe(false)
  })
})

describe('a room over its quota', () => {
  it("is a close Plank's client survives: it says why, keeps trying, and sends everything once the room has space", async () => {
    const data = await mkdtemp(join(tmpdir(), 'plank-quota-'))
    const small = await start(['--data', data, '--room-quota', '4000'])
    const plank = plankClient(small.url, 'full-room', 2000) // the app waits 30 s before trying a full room again
    await waitUntil(() => plank.sync.status.relays[0]?.state === 'synced', 10_000, 'Plank to sync')
    plank.doc.getText('t').insert(0, 'Accepted. ')
    const other = reader(small.url, 'full-room')
    await waitUntil(() => other.text() === 'Accepted. ', 5000, 'the first edit at the other client')

    plank.doc.getText('t').insert(10, 'x'.repeat(6000)) // over the quota
    // The relay stops reading from it, then (after 5 s) closes with 4507, a code clients retry after.
    await small.waitForLog((l) => l.event === 'connection-closed' && l.code === CLOSE.roomFull.code)
    await waitUntil(() => plank.sync.status.relays[0]?.state === 'offline' && plank.sync.status.relays[0].reason !== undefined, 5000, 'Plank to show why')
    expect(describeSync(plank.sync.status).text).toMatch(/^Not syncing: this relay’s space for the draft is full( · 1 edit not yet on any relay)?$/)
    // It keeps trying, at its own pace (each try is refused the same way), and is never "refused" for good.
    const closesAt = () => small.logs.filter((l) => l.event === 'connection-closed' && l.code === CLOSE.roomFull.code).length
    await waitUntil(() => closesAt() >= 2, 15_000, 'a second try')
    expect(plank.refusedEver()).toBe(false)

    // The operator gives the room more space; the same client, never restarted, delivers its edit.
    const port = small.port
    await small.kill('SIGTERM')
    const roomy = await start(['--data', data], port)
    await waitUntil(() => plank.sync.status.relays[0]?.state === 'synced', 15_000, 'Plank to sync again')
    const late = reader(roomy.url, 'full-room')
    await waitUntil(() => late.text() === plank.doc.getText('t').toString(), 5000, 'everything at a member who joins afterwards')
    expect(late.text()).toHaveLength(10 + 6000)
    expect(plank.refusedEver()).toBe(false)
  })
})
