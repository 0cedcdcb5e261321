import type { Server } from 'node:http'
import type { RelayConfig } from './config.ts'
import { startHttpEdge } from './http-server.ts'

export interface RunningRelay {
  url: string
  server: Server
  close(): Promise<void>
}

/** Start the relay: HTTP edge (health, metrics, optional app). */
export const startRelay = async (config: RelayConfig): Promise<RunningRelay> => {
  const started = Date.now()
  const { server, url } = await startHttpEdge({
    host: config.host,
    port: config.port,
    appDir: config.appDir,
    health: () => ({ ok: true, uptimeSeconds: Math.round((Date.now() - started) / 1000) }),
    metrics: () => '',
  })
  return {
    url,
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
