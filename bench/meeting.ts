import * as Y from 'yjs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRelay } from '../sync-server/src/relay-server.ts'
import { LanHost } from '../electron/lan-host.ts'
import { makeMeetingCertificate, type MeetingCertificate } from '../electron/meeting-certificate.ts'
import { startTcpProxy, type TcpProxy } from '../test/support/tcp-proxy.ts'
import { stockClient } from '../test/support/yjs-client.ts'

/**
 * The meeting host over wss:// (a certificate per hosting session) against the same
 * relay core over plain ws:// in the same run: the time to start hosting (key pair,
 * certificate, relay, TLS listener), and one member typing to another through the host
 * (one character per edit at typing speed) with each member's line through a counting
 * TCP proxy, so bytes are what crossed the Wi-Fi (TLS records or frames).
 */
export interface MeetingResult {
  mode: 'wss' | 'ws'
  startMs: number
  edits: number
  p50ms: number
  p99ms: number
  bytesFromWriter: number
  bytesToReader: number
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!

export const meetingRun = async (mode: 'wss' | 'ws', edits = 300, perSecond = 40): Promise<MeetingResult> => {
  let certificate: MeetingCertificate | null = null
  // The baseline's certificate is made before the clock starts (and never used): it measures hosting without one.
  const unused = mode === 'ws' ? await makeMeetingCertificate([]) : null
  const makeCertificate = async (ips: string[]) => (certificate = unused ?? (await makeMeetingCertificate(ips)))
  // The plain baseline: the same LanHost and relay core, its relay started without TLS.
  const plainRelay: typeof startRelay = (options) => startRelay({ ...options, tls: undefined })
  const host = new LanHost({
    startRelay: mode === 'wss' ? startRelay : plainRelay, dataDir: mkdtempSync(join(tmpdir(), 'plank-bench-meeting-')),
    announcer: { announce: () => ({ stop: async () => {} }) }, lanAddresses: () => [], bindHost: '127.0.0.1', makeCertificate,
  })
  const t0 = performance.now()
  const hosted = await host.start({ draftId: `bench-${mode}-${Date.now()}`, title: 'Bench', member: 'Ana', private: false })
  const startMs = performance.now() - t0
  const [lineA, lineB] = [await startTcpProxy(hosted.port), await startTcpProxy(hosted.port)]
  const through = (line: TcpProxy) => `${mode}://127.0.0.1:${line.port}`
  const tls = mode === 'wss' ? { ca: certificate!.cert } : {}
  const a = stockClient(through(lineA), hosted.draftId, { token: hosted.token }, tls)
  const b = stockClient(through(lineB), hosted.draftId, { token: hosted.token }, tls)
  await Promise.all([a.synced(), b.synced()])
  const upBefore = lineA.bytes().up
  const downBefore = lineB.bytes().down
  const sentAt: number[] = []
  const latencies: number[] = []
  const text = (doc: Y.Doc) => doc.getText('t')
  text(b.doc).observe(() => {
    const now = performance.now()
    while (latencies.length < text(b.doc).length && latencies.length < sentAt.length) latencies.push(now - sentAt[latencies.length]!)
  })
  for (let i = 0; i < edits; i++) {
    sentAt.push(performance.now())
    a.type('x')
    await new Promise((r) => setTimeout(r, 1000 / perSecond))
  }
  const deadline = Date.now() + 10_000
  while (latencies.length < edits && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  const result: MeetingResult = {
    mode, startMs, edits: latencies.length, p50ms: pct(latencies, 50), p99ms: pct(latencies, 99),
    bytesFromWriter: lineA.bytes().up - upBefore, bytesToReader: lineB.bytes().down - downBefore,
  }
  a.destroy()
  b.destroy()
  await lineA.close()
  await lineB.close()
  await host.stop()
  return result
}
