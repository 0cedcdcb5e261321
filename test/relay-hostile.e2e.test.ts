import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as prng from 'lib0/prng'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { startRelayProcess, type RelayProcess } from './support/relay-process.ts'
import { stockClient, waitUntil } from './support/yjs-client.ts'
import { frame, rawWebSocket } from './support/raw-websocket.ts'
import { ISSUE_687, hostileMessage } from './support/hostile-messages.ts'
import { MESSAGE } from '../crdt/contracts/wire-protocol.ts'

/**
 * Hostile input against a real relay process, seeded (the seed is printed): random
 * bytes, mutated real updates, junk sync and awareness messages, malformed frames.
 * The relay must never exit, must keep its memory bounded, and a healthy room must
 * keep syncing quickly throughout.
 */
const SEED = Number(process.env.PLANK_HOSTILE_SEED ?? 20261127)
const ROUNDS = 300

let relay: RelayProcess
beforeAll(async () => { relay = await startRelayProcess(['--rate', '2000'], { nodeArgs: ['--expose-gc'] }) })
afterAll(async () => { await relay.kill('SIGKILL') })

describe('hostile input', () => {
  it(`survives ${ROUNDS} rounds of random and mutated frames and messages (seed ${SEED})`, async () => {
    console.log(`hostile input seed ${SEED} (rerun: PLANK_HOSTILE_SEED=${SEED})`)
    const gen = prng.create(SEED)
    const a = stockClient(relay.url, 'healthy')
    const b = stockClient(relay.url, 'healthy')
    await Promise.all([a.synced(), b.synced()])
    const heap = async () => Number((await relay.health({ gc: true })).heapUsedBytes)
    const baseline = await heap()
    const latencies: number[] = []
    const probe = async (n: number) => {
      const word = `probe-${n} `
      const start = performance.now()
      a.type(word)
      await waitUntil(() => b.text().includes(word), 3000, 'the healthy room to keep syncing')
      latencies.push(performance.now() - start)
    }

    for (let round = 0; round < ROUNDS; round++) {
      const room = prng.oneOf(gen, ['healthy', 'victim', `r${prng.int32(gen, 0, 20)}`])
      if (prng.int32(gen, 0, 9) === 0) {
        // A malformed frame at the WebSocket layer.
        const raw = await rawWebSocket(relay.port, `/${room}`)
        raw.socket.write(frame(Buffer.from(prng.uint8Array(gen, 8)), { rsv: prng.int32(gen, 1, 7), opcode: prng.oneOf(gen, [2, 3, 7, 11]) }))
        raw.socket.destroy()
      } else {
        const ws = new WebSocket(`${relay.url}/${room}`)
        await new Promise((resolve) => { ws.once('open', resolve); ws.once('error', resolve) })
        for (let i = prng.int32(gen, 1, 4); i > 0 && ws.readyState === ws.OPEN; i--) ws.send(hostileMessage(gen))
        ws.terminate()
      }
      if (round % 30 === 0) await probe(round)
    }
    // The issue-687 bytes, sent straight into the healthy room as update and as step 2.
    for (const syncType of [1, 2]) {
      const ws = new WebSocket(`${relay.url}/healthy`)
      await new Promise((resolve) => ws.once('open', resolve))
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, MESSAGE.sync)
      encoding.writeVarUint(e, syncType)
      encoding.writeVarUint8Array(e, ISSUE_687)
      ws.send(encoding.toUint8Array(e))
      await probe(ROUNDS + syncType)
      ws.terminate()
    }
    await probe(ROUNDS)
    const after = await heap()
    latencies.sort((x, y) => x - y)
    console.log(`healthy room latency under attack: median ${latencies[latencies.length >> 1]!.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms; relay heap ${(baseline / 1e6).toFixed(1)} → ${(after / 1e6).toFixed(1)} MB`)
    expect(relay.proc.exitCode).toBe(null)
    expect(latencies.at(-1)!).toBeLessThan(500)
    expect(after - baseline).toBeLessThan(20e6)
    expect(b.text()).toContain(`probe-${ROUNDS}`)
    a.destroy()
    b.destroy()
  })
})
