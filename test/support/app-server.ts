import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll } from 'vitest'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createStaticHandler } from '../../sync-server/src/static-files.ts'

/** The built app (npm run build), served on a free loopback port. */
export const APP_DIR = fileURLToPath(new URL('../../renderer/dist', import.meta.url))

export const serveApp = async (): Promise<{ url: string; server: Server; close: () => Promise<void> }> => {
  const handle = createStaticHandler(APP_DIR)
  const server = createServer((req, res) => {
    handle(req, res).then((served) => {
      if (!served) res.writeHead(404).end('not found')
    }, () => res.writeHead(500).end())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** For a test file: the built app served for all its tests, closed afterwards. */
export const useApp = (): { readonly url: string } => {
  let app: Awaited<ReturnType<typeof serveApp>>
  beforeAll(async () => { app = await serveApp() })
  afterAll(async () => { await app.close() })
  return { get url() { return app.url } }
}
