import { describe, expect, it } from 'vitest'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { draftTitles, screenshot, waitSaved } from './support/editor-page.ts'
import { converged, draftText } from './support/sync-page.ts'
import { shareDraft } from './support/shared-draft.ts'
import { amendmentCard, caretAfterWords, decide, replaceWords, showAmendments } from './support/review-page.ts'

const app = useApp()
const fleet = useFleet()

describe('chapter drafts', () => {
  it('fork → edit → propose back → the parent’s committee accepts, and the chapter’s edits are in the platform', async () => {
    const { members: [a, b] } = await shareDraft({
      fleet, app, relay: await fleet.relay(), names: ['Ana', 'Ben'],
      title: 'Platform', lines: ['## Housing', 'Rent shall be capped.', '## Transit', 'Buses run all night.'],
    })
    const before = (await converged([a.page, b.page])).text

    // Ana starts a chapter draft and edits two sections in it.
    await a.page.locator('.pk-draft', { hasText: 'Platform' }).getByRole('button', { name: /More actions/ }).click()
    await a.page.getByRole('menuitem', { name: 'Start a chapter draft…' }).click()
    await a.page.getByRole('dialog').getByRole('textbox').fill('Riverside')
    await a.page.getByRole('dialog').getByRole('button', { name: 'Start chapter draft' }).click()
    await expect.poll(() => draftTitles(a.page)).toContain('Platform — Riverside')
    await replaceWords(a.page, 'capped', 'capped at 3% a year')
    await caretAfterWords(a.page, 'all night.')
    await a.page.keyboard.type(' Fares are free.')
    await waitSaved(a.page)
    expect(await draftText(a.page)).toBe('Platform — Riverside\nHousing\nRent shall be capped at 3% a year.\nTransit\nBuses run all night. Fares are free.')

    await a.page.getByRole('button', { name: 'Propose back…' }).click()
    await a.page.getByRole('dialog').getByRole('button', { name: 'Propose back' }).click()
    await a.page.locator('.pk-toast', { hasText: 'Proposed 2 amendments on “Platform”' }).getByRole('button', { name: 'Open it' }).click()
    await a.page.locator('.pk-topbar-title', { hasText: /^Platform$/ }).waitFor()

    // Ben, on the parent's committee, sees two amendments and accepts them; the text was untouched until then.
    await showAmendments(b.page)
    await amendmentCard(b.page, 'Riverside: Housing').waitFor()
    await amendmentCard(b.page, 'Riverside: Transit').waitFor()
    await expect.poll(() => b.page.locator('.pk-editor ins.pk-ins').allInnerTexts()).toEqual([' at 3% a year', ' Fares are free.'])
    await screenshot(b.page, 'chapter-proposed-back')
    await decide(b.page, 'Riverside: Housing', 'Accept')
    await decide(b.page, 'Riverside: Transit', 'Accept')
    const after = (await converged([a.page, b.page])).text
    expect(after).toBe(before.replace('capped.', 'capped at 3% a year.').replace('all night.', 'all night. Fares are free.'))
  })
})
