import { app, BrowserWindow, Menu, dialog, ipcMain, protocol, screen, session, shell } from 'electron'
import { autoUpdater } from 'electron-updater'
import { join } from 'node:path'
import { APP_SCHEME, CHANNELS, type MenuAction } from '../crdt/contracts/host-api.ts'
import { serveAppRequest } from './app-protocol.ts'
import { buildMenuTemplate } from './menu.ts'
import { registerIpc } from './ipc.ts'
import { APP_ORIGIN, hardenContents, isAllowedExternal, lockPermissions, secureWebPreferences } from './security.ts'
import { PDF_WINDOW_OPTIONS, htmlToPdf } from './pdf.ts'
import { Bonjour } from 'bonjour-service'
import { startRelay } from '../sync-server/src/relay-server.ts'
import { LanHost } from './lan-host.ts'
import { NearbyHosts, bonjourAnnouncer } from './lan-discovery.ts'
import { registerHostingIpc } from './hosting-ipc.ts'
import { CertificatePins, installCertificatePinning } from './certificate-pins.ts'
import { fitToDisplays, loadWindowState, saveWindowState } from './window-state.ts'
import { DeepLinks, registerAsLinkHandler, registerDeepLinkIpc } from './deep-links.ts'
import { Updates, type Question } from './updates.ts'
import { CrashGuard } from './crash-guard.ts'

/**
 * Plank's main process: wiring only. Each piece it wires is a small module with its own
 * unit tests; this file just connects them to Electron's lifecycle.
 */
const RENDERER_DIR = join(__dirname, '..', '..', 'renderer', 'dist')
const log = (message: string) => console.log(JSON.stringify({ time: new Date().toISOString(), source: 'main', message }))

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false } },
])

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let win: BrowserWindow | null = null
  let lanHost: LanHost | null = null
  const stateFile = () => join(app.getPath('userData'), 'window-state.json')
  const openExternal = async (url: string) => {
    if (isAllowedExternal(url)) await shell.openExternal(url)
  }
  const showMessage = async (options: Question & { type: 'info' | 'error' }): Promise<number> => {
    if (!app.isReady()) {
      dialog.showErrorBox(options.message, options.detail)
      return options.cancelId
    }
    const result = await (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options))
    return result.response
  }

  // Whatever nothing caught is logged and told, hosting stops cleanly, a dead page is reloaded.
  const crashGuard = new CrashGuard({
    log,
    stopHosting: async () => {
      if (!lanHost?.current) return false
      await lanHost.stop()
      return true
    },
    hostingStopped: () => win?.webContents.send(CHANNELS.hostingStopped),
    tell: async (message, detail) => { await showMessage({ type: 'error', message, detail, buttons: ['OK'], defaultId: 0, cancelId: 0 }) },
  })
  crashGuard.install(process)

  // plank://join links: read strictly, kept until the page takes them, never opened externally.
  const focusWindow = () => {
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.focus()
  }
  const deepLinks = new DeepLinks({
    log,
    notify: () => {
      // Before ready the link waits; the window made at ready takes it when its page starts.
      if (!app.isReady()) return
      if (!win) return createWindow()
      focusWindow()
      win.webContents.send(CHANNELS.inviteLinksWaiting)
    },
  })
  if (!registerAsLinkHandler(app, process)) log('could not register as the handler of plank:// links')
  // macOS delivers links as open-url, the first one possibly before ready.
  app.on('open-url', (event, url) => {
    event.preventDefault()
    deepLinks.receive(url)
  })
  // Windows and Linux: in the first launch's arguments, or in a second launch's (below).
  deepLinks.receiveArgv(process.argv)

  const createWindow = () => {
    const saved = fitToDisplays(loadWindowState(stateFile()), screen.getAllDisplays().map((d) => d.workArea))
    win = new BrowserWindow({
      ...saved,
      minWidth: 720,
      minHeight: 480,
      show: false,
      title: 'Plank',
      backgroundColor: '#f4f2ee',
      webPreferences: secureWebPreferences(join(__dirname, 'preload.cjs')),
    })
    if (saved.maximized) win.maximize()
    hardenContents(win.webContents, (url) => void openExternal(url))
    crashGuard.watchWindow(win.webContents)
    win.once('ready-to-show', () => win?.show())
    const remember = () => {
      if (!win) return
      saveWindowState(stateFile(), { ...win.getNormalBounds(), maximized: win.isMaximized() })
    }
    win.on('close', remember)
    win.on('closed', () => { win = null })
    void win.loadURL(`${APP_ORIGIN}/index.html`)
  }

  // A second launch (a link clicked while Plank runs, or the icon again): this window answers.
  app.on('second-instance', (_event, argv) => {
    if (!deepLinks.receiveArgv(argv)) focusWindow()
  })

  app.on('web-contents-created', (_event, contents) => hardenContents(contents, (url) => void openExternal(url)))

  void app.whenReady().then(() => {
    lockPermissions(session.defaultSession, log)
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(RENDERER_DIR, request.url))
    registerDeepLinkIpc({ ipcMain, links: deepLinks, log })
    registerIpc({
      ipcMain,
      openExternal,
      showSaveDialog: (w, defaultPath) => (w ? dialog.showSaveDialog(w, { defaultPath }) : dialog.showSaveDialog({ defaultPath })),
      windowOf: (event) => BrowserWindow.fromWebContents(event.sender),
      printToPdf: (html) => htmlToPdf(html, () => {
        const pdfWin = new BrowserWindow(PDF_WINDOW_OPTIONS)
        hardenContents(pdfWin.webContents, () => {})
        return pdfWin
      }),
      log,
    })
    // Meeting without internet: host a draft for the room, and list hosts near us.
    const bonjour = new Bonjour(undefined, (err: unknown) => log(`network discovery: ${String(err)}`))
    const host = new LanHost({ startRelay, dataDir: join(app.getPath('userData'), 'hosted-drafts'), announcer: bonjourAnnouncer(bonjour), log })
    lanHost = host
    const nearby = new NearbyHosts(bonjour, () => win?.webContents.send(CHANNELS.nearbyChanged))
    // Meeting hosts' self-signed certificates: accepted only where an invite pinned them.
    const pins = new CertificatePins()
    installCertificatePinning({ app, session: session.defaultSession, pins, log })
    registerHostingIpc({ ipcMain, lanHost: host, nearby: () => nearby.list(), pins, log })
    // Updates from the feed the package was built with; from a checkout there is none.
    const updates = new Updates({
      updater: app.isPackaged ? autoUpdater : null,
      settingsFile: join(app.getPath('userData'), 'settings.json'),
      currentVersion: app.getVersion(),
      ask: (question) => showMessage({ ...question, type: 'info' }),
      log,
    })
    let stopped = false
    app.on('will-quit', (event) => {
      if (stopped) return
      // Close the hosted relay cleanly (it flushes its store) and withdraw the announcement first.
      event.preventDefault()
      stopped = true
      updates.stop()
      nearby.stop()
      void host.stop().finally(() => bonjour.destroy(() => app.quit()))
    })
    const send = (action: MenuAction) => win?.webContents.send(CHANNELS.menu, action)
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({
      isMac: process.platform === 'darwin',
      appName: app.name,
      send,
      updates: { automatic: updates.automatic, setAutomatic: (on) => updates.setAutomatic(on), checkNow: () => void updates.checkNow() },
    })))
    createWindow()
    updates.start()
    app.on('activate', () => { if (BrowserWindow.getAllWindows().length === 0) createWindow() })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
