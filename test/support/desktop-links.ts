import type { IpcMainInvokeEvent } from 'electron'
import type { Page } from 'playwright-core'
import { CHANNELS, HOST_GLOBALS, type DesktopHostApi, type InviteDelivery } from '../../crdt/contracts/host-api.ts'
import { DeepLinks, registerDeepLinkIpc } from '../../electron/deep-links.ts'

/**
 * The desktop app's plank:// links, for a page of the browser build: main's own inbox
 * (electron/deep-links.ts, with its strict reading of each link) runs here in Node with
 * `electron` replaced at its boundary (a fake ipcMain), and the page reaches it through
 * `window.plank.onInviteLink`, exactly as electron/preload.ts exposes it: take what waits
 * at start, and again whenever main says more links are waiting. The test plays the
 * operating system: a launch's arguments, a second launch, or macOS's open-url.
 */
export const desktopLinks = async (page: Page) => {
  const handlers = new Map<string, (event: IpcMainInvokeEvent) => unknown>()
  let notifyPage = () => {}
  const links = new DeepLinks({ log: () => {}, notify: () => notifyPage() })
  registerDeepLinkIpc({ ipcMain: { handle: (channel: string, fn: never) => { handlers.set(channel, fn) } } as never, links, log: () => {} })
  // What Electron would report for our own page (isTrustedSender checks it).
  const frame = { url: 'plank://app/index.html' }
  const event = { senderFrame: frame, sender: { mainFrame: frame } } as unknown as IpcMainInvokeEvent
  await page.exposeFunction('plankTakeInviteLinks', () => handlers.get(CHANNELS.takeInviteLinks)!(event))
  await page.addInitScript((name) => {
    const w = window as unknown as Record<string, unknown> & {
      plankTakeInviteLinks: () => Promise<InviteDelivery[]>
      plankInviteLinksWaiting?: () => void
    }
    const waiting: Array<() => void> = []
    w.plankInviteLinksWaiting = () => waiting.forEach((take) => take())
    w[name] = {
      onMenuAction() {},
      openExternal() {},
      saveFile: async () => false,
      savePdf: async () => false,
      onInviteLink(handler) {
        const take = () => void w.plankTakeInviteLinks().then((deliveries) => deliveries.forEach(handler))
        waiting.push(take)
        take()
      },
    } satisfies DesktopHostApi
  }, HOST_GLOBALS.host)
  notifyPage = () => void page.evaluate(() => (window as unknown as { plankInviteLinksWaiting?: () => void }).plankInviteLinksWaiting?.()).catch(() => {})
  return {
    /** A launch's arguments: the first launch, or a second one (`second-instance`). */
    launchedWith: (...argv: string[]) => links.receiveArgv(['/opt/Plank/plank', ...argv]),
    /** macOS: `open-url`. */
    openUrl: (url: string) => links.receive(url),
  }
}
