import { HOST_GLOBALS, type DesktopHostApi, type HostingApi } from '../../crdt/contracts/host-api.ts'

/**
 * What the app needs from its host. In the desktop app the preload script provides
 * `window.plank` (named actions only, never raw IPC); in a plain browser these fall back
 * to web equivalents. Both are the host API of crdt/contracts/host-api.ts, which the
 * preload is checked against too.
 */
export interface PlankHost extends DesktopHostApi {
  readonly kind: 'electron' | 'browser'
}

declare global {
  interface Window {
    [HOST_GLOBALS.host]?: DesktopHostApi
    [HOST_GLOBALS.hosting]?: HostingApi
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

const desktop = window[HOST_GLOBALS.host]
export const host: PlankHost = desktop ? { kind: 'electron', ...desktop } : browserHost

/** Null in a browser: a web page cannot open a server or use multicast DNS. */
export const hosting: HostingApi | null = window[HOST_GLOBALS.hosting] ?? null
