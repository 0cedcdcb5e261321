import { afterEach, describe, expect, it, vi } from 'vitest'
import { EventEmitter } from 'node:events'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRelay } from '../sync-server/src/relay-server.ts'
import { messagesBeforeClose } from '../test/support/raw-websocket.ts'
import { stockClient, waitUntil } from '../test/support/yjs-client.ts'
import { CrashGuard, MAX_RELOADS_PER_MINUTE, type GoneDetails } from './crash-guard.ts'
import { LanHost } from './lan-host.ts'
import { makeMeetingCertificate, type MeetingCertificate } from './meeting-certificate.ts'
import { NO_CLOSE_FRAME } from '../crdt/contracts/wire-protocol.ts'

const hosts: LanHost[] = []
afterEach(async () => { for (const h of hosts.splice(0)) await h.stop() })

/** The meeting host as main runs it: the real relay, on this machine only, with a real data directory. */
/** The certificates the hosts made, so a client can trust the current one (as the app pins it). */
const certificates: MeetingCertificate[] = []
const trustLatest = () => ({ ca: certificates[certificates.length - 1]!.cert })
const realHost = () => {
  const makeCertificate = async (ips: string[]) => {
    const made = await makeMeetingCertificate(ips)
    certificates.push(made)
    return made
  }
  const host = new LanHost({ startRelay, dataDir: mkdtempSync(join(tmpdir(), 'plank-crash-')), announcer: { announce: () => ({ stop: async () => {} }) }, lanAddresses: () => [], bindHost: '127.0.0.1', makeCertificate })
  hosts.push(host)
  return host
}

const guardFor = (host: LanHost | null, tell = vi.fn(async () => {})) => {
  const hostingStopped = vi.fn()
  const log = vi.fn()
  const guard = new CrashGuard({
    log,
    tell,
    hostingStopped,
    stopHosting: async () => {
      if (!host?.current) return false
      await host.stop()
      return true
    },
  })
  return { guard, tell, hostingStopped, log }
}

describe('an error nothing caught in main', () => {
  it('stops hosting cleanly (the meeting’s edits are kept), tells the page and the member, and logs the stack', async () => {
    const host = realHost()
    const hosted = await host.start({ draftId: 'draft-1', title: 'Platform', member: 'Ana', private: false })
    const trusted = trustLatest()
    const client = stockClient(hosted.local, 'draft-1', { token: hosted.token }, trusted)
    await client.synced()
    client.type('Decided in the basement.')
    await new Promise((r) => setTimeout(r, 200))
    client.destroy()
    const { guard, tell, hostingStopped, log } = guardFor(host)
    const proc = new EventEmitter()
    guard.install(proc)
    proc.emit('uncaughtException', new Error('relay socket exploded\n    at a line the member need not see'))
    await vi.waitFor(() => expect(tell).toHaveBeenCalledTimes(1))
    expect(host.current).toBeNull()
    expect(hostingStopped).toHaveBeenCalledTimes(1)
    const [message, detail] = tell.mock.calls[0] as unknown as [string, string]
    expect(message).toBe('Something went wrong in Plank')
    expect(detail).toBe('relay socket exploded. Hosting on this network was stopped so that nobody syncs through it in an unknown state; you can host again. Your drafts are saved on this device and you can keep working.')
    expect(log.mock.calls[0]![0]).toContain('uncaught exception in the main process: Error: relay socket exploded')
    // The relay is closed: nobody reaches it any more.
    expect((await messagesBeforeClose(`${hosted.local}/draft-1?token=${hosted.token}`, trusted)).code).toBe(NO_CLOSE_FRAME)
    // Hosting again serves what the meeting wrote before the error: the relay flushed on its way out.
    const again = await host.start({ draftId: 'draft-1', title: 'Platform', member: 'Ana', private: false })
    const reader = stockClient(again.local, 'draft-1', { token: again.token }, trustLatest())
    await waitUntil(() => reader.text() === 'Decided in the basement.', 5000, 'the meeting’s edit to be kept')
    reader.destroy()
  })

  it('when not hosting, only tells; a rejection nobody handled is treated the same', async () => {
    const { guard, tell, hostingStopped } = guardFor(null)
    const proc = new EventEmitter()
    guard.install(proc)
    proc.emit('unhandledRejection', 'a plain string reason')
    await vi.waitFor(() => expect(tell).toHaveBeenCalledTimes(1))
    expect(hostingStopped).not.toHaveBeenCalled()
    expect(tell.mock.calls[0]).toEqual(['Something went wrong in Plank', 'a plain string reason. Your drafts are saved on this device and you can keep working.'])
  })

  it('an error repeating in a loop shows one message at a time, and logs every one', async () => {
    let dismiss: () => void = () => {}
    const tell = vi.fn(() => new Promise<void>((resolve) => { dismiss = resolve }))
    const { guard, log } = guardFor(null, tell)
    await Promise.race([Promise.all(Array.from({ length: 50 }, (_, i) => guard.failed('uncaught exception', new Error(`boom ${i}`)))), new Promise((r) => setTimeout(r, 50))])
    expect(tell).toHaveBeenCalledTimes(1)
    dismiss()
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith('49 more errors while the message was shown (logged above)'))
    expect(log.mock.calls.filter(([m]) => String(m).startsWith('uncaught exception'))).toHaveLength(50)
  })

  it('tells the member even when stopping the relay hangs', async () => {
    const tell = vi.fn(async () => {})
    const hostingStopped = vi.fn()
    const guard = new CrashGuard({ log: vi.fn(), tell, hostingStopped, stopHosting: () => new Promise<boolean>(() => {}), stopTimeoutMs: 20 })
    await guard.failed('uncaught exception', new Error('stuck'))
    expect(tell).toHaveBeenCalledTimes(1)
    expect(hostingStopped).toHaveBeenCalledTimes(1)
  })
})

describe('a window whose page died', () => {
  const watched = (now: () => number) => {
    let gone: (event: unknown, details: GoneDetails) => void = () => {}
    const contents = { on: (_name: 'render-process-gone', fn: typeof gone) => { gone = fn }, reload: vi.fn() }
    const tell = vi.fn(async () => {})
    const guard = new CrashGuard({ log: vi.fn(), tell, hostingStopped: vi.fn(), stopHosting: async () => false, now })
    guard.watchWindow(contents)
    return { die: (reason: string) => gone({}, { reason, exitCode: 9 }), contents, tell }
  }

  it('is reloaded and the member told, but not after a clean exit', async () => {
    const { die, contents, tell } = watched(() => 0)
    die('clean-exit')
    expect(contents.reload).not.toHaveBeenCalled()
    die('crashed')
    expect(contents.reload).toHaveBeenCalledTimes(1)
    await vi.waitFor(() => expect(tell).toHaveBeenCalledWith('The Plank window stopped and was reopened', expect.stringContaining('(crashed)')))
  })

  it('is not reloaded forever: after a few deaths a minute the member is asked to reopen Plank', async () => {
    let t = 0
    const { die, contents, tell } = watched(() => t)
    for (let i = 0; i < MAX_RELOADS_PER_MINUTE; i++) { die('oom'); t += 1000; await Promise.resolve() }
    tell.mockClear()
    die('oom')
    expect(contents.reload).toHaveBeenCalledTimes(MAX_RELOADS_PER_MINUTE)
    await vi.waitFor(() => expect(tell).toHaveBeenCalledWith('The Plank window keeps stopping', expect.any(String)))
    // A minute later it is reloaded again.
    t += 60_000
    die('oom')
    expect(contents.reload).toHaveBeenCalledTimes(MAX_RELOADS_PER_MINUTE + 1)
  })
})
