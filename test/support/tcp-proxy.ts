import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

/**
 * A TCP forwarder in front of a relay that a test can cut and restore: one member's
 * network going away (a train tunnel) while everyone else stays connected. Chromium's
 * offline emulation does not close open WebSockets, so it cannot stand in for this.
 */
export interface TcpProxy {
  url: string
  port: number
  /** Drop every open connection and refuse new ones. */
  cut(): Promise<void>
  /** Accept connections again on the same port (and pass everything on again). */
  restore(): Promise<void>
  close(): Promise<void>
  /** Every byte the relay sent through this line (relay to client frames are not masked). */
  downstream(): Buffer
  /** What went each way on each connection, in the order they were opened (a wire tap). */
  connections(): Array<{ up: Buffer; down: Buffer }>
  /** Pass new connections to another port from now on (someone else answering at this address). */
  retarget(port: number): void
  /** Stop passing on what the relay sends (connections stay open): a relay holding back. */
  stall(): void
  /** Bytes carried each way so far. */
  bytes(): { up: number; down: number }
}

export const startTcpProxy = async (firstTarget: number): Promise<TcpProxy> => {
  const sockets = new Set<Socket>()
  const down: Buffer[] = []
  const tapped: Array<{ up: Buffer[]; down: Buffer[] }> = []
  let targetPort = firstTarget
  let up = 0
  let stalled = false
  const serve = (port: number) => new Promise<Server>((resolve, reject) => {
    const server = createServer((client) => {
      const upstream = connect(targetPort, '127.0.0.1')
      const tap = { up: [] as Buffer[], down: [] as Buffer[] }
      tapped.push(tap)
      for (const s of [client, upstream]) {
        sockets.add(s)
        s.on('close', () => sockets.delete(s))
        s.on('error', () => { client.destroy(); upstream.destroy() })
      }
      client.on('data', (chunk: Buffer) => { up += chunk.length; tap.up.push(chunk); upstream.write(chunk) })
      upstream.on('data', (chunk: Buffer) => {
        down.push(chunk)
        tap.down.push(chunk)
        if (!stalled) client.write(chunk)
      })
      client.on('end', () => upstream.end())
      upstream.on('end', () => client.end())
    })
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(server))
  })
  let server: Server | null = await serve(0)
  const port = (server.address() as AddressInfo).port
  const stop = async () => {
    const s = server
    server = null
    for (const socket of sockets) socket.destroy()
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()))
  }
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    cut: stop,
    async restore() {
      stalled = false
      if (!server) server = await serve(port)
    },
    close: stop,
    downstream: () => Buffer.concat(down),
    connections: () => tapped.map((t) => ({ up: Buffer.concat(t.up), down: Buffer.concat(t.down) })),
    retarget: (port: number) => { targetPort = port },
    stall: () => { stalled = true },
    bytes: () => ({ up, down: down.reduce((n, b) => n + b.length, 0) }),
  }
}
