import type { Page } from 'playwright-core'

/** Version steps as a member takes them, through the Versions panel. */

export const showVersions = async (page: Page): Promise<void> => {
  const button = page.getByRole('button', { name: 'Versions', exact: true })
  if (await button.getAttribute('aria-pressed') !== 'true') await button.click()
  await page.locator('.pk-versions').waitFor()
}

export const versionItem = (page: Page, name: string) =>
  page.locator('.pk-version', { has: page.locator('.pk-version-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }) })

export const saveVersion = async (page: Page, name: string): Promise<void> => {
  await showVersions(page)
  await page.getByRole('button', { name: 'Save version…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Save a version' })
  await dialog.getByRole('textbox').fill(name)
  await dialog.getByRole('button', { name: 'Save version' }).click()
  await versionItem(page, name).waitFor()
}

/** Each version's name and the hash this device shows for it, newest first. */
export const versionList = (page: Page) => page.locator('.pk-version').evaluateAll((items) =>
  items.map((el) => ({ name: el.querySelector('.pk-version-name')!.firstChild!.textContent, hash: (el as HTMLElement).dataset.hash, check: el.querySelector('.pk-version-check')!.textContent!.trim() })))

/** Added and removed runs of words in the comparison on screen, with the member each is attributed to. */
export const shownChanges = (page: Page) => page.locator('.pk-past-page :is(ins, del).pk-diff').evaluateAll((els) =>
  els.map((el) => `${(el as HTMLElement).dataset.change === 'added' ? '+' : '-'}${el.textContent}|${(el as HTMLElement).dataset.author}`))

export const pastText = (page: Page) => page.locator('.pk-past-page .pk-past-editor').evaluate((el) =>
  [...el.querySelectorAll('h1, h2, h3, p')].map((b) => b.textContent).join('\n'))

/** Whole blocks (paragraphs, headings) the comparison shows as added or removed. */
export const shownBlocks = (page: Page) => page.locator('.pk-past-page :not(ins):not(del).pk-diff').evaluateAll((els) =>
  els.map((el) => `${(el as HTMLElement).dataset.change === 'added' ? '+' : '-'}${el.tagName.toLowerCase()}:${el.textContent}|${(el as HTMLElement).dataset.author}`))
