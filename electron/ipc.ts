import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron'
import { writeFile } from 'node:fs/promises'
import { CHANNELS } from '../crdt/contracts/host-api.ts'
import { isAllowedExternal, isTrustedSender } from './security.ts'

/** What main needs from Electron to serve the preload's actions (replaced in tests). */
export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle'>
  openExternal: (url: string) => Promise<void>
  showSaveDialog: (win: BrowserWindow | null, defaultPath: string) => Promise<{ canceled: boolean; filePath?: string }>
  windowOf: (event: IpcMainInvokeEvent) => BrowserWindow | null
  /** Print standalone HTML to PDF bytes (electron/pdf.ts, in a hidden window). */
  printToPdf: (html: string) => Promise<Uint8Array>
  log: (message: string) => void
}

const MAX_EXPORT_BYTES = 50 * 1024 * 1024

/** A file name suggestion from the renderer, reduced to a safe base name. */
export const safeFileName = (raw: unknown): string => {
  const base = String(raw ?? '').split(/[\\/]/).pop() ?? ''
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f<>:"|?*]+/g, '').replace(/^\.+/, '').trim().slice(0, 120)
  return cleaned || 'platform.md'
}

/**
 * Register the main-process side of the preload's named actions. Every handler checks
 * that the message comes from our own page, and validates its arguments.
 */
export const registerIpc = (deps: IpcDeps): void => {
  deps.ipcMain.handle(CHANNELS.openExternal, async (event, url: unknown) => {
    if (!isTrustedSender(event)) return deps.log(`refused ${CHANNELS.openExternal} from an untrusted sender`)
    if (typeof url !== 'string' || !isAllowedExternal(url)) return deps.log(`refused to open a link that is not http(s) or mailto`)
    await deps.openExternal(url)
  })

  deps.ipcMain.handle(CHANNELS.saveFile, async (event, request: unknown): Promise<boolean> => {
    if (!isTrustedSender(event)) {
      deps.log(`refused ${CHANNELS.saveFile} from an untrusted sender`)
      return false
    }
    const r = (request ?? {}) as Record<string, unknown>
    if (typeof r.content !== 'string' || Buffer.byteLength(r.content) > MAX_EXPORT_BYTES) return false
    const result = await deps.showSaveDialog(deps.windowOf(event), safeFileName(r.suggestedName))
    if (result.canceled || !result.filePath) return false
    await writeFile(result.filePath, r.content, 'utf8')
    return true
  })

  deps.ipcMain.handle(CHANNELS.savePdf, async (event, request: unknown): Promise<boolean> => {
    if (!isTrustedSender(event)) {
      deps.log(`refused ${CHANNELS.savePdf} from an untrusted sender`)
      return false
    }
    const r = (request ?? {}) as Record<string, unknown>
    if (typeof r.html !== 'string' || Buffer.byteLength(r.html) > MAX_EXPORT_BYTES) return false
    const name = `${safeFileName(r.suggestedName).replace(/\.[a-z0-9]{1,5}$/i, '')}.pdf`
    const result = await deps.showSaveDialog(deps.windowOf(event), name)
    if (result.canceled || !result.filePath) return false
    const pdf = await deps.printToPdf(r.html)
    await writeFile(result.filePath, pdf)
    return true
  })
}
