import type { IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron'

/** The renderer's own origin; anything else is foreign to the app. */
export const APP_ORIGIN = 'plank://app'

/**
 * External links open in the member's browser only for http(s) and mailto. Anything
 * else (file:, javascript:, smb:, custom protocol handlers) is refused: a link in a
 * draft written by someone else must not be able to start a program.
 */
export const isAllowedExternal = (raw: string): boolean => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  if (url.protocol === 'mailto:') return true
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && url.username === '' && url.password === ''
}

/** Whether an IPC message comes from our own page in our own window's main frame. */
export const isTrustedSender = (event: IpcMainEvent | IpcMainInvokeEvent): boolean => {
  const frame = event.senderFrame
  if (!frame || frame !== event.sender.mainFrame) return false
  try {
    return new URL(frame.url).origin === APP_ORIGIN || frame.url.startsWith(`${APP_ORIGIN}/`)
  } catch {
    return false
  }
}

/**
 * The page may never navigate away or open windows: a click on a link (or a script a
 * peer smuggled in, if one ever got past the schema) is turned into an allow-listed
 * external open, or nothing.
 */
export const hardenContents = (contents: WebContents, openExternal: (url: string) => void): void => {
  contents.on('will-navigate', (event, url) => {
    if (url.startsWith(`${APP_ORIGIN}/`)) return
    event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) openExternal(url)
    return { action: 'deny' }
  })
}

/** The webPreferences every Plank window uses (Electron's security checklist). */
export const secureWebPreferences = (preload: string) => ({
  preload,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: true,
})
