import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IpcMainInvokeEvent, MenuItemConstructorOptions } from 'electron'
import { VERIFY } from './certificate-pins.ts'

/**
 * main.ts wired to a fake `electron` (and a fake electron-updater): the boundary is
 * replaced, everything else is real. Checks the wiring a packaged app depends on: the
 * secure window, invite links arriving each way the systems deliver them, permissions,
 * updates, and what happens when main hits an error nothing caught.
 */
const fake = vi.hoisted(() => {
  type Handler = (...a: unknown[]) => unknown
  const state = {
    lock: true,
    ready: false,
    packaged: false,
    userData: '',
    appHandlers: {} as Record<string, Handler>,
    windows: [] as FakeWindow[],
    privileged: [] as unknown[],
    handled: [] as string[],
    menu: null as MenuItemConstructorOptions[] | null,
    ipc: new Map<string, Handler>(),
    permissionRequest: null as Handler | null,
    permissionCheck: null as Handler | null,
    devicePermission: null as Handler | null,
    verifyProc: null as Handler | null,
    fireReady: () => {},
  }
  interface FakeWindow {
    options: Record<string, unknown>
    loaded: string
    events: Record<string, () => void>
    focused: number
    webContents: { on: ReturnType<typeof vi.fn>; setWindowOpenHandler: ReturnType<typeof vi.fn>; send: ReturnType<typeof vi.fn>; reload: ReturnType<typeof vi.fn> }
  }
  class BrowserWindow {
    static getAllWindows = () => state.windows
    static fromWebContents = () => null
    options: Record<string, unknown>
    loaded = ''
    events: Record<string, () => void> = {}
    focused = 0
    webContents = { on: vi.fn(), setWindowOpenHandler: vi.fn(), send: vi.fn(), reload: vi.fn() }
    constructor(options: Record<string, unknown>) {
      this.options = options
      state.windows.push(this)
    }
    loadURL(url: string) { this.loaded = url; return Promise.resolve() }
    once(name: string, fn: () => void) { this.events[name] = fn }
    on(name: string, fn: () => void) { this.events[name] = fn }
    maximize() {}
    isMinimized() { return false }
    restore() {}
    focus() { this.focused++ }
    show() {}
    getNormalBounds() { return { x: 0, y: 0, width: 1280, height: 860 } }
    isMaximized() { return false }
  }
  const electron = {
    app: {
      name: 'Plank',
      get isPackaged() { return state.packaged },
      requestSingleInstanceLock: () => state.lock,
      quit: vi.fn(),
      on: (name: string, fn: Handler) => { state.appHandlers[name] = fn },
      whenReady: () => new Promise<void>((resolve) => { state.fireReady = () => { state.ready = true; resolve() } }),
      isReady: () => state.ready,
      getPath: () => state.userData,
      getVersion: () => '0.1.0',
      setAsDefaultProtocolClient: vi.fn(() => true),
    },
    BrowserWindow,
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: MenuItemConstructorOptions[]) => { state.menu = m } },
    dialog: { showSaveDialog: vi.fn(), showMessageBox: vi.fn(async () => ({ response: 0 })), showErrorBox: vi.fn() },
    ipcMain: { handle: (channel: string, fn: Handler) => { state.ipc.set(channel, fn) } },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => { state.privileged.push(...s) },
      handle: (scheme: string) => { state.handled.push(scheme) },
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Handler) => { state.permissionRequest = fn },
        setPermissionCheckHandler: (fn: Handler) => { state.permissionCheck = fn },
        setDevicePermissionHandler: (fn: Handler) => { state.devicePermission = fn },
        setCertificateVerifyProc: (fn: Handler) => { state.verifyProc = fn },
      },
    },
    shell: { openExternal: vi.fn() },
  }
  const updater = {
    autoDownload: true, autoInstallOnAppQuit: true, allowDowngrade: true, allowPrerelease: true, disableWebInstaller: false,
    checkForUpdates: vi.fn(async () => ({ isUpdateAvailable: false, updateInfo: { version: '0.1.0' } })),
    downloadUpdate: vi.fn(async () => []),
    quitAndInstall: vi.fn(),
    on: vi.fn(),
  }
  return { state, electron, updater }
})

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }))
vi.mock('electron-updater', () => ({ autoUpdater: fake.updater }))

const invitePayload = Buffer.from(JSON.stringify({ v: 1, d: 'draft-0123456789', r: [{ url: 'wss://relay.example.org' }], t: 'Platform' })).toString('base64url')
const LINK = `plank://join#join=${invitePayload}`
const ourPage = () => {
  const mainFrame = { url: 'plank://app/index.html' }
  return { senderFrame: mainFrame, sender: { mainFrame } } as unknown as IpcMainInvokeEvent
}

/** What the page's preload does at start and on each "links waiting": take them. */
const pageTakesLinks = () => fake.state.ipc.get('plank:take-invite-links')!(ourPage())
const sentToPage = (i = 0) => fake.state.windows[i]!.webContents.send.mock.calls.map((c) => c[0])

// main installs its crash guard on `process`; keep those listeners off the test runner's.
const processListeners: Record<string, (error: unknown) => void> = {}
const realOn = process.on.bind(process)
const realArgv = process.argv

const launch = async (argv: string[] = ['/opt/Plank/plank'], opts: { ready?: boolean } = {}) => {
  process.argv = argv
  await import('./main.ts')
  if (opts.ready === false) return
  fake.state.fireReady()
  await vi.waitFor(() => expect(fake.state.windows).toHaveLength(1))
}

/** Quit as a member would, so the hosting and discovery main started are closed. */
const quit = async () => {
  fake.electron.app.quit.mockClear()
  fake.state.appHandlers['will-quit']?.({ preventDefault: vi.fn() })
  await vi.waitFor(() => expect(fake.electron.app.quit).toHaveBeenCalled())
}

describe('main process wiring', () => {
  beforeEach(() => {
    vi.resetModules()
    Object.assign(fake.state, { lock: true, ready: false, packaged: false, userData: mkdtempSync(join(tmpdir(), 'plank-main-')), appHandlers: {}, windows: [], privileged: [], handled: [], menu: null, ipc: new Map(), permissionRequest: null })
    fake.electron.app.quit.mockClear()
    fake.electron.dialog.showMessageBox.mockClear()
    fake.electron.shell.openExternal.mockClear()
    fake.updater.checkForUpdates.mockClear()
    process.on = ((name: string, fn: (error: unknown) => void) => {
      if (name === 'uncaughtException' || name === 'unhandledRejection') processListeners[name] = fn
      else realOn(name, fn)
      return process
    }) as typeof process.on
  })
  afterEach(() => {
    process.on = realOn as typeof process.on
    process.argv = realArgv
    rmSync(fake.state.userData, { recursive: true, force: true })
  })

  it('opens one secure window on the app protocol, with the menu and IPC in place', async () => {
    await launch()
    expect(fake.state.privileged).toEqual([expect.objectContaining({ scheme: 'plank', privileges: expect.objectContaining({ standard: true, secure: true }) })])
    const win = fake.state.windows[0]!
    const prefs = win.options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false })
    expect(String(prefs.preload)).toMatch(/preload\.cjs$/)
    expect(win.loaded).toBe('plank://app/index.html')
    expect(win.webContents.setWindowOpenHandler).toHaveBeenCalled()
    expect(fake.state.handled).toEqual(['plank'])
    expect([...fake.state.ipc.keys()].sort()).toEqual([
      'plank:host-start', 'plank:host-state', 'plank:host-stop', 'plank:nearby-hosts', 'plank:open-external', 'plank:pin-certificate', 'plank:save-file', 'plank:save-pdf', 'plank:take-invite-links',
    ])
    expect(fake.state.menu).toBeTruthy()
    // The app is the system's handler for plank:// links.
    expect(fake.electron.app.setAsDefaultProtocolClient).toHaveBeenCalledWith('plank')
    // A second launch without a link focuses the existing window instead of opening another.
    fake.state.appHandlers['second-instance']!({}, ['/opt/Plank/plank'], '/')
    expect(win.focused).toBe(1)
    expect(fake.state.windows).toHaveLength(1)
    // Quitting first stops hosting and network discovery, then quits for real.
    await quit()
  })

  it('quits at once when another instance holds the lock', async () => {
    fake.state.lock = false
    fake.electron.app.quit.mockClear()
    await launch(['/opt/Plank/plank', LINK], { ready: false })
    expect(fake.electron.app.quit).toHaveBeenCalled()
  })

  it('a link in the first launch’s arguments reaches the join prompt when the page starts', async () => {
    await launch(['/opt/Plank/plank', '--no-sandbox', LINK])
    expect(pageTakesLinks()).toEqual([{ link: LINK }])
    expect(pageTakesLinks()).toEqual([])
    await quit()
  })

  it('a link opened while Plank runs (second-instance) brings the window forward and the page is told', async () => {
    await launch()
    const win = fake.state.windows[0]!
    expect(pageTakesLinks()).toEqual([])
    fake.state.appHandlers['second-instance']!({}, ['C:\\Plank\\Plank.exe', '--allow-file-access-from-files', LINK], 'C:\\')
    expect(win.focused).toBe(1)
    expect(sentToPage()).toEqual(['plank:invite-links-waiting'])
    expect(pageTakesLinks()).toEqual([{ link: LINK }])
    await quit()
  })

  it('macOS open-url: a link before ready waits for the window; one after the window closed opens a new one', async () => {
    await launch(['/Applications/Plank.app/Contents/MacOS/Plank'], { ready: false })
    const early = { preventDefault: vi.fn() }
    fake.state.appHandlers['open-url']!(early, LINK)
    expect(early.preventDefault).toHaveBeenCalled()
    expect(fake.state.windows).toHaveLength(0)
    fake.state.fireReady()
    await vi.waitFor(() => expect(fake.state.windows).toHaveLength(1))
    expect(pageTakesLinks()).toEqual([{ link: LINK }])
    // The member closed the window; Plank stays running on macOS. A link opens a window again.
    fake.state.windows[0]!.events.closed!()
    fake.state.appHandlers['open-url']!({ preventDefault: vi.fn() }, LINK)
    expect(fake.state.windows).toHaveLength(2)
    expect(pageTakesLinks()).toEqual([{ link: LINK }])
    await quit()
  })

  it('refuses malformed links: the page hears why, never the link, and nothing is opened elsewhere', async () => {
    await launch(['/opt/Plank/plank', 'plank://join#join=not-an-invite'])
    fake.state.appHandlers['second-instance']!({}, ['/opt/Plank/plank', 'plank://app/index.html'], '/')
    fake.state.appHandlers['open-url']!({ preventDefault: vi.fn() }, `plank://join?x=1#join=${invitePayload}`)
    const taken = pageTakesLinks() as Array<Record<string, string>>
    expect(taken.map((d) => Object.keys(d))).toEqual([['refused'], ['refused'], ['refused']])
    expect(fake.electron.shell.openExternal).not.toHaveBeenCalled()
    await quit()
  })

  it('denies permissions by default: only our page gets the clipboard, full screen and lasting storage', async () => {
    await launch()
    const request = (permission: string, requestingUrl: string, isMainFrame = true) => {
      let granted: boolean | undefined
      fake.state.permissionRequest!({}, permission, (ok: boolean) => { granted = ok }, { requestingUrl, isMainFrame })
      return granted
    }
    for (const p of ['media', 'geolocation', 'notifications', 'midiSysex', 'openExternal', 'display-capture', 'clipboard-read', 'unknown']) {
      expect(request(p, 'plank://app/index.html'), p).toBe(false)
    }
    expect(request('clipboard-sanitized-write', 'plank://app/index.html')).toBe(true)
    expect(request('clipboard-sanitized-write', 'https://evil.example/')).toBe(false)
    expect(request('fullscreen', 'plank://app/index.html', false)).toBe(false)
    expect(fake.state.permissionCheck!({}, 'geolocation', 'plank://app', { isMainFrame: true, requestingUrl: 'plank://app/index.html' })).toBe(false)
    expect(fake.state.permissionCheck!({}, 'persistent-storage', 'plank://app', { isMainFrame: true, requestingUrl: 'plank://app/index.html' })).toBe(true)
    expect(fake.state.devicePermission!({ deviceType: 'usb' })).toBe(false)
    await quit()
  })

  it('accepts a meeting host’s self-signed certificate only where the page pinned it, by its key', async () => {
    const { makeMeetingCertificate } = await import('./meeting-certificate.ts')
    const [hostCert, impostor] = [await makeMeetingCertificate(['10.0.0.2']), await makeMeetingCertificate(['10.0.0.2'])]
    await launch()
    const certificateError = (url: string, pem: string) => {
      const event = { preventDefault: vi.fn() }
      const callback = vi.fn()
      fake.state.appHandlers['certificate-error']!(event, {}, url, 'net::ERR_CERT_AUTHORITY_INVALID', { data: pem }, callback, false)
      return event.preventDefault.mock.calls.length === 1 && callback.mock.calls[0]?.[0] === true
    }
    // Nothing pinned yet: refused, as Electron refuses every untrusted certificate.
    expect(certificateError('wss://10.0.0.2:41234/d', hostCert.cert)).toBe(false)
    const foreignFrame = { url: 'https://evil.example/' }
    expect(fake.state.ipc.get('plank:pin-certificate')!({ senderFrame: foreignFrame, sender: { mainFrame: foreignFrame } }, 'wss://10.0.0.2:41234', impostor.pin)).toBe(false)
    expect(fake.state.ipc.get('plank:pin-certificate')!(ourPage(), 'wss://10.0.0.2:41234', hostCert.pin)).toBe(true)
    expect(certificateError('wss://10.0.0.2:41234/d', hostCert.cert)).toBe(true)
    expect(certificateError('wss://10.0.0.2:41234/d', impostor.cert)).toBe(false)
    expect(certificateError('wss://10.0.0.2:41235/d', hostCert.cert)).toBe(false)
    // The session's verify proc, which Chromium runs for the page's WebSockets too: the pinned key accepted, another refused.
    const verdict = (hostname: string, pem: string) => {
      let result: number | null = null
      fake.state.verifyProc!({ hostname, certificate: { data: pem } }, (r: number) => { result = r })
      return result
    }
    expect(verdict('10.0.0.2', hostCert.cert)).toBe(VERIFY.accept)
    expect(verdict('10.0.0.2', impostor.cert)).toBe(VERIFY.refuse)
    expect(verdict('10.0.0.3', hostCert.cert)).toBe(VERIFY.refuse)
    await quit()
  })

  it('an installed app checks its feed at start; a checkout never does; the member can turn it off from the menu', async () => {
    await launch()
    expect(fake.updater.checkForUpdates).not.toHaveBeenCalled()
    await quit()
    vi.resetModules()
    fake.state.windows = []
    fake.state.packaged = true
    await launch()
    await vi.waitFor(() => expect(fake.updater.checkForUpdates).toHaveBeenCalledTimes(1))
    const help = fake.state.menu!.find((m) => m.label === 'Help')!.submenu as MenuItemConstructorOptions[]
    const automatic = help.find((i) => i.label === 'Update Automatically')!
    expect(automatic).toMatchObject({ type: 'checkbox', checked: true })
    ;(automatic.click as (item: { checked: boolean }) => void)({ checked: false })
    expect(fake.updater.autoInstallOnAppQuit).toBe(false)
    await quit()
  })

  it('an error nothing caught is logged and shown, and the window stays', async () => {
    await launch()
    processListeners.uncaughtException!(new Error('relay exploded'))
    await vi.waitFor(() => expect(fake.electron.dialog.showMessageBox).toHaveBeenCalled())
    const [parent, box] = fake.electron.dialog.showMessageBox.mock.calls[0] as unknown as [unknown, { message: string; detail: string }]
    expect(parent).toBe(fake.state.windows[0])
    expect(box.message).toBe('Something went wrong in Plank')
    expect(box.detail).toContain('relay exploded')
    processListeners.unhandledRejection!(new Error('a promise nobody awaited'))
    await vi.waitFor(() => expect(fake.electron.dialog.showMessageBox).toHaveBeenCalledTimes(2))
    expect(fake.electron.app.quit).not.toHaveBeenCalled()
    expect(fake.state.windows).toHaveLength(1)
    await quit()
  })
})
