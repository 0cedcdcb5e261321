import { afterEach } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { launchDevice, type Device } from './chromium.ts'
import { startRelayProcess, type RelayProcess } from './relay-process.ts'
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts'

/**
 * The real parts a multi-member test starts — member devices (Chromium profiles),
 * relay processes, cuttable network lines, the stock relay — each stopped after
 * every test.
 */
export const freePort = () => new Promise<number>((resolve) => {
  const s = createServer()
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number }
    s.close(() => resolve(port))
  })
})

export type Fleet = ReturnType<typeof useFleet>

export const useFleet = () => {
  const devices: Device[] = []
  const relays: RelayProcess[] = []
  const lines: TcpProxy[] = []
  const children: ChildProcess[] = []
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((d) => d.dispose()))
    for (const r of relays.splice(0)) await r.kill('SIGKILL')
    for (const l of lines.splice(0)) await l.close()
    for (const c of children.splice(0)) c.kill('SIGKILL')
  })
  return {
    async device(opts: { args?: string[] } = {}): Promise<Device> {
      const d = await launchDevice(opts)
      devices.push(d)
      return d
    },
    /** Close every device now (a test that runs several sessions in turn). */
    async disposeDevices(): Promise<void> {
      await Promise.all(devices.splice(0).map((d) => d.dispose()))
    },
    async relay(args: string[] = [], port?: number): Promise<RelayProcess> {
      const r = await startRelayProcess(args, { port })
      relays.push(r)
      return r
    },
    /** A line to a relay port that the test can cut, restore or stall. */
    async line(port: number): Promise<TcpProxy> {
      const l = await startTcpProxy(port)
      lines.push(l)
      return l
    },
    /** The stock relay, @y/websocket-server 0.1.1, on a free port. */
    async stockRelay(): Promise<{ url: string; port: number }> {
      const port = await freePort()
      const server = spawn(process.execPath, [fileURLToPath(new URL('../../node_modules/@y/websocket-server/src/server.js', import.meta.url))], {
        env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) }, stdio: 'pipe',
      })
      children.push(server)
      await new Promise<void>((resolve) => server.stdout!.once('data', () => resolve()))
      return { url: `ws://127.0.0.1:${port}`, port }
    },
  }
}
