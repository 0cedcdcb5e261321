import { describe, expect, it } from 'vitest'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { draftTitles, screenshot, waitSaved } from './support/editor-page.ts'
import { converged, draftText } from './support/sync-page.ts'
import { shareDraft } from './support/shared-draft.ts'
import { amendmentCard, caretAfterWords, decide, replaceWords, showAmendments } from './support/review-page.ts'
import type { Page } from 'playwright-core'

const app = useApp()
const fleet = useFleet()

/** Ana writes a two-plank platform and shares it with Ben, the parent's committee. */
const sharedPlatform = async () => {
  const { members: [a, b] } = await shareDraft({
    fleet, app, relay: await fleet.relay(), names: ['Ana', 'Ben'],
    title: 'Platform', lines: ['## Housing', 'Rent shall be capped.', '## Transit', 'Buses run all night.'],
  })
  return { a: a.page, b: b.page }
}

const draftEntry = (page: Page, title: string) =>
  page.locator('.pk-draft', { has: page.locator('.pk-draft-title', { hasText: new RegExp(`^${title}$`) }) })

/** Start a chapter draft of “Platform” (which is then open). */
const startChapter = async (page: Page, chapter: string) => {
  await draftEntry(page, 'Platform').getByRole('button', { name: /More actions/ }).click()
  await page.getByRole('menuitem', { name: 'Start a chapter draft…' }).click()
  await page.getByRole('dialog').getByRole('textbox').fill(chapter)
  await page.getByRole('dialog').getByRole('button', { name: 'Start chapter draft' }).click()
  await page.locator('.pk-topbar-title', { hasText: `Platform — ${chapter}` }).waitFor()
}

const openDraft = async (page: Page, title: string) => {
  await draftEntry(page, title).locator('.pk-draft-open').click()
  await page.locator('.pk-topbar-title', { hasText: title }).waitFor()
}

/**
 * Propose the open chapter draft back and return the toast's message once the parent's
 * relays have its amendments (the parent is not opened: proposing back delivers them).
 */
const proposeBackNow = async (page: Page): Promise<string> => {
  await page.getByRole('button', { name: 'Propose back…' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Propose back' }).click()
  const toast = page.locator('.pk-toast', { hasText: /its relays have them|Nothing changed/ })
  await toast.waitFor()
  const message = await toast.innerText()
  await toast.locator('.pk-icon-button').click()
  return message
}

describe('chapter drafts', () => {
  it('fork → edit → propose back → the parent’s committee accepts, and the chapter’s edits are in the platform', async () => {
    const { a, b } = await sharedPlatform()
    const before = (await converged([a, b])).text

    // Ana starts a chapter draft and edits two sections in it.
    await a.locator('.pk-draft', { hasText: 'Platform' }).getByRole('button', { name: /More actions/ }).click()
    await a.getByRole('menuitem', { name: 'Start a chapter draft…' }).click()
    await a.getByRole('dialog').getByRole('textbox').fill('Riverside')
    await a.getByRole('dialog').getByRole('button', { name: 'Start chapter draft' }).click()
    await expect.poll(() => draftTitles(a)).toContain('Platform — Riverside')
    await replaceWords(a, 'capped', 'capped at 3% a year')
    await caretAfterWords(a, 'all night.')
    await a.keyboard.type(' Fares are free.')
    await waitSaved(a)
    expect(await draftText(a)).toBe('Platform — Riverside\nHousing\nRent shall be capped at 3% a year.\nTransit\nBuses run all night. Fares are free.')

    await a.getByRole('button', { name: 'Propose back…' }).click()
    await a.getByRole('dialog').getByRole('button', { name: 'Propose back' }).click()
    await a.locator('.pk-toast', { hasText: 'Proposed 2 new amendments on “Platform”' }).getByRole('button', { name: 'Open it' }).click()
    await a.locator('.pk-topbar-title', { hasText: /^Platform$/ }).waitFor()

    // Ben, on the parent's committee, sees two amendments and accepts them; the text was untouched until then.
    await showAmendments(b)
    await amendmentCard(b, 'Riverside: Housing').waitFor()
    await amendmentCard(b, 'Riverside: Transit').waitFor()
    await expect.poll(() => b.locator('.pk-editor ins.pk-ins').allInnerTexts()).toEqual([' at 3% a year', ' Fares are free.'])
    await screenshot(b, 'chapter-proposed-back')
    await decide(b, 'Riverside: Housing', 'Accept')
    await decide(b, 'Riverside: Transit', 'Accept')
    const after = (await converged([a, b])).text
    expect(after).toBe(before.replace('capped.', 'capped at 3% a year.').replace('all night.', 'all night. Fares are free.'))
  })

  it('proposing back again: the parent shows only the new changes, in the open amendment or a new one', async () => {
    const { a, b } = await sharedPlatform()
    await startChapter(a, 'Riverside')
    await replaceWords(a, 'capped', 'capped at 3%')
    await caretAfterWords(a, 'all night.')
    await a.keyboard.type(' Fares are free.')
    await waitSaved(a)
    expect(await proposeBackNow(a)).toContain('Proposed 2 new amendments on “Platform”')

    // Ben accepts Housing; Transit stays open.
    await showAmendments(b)
    await amendmentCard(b, 'Riverside: Transit').waitFor()
    await decide(b, 'Riverside: Housing', 'Accept')
    // Proposing back reads the parent as this device has it: Ana opens it and sees the decision.
    await openDraft(a, 'Platform')
    await showAmendments(a)
    await amendmentCard(a, 'Riverside: Housing').locator('.pk-status-line .pk-chip[data-status="accepted"]').waitFor()

    // The chapter goes on, and proposes back again.
    await openDraft(a, 'Platform — Riverside')
    await replaceWords(a, '3%', '3% a year')
    await caretAfterWords(a, 'Fares are free.')
    await a.keyboard.type(' Trams too.')
    await waitSaved(a)
    await expect.poll(() => draftText(a)).toBe('Platform — Riverside\nHousing\nRent shall be capped at 3% a year.\nTransit\nBuses run all night. Fares are free. Trams too.')
    const message = await proposeBackNow(a)
    expect(message).toContain('Proposed 1 new amendment, updated 1 open amendment on “Platform”')

    // Ben sees only what is new: " a year" in a new Housing amendment, " Trams too." added to the open Transit one.
    await expect.poll(() => b.locator('.pk-editor ins.pk-ins').allInnerTexts()).toEqual([' a year', ' Fares are free. Trams too.'])
    expect(await draftText(b)).toBe('Platform\nHousing\nRent shall be capped at 3% a year.\nTransit\nBuses run all night. Fares are free. Trams too.')
    await expect.poll(() => b.locator('.pk-amendment h3', { hasText: 'Riverside: Transit' }).count()).toBe(1)
    await expect.poll(() => b.locator('.pk-amendment[data-status="open"] h3', { hasText: 'Riverside: Housing' }).count()).toBe(1)
    while (await b.locator('.pk-toast .pk-icon-button').count() > 0) await b.locator('.pk-toast .pk-icon-button').first().click()
    await b.locator('.pk-review-body').evaluate((el) => { el.scrollTop = 0 })
    await screenshot(b, 'chapter-proposed-again')
    await decide(b, 'Riverside: Transit', 'Accept')
    await b.locator('.pk-amendment[data-status="open"]', { hasText: 'Riverside: Housing' }).getByRole('button', { name: 'Accept', exact: true }).click()
    await b.getByRole('dialog').getByRole('button', { name: 'Accept', exact: true }).click()
    await expect.poll(() => b.locator('.pk-editor ins.pk-ins, .pk-editor del.pk-del').count()).toBe(0)
    await openDraft(a, 'Platform')
    const after = (await converged([a, b])).text
    expect(after).toContain('Rent shall be capped at 3% a year.\nTransit\nBuses run all night. Fares are free. Trams too.')
  })

  it('a composite of three chapters’ amendments is accepted, and each chapter’s amendment shows where it went', async () => {
    const { a, b } = await sharedPlatform()
    // Three chapters each amend the Housing plank in their own way.
    for (const [chapter, from, to] of [['Riverside', 'capped', 'capped at 3%'], ['Lakeside', 'Rent', 'Rent for homes'], ['Hilltop', 'shall be', 'must be']] as const) {
      await openDraft(a, 'Platform')
      await startChapter(a, chapter)
      await replaceWords(a, from, to)
      await waitSaved(a)
    }
    for (const chapter of ['Riverside', 'Lakeside', 'Hilltop']) {
      await openDraft(a, `Platform — ${chapter}`)
      expect(await proposeBackNow(a)).toContain('Proposed 1 new amendment on “Platform”')
    }

    // Ben, on the committee, merges the three into one composite.
    await showAmendments(b)
    const titles = ['Riverside: Housing', 'Lakeside: Housing', 'Hilltop: Housing']
    for (const title of titles) await amendmentCard(b, title).waitFor()
    for (const title of titles) await amendmentCard(b, title).getByRole('checkbox').check()
    await b.locator('.pk-selection-bar', { hasText: '3 selected' }).getByRole('button', { name: 'Composite…' }).click()
    const dialog = b.getByRole('dialog', { name: 'Composite 3 amendments' })
    await dialog.getByLabel('Title').fill('Housing: a rent cap for homes')
    await dialog.getByLabel('Why (optional)').fill('Three chapters asked for it.')
    await dialog.getByRole('button', { name: 'Composite' }).click()
    const composite = amendmentCard(b, 'Housing: a rent cap for homes')
    await composite.locator('.pk-composite', { hasText: 'Supported by the chapters: Riverside, Lakeside, Hilltop.' }).waitFor()
    for (const title of titles) await amendmentCard(b, title).locator('.pk-composited', { hasText: 'Composited into “Housing: a rent cap for homes”' }).waitFor()
    expect(await amendmentCard(b, 'Riverside: Housing').getByRole('button', { name: 'Accept', exact: true }).count()).toBe(0)
    while (await b.locator('.pk-toast .pk-icon-button').count() > 0) await b.locator('.pk-toast .pk-icon-button').first().click()
    await screenshot(b, 'composite')

    await decide(b, 'Housing: a rent cap for homes', 'Accept')
    for (const title of titles) await amendmentCard(b, title).locator('.pk-status-line .pk-chip[data-status="accepted"]').waitFor()
    await expect.poll(() => b.locator('.pk-editor ins.pk-ins, .pk-editor del.pk-del').count()).toBe(0)
    await openDraft(a, 'Platform')
    const text = (await converged([a, b])).text
    expect(text).toContain('Rent for homes must be capped at 3%.')
  })
})
