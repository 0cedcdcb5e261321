import { describe, expect, it } from 'vitest'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { screenshot } from './support/editor-page.ts'
import { converged } from './support/sync-page.ts'
import { shareDraft } from './support/shared-draft.ts'
import { saveVersion, showVersions, versionItem } from './support/versions-page.ts'
import { castBallot, showVotes, tallyText, voteCard } from './support/votes-page.ts'
import { stockClient, waitUntil } from './support/yjs-client.ts'
import { parseInvite } from '../renderer/src/sync/invite.ts'

const app = useApp()
const fleet = useFleet()
const QUESTION = 'Ratify “Draft 1” as the platform?'

describe('members, signed ballots and ratification', () => {
  it('invitees join the roster; a ratification vote counts ballots synced before the close, shows late ones, and every member sees the same result; an altered record is refused and named', async () => {
    const r = await fleet.relay()
    // Open, so the test can play a peer that alters records on the relay; each member on a line the test can cut.
    const { members: [a, b, c], link, lines } = await shareDraft({
      fleet, app, relay: r, members: 3, cuttable: 'each', open: true, names: ['Ana', 'Ben', 'Cleo'],
      title: 'People’s Platform', lines: ['Rent shall be capped.'],
    })
    expect(link).toContain('#join=')
    const [lineB, lineC] = [lines[1]!, lines[2]!]
    expect((await converged([a.page, b.page, c.page])).text).toBe('People’s Platform\nRent shall be capped.')

    // The invite link put Ben and Cleo on the roster, under the names they chose.
    await b.page.getByRole('button', { name: 'Share', exact: true }).click()
    await b.page.getByRole('dialog').getByRole('button', { name: 'Members…' }).click()
    const members = b.page.getByRole('dialog', { name: 'Members' })
    await expect.poll(() => members.locator('.pk-member-name').allInnerTexts()).toEqual(['Ana', 'Ben (you)', 'Cleo'])
    await screenshot(b.page, 'members')
    await members.getByRole('button', { name: 'Close' }).click()

    // Ana puts Draft 1 to a two-thirds vote.
    await saveVersion(a.page, 'Draft 1')
    await versionItem(a.page, 'Draft 1').getByRole('button', { name: 'Ratify…' }).click()
    const call = a.page.getByRole('dialog', { name: 'Call a vote' })
    expect(await call.getByLabel('Quorum').inputValue()).toBe('2')
    await screenshot(a.page, 'call-vote')
    await call.getByRole('button', { name: 'Open the vote' }).click()
    await voteCard(a.page, QUESTION).waitFor()
    for (const d of [b, c]) { await showVotes(d.page); await voteCard(d.page, QUESTION).waitFor() }

    await castBallot(a.page, QUESTION, 'Yes')
    await castBallot(b.page, QUESTION, 'Yes')
    // Cleo votes offline and syncs before the close: counted.
    await lineC.cut()
    await castBallot(c.page, QUESTION, 'No')
    await lineC.restore()
    await expect.poll(() => tallyText(a.page, QUESTION)).toContain('1 no')
    // Ben changes his ballot offline and syncs only after the close: late, not counted.
    await lineB.cut()
    await castBallot(b.page, QUESTION, 'Block')
    await voteCard(a.page, QUESTION).getByRole('button', { name: 'Close the vote' }).click()
    await a.page.getByRole('dialog').getByRole('button', { name: 'Close the vote' }).click()
    await lineB.restore()
    for (const d of [a, b, c]) {
      const card = voteCard(d.page, QUESTION)
      await card.locator('.pk-chip', { hasText: 'Passed' }).waitFor({ timeout: 15_000 })
      await card.locator('.pk-late', { hasText: '1 ballot arrived after the close and was not counted (Ben)' }).waitFor({ timeout: 15_000 })
      expect((await tallyText(d.page, QUESTION)).replace(/\s+/g, ' ')).toBe('2 yes 1 no 0 abstain 0 block')
    }

    // Cleo records her dissent; Ana records the ratification, bound to Draft 1's hash.
    await voteCard(c.page, QUESTION).getByRole('button', { name: 'Add a minority report' }).click()
    await c.page.getByRole('dialog').getByRole('textbox').fill('A cap without enforcement is a slogan.')
    await c.page.getByRole('dialog').getByRole('button', { name: 'Add report' }).click()
    await voteCard(a.page, QUESTION).getByRole('button', { name: 'Record the ratification' }).click()
    for (const d of [a, b, c]) {
      await voteCard(d.page, QUESTION).locator('.pk-ratified').waitFor({ timeout: 15_000 })
      await voteCard(d.page, QUESTION).locator('.pk-report', { hasText: 'A cap without enforcement is a slogan.' }).waitFor({ timeout: 15_000 })
    }
    await screenshot(c.page, 'vote-closed')
    await showVersions(b.page)
    await versionItem(b.page, 'Draft 1').locator('.pk-ratification-ratified', { hasText: 'Ratified 2–1 · 1 minority report' }).waitFor()
    // The ratification and its minority report are part of the version's record.
    await versionItem(b.page, 'Draft 1').locator('.pk-report', { hasText: 'Minority report by Cleo: A cap without enforcement is a slogan.' }).waitFor()
    await screenshot(b.page, 'version-ratified')

    await voteCard(a.page, QUESTION).getByRole('button', { name: 'Convention view' }).click()
    const hall = a.page.getByRole('dialog', { name: 'Convention view' })
    await hall.locator('.pk-convention-status', { hasText: 'Passed' }).waitFor()
    expect(await hall.locator('.pk-convention-number').allInnerTexts()).toEqual(['2', '1', '0', '0'])
    await screenshot(a.page, 'convention-view')
    await a.page.keyboard.press('Escape')
    await hall.waitFor({ state: 'detached' })

    // A peer rewrites the ratification record on the relay (say, its tally): the altered copy is
    // refused, the signed one every device verified stands (and is put back), and the banner says so.
    const draftId = parseInvite(link)!.draftId
    const hostile = stockClient(r.url, draftId)
    await hostile.synced()
    const log = hostile.doc.getArray<Record<string, unknown>>('questions')
    await waitUntil(() => log.toArray().some((e) => e.t === 'ratify'), 10_000, 'the ratification on the relay')
    const at = log.toArray().findIndex((e) => e.t === 'ratify')
    const altered = { ...log.get(at), counts: { yes: 3, no: 0, abstain: 0, block: 0 } }
    hostile.doc.transact(() => { log.delete(at, 1); log.insert(at, [altered]) })
    for (const d of [a, b, c]) {
      const banner = d.page.locator('.pk-banner-trust')
      await banner.waitFor({ timeout: 15_000 })
      await banner.getByText('a ratification in Ana’s name whose signature does not verify').waitFor()
      await voteCard(d.page, QUESTION).locator('.pk-ratified').waitFor({ state: 'attached' })
    }
    // The device that put the record back first saw it gone; others may get it back before they notice.
    await waitUntil(async () => (await Promise.all([a, b, c].map((d) => d.page.locator('.pk-banner-trust').getByText('Ana’s ratification, deleted from the shared document').count()))).some((n) => n > 0), 15_000, 'a device noting the deletion')
    // Every honest device put the signed record back on the relay.
    await waitUntil(() => log.toArray().filter((e) => e.t === 'ratify' && (e.counts as { yes: number }).yes === 2).length > 0, 10_000, 'the ratification put back')
    await screenshot(b.page, 'tampering-banner')
    hostile.destroy()
  })
})
