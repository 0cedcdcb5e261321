import type { Page } from 'playwright-core'
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

/** What a member sees and does, in words a test can read. */
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))

export const openApp = async (page: Page, url: string): Promise<void> => {
  await page.goto(url)
  await page.locator('#app[data-ready="true"]').waitFor()
}

export const editor = (page: Page) => page.locator('.pk-editor')

/** Text of the open draft's document, block by block. */
export const blocks = (page: Page) =>
  page.locator('.pk-editor > *').evaluateAll((els) => els.map((e) => `${e.tagName.toLowerCase()}:${(e as HTMLElement).innerText.trim().replace(/\n+/g, "\n")}`))

export const draftTitles = (page: Page) => page.locator('.pk-draft-title').allInnerTexts()

export const waitSaved = (page: Page) => page.locator('.pk-save', { hasText: 'Saved on this device' }).waitFor()

/** Close the notices a browser session shows at start (so a screenshot shows the page). */
export const dismissToasts = async (page: Page): Promise<void> => {
  await page.evaluate(() => document.querySelectorAll<HTMLButtonElement>('.pk-toast button[aria-label="Dismiss"]').forEach((b) => b.click()))
  await page.locator('.pk-toast').first().waitFor({ state: 'detached' })
}

export const screenshot = async (page: Page, name: string): Promise<void> => {
  await mkdir(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png` })
}

export const newDraft = async (page: Page): Promise<void> => {
  const before = await page.locator('.pk-draft').count()
  await page.getByRole('button', { name: 'New draft' }).first().click()
  await page.locator('.pk-draft').nth(before).waitFor()
  await editor(page).locator('.pk-title').waitFor()
}

/**
 * A new draft with a title and its lines, typed as a member would (Enter between lines,
 * so Markdown-style input applies: `## ` starts a plank, `- ` a list, `> ` a quote, and
 * an empty line leaves a list or quote), saved on the device.
 */
export const writeDraft = async (page: Page, title: string, ...lines: string[]): Promise<void> => {
  await newDraft(page)
  await page.keyboard.type(title)
  await page.keyboard.press('ArrowDown')
  for (const [i, line] of lines.entries()) {
    if (i > 0) await page.keyboard.press('Enter')
    await page.keyboard.type(line)
  }
  await waitSaved(page)
}
