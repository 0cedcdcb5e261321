import { resolve } from 'node:path'
import type { App, IpcMain } from 'electron'
import { APP_SCHEME, CHANNELS, type InviteDelivery } from '../crdt/contracts/host-api.ts'
import { linksInArgv, readInviteLink } from './invite-link.ts'
import { isTrustedSender } from './security.ts'

/**
 * Invite links opening the app. They arrive three ways: in the first launch's arguments,
 * in a second launch's arguments (`second-instance`, Windows and Linux), and as
 * `open-url` (macOS, possibly before the app is ready). Each is read strictly
 * (invite-link.ts) and kept in an inbox until the page takes it: main tells the page
 * that links are waiting, and the page takes them with a named preload action. Nothing
 * is lost when a link arrives before the window has loaded, and nothing is delivered twice.
 */

/** A hostile program could open thousands of links; the page is asked about a few at most. */
export const MAX_WAITING_LINKS = 4

export interface DeepLinksDeps {
  /** Bring the window forward (creating it if there is none) and tell the page links wait. */
  notify: () => void
  log: (message: string) => void
}

export class DeepLinks {
  private waiting: InviteDelivery[] = []

  constructor(private readonly deps: DeepLinksDeps) {}

  /** A link from the OS (`open-url`, or one argument). */
  receive(raw: string): void {
    const reading = readInviteLink(raw)
    if (reading.ok) {
      this.deps.log('an invite link opened the app')
      this.push({ link: reading.link })
    } else {
      // The link itself is not logged: it may hold a draft's key.
      this.deps.log(`refused a plank:// link: ${reading.reason}`)
      this.push({ refused: reading.reason })
    }
  }

  /** A launch's arguments (the first, or a second instance's). Nothing happens without a link. */
  receiveArgv(argv: readonly string[]): boolean {
    const links = linksInArgv(argv)
    for (const link of links) this.receive(link)
    return links.length > 0
  }

  /** What waits for the page, taken once. */
  take(): InviteDelivery[] {
    const taken = this.waiting
    this.waiting = []
    return taken
  }

  private push(delivery: InviteDelivery): void {
    if (this.waiting.length >= MAX_WAITING_LINKS) {
      this.deps.log('dropped a plank:// link: too many are waiting')
      return
    }
    this.waiting.push(delivery)
    this.deps.notify()
  }
}

/** The page takes waiting links through this one handler, from our own page only. */
export const registerDeepLinkIpc = (deps: { ipcMain: Pick<IpcMain, 'handle'>; links: DeepLinks; log: (message: string) => void }): void => {
  deps.ipcMain.handle(CHANNELS.takeInviteLinks, (event): InviteDelivery[] => {
    if (isTrustedSender(event)) return deps.links.take()
    deps.log(`refused ${CHANNELS.takeInviteLinks} from an untrusted sender`)
    return []
  })
}

/**
 * Make this app the system's handler for plank:// links. Run from a checkout
 * (`process.defaultApp`), the executable is Electron itself, so the app's path goes with it.
 */
export const registerAsLinkHandler = (
  app: Pick<App, 'setAsDefaultProtocolClient'>,
  proc: { defaultApp?: boolean; execPath: string; argv: readonly string[] },
): boolean => {
  if (proc.defaultApp) {
    const appPath = proc.argv[1]
    return appPath ? app.setAsDefaultProtocolClient(APP_SCHEME, proc.execPath, [resolve(appPath)]) : false
  }
  return app.setAsDefaultProtocolClient(APP_SCHEME)
}
