import { afterEach, describe, expect, it } from 'vitest'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import WebSocket from 'ws'
import { WebsocketProvider as SyncStatusProvider } from 'y-websocket-rc'
import { stockClient, waitUntil } from './support/yjs-client.ts'
import { messagesBeforeClose } from './support/raw-websocket.ts'
import { useFleet } from './support/fleet.ts'
import { roomToken } from '../sync-server/src/access.ts'
import { CLOSE } from '../crdt/contracts/wire-protocol.ts'

/**
 * Stock y-websocket clients through Plank's relay, in any room name they can send.
 *
 * `testConnection` is adapted from y-websocket's own test suite (yjs/y-websocket,
 * test/y-websocket.test.js, in the 3.1.0 release candidates and 4.0 pre-releases),
 * MIT License, Copyright (c) 2025 Kevin Jahns. It needs a client with a sync status:
 * y-websocket 3.1.0-rc.5 (installed as `y-websocket-rc`; the 3.1.0 release dropped
 * the status). Changes from the original: it runs against a relay process on a free
 * port rather than the stock relay in-process on port 1234, for each room name below
 * and not only its own `test-@y/websocket`; its fixed 500 ms waits are bounded waits
 * for the same condition; the yellow check waits for the clock to tick (see below);
 * Node 20 gets `ws` as its WebSocket. The same test against
 * the stock relay (@y/websocket-server) shows the adaptation keeps its meaning.
 *
 * The status turns green only when the client's own update comes back from the relay,
 * so it passes only because Plank's relay echoes updates to their sender (see
 * sync-server/src/relay-core.ts).
 */
const ROOM_NAMES = ['test-@y/websocket', 'my draft', 'Grüße-€', '100%']

type SyncStatus = { status: 'green' | 'yellow' | 'red'; localUpdatesSynced: boolean }

const testConnection = async (serverUrl: string, roomName: string, params: Record<string, string> = {}) => {
  const ydoc = new Y.Doc()
  const provider = new SyncStatusProvider(serverUrl, roomName, ydoc as never, { WebSocketPolyfill: WebSocket as never, params, disableBc: true })
  const syncStatusEvents: SyncStatus[] = []
  provider.on('sync-status', (syncStatus: SyncStatus) => { syncStatusEvents.push(syncStatus) })
  try {
    await waitUntil(() => syncStatusEvents.at(-1)?.status === 'green', 5000, `sync status green on connect, room ${JSON.stringify(roomName)}`)
    expect(syncStatusEvents.length).toBeGreaterThan(0)
    ydoc.getText().insert(0, 'hi')
    // The status counts an unconfirmed edit's age in whole milliseconds and reads an age
    // of 0 as green, so the original sees yellow only if the clock ticks between the edit
    // and the check. Let it tick, synchronously, so no reply can arrive meanwhile.
    for (const t = Date.now(); Date.now() === t;);
    expect(provider.syncStatus.localUpdatesSynced).toBe(false)
    expect(provider.syncStatus.status).toBe('yellow')
    await waitUntil(() => provider.syncStatus.status === 'green', 5000, `sync status green after an edit, room ${JSON.stringify(roomName)}`)
  } finally {
    provider.destroy()
  }
  return ydoc
}

const fleet = useFleet()
const start = (args: string[] = []) => fleet.relay(args)
const clients: Array<{ destroy: () => void }> = []
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy()
})

describe("y-websocket's own testConnection", () => {
  it('passes against the stock relay (the control: the adaptation keeps its meaning)', async () => {
    const stock = await fleet.stockRelay()
    await testConnection(stock.url, 'test-@y/websocket')
  })

  it(`passes against Plank's relay in every room name a stock client can send: ${ROOM_NAMES.join(', ')}`, async () => {
    const relay = await start()
    for (const room of ROOM_NAMES) {
      await testConnection(relay.url, room)
      // The edit is in that room and no other: a stock 3.1 client and a latecomer read it back.
      const reader = stockClient(relay.url, room)
      clients.push(reader)
      await reader.synced()
      await waitUntil(() => reader.doc.getText().toString() === 'hi', 5000, `the edit in room ${JSON.stringify(room)}`)
    }
    expect(relay.logs.filter((l) => l.event === 'connection-refused')).toEqual([])
  })

  it('passes with --secret, the token made for the decoded name', async () => {
    const secret = 'compat-secret'
    const relay = await start(['--secret', secret])
    for (const room of ['my draft', 'Grüße-€']) await testConnection(relay.url, room, { token: roomToken(secret, room) })
  })
})

describe('room names', () => {
  it('keeps rooms with any of these names on disk and apart: each reads back its own text after a restart', async () => {
    const data = await mkdtemp(join(tmpdir(), 'plank-room-names-'))
    const relay = await start(['--data', data])
    // Some are prefixes of others, or escape to what looks like another's spelling.
    const names = [...ROOM_NAMES, 'test-@y', 'my', '%', 'Gr', 'x'.repeat(512)]
    const writers = names.map((room) => stockClient(relay.url, room))
    clients.push(...writers)
    await Promise.all(writers.map((w) => w.synced()))
    writers.forEach((w, i) => w.type(`text of room ${i}`))
    await waitUntil(async () => Number((await (await fetch(`${relay.http}/metrics`)).text()).match(/plank_updates_stored_total (\d+)/)?.[1]) >= names.length, 5000, 'every room stored')
    for (const c of clients.splice(0)) c.destroy()
    expect(await relay.kill('SIGTERM')).toBe(0)

    const again = await start(['--data', data])
    const readers = names.map((room) => stockClient(again.url, room))
    clients.push(...readers)
    await Promise.all(readers.map((r) => r.synced()))
    expect(readers.map((r) => r.text())).toEqual(names.map((_, i) => `text of room ${i}`))
  })

  it('refuses a name over 512 bytes of UTF-8 with 4404, which a stock client takes as final; exactly 512 is fine', async () => {
    const relay = await start()
    expect(await messagesBeforeClose(`${relay.url}/${encodeURIComponent('€'.repeat(171))}`)).toEqual({ code: CLOSE.badRoom.code, messages: 0 })
    const tooLong = stockClient(relay.url, '€'.repeat(171))
    clients.push(tooLong)
    const closed = await new Promise<{ code: number }>((resolve) => tooLong.provider.once('closed', resolve))
    expect(closed.code).toBe(CLOSE.badRoom.code)
    expect(tooLong.provider.shouldConnect).toBe(false)
    const longest = stockClient(relay.url, `${'€'.repeat(170)}xx`) // 512 bytes
    clients.push(longest)
    await longest.synced()
    await relay.waitForLog((l) => l.event === 'connection-refused' && l.code === CLOSE.badRoom.code && l.detail === 'too long')
  })
})
