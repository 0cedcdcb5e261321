import { describe, expect, it, vi } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import { CHANNELS, type NearbyHost } from '../crdt/contracts/host-api.ts'
import { othersNearby, registerHostingIpc } from './hosting-ipc.ts'
import type { LanHost } from './lan-host.ts'
import { CertificatePins } from './certificate-pins.ts'

const event = (url: string) => {
  const mainFrame = { url }
  return { senderFrame: mainFrame, sender: { mainFrame } } as unknown as IpcMainInvokeEvent
}
const ours = event('plank://app/index.html')
const PIN = `sha256/${'q'.repeat(43)}=`
const foreign = event('https://evil.example/')

const setup = () => {
  const handlers = new Map<string, (e: IpcMainInvokeEvent, ...args: unknown[]) => unknown>()
  const hosted = { draftId: 'd1', title: 'T', member: 'Ana', port: 5000, token: 'tok', pin: PIN, session: 'a'.repeat(32), addresses: ['wss://10.0.0.2:5000'], local: 'wss://127.0.0.1:5000' }
  const lanHost = { start: vi.fn(async () => hosted), stop: vi.fn(async () => {}), current: hosted } as unknown as LanHost
  const nearby: NearbyHost[] = [
    { id: 'a', session: 'a'.repeat(32), private: true, port: 5000, addresses: ['wss://10.0.0.2:5000'] },
    { id: 'b', session: 'b'.repeat(32), member: 'Ben', title: 'U', draftId: 'd2', private: false, port: 6000, addresses: ['wss://10.0.0.3:6000'] },
  ]
  const pins = new CertificatePins()
  registerHostingIpc({ ipcMain: { handle: (c: string, fn: never) => { handlers.set(c, fn) } } as never, lanHost, nearby: () => nearby, pins, log: vi.fn() })
  return { call: (c: string, e: IpcMainInvokeEvent, ...a: unknown[]) => handlers.get(c)!(e, ...a), lanHost, hosted, pins }
}

describe('hosting IPC', () => {
  it('hosts for our own page only, with a checked request', async () => {
    const { call, lanHost, hosted } = setup()
    expect(await call(CHANNELS.hostStart, ours, { draftId: 'd1', title: 'T', member: 'Ana', private: true, recognitionKey: 'r'.repeat(43) })).toEqual({ ok: true, hosted })
    expect(lanHost.start).toHaveBeenCalledWith({ draftId: 'd1', title: 'T', member: 'Ana', private: true, recognitionKey: 'r'.repeat(43) })
    expect(await call(CHANNELS.hostStart, ours, { draftId: 'd1', title: 'T' })).toEqual({ ok: false, error: 'That is not a hosting request.' })
    expect(await call(CHANNELS.hostStart, ours, { draftId: 'd1', title: 'T', member: 'Ana', private: true, recognitionKey: 7 })).toEqual({ ok: false, error: 'That is not a hosting request.' })
    expect(await call(CHANNELS.hostStart, foreign, { draftId: 'd1', title: 'T', member: 'Ana', private: true })).toEqual({ ok: false, error: 'Refused.' })
    expect(lanHost.start).toHaveBeenCalledTimes(1)
    await call(CHANNELS.hostStop, foreign)
    expect(lanHost.stop).not.toHaveBeenCalled()
    await call(CHANNELS.hostStop, ours)
    expect(lanHost.stop).toHaveBeenCalledTimes(1)
    expect(await call(CHANNELS.hostState, foreign)).toBeNull()
  })

  it('lists the hosts near us, without our own', async () => {
    const { call } = setup()
    expect((await call(CHANNELS.nearbyHosts, ours) as NearbyHost[]).map((h) => h.id)).toEqual(['b'])
    expect(await call(CHANNELS.nearbyHosts, foreign)).toEqual([])
    expect(othersNearby([], null)).toEqual([])
  })

  it('pins a meeting host’s certificate for our own page only, and only a wss:// address with a pin', async () => {
    const { call, pins } = setup()
    expect(await call(CHANNELS.pinCertificate, foreign, 'wss://10.0.0.2:5000', PIN)).toBe(false)
    expect(pins.pinsHost('10.0.0.2')).toBe(false)
    expect(await call(CHANNELS.pinCertificate, ours, 'ws://10.0.0.2:5000', PIN)).toBe(false)
    expect(await call(CHANNELS.pinCertificate, ours, 'wss://10.0.0.2:5000', 'sha256/nope')).toBe(false)
    expect(await call(CHANNELS.pinCertificate, ours, 'wss://10.0.0.2:5000', PIN)).toBe(true)
    expect(pins.pinsHost('10.0.0.2')).toBe(true)
  })
})
