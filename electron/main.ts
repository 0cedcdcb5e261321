import { app, BrowserWindow, Menu, dialog, ipcMain, protocol, screen, shell } from 'electron'
import { join } from 'node:path'
import { APP_SCHEME, serveAppRequest } from './app-protocol.ts'
import { buildMenuTemplate, type MenuAction } from './menu.ts'
import { registerIpc } from './ipc.ts'
import { APP_ORIGIN, hardenContents, isAllowedExternal, secureWebPreferences } from './security.ts'
import { CHANNELS } from './channels.ts'
import { PDF_WINDOW_OPTIONS, htmlToPdf } from './pdf.ts'
import { Bonjour } from 'bonjour-service'
import { startRelay } from '../sync-server/src/relay-server.ts'
import { LanHost } from './lan-host.ts'
import { NearbyHosts, bonjourAnnouncer } from './lan-discovery.ts'
import { registerHostingIpc } from './hosting-ipc.ts'
import { fitToDisplays, loadWindowState, saveWindowState } from './window-state.ts'

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
  const stateFile = () => join(app.getPath('userData'), 'window-state.json')
  const openExternal = async (url: string) => {
    if (isAllowedExternal(url)) await shell.openExternal(url)
  }

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
    win.once('ready-to-show', () => win?.show())
    const remember = () => {
      if (!win) return
      saveWindowState(stateFile(), { ...win.getNormalBounds(), maximized: win.isMaximized() })
    }
    win.on('close', remember)
    win.on('closed', () => { win = null })
    void win.loadURL(`${APP_ORIGIN}/index.html`)
  }

  app.on('second-instance', () => {
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.focus()
  })

  app.on('web-contents-created', (_event, contents) => hardenContents(contents, (url) => void openExternal(url)))

  void app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(RENDERER_DIR, request.url))
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
    const lanHost = new LanHost({ startRelay, dataDir: join(app.getPath('userData'), 'hosted-drafts'), announcer: bonjourAnnouncer(bonjour), log })
    const nearby = new NearbyHosts(bonjour, () => win?.webContents.send(CHANNELS.nearbyChanged))
    registerHostingIpc({ ipcMain, lanHost, nearby: () => nearby.list(), log })
    let stopped = false
    app.on('will-quit', (event) => {
      if (stopped) return
      // Close the hosted relay cleanly (it flushes its store) and withdraw the announcement first.
      event.preventDefault()
      stopped = true
      nearby.stop()
      void lanHost.stop().finally(() => bonjour.destroy(() => app.quit()))
    })
    const send = (action: MenuAction) => win?.webContents.send(CHANNELS.menu, action)
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ isMac: process.platform === 'darwin', appName: app.name, send })))
    createWindow()
    app.on('activate', () => { if (BrowserWindow.getAllWindows().length === 0) createWindow() })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
