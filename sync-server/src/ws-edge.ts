import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { RelayCore } from './relay-core.ts'
import { CLOSE } from '../../crdt/contracts/wire-protocol.ts'
import { checkAccess } from './access.ts'
import { parseUpgradeTarget, roomNameProblem } from './room-names.ts'
import type { Logger } from './log.ts'

/**
 * The thin binding of the relay core to `ws`. The room is the URL path, as y-websocket
 * sends it (room-names.ts); the token is the `token` query parameter. The handshake
 * completes first so a refusal can carry a named 44xx close code, but a refused socket
 * is never attached to a room, so it receives no document byte.
 *
 * Everything here runs on bytes from anyone, before any token check, in the relay and
 * in the desktop app's meeting host: nothing on this path may throw. Parsing cannot;
 * `ws` answers a bad handshake with an HTTP error itself; and should anything else
 * throw, the one connection is dropped and logged, never the process.
 */
export const attachWebSockets = (server: Server, core: RelayCore, opts: { secret?: string; log: Logger }): WebSocketServer => {
  const wss = new WebSocketServer({ noServer: true, maxPayload: core.limits.maxMessageBytes, perMessageDeflate: false })
  const PING_MS = 30_000

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => opts.log('warn', 'upgrade-socket-error', { error: String(err) }))
    try {
      wss.handleUpgrade(req, socket, head, (ws) => {
        try {
          accept(ws, req)
        } catch (err) {
          unexpected(err, req)
          ws.on('error', () => {}) // accept may have thrown before adding its own listener
          ws.terminate()
        }
      })
    } catch (err) {
      unexpected(err, req)
      socket.destroy()
    }
  })

  /** A bug, not bad input (that is handled where it is parsed): say so loudly, keep serving everyone else. */
  const unexpected = (err: unknown, req: IncomingMessage) => {
    core.metrics.errors.socket++
    opts.log('error', 'upgrade-failed', { target: String(req.url).slice(0, 200), remote: req.socket.remoteAddress, error: String(err) })
  }

  const accept = (ws: WebSocket, req: IncomingMessage) => {
    const { room, token } = parseUpgradeTarget(req.url)
    const remote = req.socket.remoteAddress
    ws.on('error', (err: Error & { code?: string }) => {
      // Malformed frames (bad opcodes, RSV bits, lengths, oversize) land here; ws closes
      // the socket itself with 1002/1007/1009. Log it; everyone else carries on.
      core.metrics.errors.socket++
      const code = closeCodeForWsError(err.code)
      core.metrics.countClose(code)
      opts.log('warn', code === CLOSE.tooBig.code ? 'connection-closed' : 'socket-error', {
        room, remote, code, wsError: err.code, reason: code === CLOSE.tooBig.code ? CLOSE.tooBig.reason : err.message,
      })
    })
    const problem = roomNameProblem(room)
    if (problem) return refuse(ws, CLOSE.badRoom, room.slice(0, 200), remote, problem)
    const access = checkAccess(opts.secret, room, token)
    if (access === 'missing') return refuse(ws, CLOSE.tokenRequired, room, remote)
    if (access === 'rejected') return refuse(ws, CLOSE.tokenRejected, room, remote)

    ws.binaryType = 'nodebuffer'
    const handle = core.connect({
      send: (data) => ws.send(data),
      close: (code, reason) => ws.close(code, reason),
      // Backpressure: a paused socket is not read, so TCP slows the sender down.
      pause: () => ws.pause(),
      resume: () => ws.resume(),
    }, room)
    let alive = true
    const ping = setInterval(() => {
      if (!alive) return ws.terminate()
      alive = false
      ws.ping()
    }, PING_MS)
    ws.on('pong', () => { alive = true })
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return refuseOpen(ws, room, remote)
      handle.message(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    })
    ws.on('close', () => {
      clearInterval(ping)
      handle.closed()
    })
  }

  const refuse = (ws: WebSocket, reason: { code: number; reason: string }, room: string, remote: string | undefined, detail?: string) => {
    core.metrics.countClose(reason.code)
    opts.log('warn', 'connection-refused', { room, remote, code: reason.code, reason: reason.reason, ...(detail ? { detail } : {}) })
    ws.close(reason.code, reason.reason)
  }

  /** A text frame is not y-websocket: say so and close. */
  const refuseOpen = (ws: WebSocket, room: string, remote: string | undefined) => {
    core.metrics.countClose(CLOSE.badMessage.code)
    opts.log('warn', 'connection-closed', { room, remote, code: CLOSE.badMessage.code, reason: 'text frame' })
    ws.close(CLOSE.badMessage.code, CLOSE.badMessage.reason)
  }

  return wss
}

/** The close code ws sends for each receiver error (see ws/lib/receiver.js). */
const closeCodeForWsError = (code: string | undefined): number => {
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return CLOSE.tooBig.code
  if (code === 'WS_ERR_INVALID_UTF8') return 1007
  return 1002
}
