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

export interface PlankHost {
  readonly kind: 'electron' | 'browser'
  onMenuAction(handler: (action: MenuAction) => void): void
  openExternal(url: string): void
  /** Resolves to false when the member cancelled. */
  saveFile(request: SaveFileRequest): Promise<boolean>
}

declare global {
  interface Window {
    plank?: Omit<PlankHost, 'kind'>
  }
}

const browserHost: PlankHost = {
  kind: 'browser',
  onMenuAction() {
    // A browser has no application menu; the same actions are in the window.
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
}

export const host: PlankHost = window.plank ? { kind: 'electron', ...window.plank } : browserHost
