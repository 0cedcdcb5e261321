import { describe, expect, it } from 'vitest'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { editor, openApp, screenshot, waitSaved, writeDraft } from './support/editor-page.ts'
import { caretAfter, shareThrough, waitSynced } from './support/sync-page.ts'
import { shareDraft } from './support/shared-draft.ts'
import { bigText, paste } from './support/paste.ts'
import { CLOSE } from '../crdt/contracts/wire-protocol.ts'

/**
 * Issue 24, item 1: a large paste or import, or a long offline backlog, is more than a
 * relay takes in one message (2 MiB on Plank's relay). It must travel in pieces, and
 * what the member types afterwards must reach everyone too.
 */
const app = useApp()
const fleet = useFleet()

/** The last paragraph of the paste, and the words typed after it, as another member's editor shows them. */
const sees = (page: import('playwright-core').Page, text: string) =>
  expect.poll(() => editor(page).evaluate((el, t) => el.textContent?.includes(t) ?? false, text), { timeout: 30_000 }).toBe(true)

describe('no size of edit or offline backlog cuts a device off', () => {
  it('a member pastes 3 MB, then types; the second member sees both, and the relay never closed anyone for size', async () => {
    const r = await fleet.relay()
    const { members: [a, b] } = await shareDraft({ fleet, app, relay: r, title: 'Platform with appendix', lines: ['Our preamble.'] })

    const text = bigText(3 * 1024 * 1024)
    const last = text.slice(text.lastIndexOf('\n') + 1, text.lastIndexOf('\n') + 20)
    await caretAfter(a.page, 'Our preamble.')
    await a.page.keyboard.press('Enter')
    await paste(a.page, { text })
    await a.page.keyboard.type(' Typed after the paste.')
    await waitSaved(a.page)
    await sees(b.page, last)
    await sees(b.page, 'Typed after the paste.')
    await waitSynced(a.page, 30_000)
    // Nobody was cut off for a message too big.
    expect(r.logs.filter((l) => l.event === 'connection-closed' && l.code === CLOSE.tooBig.code)).toEqual([])
    // And the connection still carries small edits both ways.
    await caretAfter(b.page, 'Our preamble.')
    await b.page.keyboard.type(' Seen by both.')
    await sees(a.page, 'Seen by both.')
  })

  it('an open draft: 3 MB written offline reach the relay in pieces when the member is back', async () => {
    const r = await fleet.relay()
    const { members: [a, b], lines } = await shareDraft({ fleet, app, relay: r, title: 'Open platform', lines: ['Our preamble.'], open: true, cuttable: 'writer' })
    const line = lines[0]!

    await line.cut()
    await a.page.locator('.pk-sync', { hasText: 'Offline' }).waitFor()
    await caretAfter(a.page, 'Our preamble.')
    await a.page.keyboard.press('Enter')
    const text = bigText(3 * 1024 * 1024)
    await paste(a.page, { text })
    await a.page.keyboard.type(' Typed offline after the paste.')
    await waitSaved(a.page)
    await a.page.locator('.pk-sync', { hasText: /Offline · \d+ edits? not yet on any relay/ }).waitFor()
    await line.restore()
    await waitSynced(a.page, 30_000)
    await sees(b.page, 'Typed offline after the paste.')
    expect(r.logs.filter((l) => l.event === 'connection-closed' && l.code === CLOSE.tooBig.code)).toEqual([])
  })

  it('a relay that takes smaller messages than Plank’s (--max-message 300000): the app learns its limit and sends smaller pieces', async () => {
    const r = await fleet.relay(['--max-message', '300000'])
    const { members: [a, b] } = await shareDraft({ fleet, app, relay: r, title: 'Small messages', lines: ['Our preamble.'], open: true })
    await caretAfter(a.page, 'Our preamble.')
    await a.page.keyboard.press('Enter')
    await paste(a.page, { text: bigText(1536 * 1024) })
    await a.page.keyboard.type(' After the paste.')
    await sees(b.page, 'After the paste.')
    await waitSynced(a.page, 30_000)
    // It took the relay's refusals to learn its limit, and then no more.
    const refusals = r.logs.filter((l) => l.event === 'connection-closed' && l.code === CLOSE.tooBig.code).length
    console.log(`the relay refused ${refusals} messages as too big before the app's pieces fitted`)
    expect(refusals).toBeGreaterThan(0)
    expect(refusals).toBeLessThanOrEqual(4)
  })

  it('a real limit, a room over the relay’s quota, is said plainly and the change stays on the device', async () => {
    const r = await fleet.relay(['--room-quota', '1000000'])
    const a = await fleet.device()
    await openApp(a.page, app.url)
    await writeDraft(a.page, 'Over quota', 'Our preamble.')
    await shareThrough(a.page, r.url)
    await waitSynced(a.page)
    await caretAfter(a.page, 'Our preamble.')
    await a.page.keyboard.press('Enter')
    const text = bigText(2 * 1024 * 1024)
    await paste(a.page, { text })
    await waitSaved(a.page)
    await a.page.locator('.pk-sync[data-kind="error"]', { hasText: /^Not syncing: .+ · 1 edit not yet on any relay$/ }).waitFor({ timeout: 20_000 })
    // In full, where the status pill may be cut short.
    await a.page.getByRole('alert').filter({ hasText: /^Not syncing: .+\. Your edits are safe on this device/ }).waitFor()
    await screenshot(a.page, 'sync-room-full')
    // Kept on this device: after a restart it is all there, and still waiting.
    await a.page.reload()
    await a.page.locator('#app[data-ready="true"]').waitFor()
    await sees(a.page, text.slice(text.lastIndexOf('\n') + 1, text.lastIndexOf('\n') + 20))
    await a.page.locator('.pk-sync', { hasText: /Not syncing: .+ · 1 edit not yet on any relay$/ }).waitFor({ timeout: 20_000 })
  })

})
