import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import { PrivateRoom, content, createDraftDoc, generateRoomKey, importRoomKey, seedDraft } from '../crdt/index.ts'
import { startTcpProxy } from '../test/support/tcp-proxy.ts'
import { startRelay } from './relay-load.ts'

/**
 * Private drafts against open drafts, in the same run, through the same Plank relay:
 * one member types (one character per edit, at typing speed), another receives. Each
 * member's connection goes through a counting TCP line, so bytes are what crossed the
 * network (frames included).
 */
export interface PrivacyResult {
  mode: 'open' | 'private'
  edits: number
  p50ms: number
  p99ms: number
  bytesFromWriter: number
  bytesToReader: number
  finalStateBytes: number
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!

export const privacyRun = async (mode: 'open' | 'private', edits = 400, perSecond = 40): Promise<PrivacyResult> => {
  const relay = await startRelay('plank')
  const port = Number(new URL(relay.url).port)
  const [lineA, lineB] = [await startTcpProxy(port), await startTcpProxy(port)]
  const key = await importRoomKey(generateRoomKey())
  const room = `bench-${mode}-${Date.now()}`
  const member = (line: typeof lineA) => {
    const doc = createDraftDoc()
    const priv = mode === 'private' ? new PrivateRoom(doc, room, [key]) : null
    const provider = new WebsocketProvider(line.url, room, priv?.envelope ?? doc, { WebSocketPolyfill: WebSocket as never, disableBc: true })
    provider.on('sync', (s: boolean) => { if (s) priv?.catchUp() })
    return { doc, priv, provider }
  }
  const a = member(lineA)
  const b = member(lineB)
  seedDraft(a.doc, { title: 'Bench', now: 0 })
  const synced = (m: typeof a) => new Promise<void>((resolve) => { if (m.provider.synced) resolve(); else m.provider.once('sync', () => resolve()) })
  await Promise.all([synced(a), synced(b)])
  const text = (doc: Y.Doc) => ((content(doc).get(1) as Y.XmlElement | undefined)?.get(0) as Y.XmlText | undefined)
  while (!text(b.doc)) await new Promise((r) => setTimeout(r, 5))
  const upBefore = lineA.bytes().up
  const downBefore = lineB.bytes().down
  const sentAt: number[] = []
  const latencies: number[] = []
  text(b.doc)!.observe(() => {
    const n = text(b.doc)!.length
    const now = performance.now()
    while (latencies.length < n && latencies.length < sentAt.length) latencies.push(now - sentAt[latencies.length]!)
  })
  for (let i = 0; i < edits; i++) {
    sentAt.push(performance.now())
    text(a.doc)!.insert(i, 'x')
    await new Promise((r) => setTimeout(r, 1000 / perSecond))
  }
  const deadline = Date.now() + 10_000
  while (latencies.length < edits && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  const result: PrivacyResult = {
    mode, edits: latencies.length, p50ms: pct(latencies, 50), p99ms: pct(latencies, 99),
    bytesFromWriter: lineA.bytes().up - upBefore, bytesToReader: lineB.bytes().down - downBefore,
    finalStateBytes: Y.encodeStateAsUpdate(a.priv?.envelope ?? a.doc).length,
  }
  for (const m of [a, b]) { m.provider.destroy(); m.priv?.destroy() }
  await lineA.close()
  await lineB.close()
  relay.proc.kill('SIGKILL')
  return result
}
