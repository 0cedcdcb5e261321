import type { Page } from 'playwright-core'
import { editor, openApp } from './editor-page.ts'
import { inviteLink, parseInvite } from '../../renderer/src/sync/invite.ts'

/**
 * Add a relay to the open draft through the Share dialog; returns the invite link.
 * Drafts are private (end-to-end encrypted) unless `open` makes this one readable by
 * plain Yjs clients — what tests that play a foreign or hostile Yjs peer need.
 */
export const shareThrough = async (page: Page, relayUrl: string, token?: string, opts: { open?: boolean } = {}): Promise<string> => {
  await page.getByRole('button', { name: 'Share', exact: true }).click()
  if (opts.open) {
    await page.getByRole('dialog').getByRole('button', { name: 'Make it open instead' }).click()
    await page.getByRole('dialog', { name: 'Make this draft open?' }).getByRole('button', { name: 'Make it open', exact: true }).click()
    await page.getByRole('dialog').locator('.pk-privacy.pk-open').waitFor()
  }
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('Relay address').fill(relayUrl)
  if (token) await dialog.getByLabel('Access token').fill(token)
  await dialog.getByRole('button', { name: 'Add relay' }).click()
  const link = await dialog.getByLabel('Invite link').inputValue()
  await dialog.getByRole('button', { name: 'Done' }).click()
  return link
}

/** Open an invite link on another device and wait until the draft has arrived. */
export const joinWith = async (page: Page, link: string): Promise<void> => {
  await openApp(page, link)
  await page.locator('.pk-editor[contenteditable="true"]').waitFor({ timeout: 15_000 })
}

export const syncStatus = (page: Page) => page.locator('.pk-sync').innerText()

export const waitSynced = (page: Page, timeout = 15_000) =>
  page.locator('.pk-sync[data-kind="ok"]').waitFor({ timeout })

/** The draft's text as the member reads it (blocks joined by newlines), without cursor labels. */
export const draftText = (page: Page) => editor(page).evaluate((el) => {
  const blocks = [...el.querySelectorAll('h1, h2, h3, p')].map((b) => {
    const copy = b.cloneNode(true) as HTMLElement
    copy.querySelectorAll('.ProseMirror-yjs-cursor').forEach((c) => c.remove())
    return (copy.textContent ?? '').replace(/\u2060/g, '')
  })
  return blocks.join('\n')
})

/** Put the caret at the end of the block that contains `text`. */
export const caretAfter = async (page: Page, text: string) => {
  await editor(page).locator('p, h1, h2, h3, li', { hasText: text }).last().click()
  await page.keyboard.press('End')
}

/** Wait until every page shows the same draft text; returns it and how long it took. */
export const converged = async (pages: Page[], timeoutMs = 10_000): Promise<{ ms: number; text: string }> => {
  const start = Date.now()
  for (;;) {
    const texts = await Promise.all(pages.map(draftText))
    if (texts.every((t) => t === texts[0])) return { ms: Date.now() - start, text: texts[0]! }
    if (Date.now() - start > timeoutMs) throw new Error(`peers did not converge in ${timeoutMs} ms:\n${texts.join('\n---\n')}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** The same invite, reaching its relays at other addresses (a member's own network line). */
export const viaRelays = (link: string, relayUrls: string[]): string => {
  const invite = parseInvite(link)!
  return inviteLink(link.slice(0, link.indexOf('#')), { ...invite, relays: relayUrls.map((url) => ({ url })) })
}
