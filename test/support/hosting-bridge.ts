import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IpcMainInvokeEvent } from 'electron'
import type { Page } from 'playwright-core'
import { Bonjour } from 'bonjour-service'
import { startRelay } from '../../sync-server/src/relay-server.ts'
import { LanHost } from '../../electron/lan-host.ts'
import { NearbyHosts, bonjourAnnouncer } from '../../electron/lan-discovery.ts'
import { registerHostingIpc } from '../../electron/hosting-ipc.ts'
import { CHANNELS, HOST_GLOBALS, type HostingApi } from '../../crdt/contracts/host-api.ts'

/**
 * The desktop app's hosting, for a page of the browser build: the main-process module
 * (electron/hosting-ipc.ts with the real LanHost, relay and DNS-SD) runs here in Node
 * with `electron` replaced at its boundary (a fake ipcMain), and the page reaches it
 * through `window.plankHosting` as the preload would expose it.
 */
export const desktopHosting = async (page: Page) => {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, arg?: unknown) => unknown>()
  const bonjour = new Bonjour()
  const lanHost = new LanHost({ startRelay, dataDir: mkdtempSync(join(tmpdir(), 'plank-hosted-')), announcer: bonjourAnnouncer(bonjour) })
  const nearby = new NearbyHosts(bonjour, () => {}, 1000)
  registerHostingIpc({ ipcMain: { handle: (channel: string, fn: never) => { handlers.set(channel, fn) } } as never, lanHost, nearby: () => nearby.list(), log: () => {} })
  // What Electron would report for our own page (isTrustedSender checks it).
  const frame = { url: 'plank://app/index.html' }
  const event = { senderFrame: frame, sender: { mainFrame: frame } } as unknown as IpcMainInvokeEvent
  await page.exposeFunction('plankHostingInvoke', (channel: string, arg?: unknown) => handlers.get(channel)!(event, arg))
  await page.addInitScript(({ name, channels }) => {
    const w = window as unknown as Record<string, unknown> & { plankHostingInvoke: (c: string, a?: unknown) => Promise<never> }
    const invoke = w.plankHostingInvoke
    w[name] = {
      start: (request) => invoke(channels.hostStart, request),
      stop: () => invoke(channels.hostStop),
      state: () => invoke(channels.hostState),
      nearby: () => invoke(channels.nearbyHosts),
      // The preload forwards main's change events; polling does the same job here.
      onNearby: (handler) => { setInterval(() => void invoke(channels.nearbyHosts).then(handler), 500) },
      onStopped: () => {},
    } satisfies HostingApi
  }, { name: HOST_GLOBALS.hosting, channels: CHANNELS })
  return {
    lanHost,
    dispose: async () => {
      nearby.stop()
      await lanHost.stop()
      await new Promise<void>((resolve) => bonjour.destroy(() => resolve()))
    },
  }
}
