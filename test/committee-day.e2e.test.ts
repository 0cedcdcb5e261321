import { describe, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { draftTitles, editor, openApp, screenshot, waitSaved, writeDraft } from './support/editor-page.ts'
import { converged, draftText, joinWith, shareThrough } from './support/sync-page.ts'
import { shareDraft } from './support/shared-draft.ts'
import { amendmentCard, caretAfterWords, commentOn, replaceWords, selectWords, setName, showAmendments, showComments, startProposing, stopProposing } from './support/review-page.ts'
import { castBallot, showVotes, voteCard } from './support/votes-page.ts'
import { saveVersion, shownChanges, versionItem, versionList } from './support/versions-page.ts'
import { paste } from './support/paste.ts'
import { inviteLink, parseInvite } from '../renderer/src/sync/invite.ts'

/**
 * Issue 24: a committee of three walked through a day, as new users. Each test is one
 * of the surprises they met, played as the scenario, and what a member should see
 * instead. (Item 1, large changes, is test/large-changes.e2e.test.ts; item 8, the sync
 * status, is test/sync-status.e2e.test.ts; the layout at 1024 px is test/layout.e2e.test.ts.)
 */
const app = useApp()
const fleet = useFleet()

const dismissToasts = (page: Page) => page.locator('.pk-toast .pk-icon-button').evaluateAll((buttons) => buttons.forEach((b) => (b as HTMLElement).click()))
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null
  return el ? `${el.tagName.toLowerCase()}${el.classList.length ? `.${[...el.classList].join('.')}` : ''}|${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? ''}` : ''
})

/** A platform with a Housing plank. */
const PLATFORM = { title: 'People’s Platform', lines: ['## Housing', 'Rent shall be capped at a fair level.'] }

/** The platform, written and saved by one member. */
const writePlatform = async (page: Page) => {
  await openApp(page, app.url)
  await writeDraft(page, PLATFORM.title, ...PLATFORM.lines)
}

describe('a committee’s day without surprises', () => {
  it('2. one Enter never turns encryption off; destructive choices ask, with Cancel focused; focus comes back after dialogs', async () => {
    const { page } = await fleet.device()
    await openApp(page, app.url)
    await writeDraft(page, 'Private platform', 'Our words.')
    const share = page.getByRole('button', { name: 'Share', exact: true })
    await share.click()
    const dialog = page.getByRole('dialog', { name: 'Share this draft' })
    // The next step, adding a relay, has the focus; Enter there does not touch privacy.
    expect(await focused(page)).toContain('Relay address')
    await page.keyboard.press('Enter')
    await dialog.locator('.pk-privacy.pk-private').waitFor()
    // Asking to make it open asks again, and the safe answer is the default.
    await dialog.getByRole('button', { name: 'Make it open instead' }).click()
    const ask = page.getByRole('dialog', { name: 'Make this draft open?' })
    expect(await focused(page)).toContain('Keep it private')
    await screenshot(page, 'make-open-confirm')
    await page.keyboard.press('Enter')
    await ask.waitFor({ state: 'detached' })
    await dialog.locator('.pk-privacy.pk-private').waitFor()
    await dialog.getByRole('button', { name: 'Done' }).click()
    // Focus is back where the member was, not on the page.
    expect(await focused(page)).toContain('Share')

    // Deleting a draft: Enter cancels.
    await page.locator('.pk-draft', { hasText: 'Private platform' }).getByRole('button', { name: /More actions/ }).click()
    await page.getByRole('menuitem', { name: 'Delete' }).click()
    expect(await focused(page)).toContain('Cancel')
    await page.keyboard.press('Enter')
    expect(await draftTitles(page)).toEqual(['Private platform'])
    // Members: the first focus is Close, not a role change.
    await share.click()
    await dialog.getByRole('button', { name: 'Members…' }).click()
    expect(await focused(page)).toContain('Close')
    await page.keyboard.press('Enter')
    // After a dialog that was opened from the text, the caret is back in the text.
    await editor(page).click()
    await page.keyboard.press('Control+Alt+m') // no selection: nothing to comment on
    await page.locator('.pk-toast', { hasText: 'Select the words' }).waitFor()
    await page.locator('.pk-draft', { hasText: 'Private platform' }).getByRole('button', { name: /More actions/ }).click()
    await page.getByRole('menuitem', { name: 'Rename…' }).click()
    await page.getByRole('dialog', { name: 'Rename draft' }).getByRole('button', { name: 'Cancel' }).click()
    // The menu it came from is gone: the caret goes back to the text.
    await expect.poll(() => focused(page)).toContain('pk-editor')
  })

  it('3. propose back reaches the parent’s committee at once, though the parent is not open on the proposer’s device', async () => {
    const { members: [a, b] } = await shareDraft({ fleet, app, relay: await fleet.relay(), ...PLATFORM })
    await converged([a.page, b.page])
    // Ana makes a chapter draft, edits it, and proposes back; she never opens the parent again.
    await a.page.locator('.pk-draft', { hasText: 'People’s Platform' }).getByRole('button', { name: /More actions/ }).click()
    await a.page.getByRole('menuitem', { name: 'Start a chapter draft…' }).click()
    await a.page.getByRole('dialog').getByRole('textbox').fill('Riverside')
    await a.page.getByRole('dialog').getByRole('button', { name: 'Start chapter draft' }).click()
    await a.page.locator('.pk-topbar-title', { hasText: 'Riverside' }).waitFor()
    await replaceWords(a.page, 'a fair level', '3% a year')
    await waitSaved(a.page)
    await a.page.getByRole('button', { name: 'Propose back…' }).click()
    await a.page.getByRole('dialog').getByRole('button', { name: 'Propose back' }).click()
    await a.page.locator('.pk-toast', { hasText: 'its relays have them, so its committee sees them now' }).waitFor({ timeout: 25_000 })
    expect(await a.page.locator('.pk-topbar-title').innerText()).toContain('Riverside')
    // Ben, on the parent's committee, sees the amendment without Ana opening anything.
    await showAmendments(b.page)
    await amendmentCard(b.page, 'Riverside: Housing').waitFor({ timeout: 15_000 })
    await expect.poll(() => b.page.locator('.pk-editor ins.pk-ins').allInnerTexts()).toEqual(['3% a year'])
  })

  it('4. restore keeps the edits made since the version, as a “Before restoring” version, and compares them as such', async () => {
    const { page } = await fleet.device()
    await writePlatform(page)
    await setName(page, 'Ana')
    await saveVersion(page, 'Draft 1')
    await caretAfterWords(page, 'fair level.')
    await page.keyboard.type(' Tenants may organize, and this sentence was never saved as a version.')
    await waitSaved(page)
    await versionItem(page, 'Draft 1').getByRole('button', { name: 'Restore…' }).click()
    const ask = page.getByRole('dialog', { name: 'Restore “Draft 1”?' })
    await ask.getByText('is saved first as the version “Before restoring “Draft 1””').waitFor()
    await ask.getByRole('button', { name: 'Restore', exact: true }).click()
    await versionItem(page, 'Restored “Draft 1”').waitFor()
    expect(await draftText(page)).toBe('People’s Platform\nHousing\nRent shall be capped at a fair level.')
    expect((await versionList(page)).map((v) => v.name)).toEqual(['Restored “Draft 1”', 'Before restoring “Draft 1”', 'Draft 1'])
    // Nothing was lost: the edits are in the version made before the restore.
    await versionItem(page, 'Before restoring “Draft 1”').getByRole('button', { name: 'Open' }).click()
    await page.locator('.pk-past-page', { hasText: 'this sentence was never saved as a version' }).waitFor()
    await page.getByRole('button', { name: 'Back to the draft' }).click()
  })

  it('5. a quorum larger than the roster is refused when the vote is called, and closing short of the quorum warns', async () => {
    const { page } = await fleet.device()
    await writePlatform(page)
    await setName(page, 'Ana')
    await saveVersion(page, 'Draft 1')
    await versionItem(page, 'Draft 1').getByRole('button', { name: 'Ratify…' }).click()
    const call = page.getByRole('dialog', { name: 'Call a vote' })
    await call.getByLabel('Quorum').fill('5')
    await call.getByRole('button', { name: 'Open the vote' }).click()
    await call.getByText('A quorum of 5 can never be reached: the roster has 1 member. Use 1 or fewer.').waitFor()
    await screenshot(page, 'quorum-refused')
    await call.getByLabel('Quorum').fill('1')
    await call.getByRole('button', { name: 'Open the vote' }).click()
    const question = 'Ratify “Draft 1” as the platform?'
    await voteCard(page, question).getByRole('button', { name: 'Close the vote' }).click()
    const close = page.getByRole('dialog', { name: 'Close the vote without a quorum?' })
    await close.getByText('Only 0 of the 1 ballots the quorum needs are in').waitFor()
    expect(await focused(page)).toContain('Cancel')
    await close.getByRole('button', { name: 'Cancel' }).click()
    await voteCard(page, question).locator('.pk-chip', { hasText: 'Voting' }).waitFor()
  })

  it('6. a vote on an amendment adopts it when it passes; its card shows the vote and, once decided, what it changed', async () => {
    const { members: [a, b] } = await shareDraft({ fleet, app, relay: await fleet.relay(), ...PLATFORM, names: ['Ana', 'Ben'] })
    await startProposing(b.page, 'Cap rent by law', 'A number, not an adjective.')
    await replaceWords(b.page, 'a fair level', '3% a year')
    await stopProposing(b.page)
    await showAmendments(a.page)
    const card = amendmentCard(a.page, 'Cap rent by law')
    await card.getByRole('button', { name: 'Call a vote…' }).click()
    const call = a.page.getByRole('dialog', { name: 'Call a vote' })
    await call.getByLabel('Quorum').fill('2')
    await call.getByRole('button', { name: 'Open the vote' }).click()
    const question = 'Adopt the amendment “Cap rent by law”?'
    await castBallot(a.page, question, 'Yes')
    await castBallot(b.page, question, 'Yes')
    await showAmendments(a.page)
    await card.locator('.pk-vote-line', { hasText: 'Formal vote open: 2 of 2 members have voted' }).waitFor()
    await card.getByRole('button', { name: 'See the vote' }).click()
    await voteCard(a.page, question).getByRole('button', { name: 'Close the vote' }).click()
    await a.page.getByRole('dialog', { name: 'Close the vote?' }).getByText('If it passes, “Cap rent by law” is adopted').waitFor()
    await a.page.getByRole('dialog', { name: 'Close the vote?' }).getByRole('button', { name: 'Close the vote' }).click()
    // Adopted on every device: the text changed, the card says so and shows the vote and the change.
    for (const page of [a.page, b.page]) {
      await showAmendments(page)
      const c = amendmentCard(page, 'Cap rent by law')
      await c.locator('.pk-chip[data-status="accepted"]').waitFor({ timeout: 15_000 })
      await c.locator('.pk-vote-line', { hasText: 'Formal vote passed: 2 yes, 0 no' }).waitFor()
      await c.locator('.pk-change-decided', { hasText: 'It changed the text:' }).waitFor()
      expect(await c.locator('.pk-change-decided ins').allInnerTexts()).toEqual(['3% a year'])
    }
    expect((await converged([a.page, b.page])).text).toBe('People’s Platform\nHousing\nRent shall be capped at 3% a year.')
    await screenshot(b.page, 'amendment-adopted-by-vote')
    // The convention view names the plank and carries the minority reports.
    await showVotes(b.page)
    await voteCard(b.page, question).getByRole('button', { name: 'Add a minority report' }).click()
    await b.page.getByRole('dialog').getByRole('textbox').fill('Three percent is still too much.')
    await b.page.getByRole('dialog').getByRole('button', { name: 'Add report' }).click()
    await voteCard(b.page, question).getByRole('button', { name: 'Convention view' }).click()
    const hall = b.page.getByRole('dialog', { name: 'Convention view' })
    await hall.getByText('Amendment to the plank “Housing”').waitFor()
    await hall.locator('.pk-convention-report', { hasText: 'Minority report by Ben: Three percent is still too much.' }).waitFor()
    expect(await hall.locator('.pk-convention-text ins').allInnerTexts()).toEqual(['3% a year'])
    await screenshot(b.page, 'convention-view-plank')
    await b.page.keyboard.press('Escape')
  })

  it('7. bad invites say what is wrong; a draft nobody has shared says so, is not “Synced”, and can be removed; joiners are asked their name', async () => {
    const r = await fleet.relay()
    const { page } = await fleet.device()
    await openApp(page, app.url)
    await writeDraft(page, 'My own draft', 'Mine.')
    const link = await shareThrough(page, r.url)
    // A link cut short in a chat message: a message saying so, and the member stays where they were.
    await page.goto(link.slice(0, link.length - 25))
    await page.locator('.pk-toast', { hasText: 'This invite could not be opened. This invite link is incomplete or damaged' }).waitFor()
    expect(await draftTitles(page)).toEqual(['My own draft'])
    // The Join dialog gives the right reason for each.
    await page.getByRole('button', { name: 'Join with invite…' }).click()
    const join = page.getByRole('dialog', { name: 'Join a draft' })
    const field = join.getByLabel('Paste the invite link a member sent you')
    await field.fill('https://example.org/platform')
    await join.getByRole('button', { name: 'Join' }).click()
    await join.getByText('That is not a Plank invite link').waitFor()
    await field.fill(link.slice(0, link.indexOf('#join=') + 30))
    await join.getByRole('button', { name: 'Join' }).click()
    await join.getByText('incomplete or damaged').waitFor()
    // A well-formed link to a draft no member has ever shared through that relay.
    const unknown = inviteLink(link.slice(0, link.indexOf('#')), { ...parseInvite(link)!, draftId: 'no-such-draft-4e1f9a', title: 'A draft nobody shared' })
    await field.fill(unknown)
    await join.getByLabel('Your name, as the committee will see it').fill('Cleo Diaz')
    await join.getByRole('button', { name: 'Join' }).click()
    await page.locator('.pk-banner', { hasText: 'Nobody has shared this draft through its relays yet' }).waitFor({ timeout: 15_000 })
    expect(await page.locator('.pk-sync').innerText()).toBe('Waiting for the draft')
    await page.waitForTimeout(1500)
    expect(await page.locator('.pk-sync').innerText()).toBe('Waiting for the draft')
    expect(await page.locator('.pk-avatar-me').innerText()).toBe('CD')
    await screenshot(page, 'invite-unknown-draft')
    await page.locator('.pk-banner').getByRole('button', { name: 'Remove this draft' }).click()
    await page.getByRole('dialog', { name: 'Delete this draft?' }).getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => draftTitles(page)).toEqual(['My own draft'])

    // Someone new opens a good link: asked their name (not in a modal: the draft is there to read).
    const { page: newcomer } = await fleet.device()
    await joinWith(newcomer, link)
    const bar = newcomer.getByRole('form', { name: 'Your name' })
    await bar.getByLabel('Your name').fill('Dana Ek')
    await screenshot(newcomer, 'joiner-name')
    await bar.getByRole('button', { name: 'Save name' }).click()
    await bar.waitFor({ state: 'hidden' })
    expect(await newcomer.locator('.pk-avatar-me').innerText()).toBe('DE')
    await page.locator('.pk-avatar[data-name="Dana Ek"]').waitFor({ timeout: 10_000 })
  })

  it('9. nothing typed is lost: a reason after Support, Reply’s box, the first click on one’s avatar, Esc on a new comment', async () => {
    const { page } = await fleet.device()
    await writePlatform(page)
    await dismissToasts(page)
    await setName(page, 'Ana')
    await startProposing(page, 'Cap rent by law')
    await replaceWords(page, 'a fair level', '3% a year')
    await stopProposing(page)
    await showAmendments(page)
    const card = amendmentCard(page, 'Cap rent by law')
    // Support first, the reason after: the reason is kept when the member moves on.
    await card.getByRole('group', { name: 'Your position' }).getByRole('button', { name: 'Support' }).click()
    await card.getByLabel('Reason for your position').fill('Tenants asked for a number.')
    await page.keyboard.press('Tab')
    await card.locator('.pk-positions li', { hasText: 'Ana supports — Tenants asked for a number.' }).waitFor()

    // Reply puts the caret in the reply box.
    await showComments(page)
    await commentOn(page, 'Rent shall', 'Which rents?')
    // A second thread becomes the active one: the first shows its Reply button.
    await commentOn(page, 'capped', 'Capped how?')
    const thread = page.locator('.pk-thread', { hasText: 'Which rents?' })
    await thread.getByRole('button', { name: 'Reply', exact: true }).click()
    await expect.poll(() => focused(page)).toContain('Reply…')
    await page.keyboard.type('All of them.')
    await page.keyboard.press('Control+Enter')
    await thread.locator('.pk-comment-body', { hasText: 'All of them.' }).waitFor()

    // Esc drops a comment being written, and the caret goes back to the text.
    await selectWords(page, 'fair level')
    await page.locator('.pk-review-tools').getByRole('button', { name: 'Comment', exact: true }).click()
    await expect.poll(() => focused(page)).toContain('Comment on the selected words')
    await page.keyboard.type('Never mind')
    await page.keyboard.press('Escape')
    await page.locator('.pk-new-comment').waitFor({ state: 'detached' })
    expect(await focused(page)).toContain('pk-editor')

    // The first click on one's own avatar, with the caret in the text, opens the profile.
    await editor(page).click()
    await page.locator('.pk-avatar-me').click()
    await page.getByRole('dialog', { name: 'How others see you' }).waitFor({ timeout: 1000 })
    await page.keyboard.press('Escape')
  })

  it('10. versions with the same text compare as “no changes”; a deletion compared at once is credited to its member', async () => {
    const { page } = await fleet.device()
    await writePlatform(page)
    await setName(page, 'Ana')
    await saveVersion(page, 'Draft 1')
    // Words typed and taken out again: a different history, the same text.
    await caretAfterWords(page, 'fair level.')
    await page.keyboard.type(' Temporary')
    for (let i = 0; i < ' Temporary'.length; i++) await page.keyboard.press('Backspace')
    await saveVersion(page, 'Same text again')
    const [again, first] = await versionList(page)
    expect(again!.hash).toBe(first!.hash)
    await versionItem(page, 'Same text again').getByRole('button', { name: 'Changes' }).click()
    await page.locator('.pk-past-bar', { hasText: 'No changes from “Draft 1” to “Same text again”' }).waitFor()
    expect(await shownChanges(page)).toEqual([])
    await page.getByRole('button', { name: 'Back to the draft' }).click()
    // A word deleted and compared within the attribution batch window.
    await selectWords(page, 'fair ')
    await page.keyboard.press('Backspace')
    await versionItem(page, 'Draft 1').getByRole('button', { name: 'Compare with now' }).click()
    await page.locator('.pk-past-bar', { hasText: 'Changes from “Draft 1” to now' }).waitFor()
    expect(await shownChanges(page)).toEqual(['-fair |Ana'])
  })

  it('also seen: a pasted <h1> is a plank, not a second title; “500,000” is one word; plain text keeps list markers', async () => {
    const { page } = await fleet.device()
    await writePlatform(page)
    await caretAfterWords(page, 'fair level.')
    await page.keyboard.press('Enter')
    await paste(page, { html: '<h1>Transit</h1><p>Build 500,000 homes.</p><ul><li>Buses</li><li>Trams</li></ul>' })
    await expect.poll(() => editor(page).locator('h2').allInnerTexts()).toEqual(['Housing', 'Transit'])
    expect(await editor(page).locator('h1').count()).toBe(1)
    await waitSaved(page)
    // People’s Platform · Housing · Rent shall be capped at a fair level · Transit · Build 500,000 homes · Buses · Trams
    expect(await page.locator('.pk-words').innerText()).toBe('17 words')
    await page.getByRole('button', { name: 'Export…' }).click()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('dialog').getByRole('button', { name: 'Plain text' }).click(),
    ])
    const text = await readFile((await download.path())!, 'utf8')
    expect(text).toBe('People’s Platform\n\nHousing\n\nRent shall be capped at a fair level.\n\nTransit\n\nBuild 500,000 homes.\n\n- Buses\n- Trams\n')
  })
})
