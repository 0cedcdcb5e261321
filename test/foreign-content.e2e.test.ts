import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Page } from 'playwright-core'
import { launchDevice, type Device } from './support/chromium.ts'
import { useApp } from './support/app-server.ts'
import { dismissToasts, editor, openApp, screenshot, writeDraft } from './support/editor-page.ts'
import { useRelay } from './support/relay-process.ts'
import { stockClient, waitUntil } from './support/yjs-client.ts'
import { caretAfter, shareThrough, waitSynced } from './support/sync-page.ts'
import { openForeignEditor } from './support/foreign-editor.ts'
import { FOREIGN_STRUCTURES } from './support/foreign-structures.ts'
import { parseInvite } from '../renderer/src/sync/invite.ts'
import { recordAttribution } from '../crdt/attribution.ts'
import { ORIGIN } from '../crdt/origins.ts'

/**
 * Never delete what you cannot show, against software nobody here wrote: a plain Yjs
 * peer (a stock y-websocket client in Node) and a foreign ProseMirror editor (another
 * schema, in its own page) write through a real relay what Plank's schema cannot hold.
 * Plank says what arrived and from whom, goes read-only while it is there, and nothing
 * is deleted for anyone: not on the relay, not in the writer's own copy, not on a
 * member who opens the draft afterwards.
 */
const app = useApp()
const relay = useRelay()
const devices: Device[] = []
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
  await Promise.all(devices.splice(0).map((d) => d.dispose()))
})

/** The draft's banner (the sync problem has a banner of its own, .pk-sync-problem). */
const banner = (page: Page) => page.locator('.pk-banner:not(.pk-sync-problem)')
const editable = async (page: Page) => (await editor(page).getAttribute('contenteditable')) === 'true'

/** A shared open draft on device A, with the member's own words; returns A's page and the room. */
const sharedDraft = async (): Promise<{ a: Page; room: string; link: string }> => {
  const a = await launchDevice()
  devices.push(a)
  await openApp(a.page, app.url)
  await writeDraft(a.page, 'Platform of the future', 'Our own words.')
  const link = await shareThrough(a.page, relay.url, undefined, { open: true })
  await waitSynced(a.page)
  return { a: a.page, room: parseInvite(link)!.draftId, link }
}

/** What the relay holds for a room now, read by a fresh stock client. */
const relayXml = async (room: string): Promise<string> => {
  const reader = stockClient(relay.url, room)
  try {
    await reader.synced()
    return reader.doc.getXmlFragment('content').toString()
  } finally {
    reader.destroy()
  }
}

describe('content this version of Plank cannot show', () => {
  it('from a plain Yjs peer: each shape is named with its writer, shown read-only, and kept by everyone', async () => {
    const { a, room, link } = await sharedDraft()
    const peer = stockClient(relay.url, room)
    cleanups.push(() => peer.destroy())
    await peer.synced()
    const fragment = peer.doc.getXmlFragment('content')
    await waitUntil(() => fragment.toString().includes('Our own words.'), 10_000, 'the draft on the peer')
    // The peer says who it is the way Plank does (a member id claiming its client id, a name).
    recordAttribution(peer.doc, { id: 'amina-key', name: 'Amina from the future', color: '#7c3aed' }, ORIGIN.local).stop()
    const undo = new Y.UndoManager(fragment, { trackedOrigins: new Set(['peer']), captureTimeout: 0 })

    for (const { name, write, says } of FOREIGN_STRUCTURES) {
      const before = fragment.toString()
      peer.doc.transact(() => write(fragment), 'peer')
      const written = fragment.toString()
      if (says) {
        await banner(a).filter({ hasText: says }).waitFor({ timeout: 10_000 })
        expect(await banner(a).innerText(), name).toContain('Amina from the future wrote')
        expect(await editable(a), name).toBe(false)
        expect(await editor(a).locator('.pk-unshown').first().getAttribute('data-unshown'), name).toMatch(says)
        expect(await editor(a).innerText(), name).toContain('Our own words.')
      } else {
        await waitUntil(async () => (await editor(a).innerText()).includes(lastWords(written)), 10_000, `${name} on screen`)
        expect(await editable(a), name).toBe(true)
      }
      // Nothing the peer wrote comes back deleted: not to the peer, not on the relay.
      await new Promise((r) => setTimeout(r, 300))
      expect(fragment.toString(), name).toBe(written)
      expect(await relayXml(room), name).toBe(written)

      // The peer takes it back; Plank edits again, and its member's words reach the peer.
      undo.undo()
      expect(fragment.toString(), name).toBe(before)
      await a.locator('.pk-editor[contenteditable="true"]').waitFor({ timeout: 10_000 })
      await caretAfter(a, 'Our own words.')
      await a.keyboard.type('+')
      await waitUntil(() => fragment.toString().includes('Our own words.+'), 10_000, `${name}: the member's edit at the peer`)
      await a.keyboard.press('Backspace')
      await waitUntil(() => fragment.toString() === before, 10_000, `${name}: the member's second edit at the peer`)
    }

    // Everything at once, arriving while the member types; then a member who opens the draft fresh.
    await caretAfter(a, 'Our own words.')
    await a.keyboard.type(' Typed')
    const typing = a.keyboard.type(' while it arrives', { delay: 15 })
    await new Promise((r) => setTimeout(r, 60))
    peer.doc.transact(() => { for (const s of FOREIGN_STRUCTURES) s.write(fragment) }, 'peer')
    await typing
    const pieces = fragment.toArray().slice(-FOREIGN_STRUCTURES.length).map(String)
    await banner(a).filter({ hasText: 'cannot show' }).waitFor({ timeout: 10_000 })
    const b = await launchDevice()
    devices.push(b)
    await openApp(b.page, link)
    await banner(b.page).filter({ hasText: 'cannot show' }).waitFor({ timeout: 15_000 })
    expect(await editable(b.page)).toBe(false)
    await screenshot(b.page, 'foreign-content-read-only')
    await new Promise((r) => setTimeout(r, 1000))
    const final = fragment.toString()
    for (const piece of pieces) expect(final).toContain(piece)
    expect(final).toContain('<em>Our </em>')
    expect(await relayXml(room)).toBe(final)
    // What A typed before the editor stopped reached everyone too.
    expect(final).toMatch(/Our own words\. Typed/)
  })

  it('from a foreign ProseMirror editor: Plank shows what it can, says what it cannot, and deletes nothing', async () => {
    const { a, room, link } = await sharedDraft()
    const foreignDevice = await launchDevice()
    devices.push(foreignDevice)
    const foreign = foreignDevice.page
    cleanups.push((await openForeignEditor(foreign, relay.url, room)).close)
    await foreign.waitForFunction(() => window.foreign.text().includes('Our own words.'))

    // What a basic-schema editor can hold and Plank can show keeps Plank editable.
    await foreign.evaluate(() => window.foreign.run('plainParagraph'))
    await editor(a).locator('p', { hasText: 'A plain paragraph from elsewhere' }).waitFor()
    expect(await editable(a)).toBe(true)

    const client = await foreign.evaluate(() => window.foreign.client)
    const cases: Array<[string, RegExp]> = [
      ['boldHeading', /bold text in a plank heading/],
      ['linkInHeading', /a link in a plank heading/],
      ['italicTitle', /italic text in the title/],
      ['codeBlock', /a “code_block” block/],
      ['image', /an “image” block/],
      ['rule', /a “horizontal_rule” block/],
      ['codeMark', /text marked “code”/],
    ]
    for (const [action, says] of cases) {
      await foreign.evaluate((name) => window.foreign.run(name), action)
      // Each block is labelled with what it holds; the banner names the first and counts the rest.
      await waitUntil(async () => (await editor(a).locator('.pk-unshown').evaluateAll((els) => els.map((e) => e.getAttribute('data-unshown') ?? ''))).some((l) => says.test(l) && l.endsWith('from another app')), 10_000, `${action} labelled`)
      // Another app's client id that no member claimed is said to be one.
      expect(await banner(a).innerText()).toContain(`Another app (Yjs client ${client}, not claimed by any member) wrote`)
      expect(await editable(a)).toBe(false)
    }
    expect(await banner(a).innerText()).toMatch(/and 6 more blocks hold something it cannot show/)
    await dismissToasts(a)
    await screenshot(a, 'foreign-editor-read-only')
    await editor(a).locator('.pk-unshown', { hasText: 'Bold from elsewhere' }).waitFor()
    await editor(a).locator('.pk-unshown', { hasText: 'vote(yes)' }).waitFor()

    // A member who opens the draft now, and the relay, and the foreign editor itself: all still hold everything.
    const b = await launchDevice()
    devices.push(b)
    await openApp(b.page, link)
    await banner(b.page).filter({ hasText: 'cannot show' }).waitFor({ timeout: 15_000 })
    await new Promise((r) => setTimeout(r, 1000))
    const xml = await foreign.evaluate(() => window.foreign.xml())
    for (const piece of ['<strong>Bold from elsewhere</strong>', 'title="Example"', '<em>Plat</em>', '<code_block>vote(yes)</code_block>', '<image', '<horizontal_rule>', '<code>plank --help</code>', 'Our own words.']) {
      expect(xml).toContain(piece)
    }
    expect(await relayXml(room)).toBe(xml)

    // The foreign editor takes everything back; Plank edits again, and nothing else changed.
    await foreign.evaluate(() => window.foreign.undoAll())
    await a.locator('.pk-editor[contenteditable="true"]').waitFor({ timeout: 10_000 })
    await b.page.locator('.pk-editor[contenteditable="true"]').waitFor({ timeout: 10_000 })
    expect(await banner(a).isHidden()).toBe(true)
    await caretAfter(a, 'Our own words.')
    await a.keyboard.type(' Edited again.')
    await foreign.waitForFunction(() => window.foreign.text().includes('Our own words. Edited again.'))
    expect(await relayXml(room)).toBe(await foreign.evaluate(() => window.foreign.xml()))
  })
})

/** The last word of a structure's text, to find it on screen. */
const lastWords = (xml: string): string => xml.replace(/<[^>]*>/g, ' ').trim().split(/\s+/).at(-1) ?? ''
