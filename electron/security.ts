import type { IpcMainEvent, IpcMainInvokeEvent, Session, WebContents } from 'electron'

/** The renderer's own origin; anything else is foreign to the app. */
export const APP_ORIGIN = 'plank://app'

/** One plain e-mail address: no display name, no comments, nothing a mail program would act on. */
const PLAIN_ADDRESS = /^[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/

/**
 * A mailto: link naming only recipients. Its headers (`?attach=`, `?body=`, `?cc=`…)
 * are refused: some mail programs attach a local file named by `attach=` to a new
 * message, so a link in a draft written by someone else could send a member's files.
 */
const isPlainMailto = (url: URL): boolean => {
  if (url.search !== '' || url.hash !== '' || url.pathname === '') return false
  let recipients: string
  try {
    recipients = decodeURIComponent(url.pathname)
  } catch {
    return false
  }
  return recipients.split(',').every((address) => PLAIN_ADDRESS.test(address.trim()))
}

/**
 * External links open in the member's browser only for http(s) and plain mailto.
 * Anything else (file:, javascript:, smb:, custom protocol handlers, our own plank://)
 * is refused: a link in a draft written by someone else must not be able to start a program.
 */
export const isAllowedExternal = (raw: string): boolean => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  if (url.protocol === 'mailto:') return isPlainMailto(url)
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

/**
 * What the page may use of the browser's permissions: writing to the clipboard (Copy
 * invite link), full screen (the convention view) and persistent storage (drafts are
 * not evicted), and only from our own page. Everything else (camera, microphone,
 * location, notifications, devices, opening other programs…) is denied without asking.
 */
export const GRANTED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write', 'fullscreen', 'persistent-storage']

const fromOurPage = (url: string | undefined): boolean => typeof url === 'string' && url.startsWith(`${APP_ORIGIN}/`)

/** Whether a permission may be granted: only named ones, only to our own page's main frame. */
export const mayGrant = (permission: string, details: { requestingUrl?: string; isMainFrame?: boolean }): boolean =>
  GRANTED_PERMISSIONS.includes(permission) && details.isMainFrame === true && fromOurPage(details.requestingUrl)

/** Deny by default: permission requests, permission checks and device access. */
export const lockPermissions = (
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>,
  log: (message: string) => void,
): void => {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = mayGrant(permission, details)
    if (!granted) log(`denied the permission "${permission}"`)
    callback(granted)
  })
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    mayGrant(permission, { requestingUrl: details.requestingUrl ?? `${requestingOrigin}/`, isMainFrame: details.isMainFrame }))
  session.setDevicePermissionHandler(() => false)
}
