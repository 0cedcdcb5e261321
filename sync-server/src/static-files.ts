import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { CONTENT_SECURITY_POLICY } from '../../crdt/contracts/content-security-policy.ts'
import { decodePercent, splitTarget } from './request-target.ts'

/**
 * Serving the built app (renderer/dist), the one way it is done: over HTTP by a relay,
 * so a browser can use Plank where Electron is missing (and by the end-to-end tests),
 * and through the desktop app's plank:// protocol (electron/app-protocol.ts). Read-only,
 * no directory listings, nothing outside the root, the app's CSP on every answer.
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

export interface StaticFile {
  path: string
  size: number
  /** The response headers for it (type, length, caching, CSP). */
  headers: Record<string, string>
}

/**
 * The file under `rootDir` a request path names (still percent-encoded; `/` is
 * index.html), or null when there is none or the path leaves the root. Never throws
 * on the path: it comes from anyone.
 */
export const findStaticFile = async (rootDir: string, encodedPath: string): Promise<StaticFile | null> => {
  const root = resolve(rootDir)
  const pathname = decodePercent(encodedPath) || '/'
  if (pathname.includes('\0')) return null
  const file = resolve(join(root, normalize(pathname === '/' ? '/index.html' : pathname)))
  if (!file.startsWith(root + sep)) return null
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) return null
  return {
    path: file,
    size: info.size,
    headers: {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': String(info.size),
      'cache-control': extname(file) === '.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    },
  }
}

/** An HTTP handler for GET and HEAD; resolves false when it did not answer (the caller then does). */
export const createStaticHandler = (rootDir: string) =>
  async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    const found = await findStaticFile(rootDir, splitTarget(req.url).path)
    if (!found) return false
    res.writeHead(200, found.headers)
    if (req.method === 'HEAD') res.end()
    // A file that vanishes after stat must not take the process down with an unhandled 'error'.
    else createReadStream(found.path).on('error', () => res.destroy()).pipe(res)
    return true
  }
