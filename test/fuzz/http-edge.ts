import * as prng from 'lib0/prng'
import { connect } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { get as httpsGet } from 'node:https'
import { closeCodeOf, frame } from '../support/raw-websocket.ts'
import { hostileMessage } from '../support/hostile-messages.ts'

/**
 * The HTTP-edge fuzzer: what reaches a relay before and around the WebSocket frames.
 * Seeded (the actions follow the seed; what the network does with them depends on
 * timing). Each attack is one raw TCP connection carrying one of:
 *
 * - a garbage request line (random bytes, wrong methods and versions, raw non-ASCII);
 * - an upgrade to a hostile path (`/100%`, lone `%FF`, encoded surrogates, `//`,
 *   absolute-form, NUL, 2 KB names, stray `%` in the token, …), with a valid or wrong
 *   token when the relay has a secret;
 * - a broken handshake (bad or missing Sec-WebSocket-Key or version, missing Upgrade
 *   or Connection, POST, HTTP/1.0, duplicate, oversized, folded or NUL-bearing headers);
 * - a slow request (written a few bytes at a time), or a half-open one (nothing sent,
 *   or part of a request and then a half-close);
 * - garbage right after the handshake (in the same packet, or after the 101), frames
 *   that are not masked, lengths up to 2^63;
 * - hostile y-websocket messages in well-formed frames, or malformed frames;
 * - plain HTTP: health, metrics, pipelined and odd requests.
 *
 * It counts what the relay answered. Whether the relay survived, still serves a
 * normal client and still answers /healthz is for the caller to check afterwards.
 */
export interface HttpEdgeOptions {
  port: number
  seed: number
  /** Stop after this many attacks, or at the deadline, whichever comes first. */
  attacks: number
  deadline?: number
  /** Attacks in flight at once (default 16). */
  concurrency?: number
  /** Rooms for the upgrades meant to be accepted (default: a few of the fuzzer's own). */
  rooms?: string[]
  /** With a relay secret: the valid token for a room (some attacks use it, some a wrong one). */
  tokenFor?: (room: string) => string
  /** Checked between batches; the run stops early if it turns false (the relay died). */
  alive?: () => boolean
  /** The relay serves TLS (a meeting host): every attack runs inside a TLS connection. */
  tls?: boolean
}

export interface HttpEdgeFigures {
  seed: number
  /** Connections opened (one per attack). */
  connections: number
  bytesSent: number
  byKind: Record<string, number>
  /** First HTTP status line the relay sent, per status ("none": it sent none). */
  httpStatus: Record<string, number>
  /** Close codes in the relay's close frames after a 101. */
  wsClose: Record<string, number>
  /** Attacks the relay turned away: an HTTP error status, or a close frame other than 1000/1001. */
  refused: number
  /** Upgrades the relay accepted and kept open until the fuzzer left. */
  acceptedOpen: number
  /** 0 while the relay is alive after every batch. */
  crashes: number
  rssBefore: number | null
  rssAfter: number | null
  ms: number
}

interface Step { write?: Buffer; wait?: number; end?: boolean }
interface Attack { kind: string; steps: Step[]; linger: number }

const CRLF = '\r\n'
const latin1 = (s: string) => Buffer.from(s, 'latin1')

const KNOWN_PATHS = [
  '/100%', '/%', '/%%', '/%%%41', '/%E0%A4%A', '/%FF', '/%ED%A0%80', '/%C0%AF', '/%F4%90%80%80', '//', '///', '/', '', '*',
  '/?', '/?token=%', '/room?token=%ZZ&token=x', '/room?token', '/room?&&&=&=', 'http://x/room', 'ws://[::1]/room', '//evil/room',
  '/..%2F..%2Fetc%2Fpasswd', '/%2e%2e/%2e%2e/', '/%00', '/room%00evil', '/#frag', '/room#?token=x', '/test-@y/websocket',
  '/my%20draft', '/Gr%C3%BC%C3%9Fe-%E2%82%AC', `/${'a'.repeat(600)}`, `/${'%F0%9F%98%80'.repeat(200)}`, '/\u00e9\u00ff', '/a b', '/\ttab',
]

const randomPath = (gen: prng.PRNG): string => {
  if (prng.bool(gen)) return prng.oneOf(gen, KNOWN_PATHS)
  const pieces = ['/', '%', '%%', '?', '&', '=', 'token=', '#', '.', '..', '@', '~', '+', ';', '\u00e9', '\u00ff', 'room', 'draft']
  let path = '/'
  for (let i = prng.int32(gen, 0, 20); i > 0; i--) {
    const r = prng.int32(gen, 0, 3)
    path += r === 0 ? `%${prng.int32(gen, 0, 255).toString(16).padStart(2, '0').toUpperCase()}`
      : r === 1 ? String.fromCharCode(prng.int32(gen, 0x21, 0xff))
        : prng.oneOf(gen, pieces)
  }
  return path.replace(/[ \r\n]/g, '')
}

const wsKey = (gen: prng.PRNG) => Buffer.from(prng.uint8Array(gen, 16)).toString('base64')

const request = (target: string, headers: Array<[string, string]>, method = 'GET', version = 'HTTP/1.1') =>
  latin1(`${method} ${target} ${version}${CRLF}${headers.map(([k, v]) => `${k}: ${v}${CRLF}`).join('')}${CRLF}`)

const upgradeHeaders = (gen: prng.PRNG): Array<[string, string]> => [
  ['Host', '127.0.0.1'], ['Upgrade', 'websocket'], ['Connection', 'Upgrade'],
  ['Sec-WebSocket-Key', wsKey(gen)], ['Sec-WebSocket-Version', '13'],
]

/** A target for an upgrade that would be accepted: a plain room, with its token when the relay wants one. */
const goodTarget = (gen: prng.PRNG, opts: HttpEdgeOptions) => {
  const room = opts.rooms ? prng.oneOf(gen, opts.rooms) : `fuzz-room-${prng.int32(gen, 0, 5)}`
  return opts.tokenFor ? `/${room}?token=${opts.tokenFor(room)}` : `/${room}`
}

const brokenHandshake = (gen: prng.PRNG, opts: HttpEdgeOptions): Buffer => {
  const headers = upgradeHeaders(gen)
  const set = (name: string, value: string | null) => {
    const i = headers.findIndex(([k]) => k === name)
    if (value === null) headers.splice(i, 1)
    else headers[i] = [name, value]
  }
  let method = 'GET'
  let version = 'HTTP/1.1'
  switch (prng.int32(gen, 0, 15)) {
    case 0: set('Sec-WebSocket-Key', null); break
    case 1: set('Sec-WebSocket-Key', prng.oneOf(gen, ['abc', '', '!!!!!!!!!!!!!!!!!!!!!!==', 'A'.repeat(200), '\u00ff\u00fe'])); break
    case 2: set('Sec-WebSocket-Version', prng.oneOf(gen, ['8', '', 'x', '13, 8', '99999999999999999999', '-1'])); break
    case 3: set('Sec-WebSocket-Version', null); break
    case 4: set('Upgrade', prng.oneOf(gen, ['h2c', '', 'websocket, h2c', 'WebSocket\u0000'])); break
    case 5: set('Connection', prng.oneOf(gen, ['keep-alive', 'close', ''])); break
    case 6: method = prng.oneOf(gen, ['POST', 'PUT', 'CONNECT', 'get', 'G\u00c9T', 'X'.repeat(300)]); break
    case 7: version = prng.oneOf(gen, ['HTTP/1.0', 'HTTP/9.9', 'HTTP/1', 'http/1.1', 'HTTP/1.1 extra']); break
    case 8: headers.push(['Sec-WebSocket-Key', wsKey(gen)]); break
    case 9: headers.push(['X-Big', 'x'.repeat(prng.int32(gen, 8_000, 40_000))]); break
    case 10: headers.push(['Bad Header', 'x'], ['\u00ff', 'y']); break
    case 11: headers.push(['X-Folded', 'a'], [' continued', 'b']); break
    case 12: headers.push(['X-Nul', 'a\u0000b']); break
    case 13: set('Host', null); break
    case 14: headers.push(['Sec-WebSocket-Protocol', prng.oneOf(gen, ['a,,b', ' ', 'a b', 'x'.repeat(5000)])], ['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits=99']); break
    default: headers.push(['Content-Length', '5'], ['Transfer-Encoding', 'chunked']); break
  }
  for (let i = prng.int32(gen, 0, headers.length); i > 0 && prng.int32(gen, 0, 3) === 0; i--) {
    // Now and then, shuffle so a header that usually comes first comes last.
    const a = prng.int32(gen, 0, headers.length - 1)
    const b = prng.int32(gen, 0, headers.length - 1)
    ;[headers[a], headers[b]] = [headers[b]!, headers[a]!]
  }
  return request(goodTarget(gen, opts), headers, method, version)
}

/** A frame as a client must send it (masked), with a payload chosen for the case. */
const hostileFrame = (gen: prng.PRNG): Buffer => {
  switch (prng.int32(gen, 0, 5)) {
    case 0: return frame(Buffer.from(hostileMessage(gen)))
    case 1: return frame(Buffer.from(prng.uint8Array(gen, 8)), { rsv: prng.int32(gen, 1, 7), opcode: prng.oneOf(gen, [2, 3, 7, 11]) })
    case 2: return frame(Buffer.from(prng.word(gen, 1, 40)), { opcode: 1 }) // a text frame
    case 3: return prng.bool(gen)
      ? frame(Buffer.alloc(10), { lengthOverride: 2 ** 31 }).subarray(0, 14) // a length far beyond what follows
      : Buffer.from([0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]) // a length of 2^63 - 1
    case 4: { // an unmasked frame: clients must mask
      const payload = Buffer.from(hostileMessage(gen)).subarray(0, 125)
      return Buffer.concat([Buffer.from([0x82, payload.length]), payload])
    }
    default: return frame(Buffer.from(prng.uint8Array(gen, 4)), { fin: false }) // a fragment never finished
  }
}

const nextAttack = (gen: prng.PRNG, opts: HttpEdgeOptions): Attack => {
  const kind = prng.oneOf(gen, ['request-line', 'path', 'handshake', 'slow', 'half-open', 'after-handshake', 'frames', 'http'] as const)
  switch (kind) {
    case 'request-line': {
      const line = prng.oneOf(gen, [
        () => Buffer.concat([Buffer.from(prng.uint8Array(gen, prng.int32(gen, 1, 300))), latin1(CRLF + CRLF)]),
        () => latin1(`GET${CRLF}${CRLF}`),
        () => latin1(`GET /${CRLF}${CRLF}`),
        () => latin1(`${'A'.repeat(prng.int32(gen, 100, 20_000))} / HTTP/1.1${CRLF}${CRLF}`),
        () => latin1(`GET / HTTP/1.1${CRLF}Host: x${CRLF}`), // never finished
        () => latin1(`\u00e9\u00ff /\u00e9 HTTP/1.1${CRLF}${CRLF}`),
        () => latin1(`${CRLF}${CRLF}${CRLF}`),
      ])()
      return { kind, steps: [{ write: line }], linger: 200 }
    }
    case 'path': {
      const path = randomPath(gen)
      const withToken = opts.tokenFor && prng.bool(gen)
        ? `${path}${path.includes('?') ? '&' : '?'}token=${prng.bool(gen) ? opts.tokenFor(path.slice(1)) : 'wrong%'}`
        : path
      return { kind, steps: [{ write: request(withToken, upgradeHeaders(gen)) }], linger: 200 }
    }
    case 'handshake':
      return { kind, steps: [{ write: brokenHandshake(gen, opts) }], linger: 200 }
    case 'slow': {
      const whole = request(goodTarget(gen, opts), upgradeHeaders(gen))
      const steps: Step[] = []
      const stopAt = prng.bool(gen) ? whole.length : prng.int32(gen, 1, whole.length - 1)
      for (let at = 0; at < stopAt;) {
        const n = Math.min(stopAt - at, prng.int32(gen, 1, 40))
        steps.push({ write: whole.subarray(at, at + n) }, { wait: prng.int32(gen, 5, 60) })
        at += n
      }
      return { kind, steps, linger: 200 }
    }
    case 'half-open': {
      const whole = request(goodTarget(gen, opts), upgradeHeaders(gen))
      const steps = prng.oneOf<Step[]>(gen, [
        [], // connect and say nothing
        [{ write: whole.subarray(0, prng.int32(gen, 1, whole.length - 1)) }, { end: true }], // part of a request, then a half-close
        [{ write: whole }, { end: true }], // a whole upgrade, then a half-close at once
        [{ write: whole.subarray(0, prng.int32(gen, 1, whole.length - 1)) }], // part of a request, then silence
      ])
      return { kind, steps, linger: prng.int32(gen, 100, 800) }
    }
    case 'after-handshake': {
      const hello = request(goodTarget(gen, opts), upgradeHeaders(gen))
      const garbage = Buffer.from(prng.uint8Array(gen, prng.int32(gen, 1, 2000)))
      return prng.bool(gen)
        ? { kind, steps: [{ write: Buffer.concat([hello, garbage]) }], linger: 200 } // in the same packet as the handshake
        : { kind, steps: [{ write: hello }, { wait: 50 }, { write: garbage }], linger: 200 }
    }
    case 'frames': {
      const steps: Step[] = [{ write: request(goodTarget(gen, opts), upgradeHeaders(gen)) }, { wait: 30 }]
      for (let i = prng.int32(gen, 1, 6); i > 0; i--) steps.push({ write: hostileFrame(gen) })
      return { kind, steps, linger: 200 }
    }
    case 'http': {
      const target = prng.oneOf(gen, ['/healthz', '/metrics', '/healthz?gc=%', '/metrics?x=%FF', randomPath(gen), '/index.html', '/../../etc/passwd'])
      const method = prng.oneOf(gen, ['GET', 'HEAD', 'OPTIONS', 'POST', 'DELETE'])
      const one = request(target, [['Host', 'x']], method)
      return { kind, steps: [{ write: prng.bool(gen) ? one : Buffer.concat([one, one, one]) }], linger: 150 }
    }
  }
}

interface Outcome { status: string; wsClose: number | null; open: boolean; bytes: number }

const run = (port: number, attack: Attack, tls: boolean): Promise<Outcome> => new Promise((resolve) => {
  const socket = tls ? tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false }) : connect(port, '127.0.0.1')
  let received = Buffer.alloc(0)
  let bytes = 0
  let closed = false
  let done = false
  socket.on('error', () => {})
  socket.on('data', (chunk) => { received = Buffer.concat([received, chunk]).subarray(0, 1 << 20) })
  const finish = () => {
    if (done) return
    done = true
    const head = received.subarray(0, 40).toString('latin1')
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 'none'
    const end = received.indexOf('\r\n\r\n')
    const wsClose = status === '101' && end >= 0 ? closeCodeOf(received.subarray(end + 4)) : null
    const open = !closed
    socket.destroy()
    resolve({ status, wsClose, open, bytes })
  }
  socket.on('close', () => { closed = true; finish() })
  socket.once(tls ? 'secureConnect' : 'connect', async () => {
    for (const step of attack.steps) {
      if (closed) break
      if (step.write) { socket.write(step.write); bytes += step.write.length }
      if (step.wait) await new Promise((r) => setTimeout(r, step.wait))
      if (step.end) socket.end()
    }
    setTimeout(finish, attack.linger)
  })
})

/** /metrics over TLS, from a host whose certificate is its own (this is a test's look at it). */
const fetchTls = (url: string) => new Promise<string>((resolve, reject) => {
  httpsGet(url, { rejectUnauthorized: false }, (res) => {
    let body = ''
    res.on('data', (chunk: Buffer) => { body += String(chunk) })
    res.on('end', () => resolve(body))
  }).on('error', reject)
})

const rss = async (port: number, tls = false): Promise<number | null> => {
  try {
    const text = tls ? await fetchTls(`https://127.0.0.1:${port}/metrics`) : await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
    return Number(/process_resident_memory_bytes (\d+)/.exec(text)?.[1] ?? NaN) || null
  } catch (err) {
    console.warn(`could not read /metrics: ${String(err)}`)
    return null
  }
}

export const runHttpEdgeFuzz = async (opts: HttpEdgeOptions): Promise<HttpEdgeFigures> => {
  const gen = prng.create(opts.seed)
  const t0 = performance.now()
  const figures: HttpEdgeFigures = {
    seed: opts.seed, connections: 0, bytesSent: 0, byKind: {}, httpStatus: {}, wsClose: {},
    refused: 0, acceptedOpen: 0, crashes: 0, rssBefore: await rss(opts.port, opts.tls), rssAfter: null, ms: 0,
  }
  const count = (table: Record<string, number>, key: string) => { table[key] = (table[key] ?? 0) + 1 }
  const record = (attack: Attack, o: Outcome) => {
    figures.connections++
    figures.bytesSent += o.bytes
    count(figures.byKind, attack.kind)
    count(figures.httpStatus, o.status)
    if (o.wsClose !== null) count(figures.wsClose, String(o.wsClose))
    const httpError = o.status !== 'none' && Number(o.status) >= 400
    const closedWithError = o.wsClose !== null && o.wsClose !== 1000 && o.wsClose !== 1001
    if (httpError || closedWithError) figures.refused++
    else if (o.status === '101' && o.open) figures.acceptedOpen++
  }
  // A pool: `concurrency` attacks in flight at all times, each replaced as it ends.
  let started = 0
  const worker = async () => {
    while (started < opts.attacks && figures.crashes === 0 && (opts.deadline === undefined || Date.now() < opts.deadline)) {
      started++
      const attack = nextAttack(gen, opts)
      record(attack, await run(opts.port, attack, opts.tls ?? false))
      if (opts.alive && !opts.alive()) figures.crashes = 1
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency ?? 16 }, worker))
  figures.rssAfter = await rss(opts.port, opts.tls)
  figures.ms = Math.round(performance.now() - t0)
  return figures
}

/** One line for a log or a report. */
export const describeFigures = (f: HttpEdgeFigures): string => {
  const mb = (n: number | null) => (n === null ? '?' : `${(n / 1e6).toFixed(1)} MB`)
  return `seed ${f.seed}: ${f.connections} connections (${f.bytesSent} bytes) in ${(f.ms / 1000).toFixed(1)} s; `
    + `refused ${f.refused}, accepted and held ${f.acceptedOpen}; crashes ${f.crashes}; RSS ${mb(f.rssBefore)} → ${mb(f.rssAfter)}; `
    + `HTTP ${JSON.stringify(f.httpStatus)}; closes ${JSON.stringify(f.wsClose)}; kinds ${JSON.stringify(f.byKind)}`
}
