import { beforeEach, describe, expect, it, vi } from 'vitest'

/**
 * main.ts wired to a fake `electron`: the boundary is replaced, everything else is real.
 * Checks the security-relevant wiring a packaged app depends on.
 */
const fake = vi.hoisted(() => {
  const appHandlers: Record<string, (...a: unknown[]) => void> = {}
  const windows: Array<Record<string, unknown>> = []
  let ready: () => void = () => {}
  const state = {
    lock: true,
    appHandlers,
    windows,
    privileged: [] as unknown[],
    handled: [] as string[],
    menu: null as unknown,
    ipc: [] as string[],
    fireReady: () => ready(),
  }
  class BrowserWindow {
    static getAllWindows = () => windows
    static fromWebContents = () => null
    options: Record<string, unknown>
    loaded = ''
    events: Record<string, () => void> = {}
    focused = 0
    webContents = { on: vi.fn(), setWindowOpenHandler: vi.fn(), send: vi.fn() }
    constructor(options: Record<string, unknown>) {
      this.options = options
      windows.push(this as unknown as Record<string, unknown>)
    }
    loadURL(url: string) { this.loaded = url; return Promise.resolve() }
    once(name: string, fn: () => void) { this.events[name] = fn }
    on(name: string, fn: () => void) { this.events[name] = fn }
    maximize() {}
    isMinimized() { return false }
    restore() {}
    focus() { this.focused++ }
    show() {}
  }
  const electron = {
    app: {
      name: 'Plank',
      requestSingleInstanceLock: () => state.lock,
      quit: vi.fn(),
      on: (name: string, fn: (...a: unknown[]) => void) => { appHandlers[name] = fn },
      whenReady: () => new Promise<void>((resolve) => { ready = resolve }),
      getPath: () => '/nonexistent-plank-test',
    },
    BrowserWindow,
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => { state.menu = m } },
    dialog: { showSaveDialog: vi.fn() },
    ipcMain: { handle: (channel: string) => { state.ipc.push(channel) } },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => { state.privileged.push(...s) },
      handle: (scheme: string) => { state.handled.push(scheme) },
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    shell: { openExternal: vi.fn() },
  }
  return { state, electron }
})

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }))

describe('main process wiring', () => {
  beforeEach(() => { vi.resetModules() })

  it('opens one secure window on the app protocol, with the menu and IPC in place', async () => {
    await import('./main.ts')
    expect(fake.state.privileged).toEqual([expect.objectContaining({ scheme: 'plank', privileges: expect.objectContaining({ standard: true, secure: true }) })])
    fake.state.fireReady()
    await vi.waitFor(() => expect(fake.state.windows).toHaveLength(1))
    const win = fake.state.windows[0] as { options: { webPreferences: Record<string, unknown> }; loaded: string; webContents: { setWindowOpenHandler: unknown } }
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false })
    expect(String(win.options.webPreferences.preload)).toMatch(/preload\.cjs$/)
    expect(win.loaded).toBe('plank://app/index.html')
    expect(win.webContents.setWindowOpenHandler).toHaveBeenCalled()
    expect(fake.state.handled).toEqual(['plank'])
    expect(fake.state.ipc.sort()).toEqual([
      'plank:host-start', 'plank:host-state', 'plank:host-stop', 'plank:nearby-hosts', 'plank:open-external', 'plank:save-file', 'plank:save-pdf',
    ])
    expect(fake.state.menu).toBeTruthy()
    // A second launch focuses the existing window instead of opening another.
    fake.state.appHandlers['second-instance']!()
    expect((fake.state.windows[0] as { focused: number }).focused).toBe(1)
    // Quitting first stops hosting and network discovery, then quits for real.
    fake.electron.app.quit.mockClear()
    const quitting = { preventDefault: vi.fn() }
    fake.state.appHandlers['will-quit']!(quitting)
    expect(quitting.preventDefault).toHaveBeenCalled()
    await vi.waitFor(() => expect(fake.electron.app.quit).toHaveBeenCalled())
  })

  it('quits at once when another instance holds the lock', async () => {
    fake.state.lock = false
    fake.electron.app.quit.mockClear()
    await import('./main.ts')
    expect(fake.electron.app.quit).toHaveBeenCalled()
  })
})
