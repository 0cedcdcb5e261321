import { describe, expect, it } from 'vitest'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { useApp } from './support/app-server.ts'
import { editor, openApp, screenshot, writeDraft } from './support/editor-page.ts'
import { caretAfter, converged, draftText, joinWith, shareThrough, syncStatus, waitSynced } from './support/sync-page.ts'
import { useFleet } from './support/fleet.ts'
import { shareDraft } from './support/shared-draft.ts'

const app = useApp()
const fleet = useFleet()
const device = () => fleet.device()
const relay = (args: string[] = [], port?: number) => fleet.relay(args, port)

/** A draft with a title, preamble and two planks. */
const SHARED = { title: 'Shared platform', lines: ['Preamble.', '## Housing', 'Homes.', '## Work', 'Jobs.'] }

describe('live sync between peers through a relay', () => {
  it('two peers type concurrently into the same draft and converge within a second', async () => {
    const { members: [a, b] } = await shareDraft({ fleet, app, relay: await relay(), ...SHARED })
    await waitSynced(b.page)
    expect(await draftText(b.page)).toBe(await draftText(a.page))
    // Both type at once: at the very same spot (each caret stays with its own words),
    // in the same plank at different spots, and in different planks.
    await caretAfter(a.page, 'Jobs.')
    await caretAfter(b.page, 'Jobs.')
    await Promise.all([
      a.page.keyboard.type(' Alice on wages.', { delay: 15 }),
      b.page.keyboard.type(' Bob on unions.', { delay: 15 }),
    ])
    await converged([a.page, b.page], 1000)
    await caretAfter(a.page, 'Homes.')
    await editor(b.page).locator('p', { hasText: 'Homes.' }).click()
    await b.page.keyboard.press('Home')
    await Promise.all([
      a.page.keyboard.type(' Alice writes about rent.', { delay: 15 }),
      b.page.keyboard.type('Bob writes about repairs. ', { delay: 15 }),
    ])
    await caretAfter(a.page, 'Jobs.')
    await a.page.keyboard.press('End')
    await caretAfter(b.page, 'Preamble.')
    await Promise.all([
      a.page.keyboard.type(' A living wage.', { delay: 10 }),
      b.page.keyboard.type(' From Leeds.', { delay: 10 }),
    ])
    const { ms, text } = await converged([a.page, b.page], 1000)
    console.log(`concurrent typing converged ${ms} ms after the last keystroke`)
    expect(text).toContain('Bob writes about repairs. Homes. Alice writes about rent.')
    expect(text).toMatch(/Jobs\.( Alice on wages\.| Bob on unions\.){2} A living wage\./)
    expect(text).toContain('Preamble. From Leeds.')
    // Presence: each sees the other's cursor and avatar.
    await b.page.locator('.ProseMirror-yjs-cursor').first().waitFor()
    await screenshot(b.page, 'two-peers')
  })

  it('two peers edit apart while the relay is down, show what is unsent, and converge when it is back', async () => {
    const data = await mkdtemp(join(tmpdir(), 'plank-relay-'))
    const r = await relay(['--data', data])
    const { members: [a, b] } = await shareDraft({ fleet, app, relay: r, ...SHARED })
    await waitSynced(b.page)

    await r.kill('SIGKILL')
    await a.page.locator('.pk-sync', { hasText: 'Offline' }).waitFor()
    await b.page.locator('.pk-sync', { hasText: 'Offline' }).waitFor()
    // Same section (Housing) and different sections (A: Work, B: preamble).
    await caretAfter(a.page, 'Homes.')
    await a.page.keyboard.type(' A: council homes.')
    await caretAfter(a.page, 'Jobs.')
    await a.page.keyboard.type(' A: a living wage.')
    await caretAfter(b.page, 'Homes.')
    await b.page.keyboard.type(' B: tenant unions.')
    await caretAfter(b.page, 'Preamble.')
    await b.page.keyboard.type(' B: written in Leeds.')
    await a.page.locator('.pk-sync', { hasText: /\d+ edits? not yet on any relay/ }).waitFor()
    await b.page.locator('.pk-sync', { hasText: /\d+ edits? not yet on any relay/ }).waitFor()
    await screenshot(a.page, 'offline-unsynced')

    await relay(['--data', data], r.port)
    await waitSynced(a.page, 20_000)
    await waitSynced(b.page, 20_000)
    const { text } = await converged([a.page, b.page], 5000)
    for (const piece of ['A: council homes.', 'A: a living wage.', 'B: tenant unions.', 'B: written in Leeds.', 'Homes.', 'Jobs.']) {
      expect(text).toContain(piece)
    }
    expect(await syncStatus(a.page)).toBe('Synced')
  })

  it('a member who opens later, with the author gone, gets everything; a SIGKILLed relay keeps it', async () => {
    const data = await mkdtemp(join(tmpdir(), 'plank-relay-'))
    const r = await relay(['--data', data])
    const a = await device()
    await openApp(a.page, app.url)
    await writeDraft(a.page, SHARED.title, ...SHARED.lines)
    const link = await shareThrough(a.page, r.url)
    await waitSynced(a.page)
    await caretAfter(a.page, 'Jobs.')
    await a.page.keyboard.type(' Written before leaving.')
    await waitSynced(a.page)
    const expected = await draftText(a.page)
    await a.page.waitForTimeout(300)
    await a.dispose()

    const b = await device()
    await joinWith(b.page, link)
    await waitSynced(b.page)
    await converged([b.page], 0).catch(() => {})
    expect(await draftText(b.page)).toBe(expected)

    await r.kill('SIGKILL')
    await relay(['--data', data], r.port)
    const c = await device()
    await joinWith(c.page, link)
    expect(await draftText(c.page)).toBe(expected)
  })

  it('undo takes back only this member’s change, not a colleague’s', async () => {
    const { members: [a, b] } = await shareDraft({ fleet, app, relay: await relay(), ...SHARED })
    await caretAfter(a.page, 'Homes.')
    await a.page.keyboard.type(' Mine.')
    await a.page.waitForTimeout(700)
    await caretAfter(b.page, 'Jobs.')
    await b.page.keyboard.type(' Theirs.')
    await converged([a.page, b.page], 2000)
    await editor(a.page).focus()
    await a.page.keyboard.press('Control+z')
    const { text } = await converged([a.page, b.page], 2000)
    expect(text).not.toContain('Mine.')
    expect(text).toContain('Theirs.')
  })
})

describe('interoperability', () => {
  it('the app syncs through the stock relay, @y/websocket-server 0.1.1', async () => {
    const { members: [a, b] } = await shareDraft({ fleet, app, relay: await fleet.stockRelay(), ...SHARED })
    await caretAfter(b.page, 'Jobs.')
    await b.page.keyboard.type(' Through a stock relay.')
    const { text } = await converged([a.page, b.page], 2000)
    expect(text).toContain('Through a stock relay.')
  })
})
