import { readFile } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'

/**
 * The renderer is served as plank://app/… rather than file://, so it has a real origin
 * (its own IndexedDB, a CSP that means something) and cannot read other local files.
 */
export const APP_SCHEME = 'plank'

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  // Relays are ws:/wss: endpoints chosen per draft; nothing else may be fetched.
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

/** Answer a plank://app/ request from the renderer build; nothing outside it, ever. */
export const serveAppRequest = async (rootDir: string, requestUrl: string): Promise<Response> => {
  const url = new URL(requestUrl)
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== 'app') return new Response('not found', { status: 404 })
  const root = resolve(rootDir)
  const pathname = decodeURIComponent(url.pathname)
  const file = resolve(join(root, normalize(pathname === '/' || pathname === '' ? '/index.html' : pathname)))
  if (!file.startsWith(root + sep)) return new Response('forbidden', { status: 403 })
  try {
    const body = await readFile(file)
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      },
    })
  } catch {
    return new Response('not found', { status: 404 })
  }
}
