import { afterEach, describe, expect, it } from 'vitest'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { startRelayProcess, type RelayProcess } from './support/relay-process.ts'
import { stockClient, waitUntil } from './support/yjs-client.ts'
import { closeCodeOf, frame, rawWebSocket } from './support/raw-websocket.ts'
import { roomToken } from '../sync-server/src/access.ts'
import { churnRooms } from './support/room-churn.ts'
import { CLOSE } from '../crdt/contracts/wire-protocol.ts'

const relays: RelayProcess[] = []
const clients: Array<{ destroy: () => void }> = []
const start = async (...args: Parameters<typeof startRelayProcess>) => {
  const relay = await startRelayProcess(...args)
  relays.push(relay)
  return relay
}
const client = (...args: Parameters<typeof stockClient>) => {
  const c = stockClient(...args)
  clients.push(c)
  return c
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  for (const r of relays.splice(0)) await r.kill('SIGKILL')
})

/** Close code a WebSocket receives, or -1 if it stays open for `ms`. */
const closeCode = (ws: WebSocket, ms = 5000) => new Promise<number>((resolve) => {
  const timer = setTimeout(() => resolve(-1), ms)
  ws.on('close', (code) => { clearTimeout(timer); resolve(code) })
  ws.on('error', () => {})
})

/** A healthy pair in another room: proves the relay still serves everyone else. */
const healthyPair = async (relay: RelayProcess) => {
  const a = client(relay.url, 'healthy-room')
  const b = client(relay.url, 'healthy-room')
  await Promise.all([a.synced(), b.synced()])
  let n = 0
  return async () => {
    const word = `still-syncing-${n++} `
    a.type(word)
    await waitUntil(() => b.text().includes(word), 3000, 'the healthy room to keep syncing')
  }
}

describe('relay process', () => {
  it('syncs stock y-websocket clients, and a latecomer gets everything after the others left', async () => {
    const relay = await start()
    const a = client(relay.url, 'platform')
    const b = client(relay.url, 'platform')
    await Promise.all([a.synced(), b.synced()])
    a.type('Housing for all. ')
    b.type('Jobs for all. ')
    await waitUntil(() => a.text() === b.text() && a.text().length > 20)
    a.destroy()
    b.destroy()
    const late = client(relay.url, 'platform')
    await late.synced()
    await waitUntil(() => late.text() === a.text(), 3000, 'the latecomer to get everything')
  })

  it('loses nothing it stored when killed with SIGKILL and restarted', async () => {
    const data = await mkdtemp(join(tmpdir(), 'plank-relay-data-'))
    const relay = await start(['--data', data])
    const a = client(relay.url, 'durable')
    await a.synced()
    for (let i = 0; i < 200; i++) a.type(`${i} `)
    const expected = a.text()
    await waitUntil(async () => (await relay.health()).storageErrors === 0 &&
      Number((await (await fetch(`${relay.http}/metrics`)).text()).match(/plank_updates_stored_total (\d+)/)?.[1]) >= 200, 5000, 'updates stored')
    a.destroy()
    expect(await relay.kill('SIGKILL')).toBe(null)
    const again = await start(['--data', data], { port: relay.port })
    const b = client(again.url, 'durable')
    await b.synced()
    await waitUntil(() => b.text() === expected, 3000, 'stored text after restart')
  })

  it('flushes and stops cleanly on SIGTERM', async () => {
    const data = await mkdtemp(join(tmpdir(), 'plank-relay-data-'))
    const relay = await start(['--data', data])
    const a = client(relay.url, 'graceful')
    await a.synced()
    for (let i = 0; i < 50; i++) a.type(`${i} `)
    const expected = a.text()
    await new Promise((r) => setTimeout(r, 100))
    expect(await relay.kill('SIGTERM')).toBe(0)
    expect(relay.logs.some((l) => l.event === 'stopped')).toBe(true)
    a.destroy()
    const again = await start(['--data', data])
    const b = client(again.url, 'graceful')
    await b.synced()
    await waitUntil(() => b.text() === expected)
  })

  it('survives a malformed frame, a garbage message and an oversized message, with the expected closes and log lines', async () => {
    const relay = await start(['--max-message', String(2 * 1024 * 1024)])
    const stillSyncing = await healthyPair(relay)

    // 1. A malformed frame: RSV1 set without an extension.
    const raw = await rawWebSocket(relay.port, '/room-a')
    raw.socket.write(frame(Buffer.from([0, 0, 1, 0]), { rsv: 4 }))
    await raw.closed
    expect(closeCodeOf(raw.received())).toBe(1002)
    await relay.waitForLog((l) => l.event === 'socket-error' && l.room === 'room-a' && l.code === 1002)
    await stillSyncing()

    // 2. A well-formed frame carrying a garbage protocol message.
    const garbage = new WebSocket(`${relay.url}/room-b`)
    await new Promise((r) => garbage.once('open', r))
    const garbageClosed = closeCode(garbage)
    garbage.send(Buffer.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]))
    expect(await garbageClosed).toBe(CLOSE.badMessage.code)
    await relay.waitForLog((l) => l.event === 'connection-closed' && l.code === CLOSE.badMessage.code)
    await stillSyncing()

    // 3. A 3 MiB message.
    const big = new WebSocket(`${relay.url}/room-c`)
    await new Promise((r) => big.once('open', r))
    const bigClosed = closeCode(big)
    big.send(Buffer.alloc(3 * 1024 * 1024, 7))
    expect(await bigClosed).toBe(CLOSE.tooBig.code)
    await relay.waitForLog((l) => l.event === 'connection-closed' && l.code === CLOSE.tooBig.code)
    await stillSyncing()

    // 4. A truncated frame length, then the connection dropped mid-frame.
    const truncated = await rawWebSocket(relay.port, '/room-d')
    truncated.socket.write(frame(Buffer.alloc(10), { lengthOverride: 60_000 }).subarray(0, 30))
    truncated.socket.destroy()
    await stillSyncing()
    expect(relay.proc.exitCode).toBe(null)
  })

  it('checks tokens before sending any document byte: missing 4401, wrong 4403, right one syncs', async () => {
    const secret = 'chapter-secret'
    const relay = await start(['--secret', secret])
    const received: Buffer[] = []
    const noToken = new WebSocket(`${relay.url}/private-room`)
    noToken.on('message', (d: Buffer) => received.push(d))
    expect(await closeCode(noToken)).toBe(CLOSE.tokenRequired.code)
    const wrong = new WebSocket(`${relay.url}/private-room?token=${roomToken('another-secret', 'private-room')}`)
    wrong.on('message', (d: Buffer) => received.push(d))
    expect(await closeCode(wrong)).toBe(CLOSE.tokenRejected.code)
    expect(received).toEqual([])
    await relay.waitForLog((l) => l.event === 'connection-refused' && l.code === CLOSE.tokenRejected.code)

    const a = client(relay.url, 'private-room', { token: roomToken(secret, 'private-room') })
    const b = client(relay.url, 'private-room', { token: roomToken(secret, 'private-room') })
    await Promise.all([a.synced(), b.synced()])
    a.type('members only')
    await waitUntil(() => b.text() === 'members only')
  })

  it('returns close to its baseline memory after 3,000 rooms are opened, left and evicted', async () => {
    const data = await mkdtemp(join(tmpdir(), 'plank-relay-data-'))
    const relay = await start(['--data', data, '--idle-evict', '1'], { nodeArgs: ['--expose-gc'] })
    const heap = async () => Number((await relay.health({ gc: true })).heapUsedBytes)
    const baseline = await heap()
    await churnRooms(relay.url, 3000)
    const peak = await heap()
    await waitUntil(async () => (await relay.health()).rooms === 0, 20_000, 'idle rooms to be evicted')
    const after = await heap()
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`
    console.log(`relay heap: baseline ${mb(baseline)}, with rooms live ${mb(peak)}, after eviction ${mb(after)}`)
    expect(after - baseline).toBeLessThan(6e6)
    // Evicted rooms come back from disk on demand.
    const back = client(relay.url, 'churn-1234')
    await back.synced()
    await waitUntil(() => back.text().startsWith('Room 1234:'))
  })

  it('reports health and metrics', async () => {
    const relay = await start()
    const a = client(relay.url, 'metrics-room')
    await a.synced()
    const health = await relay.health()
    expect(health).toMatchObject({ ok: true, rooms: 1, connections: 1 })
    const metrics = await (await fetch(`${relay.http}/metrics`)).text()
    expect(metrics).toMatch(/^plank_rooms 1$/m)
    expect(metrics).toMatch(/^plank_connections 1$/m)
  })
})
