import { describe, expect, it } from 'vitest'
import { readFile, writeFile } from 'node:fs/promises'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { extractText } from 'unpdf'
import type { Page } from 'playwright-core'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { draftTitles, editor, newDraft, openApp, screenshot, waitSaved } from './support/editor-page.ts'
import { draftText } from './support/sync-page.ts'
import { replaceWords, startProposing, stopProposing } from './support/review-page.ts'
import { saveVersion, versionList } from './support/versions-page.ts'

const app = useApp()
const fleet = useFleet()

const exportAs = async (page: Page, label: string) => {
  await page.getByRole('button', { name: 'Export…' }).click()
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('dialog').getByRole('button', { name: label }).click(),
  ])
  return { name: download.suggestedFilename(), text: await readFile((await download.path())!, 'utf8') }
}

const writePlatform = async (page: Page) => {
  await openApp(page, app.url)
  await newDraft(page)
  const kb = page.keyboard
  await kb.type('The People’s Platform')
  await kb.press('ArrowDown')
  await kb.type('## Housing')
  await kb.press('Enter')
  await kb.type('Rent shall be capped at a fair level.')
  await kb.press('Enter')
  await kb.type('> Housing is a right.')
  await kb.press('Enter')
  await kb.press('Enter')
  await kb.type('## Health')
  await kb.press('Enter')
  await kb.type('Care is ')
  await kb.press('Control+i')
  await kb.type('free')
  await kb.press('Control+i')
  await kb.type(' at the point of use.')
  await kb.press('Enter')
  await kb.type('- Clinics in every town')
  await waitSaved(page)
}

describe('publishing', () => {
  it('exports print-ready HTML whose PDF has the platform’s headings and accepted text, and its content hash', async () => {
    const { page } = await fleet.device()
    await writePlatform(page)
    await saveVersion(page, 'Draft 1')
    const [version] = await versionList(page)
    // An open proposal is not part of what is published.
    await startProposing(page, 'Abolish rent', '')
    await replaceWords(page, 'capped at a fair level', 'abolished')
    await stopProposing(page)

    const html = await exportAs(page, 'HTML (print-ready)')
    expect(html.name).toBe('The Peoples Platform.html')
    expect(html.text).not.toMatch(/<script/i)
    expect(html.text).toContain('Content-Security-Policy')
    expect(html.text).toContain(version!.hash)
    expect(html.text).not.toContain('abolished')

    // Print it with Chromium's print engine, the one Electron's printToPDF drives.
    const printer = await page.context().newPage()
    await printer.setContent(html.text)
    const pdf = await printer.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
    await writeFile(join(mkdtempSync(join(tmpdir(), 'plank-pdf-')), 'platform.pdf'), pdf)
    const { text, totalPages } = await extractText(new Uint8Array(pdf), { mergePages: true })
    expect(totalPages).toBe(1)
    const words = text.replace(/\s+/g, ' ')
    for (const expected of ['The People’s Platform', 'Housing', 'Rent shall be capped at a fair level.', 'Housing is a right.', 'Health', 'Care is free at the point of use.', 'Clinics in every town', version!.hash!.slice(0, 16)]) {
      expect(words).toContain(expected)
    }
    expect(words).not.toContain('abolished')
    await printer.setViewportSize({ width: 900, height: 900 })
    await printer.screenshot({ path: join(process.cwd(), 'test-results/screenshots/published-html.png') })
    await printer.close()

    // The browser build prints the same HTML in a frame that may not run script.
    await page.getByRole('button', { name: 'Export…' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'PDF' }).click()
    await page.locator('.pk-toast', { hasText: 'Save as PDF' }).waitFor()
    const frame = page.locator('iframe[srcdoc]')
    expect(await frame.getAttribute('sandbox')).toBe('allow-same-origin allow-modals')
    expect(await frame.getAttribute('srcdoc')).toBe(html.text)
  })

  it('imports Markdown as a new draft that exports the same Markdown again', async () => {
    const { page } = await fleet.device()
    await writePlatform(page)
    const md = await exportAs(page, 'Markdown')
    const file = join(mkdtempSync(join(tmpdir(), 'plank-import-')), 'Our platform.md')
    await writeFile(file, md.text)
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import…' }).click()])
    await chooser.setFiles(file)
    await page.locator('.pk-toast', { hasText: 'Imported “The People’s Platform” as a new draft.' }).waitFor()
    await expect.poll(() => draftTitles(page)).toEqual(['The People’s Platform', 'The People’s Platform'])
    expect(await draftText(page)).toBe('The People’s Platform\nHousing\nRent shall be capped at a fair level.\nHousing is a right.\nHealth\nCare is free at the point of use.\nClinics in every town')
    expect(await editor(page).locator('em').allInnerTexts()).toEqual(['free'])
    await waitSaved(page)
    expect((await exportAs(page, 'Markdown')).text).toBe(md.text)
    await screenshot(page, 'imported-draft')

    // A file that is not text is refused with a reason, and nothing is made.
    const binary = join(mkdtempSync(join(tmpdir(), 'plank-import-')), 'photo.md')
    await writeFile(binary, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]))
    const [again] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import…' }).click()])
    await again.setFiles(binary)
    await page.locator('.pk-toast', { hasText: 'is not UTF-8 text' }).waitFor()
    expect((await draftTitles(page)).length).toBe(2)
  })
})
