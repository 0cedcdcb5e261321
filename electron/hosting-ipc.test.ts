import { describe, expect, it, vi } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import { CHANNELS, type NearbyHost } from '../crdt/contracts/host-api.ts'
import { othersNearby, registerHostingIpc } from './hosting-ipc.ts'
import type { LanHost } from './lan-host.ts'
import { readAnnouncement } from './lan-discovery.ts'
import { UNTITLED } from '../crdt/title.ts'

const event = (url: string) => {
  const mainFrame = { url }
  return { senderFrame: mainFrame, sender: { mainFrame } } as unknown as IpcMainInvokeEvent
}
const ours = event('plank://app/index.html')
const foreign = event('https://evil.example/')

const setup = () => {
  const handlers = new Map<string, (e: IpcMainInvokeEvent, ...args: unknown[]) => unknown>()
  const hosted = { draftId: 'd1', title: 'T', member: 'Ana', port: 5000, token: 'tok', addresses: ['ws://10.0.0.2:5000'], local: 'ws://127.0.0.1:5000' }
  const lanHost = { start: vi.fn(async () => hosted), stop: vi.fn(async () => {}), current: hosted } as unknown as LanHost
  const nearby: NearbyHost[] = [
    { id: 'a', member: 'Ana', title: 'T', draftId: 'd1', private: true, port: 5000, addresses: ['ws://10.0.0.2:5000'] },
    { id: 'b', member: 'Ben', title: 'U', draftId: 'd2', private: false, port: 6000, addresses: ['ws://10.0.0.3:6000'] },
  ]
  registerHostingIpc({ ipcMain: { handle: (c: string, fn: never) => { handlers.set(c, fn) } } as never, lanHost, nearby: () => nearby, log: vi.fn() })
  return { call: (c: string, e: IpcMainInvokeEvent, ...a: unknown[]) => handlers.get(c)!(e, ...a), lanHost, hosted }
}

describe('hosting IPC', () => {
  it('hosts for our own page only, with a checked request', async () => {
    const { call, lanHost, hosted } = setup()
    expect(await call(CHANNELS.hostStart, ours, { draftId: 'd1', title: 'T', member: 'Ana', private: true })).toEqual({ ok: true, hosted })
    expect(await call(CHANNELS.hostStart, ours, { draftId: 'd1', title: 'T' })).toEqual({ ok: false, error: 'That is not a hosting request.' })
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
    expect((await call(CHANNELS.nearbyHosts, ours) as NearbyHost[]).map((h) => h.member)).toEqual(['Ben'])
    expect(await call(CHANNELS.nearbyHosts, foreign)).toEqual([])
    expect(othersNearby([], null)).toEqual([])
  })

  it('reads announcements defensively: anyone on the network can send one', () => {
    const good = { name: 'Ana · T · 5000', port: 5000, addresses: ['10.0.0.2', 'fe80::1'], txt: { v: '1', draft: 'd1', title: 'T', member: 'Ana', private: '0' } }
    expect(readAnnouncement(good as never)).toEqual({ id: 'Ana · T · 5000', member: 'Ana', title: 'T', draftId: 'd1', private: false, port: 5000, addresses: ['ws://10.0.0.2:5000'] })
    expect(readAnnouncement({ ...good, txt: { ...good.txt, v: '2' } } as never)).toBeNull()
    expect(readAnnouncement({ ...good, txt: { ...good.txt, draft: '../x' } } as never)).toBeNull()
    expect(readAnnouncement({ ...good, port: 70000 } as never)).toBeNull()
    expect(readAnnouncement({ ...good, addresses: ['fe80::1'] } as never)).toBeNull()
    expect(readAnnouncement({ ...good, txt: { v: '1', draft: 'd1', member: 'x'.repeat(500) } } as never)).toMatchObject({ member: 'x'.repeat(60), title: UNTITLED, private: true })
  })
})
