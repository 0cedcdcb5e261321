import { describe, expect, it } from 'vitest'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { openApp, screenshot, writeDraft } from './support/editor-page.ts'
import { caretAfter, draftText, shareThrough, syncStatus, waitSynced } from './support/sync-page.ts'
import { shareDraft } from './support/shared-draft.ts'
import { startWithholdingRelay } from './support/withholding-relay.ts'

/**
 * Issue 24, item 8: "Synced" for about 30 s after the connection dropped, edits typed in
 * that window not counted as waiting, and "43 changes" for 43 keystrokes.
 */
const app = useApp()
const fleet = useFleet()

describe('the sync status tells the truth', () => {
  it('a line that goes quiet shows Offline within seconds; a sentence typed then is one edit waiting; back online, it arrives', async () => {
    const { members: [a, b], lines } = await shareDraft({ fleet, app, relay: await fleet.relay(), title: 'Quiet line', lines: ['Start.'], cuttable: 'writer' })
    const line = lines[0]!

    // The Wi-Fi goes: nothing arrives any more, and the socket does not notice.
    line.stall()
    const dropped = Date.now()
    await a.page.locator('.pk-sync', { hasText: 'Offline' }).waitFor({ timeout: 15_000 })
    const noticed = Date.now() - dropped
    console.log(`a silent line was shown as offline after ${noticed} ms`)
    expect(noticed).toBeLessThan(15_000)

    await caretAfter(a.page, 'Start.')
    await a.page.keyboard.type(' One sentence typed on the train, forty-odd keystrokes.')
    await a.page.locator('.pk-sync', { hasText: 'Offline · 1 edit not yet on any relay' }).waitFor()
    // A pause, then a second edit elsewhere: two edits, not ninety keystrokes.
    await a.page.waitForTimeout(2500)
    await a.page.keyboard.type(' And another.')
    await a.page.locator('.pk-sync', { hasText: 'Offline · 2 edits not yet on any relay' }).waitFor()
    await screenshot(a.page, 'sync-offline-edits')

    await line.cut()
    await line.restore()
    await waitSynced(a.page, 20_000)
    expect(await syncStatus(a.page)).toBe('Synced')
    await expect.poll(() => draftText(b.page), { timeout: 10_000 }).toContain('And another.')
  })

  it('a relay that takes changes and keeps none is never shown as holding them', async () => {
    const liar = await startWithholdingRelay()
    try {
      const a = await fleet.device()
      await openApp(a.page, app.url)
      await writeDraft(a.page, 'Lost in transit', 'Start.')
      await shareThrough(a.page, liar.url)
      await waitSynced(a.page)
      liar.forget()
      await caretAfter(a.page, 'Start.')
      await a.page.keyboard.type(' This never reaches the relay’s store.')
      // It answers every question, so the line is alive; but its answers lack the edit.
      await a.page.locator('.pk-sync', { hasText: 'Sending… · 1 edit not yet on any relay' }).waitFor({ timeout: 10_000 })
      await a.page.waitForTimeout(3000)
      expect(await syncStatus(a.page)).toBe('Sending… · 1 edit not yet on any relay')
    } finally {
      await liar.close()
    }
  })
})
