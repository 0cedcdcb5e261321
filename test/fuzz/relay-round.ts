import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import { PrivateRoom, createDraftDoc, generateRoomKey, importRoomKey, seedDraft } from '../../crdt/index.ts'
import { startRelayProcess, type RelayProcess } from '../support/relay-process.ts'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts'
import { Peer } from './convergence.ts'
import { assertConverged } from './converged.ts'
import { FuzzFailure, Trace } from './report.ts'

/**
 * The convergence fuzzer with real traffic: five peers, each a y-websocket client
 * on its own network line to a real relay process (with a data directory), making
 * random edits and review acts, while lines are cut and restored at random and the
 * relay is SIGKILLed and restarted on its store. Open or private (sealed envelope).
 *
 * The peers' actions follow the seed; what the network does with them depends on
 * timing, so a failing seed is a lead rather than an exact replay. Everything it opens
 * (relay, lines, providers, docs and their awareness timers) is closed when it ends.
 */
export interface RelayRoundResult {
  seed: number
  mode: 'open' | 'private'
  edits: number
  reviewActs: number
  cuts: number
  relayKills: number
  convergeMs: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export const runRelayRound = async (seed: number, mode: 'open' | 'private', seconds: number): Promise<RelayRoundResult> => {
  const gen = prng.create(seed)
  const data = await mkdtemp(join(tmpdir(), 'plank-fuzz-relay-'))
  let relay: RelayProcess = await startRelayProcess(['--data', data])
  const port = relay.port
  const origin = createDraftDoc()
  seedDraft(origin, { title: 'Fuzzed platform', planks: ['Housing', 'Work'], now: 0 })
  const start = Y.encodeStateAsUpdate(origin)
  const key = await importRoomKey(generateRoomKey())
  const room = `fuzz-${seed}-${mode}`
  const stats: RelayRoundResult = { seed, mode, edits: 0, reviewActs: 0, cuts: 0, relayKills: 0, convergeMs: 0 }

  interface Member { peer: Peer; line: TcpProxy; provider: WebsocketProvider; privateRoom: PrivateRoom | null }
  const members: Member[] = []
  for (let id = 0; id < 5; id++) {
    const peer = new Peer(id, start)
    const line = await startTcpProxy(port)
    const privateRoom = mode === 'private' ? new PrivateRoom(peer.doc, room, [key], { batchMs: 2, compactAt: 24 }) : null
    const provider = new WebsocketProvider(line.url, room, privateRoom?.envelope ?? peer.doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, maxBackoffTime: 300 })
    provider.on('sync', (synced: boolean) => { if (synced) privateRoom?.catchUp() })
    // Changes from elsewhere (relay, decryption) rebuild the editor document, as the binding does.
    peer.doc.on('afterTransaction', (tr: Y.Transaction) => { if (!tr.local) peer.refresh() })
    members.push({ peer, line, provider, privateRoom })
  }
  const cut = new Set<Member>()
  let lastKill = Date.now()
  const trace = new Trace()

  try {
    const deadline = Date.now() + seconds * 1000
    let step = 0
    while (Date.now() < deadline) {
      step++
      const m = prng.oneOf(gen, members)
      const r = prng.int32(gen, 0, 99)
      const did = (what: string) => trace.add(`step ${step}, peer ${m.peer.id}: ${what}`)
      if (r < 50) {
        did(`edit: ${m.peer.edit(gen)}`)
        stats.edits++
      } else if (r < 65) {
        did(`review: ${m.peer.review(gen, step)}`)
        stats.reviewActs++
      } else if (r < 70) {
        did(cut.has(m) ? 'line restored' : 'line cut')
        if (cut.has(m)) { cut.delete(m); await m.line.restore() } else { cut.add(m); await m.line.cut(); stats.cuts++ }
      } else if (r < 71 && Date.now() - lastKill > 2500) {
        trace.add(`step ${step}: relay SIGKILLed and restarted on its store`)
        await relay.kill('SIGKILL')
        relay = await startRelayProcess(['--data', data], { port })
        lastKill = Date.now()
        stats.relayKills++
      }
      m.peer.outbox.splice(0) // the in-memory network's queue is not used here
      await sleep(prng.int32(gen, 0, 8))
    }

    // Heal: every line back, then wait for everyone to hold the same state.
    trace.add('heal: every line restored; waiting for all peers to hold the same state')
    for (const c of cut) await c.line.restore()
    const started = Date.now()
    const same = () => members.every((x) => Y.encodeStateVector(x.peer.doc).toString() === Y.encodeStateVector(members[0]!.peer.doc).toString())
    while (!same() || members.some((x) => !x.provider.synced)) {
      if (Date.now() - started > 30_000) {
        const late = `seed ${seed} (${mode}, through a relay): not converged 30 s after healing`
        assertConverged(members.map((x) => x.peer), late) // shows what differs
        throw new Error(`${late}: all peers hold the same state, but ${members.filter((x) => !x.provider.synced).length} have not synced with the relay`)
      }
      await sleep(50)
    }
    for (const x of members) await x.privateRoom?.settled()
    await sleep(300)
    for (const x of members) await x.privateRoom?.settled()
    stats.convergeMs = Date.now() - started
    for (const x of members) x.peer.refresh()
    assertConverged(members.map((x) => x.peer), `seed ${seed} (${mode}, through a relay)`)
    return stats
  } catch (err) {
    throw new FuzzFailure(seed, `PLANK_FUZZ_SEED=${seed} npx vitest run --config test/vitest.e2e.config.ts test/relay-fuzz.e2e.test.ts  # same actions; the network's timing differs`, trace, err)
  } finally {
    // The doc too: an open draft's awareness (made by the provider) keeps a timer until its doc is destroyed.
    for (const x of members) { x.provider.destroy(); x.privateRoom?.destroy(); x.peer.doc.destroy(); await x.line.close() }
    await relay.kill('SIGKILL')
    await rm(data, { recursive: true, force: true })
  }
}
