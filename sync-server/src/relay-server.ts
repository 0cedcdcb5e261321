import type { Server } from 'node:http'
import type { RelayConfig } from './config.ts'
import { startHttpEdge } from './http-server.ts'
import { DEFAULT_LIMITS, RelayCore } from './relay-core.ts'
import { attachWebSockets } from './ws-edge.ts'
import { MemoryStore } from './store/memory-store.ts'
import { LeveldbStore } from './store/leveldb-store.ts'
import { jsonLogger, silentLogger, type Logger } from './log.ts'

export interface RunningRelay {
  /** http:// (or https://) address; ws:// (wss://) is the same with the scheme swapped. */
  url: string
  wsUrl: string
  server: Server
  core: RelayCore
  close(): Promise<void>
}

export interface RelayOptions extends RelayConfig {
  log?: Logger | false
  /** Serve https:// and wss:// with this certificate (PEM); see http-server.ts. */
  tls?: { cert: string; key: string }
}

/** Start a relay: the core, its store, the ws binding and the HTTP edge. */
export const startRelay = async (config: RelayOptions): Promise<RunningRelay> => {
  const log = config.log === false ? silentLogger : (config.log ?? jsonLogger())
  const store = config.dataDir ? new LeveldbStore(config.dataDir) : new MemoryStore()
  const core = new RelayCore(store, { ...DEFAULT_LIMITS, ...config.limits }, log)
  const started = Date.now()
  const { server, url } = await startHttpEdge({
    host: config.host,
    port: config.port,
    appDir: config.appDir,
    health: () => ({
      ok: core.metrics.errors.storage === 0,
      store: store.kind,
      rooms: core.roomCount,
      connections: core.connectionCount,
      storageErrors: core.metrics.errors.storage,
      heapUsedBytes: process.memoryUsage().heapUsed,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
    }),
    metrics: () => core.metrics.render({ rooms: core.roomCount }),
    tls: config.tls,
  })
  const wss = attachWebSockets(server, core, { secret: config.secret, log })
  let closing: Promise<void> | null = null
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws').replace(/\/$/, ''),
    server,
    core,
    close: () => (closing ??= (async () => {
      await core.close()
      for (const ws of wss.clients) ws.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })()),
  }
}
