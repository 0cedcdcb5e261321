import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll } from 'vitest'

/** The built relay CLI (npm run build) as a real process on a free loopback port. */
const CLI = fileURLToPath(new URL('../../sync-server/dist/plank-relay.js', import.meta.url))

export interface RelayProcess {
  proc: ChildProcess
  /** ws://127.0.0.1:port */
  url: string
  http: string
  port: number
  logs: Array<Record<string, unknown>>
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>
  health(opts?: { gc?: boolean }): Promise<Record<string, unknown>>
  kill(signal?: NodeJS.Signals): Promise<number | null>
}

export const startRelayProcess = async (args: string[] = [], opts: { port?: number; nodeArgs?: string[] } = {}): Promise<RelayProcess> => {
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), CLI, '--host', '127.0.0.1', '--port', String(opts.port ?? 0), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: Array<Record<string, unknown>> = []
  const waiters: Array<{ match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }> = []
  const stderr: string[] = []
  proc.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()))
  createInterface({ input: proc.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>
    try {
      line = JSON.parse(text) as Record<string, unknown>
    } catch {
      return
    }
    logs.push(line)
    for (const w of [...waiters]) if (w.match(line)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(line) }
  })
  const waitForLog = (match: (l: Record<string, unknown>) => boolean, timeoutMs = 10_000) => {
    const found = logs.find(match)
    if (found) return Promise.resolve(found)
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching relay log line in ${timeoutMs} ms; stderr: ${stderr.join('')}`)), timeoutMs)
      waiters.push({ match, resolve: (l) => { clearTimeout(timer); resolve(l) } })
    })
  }
  const listening = await waitForLog((l) => l.event === 'listening')
  const url = String(listening.url)
  const port = Number(new URL(url).port)
  const http = `http://127.0.0.1:${port}`
  return {
    proc, url, http, port, logs, waitForLog,
    health: async ({ gc = false } = {}) => (await (await fetch(`${http}/healthz${gc ? '?gc=1' : ''}`)).json()) as Record<string, unknown>,
    kill: (signal = 'SIGTERM') => new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode)
      proc.once('exit', (code) => resolve(code))
      proc.kill(signal)
    }),
  }
}

/** For a test file: one relay process for all its tests, killed afterwards. */
export const useRelay = (args: string[] = []): { readonly url: string; readonly process: RelayProcess } => {
  let relay: RelayProcess
  beforeAll(async () => { relay = await startRelayProcess(args) })
  afterAll(async () => { await relay.kill('SIGKILL') })
  return { get url() { return relay.url }, get process() { return relay } }
}
