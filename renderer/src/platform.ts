/**
 * What the app needs from its host. In the desktop app the preload script provides
 * `window.plank` (named actions only, never raw IPC); in a plain browser these fall back
 * to web equivalents. Action names must match electron/menu.ts.
 */
export type MenuAction = 'new-draft' | 'open-draft' | 'export' | 'rename-draft'

export interface SaveFileRequest {
  suggestedName: string
  content: string
  mimeType: string
}

export interface SavePdfRequest {
  suggestedName: string
  /** Standalone, script-free HTML (publish/standalone-html.ts), printed as it is. */
  html: string
}

/**
 * An invite link the system opened the desktop app with, as main read it: a link in
 * its canonical form, or why main refused it (electron/deep-links.ts).
 */
export type { InviteDelivery } from '../../electron/deep-links.ts'
import type { InviteDelivery } from '../../electron/deep-links.ts'

export interface PlankHost {
  readonly kind: 'electron' | 'browser'
  onMenuAction(handler: (action: MenuAction) => void): void
  /**
   * plank:// links the system opened the app with (desktop only; a browser's links
   * arrive in its address bar). Each is asked about before anything changes.
   */
  onInviteLink(handler: (delivery: InviteDelivery) => void): void
  openExternal(url: string): void
  /** Resolves to false when the member cancelled. */
  saveFile(request: SaveFileRequest): Promise<boolean>
  /**
   * The desktop app prints to a PDF file through a native save dialog; a browser opens
   * its print dialog on the same HTML, where the member picks "Save as PDF".
   */
  savePdf(request: SavePdfRequest): Promise<boolean>
}

/** Hosting a draft for the room, desktop only: the types are the main process's own. */
export type { HostedDraft } from '../../electron/lan-host.ts'
export type { NearbyHost } from '../../electron/lan-discovery.ts'
export type { HostingResult } from '../../electron/hosting-ipc.ts'
import type { HostedDraft } from '../../electron/lan-host.ts'
import type { NearbyHost } from '../../electron/lan-discovery.ts'
import type { HostingResult } from '../../electron/hosting-ipc.ts'

export interface HostingApi {
  start(request: { draftId: string; title: string; member: string; private: boolean; recognitionKey?: string }): Promise<HostingResult>
  stop(): Promise<void>
  state(): Promise<HostedDraft | null>
  nearby(): Promise<NearbyHost[]>
  onNearby(handler: (hosts: NearbyHost[]) => void): void
  /** Main stopped hosting on its own (after an unexpected error there). */
  onStopped(handler: () => void): void
  /**
   * Trust a meeting host's certificate at this wss:// address, by the pin its invite
   * carries (electron/certificate-pins.ts). False when main refused the request.
   */
  pinCertificate(url: string, pin: string): Promise<boolean>
}

declare global {
  interface Window {
    plank?: Omit<PlankHost, 'kind'>
    plankHosting?: HostingApi
  }
}

const browserHost: PlankHost = {
  kind: 'browser',
  onMenuAction() {
    // A browser has no application menu; the same actions are in the window.
  },
  onInviteLink() {
    // A browser opens invite links at their address (renderer/src/main.ts reads it).
  },
  openExternal(url) {
    window.open(url, '_blank', 'noopener,noreferrer')
  },
  async saveFile({ suggestedName, content, mimeType }) {
    const url = URL.createObjectURL(new Blob([content], { type: mimeType }))
    const a = document.createElement('a')
    a.href = url
    a.download = suggestedName
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
    return true
  },
  async savePdf({ html }) {
    // A frame that may show a print dialog but never run script (the HTML forbids it too).
    const frame = document.createElement('iframe')
    frame.setAttribute('sandbox', 'allow-same-origin allow-modals')
    frame.setAttribute('aria-hidden', 'true')
    frame.style.cssText = 'position:fixed;width:0;height:0;border:0;visibility:hidden'
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }))
    frame.srcdoc = html
    document.body.append(frame)
    await loaded
    frame.contentWindow?.print()
    setTimeout(() => frame.remove(), 60_000)
    return true
  },
}

export const host: PlankHost = window.plank ? { kind: 'electron', ...window.plank } : browserHost

/** Null in a browser: a web page cannot open a server or use multicast DNS. */
export const hosting: HostingApi | null = window.plankHosting ?? null
