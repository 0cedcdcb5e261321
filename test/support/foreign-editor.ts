import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Page } from 'playwright-core'

/**
 * Serves the foreign ProseMirror editor (foreign-editor/page.ts, bundled here with
 * esbuild) and opens it in a page, connected to `relay` in room `room`.
 */
export const openForeignEditor = async (page: Page, relay: string, room: string): Promise<{ close: () => Promise<void> }> => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./foreign-editor/page.ts', import.meta.url))],
    bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'silent',
  })
  const js = bundle.outputFiles[0]!.text
  const html = '<!doctype html><meta charset="utf-8"><title>Foreign editor</title><div id="editor"></div><script src="/page.js"></script>'
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/page.js')) res.writeHead(200, { 'content-type': 'text/javascript' }).end(js)
    else res.writeHead(200, { 'content-type': 'text/html' }).end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await page.goto(`http://127.0.0.1:${port}/?relay=${encodeURIComponent(relay)}&room=${encodeURIComponent(room)}`)
  await page.waitForFunction(() => 'foreign' in window)
  await page.evaluate(() => window.foreign.synced)
  return {
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
