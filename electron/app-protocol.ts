import { readFile } from 'node:fs/promises'
import { APP_SCHEME } from '../crdt/contracts/host-api.ts'
import { findStaticFile } from '../sync-server/src/static-files.ts'

/**
 * The renderer is served as plank://app/… rather than file://, so it has a real origin
 * (its own IndexedDB, a CSP that means something) and cannot read other local files.
 * The files, their types and the CSP are the relay's static server's own
 * (sync-server/src/static-files.ts); this is only its binding to Electron's protocol.
 */

/** Answer a plank://app/ request from the renderer build; nothing outside it, ever. */
export const serveAppRequest = async (rootDir: string, requestUrl: string): Promise<Response> => {
  const url = new URL(requestUrl)
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== 'app') return new Response('not found', { status: 404 })
  const found = await findStaticFile(rootDir, url.pathname)
  const body = found && await readFile(found.path).catch(() => null)
  if (!found || !body) return new Response('not found', { status: 404 })
  return new Response(body, { status: 200, headers: { ...found.headers, 'content-length': String(body.byteLength) } })
}
