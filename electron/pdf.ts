import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * HTML → PDF with Chromium's own print engine (webContents.printToPDF) in a hidden
 * window that runs no script: the standalone HTML export printed exactly as the
 * browser build would print it. The page is loaded from a temporary file (a data URL
 * has a size limit) which is removed afterwards.
 */
export interface PdfWindow {
  loadFile(path: string): Promise<void>
  webContents: { printToPDF(options: Record<string, unknown>): Promise<Uint8Array> }
  destroy(): void
}

/** The hidden print window: no script, no Node, sandboxed, never shown. */
export const PDF_WINDOW_OPTIONS = {
  show: false,
  webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, images: true, spellcheck: false },
} as const

export const htmlToPdf = async (html: string, makeWindow: () => PdfWindow): Promise<Uint8Array> => {
  const dir = await mkdtemp(join(tmpdir(), 'plank-pdf-'))
  const file = join(dir, 'platform.html')
  const win = makeWindow()
  try {
    await writeFile(file, html, 'utf8')
    await win.loadFile(file)
    return await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true, generateDocumentOutline: true })
  } finally {
    win.destroy()
    await rm(dir, { recursive: true, force: true })
  }
}
