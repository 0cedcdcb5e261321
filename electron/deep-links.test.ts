import { describe, expect, it, vi } from 'vitest'
import { resolve } from 'node:path'
import type { IpcMainInvokeEvent } from 'electron'
import { CHANNELS } from '../crdt/contracts/host-api.ts'
import { DeepLinks, MAX_WAITING_LINKS, registerAsLinkHandler, registerDeepLinkIpc } from './deep-links.ts'

const payload = Buffer.from(JSON.stringify({ v: 1, d: 'draft-0123456789', r: [{ url: 'wss://relay.example.org' }], t: 'Platform' })).toString('base64url')
const LINK = `plank://join#join=${payload}`

const event = (url: string) => {
  const mainFrame = { url }
  return { senderFrame: mainFrame, sender: { mainFrame } } as unknown as IpcMainInvokeEvent
}

describe('the inbox of invite links', () => {
  it('keeps links until the page takes them, once, and tells it each time one arrives', () => {
    const notify = vi.fn()
    const links = new DeepLinks({ notify, log: vi.fn() })
    links.receive(LINK)
    links.receive('plank://join#join=nope')
    expect(notify).toHaveBeenCalledTimes(2)
    expect(links.take()).toEqual([{ link: LINK }, { refused: 'its invite cannot be read' }])
    expect(links.take()).toEqual([])
  })

  it('reads a launch’s arguments, and says whether they held a link', () => {
    const links = new DeepLinks({ notify: vi.fn(), log: vi.fn() })
    expect(links.receiveArgv(['/opt/Plank/plank'])).toBe(false)
    expect(links.receiveArgv(['/opt/Plank/plank', '--enable-features=x', LINK])).toBe(true)
    expect(links.take()).toEqual([{ link: LINK }])
  })

  it('never logs a link (it may hold a draft’s key), and keeps only a few when flooded', () => {
    const log = vi.fn()
    const links = new DeepLinks({ notify: vi.fn(), log })
    for (let i = 0; i < 1000; i++) links.receive(LINK)
    expect(links.take()).toHaveLength(MAX_WAITING_LINKS)
    expect(log.mock.calls.flat().join('\n')).not.toContain(payload)
  })

  it('gives waiting links to our own page only', () => {
    const handlers = new Map<string, (e: IpcMainInvokeEvent) => unknown>()
    const links = new DeepLinks({ notify: vi.fn(), log: vi.fn() })
    const log = vi.fn()
    registerDeepLinkIpc({ ipcMain: { handle: (c: string, fn: never) => { handlers.set(c, fn) } } as never, links, log })
    links.receive(LINK)
    expect(handlers.get(CHANNELS.takeInviteLinks)!(event('https://evil.example/'))).toEqual([])
    expect(log).toHaveBeenCalledWith(`refused ${CHANNELS.takeInviteLinks} from an untrusted sender`)
    expect(handlers.get(CHANNELS.takeInviteLinks)!(event('plank://app/index.html'))).toEqual([{ link: LINK }])
  })
})

describe('registering as the plank:// handler', () => {
  it('registers the installed app by itself, and a checkout as Electron with the app’s path', () => {
    const app = { setAsDefaultProtocolClient: vi.fn(() => true) }
    expect(registerAsLinkHandler(app, { execPath: '/opt/Plank/plank', argv: ['/opt/Plank/plank'] })).toBe(true)
    expect(app.setAsDefaultProtocolClient).toHaveBeenLastCalledWith('plank')
    registerAsLinkHandler(app, { defaultApp: true, execPath: '/usr/lib/electron/electron', argv: ['/usr/lib/electron/electron', '.'] })
    expect(app.setAsDefaultProtocolClient).toHaveBeenLastCalledWith('plank', '/usr/lib/electron/electron', [resolve('.')])
  })
})
