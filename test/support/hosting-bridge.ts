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
import { CertificatePins } from '../../electron/certificate-pins.ts'
import type { MeetingCertificate } from '../../electron/meeting-certificate.ts'
import { CHANNELS, HOST_GLOBALS, type HostingApi } from '../../crdt/contracts/host-api.ts'

/**
 * The desktop app's hosting, for a page of the browser build: the main-process module
 * (electron/hosting-ipc.ts with the real LanHost, relay and DNS-SD) runs here in Node
 * with `electron` replaced at its boundary (a fake ipcMain), and the page reaches it
 * through `window.plankHosting` as the preload would expose it.
 *
 * Pinning: the page asks main to pin a meeting host's certificate, and the real
 * registry (electron/certificate-pins.ts) records it; what Electron's verify proc would
 * then enforce, Chromium's --ignore-certificate-errors-spki-list does here (the device
 * is launched trusting exactly the meeting certificate's key, which the test makes
 * first and hands to the host as its session's certificate).
 */
/** `announce: false`: this host's announcement never reaches the network (lost, or not yet seen by the others). */
export const desktopHosting = async (page: Page, opts: { certificate?: MeetingCertificate; announce?: boolean } = {}) => {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>()
  const bonjour = new Bonjour()
  const lanHost = new LanHost({
    startRelay, dataDir: mkdtempSync(join(tmpdir(), 'plank-hosted-')), announcer: opts.announce === false ? { announce: () => ({ stop: async () => {} }) } : bonjourAnnouncer(bonjour),
    // Reachable on this machine only: joiners use the invite's addresses, never the announcement's.
    lanAddresses: () => ['127.0.0.1'],
    bindHost: '127.0.0.1',
    ...(opts.certificate ? { makeCertificate: async () => opts.certificate! } : {}),
  })
  const nearby = new NearbyHosts(bonjour, () => {}, 1000)
  const pins = new CertificatePins()
  /** What the page asked main to pin, in order. */
  const pinned: Array<{ url: string; pin: string }> = []
  registerHostingIpc({ ipcMain: { handle: (channel: string, fn: never) => { handlers.set(channel, fn) } } as never, lanHost, nearby: () => nearby.list(), pins, log: () => {} })
  // What Electron would report for our own page (isTrustedSender checks it).
  const frame = { url: 'plank://app/index.html' }
  const event = { senderFrame: frame, sender: { mainFrame: frame } } as unknown as IpcMainInvokeEvent
  await page.exposeFunction('plankHostingInvoke', (channel: string, ...args: unknown[]) => {
    if (channel === CHANNELS.pinCertificate) pinned.push({ url: String(args[0]), pin: String(args[1]) })
    return handlers.get(channel)!(event, ...args)
  })
  await page.addInitScript(({ name, channels }) => {
    const w = window as unknown as Record<string, unknown> & { plankHostingInvoke: (c: string, ...a: unknown[]) => Promise<never> }
    const invoke = w.plankHostingInvoke
    w[name] = {
      start: (request) => invoke(channels.hostStart, request),
      stop: () => invoke(channels.hostStop),
      state: () => invoke(channels.hostState),
      nearby: () => invoke(channels.nearbyHosts),
      // The preload forwards main's change events; polling does the same job here.
      onNearby: (handler) => { setInterval(() => void invoke(channels.nearbyHosts).then(handler), 500) },
      onStopped: () => {},
      pinCertificate: (url, pin) => invoke(channels.pinCertificate, url, pin),
    } satisfies HostingApi
  }, { name: HOST_GLOBALS.hosting, channels: CHANNELS })
  return {
    lanHost,
    pins,
    pinned,
    dispose: async () => {
      nearby.stop()
      await lanHost.stop()
      await new Promise<void>((resolve) => bonjour.destroy(() => resolve()))
    },
  }
}
