import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import WebSocket from 'ws'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { MESSAGE } from '../crdt/contracts/wire-protocol.ts'

/**
 * Clients × rooms on loopback against a relay process: every client edits a shared
 * Y.Array at a steady rate; every other client in the room records how long each edit
 * took to arrive (same process, same clock). The relay's CPU and peak memory come from
 * /proc, so Plank's relay and the stock one are measured the same way.
 */
export type RelayKind = 'plank' | 'stock'

const root = fileURLToPath(new URL('..', import.meta.url))

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer()
  s.listen(0, '127.0.0.1', () => {
    const port = (s.address() as { port: number }).port
    s.close(() => resolve(port))
  })
})

export const startRelay = async (kind: RelayKind): Promise<{ proc: ChildProcess; url: string }> => {
  const port = await freePort()
  const proc = kind === 'plank'
    ? spawn(process.execPath, [`${root}sync-server/dist/plank-relay.js`, '--host', '127.0.0.1', '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(process.execPath, [`${root}node_modules/@y/websocket-server/src/server.js`], { env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve) => proc.stdout!.once('data', () => resolve()))
  proc.stdout!.resume()
  return { proc, url: `ws://127.0.0.1:${port}` }
}

const CLOCK_TICKS = 100
const cpuSeconds = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
}
const peakRssBytes = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024

interface Client { doc: Y.Doc; ws: WebSocket; room: number }

const message = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE.sync)
  write(e)
  return encoding.toUint8Array(e)
}

const connect = (url: string, room: number, latencies: number[]): Promise<Client> => new Promise((resolve, reject) => {
  const doc = new Y.Doc()
  const ws = new WebSocket(`${url}/bench-room-${room}`)
  ws.binaryType = 'nodebuffer'
  const client = { doc, ws, room }
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== ws && ws.readyState === ws.OPEN) ws.send(message((e) => syncProtocol.writeUpdate(e, update)))
  })
  doc.getArray<{ t: number; from: number }>('edits').observe((event) => {
    if (event.transaction.origin !== ws) return
    const now = performance.now()
    for (const item of event.changes.added) for (const v of item.content.getContent() as Array<{ t: number }>) latencies.push(now - v.t)
  })
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data))
    if (decoding.readVarUint(decoder) !== MESSAGE.sync) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE.sync)
    const type = syncProtocol.readSyncMessage(decoder, encoder, doc, ws)
    if (encoding.length(encoder) > 1) ws.send(encoding.toUint8Array(encoder))
    if (type === syncProtocol.messageYjsSyncStep2) resolve(client)
  })
  ws.once('open', () => ws.send(message((e) => syncProtocol.writeSyncStep1(e, doc))))
  ws.once('error', reject)
})

export interface LoadResult {
  relay: RelayKind
  clients: number
  rooms: number
  edits: number
  deliveries: number
  p50ms: number
  p99ms: number
  cpuSeconds: number
  peakRssMB: number
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

export const relayLoad = async (kind: RelayKind, clients: number, rooms: number, opts = { seconds: 6, editsPerSecond: 2 }): Promise<LoadResult> => {
  const { proc, url } = await startRelay(kind)
  const latencies: number[] = []
  const all: Client[] = []
  for (let i = 0; i < clients; i += 25) {
    all.push(...(await Promise.all(Array.from({ length: Math.min(25, clients - i) }, (_, j) => connect(url, (i + j) % rooms, latencies)))))
  }
  const cpuBefore = cpuSeconds(proc.pid!)
  let edits = 0
  const interval = 1000 / opts.editsPerSecond
  const timers = all.map((c, i) => setTimeout(function tick() {
    c.doc.getArray('edits').push([{ t: performance.now(), from: i }])
    edits++
    timers[i] = setTimeout(tick, interval)
  }, Math.random() * interval))
  await new Promise((resolve) => setTimeout(resolve, opts.seconds * 1000))
  timers.forEach(clearTimeout)
  await new Promise((resolve) => setTimeout(resolve, 500)) // let the last edits arrive
  const cpu = cpuSeconds(proc.pid!) - cpuBefore
  const rss = peakRssBytes(proc.pid!)
  for (const c of all) c.ws.terminate()
  proc.kill('SIGKILL')
  latencies.sort((a, b) => a - b)
  return {
    relay: kind, clients, rooms, edits, deliveries: latencies.length,
    p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99),
    cpuSeconds: cpu, peakRssMB: rss / 1e6,
  }
}
