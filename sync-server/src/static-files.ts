import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { decodePercent, splitTarget } from './request-target.ts'

/**
 * Serves the built app (renderer/dist) so a browser can use Plank where Electron is
 * missing, from the same process as the relay. Read-only, GET/HEAD only, no directory
 * listings, nothing outside the root.
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

export const createStaticHandler = (rootDir: string) => {
  const root = resolve(rootDir)
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    const pathname = decodePercent(splitTarget(req.url).path) || '/'
    if (pathname.includes('\0')) return false
    const file = resolve(join(root, normalize(pathname === '/' ? '/index.html' : pathname)))
    if (file !== root && !file.startsWith(root + sep)) return false
    const info = await stat(file).catch(() => null)
    if (!info?.isFile()) return false
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': extname(file) === '.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    })
    if (req.method === 'HEAD') res.end()
    // A file that vanishes after stat must not take the process down with an unhandled 'error'.
    else createReadStream(file).on('error', () => res.destroy()).pipe(res)
    return true
  }
}
