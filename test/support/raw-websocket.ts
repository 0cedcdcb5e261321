import { connect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { randomBytes } from 'node:crypto'
import WebSocket from 'ws'

/**
 * A hand-made WebSocket connection: handshake by hand, then any bytes at all, so tests
 * can send frames no real client would (bad RSV bits, wrong lengths, junk).
 */
export const rawWebSocket = (port: number, path: string): Promise<{ socket: Socket; received: () => Buffer; closed: Promise<void> }> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let buffer = Buffer.alloc(0)
    let upgraded = false
    const closed = new Promise<void>((res) => socket.once('close', () => res()))
    socket.on('error', () => {})
    socket.once('connect', () => {
      socket.write([
        `GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Upgrade: websocket', 'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13', '', '',
      ].join('\r\n'))
    })
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk])
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n')
        if (end < 0) return
        if (!buffer.subarray(0, end).toString().startsWith('HTTP/1.1 101')) return reject(new Error(buffer.toString()))
        upgraded = true
        buffer = buffer.subarray(end + 4)
        resolve({ socket, received: () => buffer, closed })
      }
    })
  })

/** A masked client frame. `rsv` sets the reserved bits (must be 0 without extensions). */
export const frame = (payload: Buffer, opts: { opcode?: number; rsv?: number; fin?: boolean; lengthOverride?: number } = {}): Buffer => {
  const { opcode = 2, rsv = 0, fin = true } = opts
  const len = opts.lengthOverride ?? payload.length
  const head: number[] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode]
  if (len < 126) head.push(0x80 | len)
  else if (len < 65536) head.push(0x80 | 126, len >> 8, len & 0xff)
  else {
    head.push(0x80 | 127, 0, 0, 0, 0)
    head.push((len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff)
  }
  const mask = randomBytes(4)
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))
  return Buffer.concat([Buffer.from(head), mask, masked])
}

/** The close code of the server's close frame among the (unmasked) frames in `data`. */
export const closeCodeOf = (data: Buffer): number | null => {
  let at = 0
  while (at + 2 <= data.length) {
    const opcode = data[at]! & 0x0f
    let len = data[at + 1]! & 0x7f
    let header = 2
    if (len === 126) { len = data.readUInt16BE(at + 2); header = 4 }
    else if (len === 127) { len = Number(data.readBigUInt64BE(at + 2)); header = 10 }
    if (opcode === 8) return len >= 2 ? data.readUInt16BE(at + header) : null
    at += header + len
  }
  return null
}

/** Connect with a real WebSocket client; resolves with the close code and how many messages arrived before it. */
export const messagesBeforeClose = (url: string, options: WebSocket.ClientOptions = {}) => new Promise<{ code: number; messages: number }>((resolve) => {
  const ws = new WebSocket(url, options)
  let messages = 0
  ws.on('message', () => { messages++ })
  ws.on('close', (code) => resolve({ code, messages }))
  ws.on('error', () => {})
})

/**
 * An upgrade request for any target at all, written byte for byte (a real client
 * would refuse to send `/100%`). Resolves with the HTTP status, the close code of the
 * relay's close frame if it sent one, and whether the connection was still open after
 * `waitMs`. With `tls`, inside a TLS connection (to a meeting host).
 */
export const rawUpgrade = (port: number, target: string, waitMs = 500, tls = false) => new Promise<{ status: number | null; closeCode: number | null; open: boolean }>((resolve) => {
  // Over TLS (a meeting host) the certificate is not checked: this is the attacker's side of the line.
  const socket = tls ? tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false }) : connect(port, '127.0.0.1')
  let received = Buffer.alloc(0)
  let open = true
  const finish = () => {
    clearTimeout(timer)
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received.toString('latin1'))?.[1] ?? NaN) || null
    const end = received.indexOf('\r\n\r\n')
    resolve({ status, closeCode: status === 101 && end >= 0 ? closeCodeOf(received.subarray(end + 4)) : null, open })
    socket.destroy()
  }
  const timer = setTimeout(finish, waitMs)
  socket.on('error', () => {})
  socket.on('data', (chunk) => { received = Buffer.concat([received, chunk]) })
  socket.on('close', () => { open = false; finish() })
  socket.once(tls ? 'secureConnect' : 'connect', () => socket.write(Buffer.from([
    `GET ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Upgrade: websocket', 'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13', '', '',
  ].join('\r\n'), 'latin1')))
})
