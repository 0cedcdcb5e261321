import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { PDF_WINDOW_OPTIONS, type PdfWindow, htmlToPdf } from './pdf.ts'

/** A stand-in for Electron's hidden BrowserWindow (no Electron binary runs here). */
const fakeWindow = (fail = false) => {
  const seen: { file?: string; html?: string; options?: Record<string, unknown>; destroyed: boolean } = { destroyed: false }
  const win: PdfWindow = {
    async loadFile(path) {
      seen.file = path
      seen.html = readFileSync(path, 'utf8')
    },
    webContents: {
      async printToPDF(options) {
        seen.options = options
        if (fail) throw new Error('printing failed')
        return new TextEncoder().encode('%PDF-1.7')
      },
    },
    destroy() { seen.destroyed = true },
  }
  return { win, seen }
}

describe('PDF export in the desktop app', () => {
  it('prints the HTML from a temporary file in a script-less hidden window, then cleans up', async () => {
    const { win, seen } = fakeWindow()
    const pdf = await htmlToPdf('<h1>Platform</h1>', () => win)
    expect(new TextDecoder().decode(pdf)).toBe('%PDF-1.7')
    expect(seen.html).toBe('<h1>Platform</h1>')
    expect(seen.options).toMatchObject({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true })
    expect(seen.destroyed).toBe(true)
    expect(existsSync(dirname(seen.file!))).toBe(false)
    expect(PDF_WINDOW_OPTIONS.show).toBe(false)
    expect(PDF_WINDOW_OPTIONS.webPreferences.javascript).toBe(false)
  })

  it('closes the window and removes the file when printing fails', async () => {
    const { win, seen } = fakeWindow(true)
    await expect(htmlToPdf('<p>x</p>', () => win)).rejects.toThrow('printing failed')
    expect(seen.destroyed).toBe(true)
    expect(existsSync(dirname(seen.file!))).toBe(false)
  })
})
