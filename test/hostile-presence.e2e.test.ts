import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Page } from 'playwright-core'
import { launchDevice, type Device } from './support/chromium.ts'
import { useApp } from './support/app-server.ts'
import { dismissToasts, editor, openApp, screenshot, writeDraft } from './support/editor-page.ts'
import { useRelay } from './support/relay-process.ts'
import { stockClient, waitUntil } from './support/yjs-client.ts'
import { shareThrough, waitSynced } from './support/sync-page.ts'
import { parseInvite } from '../renderer/src/sync/invite.ts'

/**
 * Presence is data, never markup or style. Peers in the room (stock y-websocket clients,
 * so any software at all) announce hostile names and colours: a colour that is a CSS
 * declaration covering the window, markup, a name of 20,000 characters, right-to-left
 * overrides and line breaks, a presence state shaped to throw inside y-prosemirror. The
 * member's page keeps its layout, nothing from a peer covers it, and typing goes on.
 */
const app = useApp()
const relay = useRelay()
const devices: Device[] = []
const cleanups: Array<() => void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) c()
  await Promise.all(devices.splice(0).map((d) => d.dispose()))
})

const COVER = '#f00; position:fixed; inset:0; width:100vw; height:100vh; z-index:2147483647'
const LAYOUT = ['.pk-sidebar', '.pk-topbar', '.pk-toolbar', '.pk-page', '.pk-editor', '.pk-review', '.pk-sync', '.pk-topbar .pk-primary']

/** The page's regions that typing does not move (the word count and save state do change width). */
const REGIONS = LAYOUT.slice(0, 4)

const boxes = (page: Page, selectors = LAYOUT) => page.evaluate((list) => list.map((s) => {
  const r = document.querySelector(s)?.getBoundingClientRect()
  return r ? [s, Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)] : [s, 'missing']
}), selectors)

describe('hostile presence', () => {
  it('cannot restyle the page, cover it, inject markup, or stop the editor', async () => {
    const device = await launchDevice()
    devices.push(device)
    const { page } = device
    await openApp(page, app.url)
    await writeDraft(page, 'Presence is data', 'Words everyone can read.')
    const link = await shareThrough(page, relay.url, undefined, { open: true })
    await waitSynced(page)
    const room = parseInvite(link)!.draftId
    await page.waitForTimeout(300)
    const before = await boxes(page)

    const peers = await Promise.all([0, 1, 2, 3].map(async () => {
      const peer = stockClient(relay.url, room)
      cleanups.push(() => peer.destroy())
      await peer.synced()
      return peer
    }))
    await waitUntil(() => peers.every((p) => p.doc.getXmlFragment('content').toString().includes('Words everyone')), 10_000, 'the draft at the peers')
    const at = (peer: (typeof peers)[number], index: number) => {
      const text = (peer.doc.getXmlFragment('content').get(1) as Y.XmlElement).get(0) as Y.XmlText
      return Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, index))
    }
    const hostile = [
      { user: { name: 'Mallory\u202Eexe.gnp', color: COVER }, cursor: { anchor: at(peers[0]!, 2), head: at(peers[0]!, 9) } },
      { user: { name: `<img src=x onerror="document.body.dataset.pwned=1"><b>${'W'.repeat(20_000)}</b>`, color: 'url(javascript:alert(1))' }, cursor: { anchor: at(peers[1]!, 5), head: at(peers[1]!, 5) } },
      { user: { name: '\u202Dadmin\n\n\nroot\u0000\u2066', color: 'red;background-image:url(https://example.org/x.png)' }, cursor: { anchor: at(peers[2]!, 12), head: at(peers[2]!, 12) } },
      // Shaped to throw inside y-prosemirror's decorations: a string for a user, an anchor with no ids.
      { user: 'just a string', cursor: { anchor: {}, head: null } },
    ]
    peers.forEach((peer, i) => peer.provider.awareness.setLocalState(hostile[i] as Record<string, unknown>))

    await waitUntil(async () => (await page.locator('.pk-remote-cursor').count()) === 3 && (await page.locator('.pk-avatar:not(.pk-avatar-me)').count()) === 3, 10_000, 'the peers on the page')
    await page.waitForTimeout(300)
    await dismissToasts(page)
    await screenshot(page, 'hostile-presence')

    // The layout is what it was.
    expect(await boxes(page)).toEqual(before)
    // Nothing a peer drew is positioned over the page, large, or carrying markup or styles of its own.
    const drawn = await page.locator('.pk-remote-cursor, .pk-remote-cursor *, .pk-avatar, .ProseMirror-yjs-selection').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect()
      const style = getComputedStyle(e)
      return { position: style.position, width: r.width, height: r.height, tags: e.querySelectorAll('img, b, script').length, background: style.backgroundImage }
    }))
    for (const d of drawn) {
      expect(d.position).not.toBe('fixed')
      expect(d.width).toBeLessThan(320)
      expect(d.height).toBeLessThan(60)
      expect(d.tags).toBe(0)
      expect(d.background).toBe('none')
    }
    // What is under the middle of the page and on the Share button is the page's own.
    const hits = await page.evaluate(() => {
      const at = (el: Element | null) => { const r = el!.getBoundingClientRect(); return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) }
      return [at(document.querySelector('.pk-page'))?.closest('.pk-page') !== null, at(document.querySelector('.pk-topbar .pk-primary'))?.textContent, document.body.dataset.pwned ?? null]
    })
    expect(hits).toEqual([true, 'Share', null])
    // Names are plain, one line, short, without bidi overrides.
    const names = [
      ...(await page.locator('.pk-remote-cursor-name').allTextContents()),
      ...(await page.locator('.pk-avatar:not(.pk-avatar-me)').evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''))),
    ]
    expect(names).toHaveLength(6)
    for (const name of names) {
      // eslint-disable-next-line no-control-regex
      expect(name).not.toMatch(/[\u0000-\u001f\u202a-\u202e\u2066-\u2069]/)
      expect([...name].length).toBeLessThanOrEqual(60)
    }
    expect(names).toContain('Malloryexe.gnp')

    // The member keeps writing, and the peers get it.
    // (The peers' cursor labels sit inside the paragraph's text, so it is found by place, not by words.)
    await editor(page).locator('p').first().click()
    await page.keyboard.press('End')
    await page.keyboard.type(' Still here.')
    await editor(page).locator('p', { hasText: 'Still here.' }).waitFor()
    await waitUntil(() => peers[0]!.doc.getXmlFragment('content').toString().includes('Still here.'), 10_000, 'the edit at a peer')
    expect(await boxes(page, REGIONS)).toEqual(before.slice(0, REGIONS.length))
  })
})
