import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { screenshot } from './support/editor-page.ts'
import { converged, joinWith, viaRelays } from './support/sync-page.ts'
import { shareDraft } from './support/shared-draft.ts'
import { setName } from './support/review-page.ts'
import { saveVersion, versionItem } from './support/versions-page.ts'
import { castBallot as vote, showVotes, tallyText, voteCard } from './support/votes-page.ts'
import { stockClient, waitUntil } from './support/yjs-client.ts'
import { parseInvite } from '../renderer/src/sync/invite.ts'
import { DOMAIN, Ledger, ORIGIN, acceptInvitation, castBallot, makeRecord, newIdentity } from '../crdt/index.ts'

/**
 * A modified client attacks a draft through a real relay: Mallory, a member an admin
 * removed, runs a Node Yjs peer with her key and the draft's link. She deletes her
 * removal from the shared log, founds the draft a second time, rejoins with the old
 * link, forges a ballot in Ben's name and deletes Ana's. Honest members' browsers keep
 * showing the true roster and tally, name what was refused and by whom, and put the
 * deleted records back, so a member who joins afterwards sees the truth too.
 */
const app = useApp()
const fleet = useFleet()
const QUESTION = 'Ratify “Draft 1” as the platform?'

const openMembers = async (page: Page) => {
  await page.getByRole('button', { name: 'Share', exact: true }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Members…' }).click()
  return page.getByRole('dialog', { name: 'Members' })
}
const memberNames = async (page: Page) => {
  const dialog = await openMembers(page)
  const names = await dialog.locator('.pk-member-name').allInnerTexts()
  await dialog.getByRole('button', { name: 'Close' }).click()
  return names.map((n) => n.replace(' (you)', ''))
}

describe('red team through a relay', () => {
  it('a removed member’s modified client cannot rejoin, re-found, forge or delete her way back; honest browsers show the truth and say who tried', async () => {
    const r = await fleet.relay()
    const { members: [a, b], link } = await shareDraft({
      fleet, app, relay: r, open: true, names: ['Ana', 'Ben'], title: 'People’s Platform', lines: ['Rent shall be capped.'],
    })
    await converged([a.page, b.page])

    // Mallory joins with the same link from her own (Node) client.
    const invite = parseInvite(link)!
    const mallory = newIdentity()
    const peer = stockClient(r.url, invite.draftId)
    await peer.synced()
    const ledger = new Ledger(peer.doc, invite.draftId)
    acceptInvitation(ledger, mallory, { secret: invite.invitation!, name: 'Mallory', now: Date.now() }, ORIGIN.local)
    await expect.poll(() => memberNames(b.page), { timeout: 15_000 }).toEqual(['Ana', 'Ben', 'Mallory'])

    // A ratification vote; Ana and Ben vote yes, Mallory no.
    await saveVersion(a.page, 'Draft 1')
    await versionItem(a.page, 'Draft 1').getByRole('button', { name: 'Ratify…' }).click()
    await a.page.getByRole('dialog', { name: 'Call a vote' }).getByRole('button', { name: 'Open the vote' }).click()
    await voteCard(a.page, QUESTION).waitFor()
    await showVotes(b.page)
    await voteCard(b.page, QUESTION).waitFor({ timeout: 15_000 })
    await vote(a.page, QUESTION, 'Yes')
    await vote(b.page, QUESTION, 'Yes')
    await waitUntil(() => ledger.nodes('questions').some((n) => n.entry.t === 'open'), 15_000, 'the vote on Mallory’s client')
    const question = ledger.nodes('questions').find((n) => n.entry.t === 'open')!.id
    castBallot(ledger, mallory, { question, choice: 'no', now: Date.now() }, ORIGIN.local)
    await expect.poll(() => tallyText(b.page, QUESTION), { timeout: 15_000 }).toContain('1 no')

    // Ana removes Mallory.
    const members = await openMembers(a.page)
    await members.locator('.pk-member', { hasText: 'Mallory' }).getByRole('button', { name: 'Remove' }).click()
    await a.page.getByRole('dialog').filter({ hasText: 'Remove Mallory?' }).getByRole('button', { name: 'Remove', exact: true }).click()
    await members.getByRole('button', { name: 'Close' }).click()
    await expect.poll(() => tallyText(b.page, QUESTION), { timeout: 15_000 }).toContain('0 no')
    await waitUntil(() => ledger.roster().members.length === 2, 15_000, 'the removal on Mallory’s client')

    // The attack, all at once from her client.
    const benId = ledger.roster().members.find((m) => m.name === 'Ben')!.id
    const log = peer.doc.getArray<Record<string, unknown>>('members')
    const questions = peer.doc.getArray<Record<string, unknown>>('questions')
    peer.doc.transact(() => {
      log.delete(log.toArray().findIndex((e) => e.t === 'remove'), 1)
      log.push([makeRecord(mallory, { dom: DOMAIN.roster, draft: '', prev: [] }, { t: 'found', name: 'Mallory', nonce: 'again', at: 0 }).record])
      questions.delete(questions.toArray().findIndex((e) => e.t === 'ballot' && e.choice === 'yes'), 1)
      questions.push([{ ...makeRecord(mallory, { dom: DOMAIN.question, draft: invite.draftId, prev: ledger.heads() }, { t: 'ballot', question, choice: 'no', at: Date.now() }).record, by: benId }])
    })
    // Rejoin with the old link, under her key and a fresh one, following records from before her removal.
    acceptInvitation(ledger, mallory, { secret: invite.invitation!, name: 'Mallory', now: Date.now() }, ORIGIN.local)
    acceptInvitation(ledger, newIdentity(), { secret: invite.invitation!, name: 'Not Mallory', now: Date.now() }, ORIGIN.local)

    for (const page of [a.page, b.page]) {
      const banner = page.locator('.pk-banner-trust')
      await banner.waitFor({ timeout: 15_000 })
      await banner.getByText(/Mallory/).first().waitFor()
      await expect.poll(() => memberNames(page)).toEqual(['Ana', 'Ben'])
      await expect.poll(async () => (await tallyText(page, QUESTION)).replace(/\s+/g, ' ')).toBe('2 yes 0 no 0 abstain 0 block')
    }
    // Whichever device saw the deletion first put the records back and says so (the other may get them back before it notices).
    await waitUntil(async () => (await Promise.all([a.page, b.page].map((page) => page.locator('.pk-banner-trust').getByText('Ana’s removal, deleted from the shared document').count()))).some((n) => n > 0), 15_000, 'a device noting the deleted removal')
    await screenshot(b.page, 'red-team-banner')
    const details = await openMembers(b.page)
    await details.locator('.pk-flagged-list li', { hasText: 'a second founding entry, by Mallory (no longer a member)' }).waitFor()
    await details.locator('.pk-flagged-list li', { hasText: 'a ballot in Ben’s name whose signature does not verify' }).waitFor()
    await details.locator('.pk-flagged-list li', { hasText: 'a join by Mallory (no longer a member): the invitation was voided when Mallory was removed' }).waitFor()
    await screenshot(b.page, 'red-team-members')
    await details.getByRole('button', { name: 'Close' }).click()

    // Honest browsers put the deleted records back on the relay: a member who joins now, with a new link, sees the truth.
    await waitUntil(() => log.toArray().some((e) => e.t === 'remove'), 15_000, 'the removal put back on the relay')
    await a.page.getByRole('button', { name: 'Share', exact: true }).click()
    const fresh = await a.page.getByRole('dialog').getByLabel('Invite link').inputValue()
    await a.page.getByRole('dialog').getByRole('button', { name: 'Done' }).click()
    expect(parseInvite(fresh)!.invitation).not.toBe(invite.invitation)
    const c = await fleet.device()
    await joinWith(c.page, viaRelays(fresh, [r.url]))
    await setName(c.page, 'Cleo')
    await expect.poll(() => memberNames(c.page), { timeout: 15_000 }).toEqual(['Ana', 'Ben', 'Cleo'])
    await showVotes(c.page)
    await expect.poll(async () => (await tallyText(c.page, QUESTION)).replace(/\s+/g, ' '), { timeout: 15_000 }).toBe('2 yes 0 no 0 abstain 0 block')
    // What a device verified, and the tampering it saw, are its own: kept in its store across restarts.
    for (const page of [a.page, b.page]) await page.reload()
    await waitUntil(async () => (await Promise.all([a.page, b.page].map((page) => page.locator('.pk-banner-trust').getByText('Ana’s removal, deleted from the shared document').count()))).some((n) => n > 0), 15_000, 'the noted deletion after a restart')
    expect(await memberNames(b.page)).toEqual(['Ana', 'Ben', 'Cleo'])
    peer.destroy()
  })
})
