import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

/** ws's connection options for every socket (e.g. `ca`: trust exactly a meeting host's certificate). */
const withOptions = (options: WebSocket.ClientOptions) => class extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, options)
  }
}

/** A stock y-websocket client in Node (ws as the WebSocket implementation). */
export const stockClient = (url: string, room: string, params: Record<string, string> = {}, socket: WebSocket.ClientOptions = {}) => {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(url, room, doc, { WebSocketPolyfill: withOptions(socket) as never, params, disableBc: true })
  return {
    doc,
    provider,
    text: () => doc.getText('t').toString(),
    type: (s: string) => doc.getText('t').insert(doc.getText('t').length, s),
    synced: () => new Promise<void>((resolve) => {
      if (provider.synced) return resolve()
      provider.once('sync', (s: boolean) => { if (s) resolve() })
    }),
    destroy: () => { provider.destroy(); doc.destroy() },
  }
}

export const waitUntil = async (check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<number> => {
  const start = performance.now()
  while (!(await check())) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return performance.now() - start
}

/**
 * Two stock clients in `room` sync, and what one types reaches the other: the proof a
 * relay still serves ordinary clients (after an attack, in an awkward room name).
 */
export const twoClientsSync = async (url: string, room: string, opts: { params?: Record<string, string>; text?: string; what?: string } = {}): Promise<void> => {
  const text = opts.text ?? 'still serving'
  const [a, b] = [stockClient(url, room, opts.params), stockClient(url, room, opts.params)]
  try {
    await Promise.all([a.synced(), b.synced()])
    a.type(text)
    await waitUntil(() => b.text() === text, 5000, opts.what ?? `two clients to sync in ${JSON.stringify(room)}`)
  } finally {
    a.destroy()
    b.destroy()
  }
}
