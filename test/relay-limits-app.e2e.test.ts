import { describe, expect, it } from 'vitest'
import { useApp } from './support/app-server.ts'
import { newDraft, openApp, screenshot, waitSaved } from './support/editor-page.ts'
import { caretAfter, shareThrough, syncStatus, waitSynced } from './support/sync-page.ts'
import { useFleet } from './support/fleet.ts'

/**
 * What a member sees when a relay cannot take their edit: the draft's room is over the
 * relay's quota. The relay closes with a code the app retries after, so the status says
 * why the relay is offline and never that it refused the draft for good.
 * (test/relay-limits.e2e.test.ts shows the retry delivering everything once there is room.)
 */
const app = useApp()
const fleet = useFleet()

describe('a relay whose room for the draft is full', () => {
  it('says why it is not syncing, and the editor keeps working', async () => {
    const relay = await fleet.relay(['--room-quota', '60000'])
    const { page } = await fleet.device()
    await openApp(page, app.url)
    await newDraft(page)
    await page.keyboard.type('Platform with a long annex')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.type('Preamble.')
    await waitSaved(page)
    await shareThrough(page, relay.url)
    await waitSynced(page)

    await caretAfter(page, 'Preamble.')
    await page.keyboard.insertText(` ${'An annex too long for this relay. '.repeat(2500)}`) // about 85 KB
    await page.locator('.pk-sync', { hasText: 'space for the draft is full' }).waitFor({ timeout: 20_000 })
    // Said as a stop only the relay's operator can lift; the relay is still retried now and then.
    expect(await syncStatus(page)).toContain('Not syncing')
    await screenshot(page, 'relay-room-full')

    // Still editable, still saved on the device.
    await page.keyboard.type(' Written while the relay is full.')
    await waitSaved(page)
    expect(await syncStatus(page)).toContain('space for the draft is full')
  })
})
