import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { createStaticHandler } from './static-files.ts'
import { splitTarget } from './request-target.ts'

/**
 * The relay's HTTP edge: health, metrics, and optionally the app itself (so a browser
 * can use Plank from any machine that runs a relay). WebSocket upgrades are attached by
 * the relay; this file knows nothing about documents.
 */
export interface HttpEdgeOptions {
  host: string
  port: number
  /** Serve the built app from this directory, if set. */
  appDir?: string
  health: () => Record<string, unknown>
  metrics: () => string
  /**
   * Serve HTTPS (and so wss://) with this certificate and key, PEM. The desktop app's
   * meeting host uses it with a certificate made for the hosting session.
   */
  tls?: { cert: string; key: string }
}

export const startHttpEdge = async (opts: HttpEdgeOptions): Promise<{ server: Server; url: string }> => {
  const serveApp = opts.appDir ? createStaticHandler(opts.appDir) : null
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const { path, query } = splitTarget(req.url)
    if (path === '/healthz') {
      // Measurement aid: with node --expose-gc, ?gc=1 collects first, so a memory figure
      // means live objects rather than garbage not yet collected.
      const gc = (globalThis as { gc?: () => void }).gc
      if (gc && query.get('gc') === '1') gc()
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(opts.health()))
      return
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'cache-control': 'no-store' }).end(opts.metrics())
      return
    }
    if (serveApp && (await serveApp(req, res))) return
    res.writeHead(404, { 'content-type': 'text/plain' }).end(serveApp ? 'not found' : 'This is a Plank relay. Point the Plank app at ws://this-address to sync drafts.')
  }
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => { if (!res.headersSent) res.writeHead(500).end() })
  }
  // An https.Server is an http.Server in all the relay uses (request, upgrade, close);
  // a client that fails the handshake (plain HTTP, junk, a refused certificate) is dropped by Node.
  const server: Server = opts.tls ? (createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, listener) as unknown as Server) : createServer(listener)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => { server.off('error', reject); resolve() })
  })
  const { port } = server.address() as AddressInfo
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host
  return { server, url: `${opts.tls ? 'https' : 'http'}://${shownHost}:${port}/` }
}
