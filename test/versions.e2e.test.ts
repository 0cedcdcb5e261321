import { describe, expect, it } from 'vitest'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { editor, screenshot } from './support/editor-page.ts'
import { converged, draftText } from './support/sync-page.ts'
import { shareDraft } from './support/shared-draft.ts'
import { caretAfterWords, replaceWords } from './support/review-page.ts'
import { ATTRIBUTION_BATCH_MS } from '../crdt/attribution.ts'
import { pastText, saveVersion, showVersions, shownBlocks, shownChanges, versionItem, versionList } from './support/versions-page.ts'

const app = useApp()
const fleet = useFleet()

describe('versions', () => {
  it('appear on every peer with the same verified hash; compare names who changed which words; restore keeps later versions', async () => {
    const { members: [a, b] } = await shareDraft({
      fleet, app, relay: await fleet.relay(), names: ['Ana', 'Ben'],
      title: 'People’s Platform', lines: ['## Housing', 'Rent shall be capped at a fair level.'],
    })
    const draft1 = (await converged([a.page, b.page])).text

    await saveVersion(a.page, 'Draft 1')
    await showVersions(b.page)
    await versionItem(b.page, 'Draft 1').waitFor()
    await expect.poll(() => versionList(a.page)).toEqual([{ name: 'Draft 1', hash: expect.stringMatching(/^[0-9a-f]{64}$/), check: '✓ verified' }])
    await expect.poll(() => versionList(b.page)).toEqual(await versionList(a.page))

    // Ben rewords, Ana adds a sentence: the comparison must say who did what.
    await replaceWords(b.page, 'a fair', 'an affordable')
    await converged([a.page, b.page])
    await caretAfterWords(a.page, 'level.')
    await a.page.keyboard.type(' Tenants may organize.')
    await a.page.keyboard.press('Enter')
    await a.page.keyboard.type('Homes for all.')
    const draft2 = (await converged([a.page, b.page])).text
    await saveVersion(a.page, 'Draft 2')

    // Whose deletions they were travels in batches (crdt/attribution.ts): let Ben's arrive.
    await a.page.waitForTimeout(ATTRIBUTION_BATCH_MS + 500)
    await versionItem(a.page, 'Draft 1').getByRole('button', { name: 'Compare with now' }).click()
    await a.page.locator('.pk-past-bar', { hasText: 'Changes from “Draft 1” to now' }).waitFor()
    expect(await shownChanges(a.page)).toEqual(['-a|Ben', '+an|Ben', '-fair |Ben', '+affordable |Ben', '+ Tenants may organize.|Ana', '+Homes for all.|Ana'])
    expect(await shownBlocks(a.page)).toEqual(['+p:Homes for all.|Ana'])
    await expect.poll(() => a.page.locator('.pk-diff-author').allInnerTexts()).toEqual(['Ben', 'Ana'])
    await screenshot(a.page, 'version-compare')
    await a.page.getByRole('button', { name: 'Back to the draft' }).click()
    await editor(a.page).waitFor()

    // The same on the other peer, between the two versions.
    await versionItem(b.page, 'Draft 2').getByRole('button', { name: 'Changes' }).click()
    await b.page.locator('.pk-past-bar', { hasText: 'Changes from “Draft 1” to “Draft 2”' }).waitFor()
    expect(await shownChanges(b.page)).toEqual(['-a|Ben', '+an|Ben', '-fair |Ben', '+affordable |Ben', '+ Tenants may organize.|Ana', '+Homes for all.|Ana'])
    expect(await shownBlocks(b.page)).toEqual(['+p:Homes for all.|Ana'])
    await b.page.getByRole('button', { name: 'Back to the draft' }).click()
    // Any two versions, chosen from either one: the older is the starting point.
    await versionItem(b.page, 'Draft 1').getByRole('button', { name: 'Compare with…' }).click()
    const picker = b.page.getByRole('dialog', { name: 'Compare two versions' }).getByLabel('Version')
    await picker.selectOption((await picker.locator('option', { hasText: /^Draft 2 — / }).getAttribute('value'))!)
    await b.page.getByRole('dialog', { name: 'Compare two versions' }).getByRole('button', { name: 'Compare' }).click()
    await b.page.locator('.pk-past-bar', { hasText: 'Changes from “Draft 1” to “Draft 2”' }).waitFor()
    expect(await shownChanges(b.page)).toContain('+affordable |Ben')
    await b.page.getByRole('button', { name: 'Back to the draft' }).click()

    // Open a version read-only.
    await versionItem(a.page, 'Draft 1').getByRole('button', { name: 'Open' }).click()
    await a.page.locator('.pk-past-bar', { hasText: 'Viewing “Draft 1”, read-only' }).waitFor()
    expect(await pastText(a.page)).toBe(draft1)
    expect(await a.page.locator('.pk-past-editor').getAttribute('contenteditable')).toBe('false')
    await screenshot(a.page, 'version-open')

    // Restore Draft 1 from that view: a new change, every later version kept.
    await a.page.getByRole('button', { name: 'Restore this version…' }).click()
    await a.page.getByRole('dialog').getByRole('button', { name: 'Restore', exact: true }).click()
    await versionItem(a.page, 'Restored “Draft 1”').waitFor()
    expect(await draftText(a.page)).toBe(draft1)
    expect((await converged([a.page, b.page])).text).toBe(draft1)
    const list = await versionList(a.page)
    expect(list.map((v) => v.name)).toEqual(['Restored “Draft 1”', 'Draft 2', 'Draft 1'])
    expect(list[0]!.hash).toBe(list[2]!.hash)
    expect(list[1]!.hash).not.toBe(list[2]!.hash)
    await expect.poll(() => versionList(b.page)).toEqual(list)
    // Draft 2 is still there to go back to.
    await versionItem(b.page, 'Draft 2').getByRole('button', { name: 'Open' }).click()
    await b.page.locator('.pk-past-bar', { hasText: 'Viewing “Draft 2”' }).waitFor()
    expect(await pastText(b.page)).toBe(draft2)
    await screenshot(b.page, 'versions-panel')
  })
})
