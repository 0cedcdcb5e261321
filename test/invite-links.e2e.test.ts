import { describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import type { Page } from 'playwright-core'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { draftTitles, openApp, screenshot, writeDraft } from './support/editor-page.ts'
import { caretAfter, converged, draftText, shareThrough, waitSynced } from './support/sync-page.ts'
import { desktopLinks } from './support/desktop-links.ts'
import { inviteLink, parseInvite } from '../renderer/src/sync/invite.ts'

const app = useApp()
const fleet = useFleet()

/** The link the desktop app writes for the same invite. */
const desktopLink = (link: string, change: (invite: NonNullable<ReturnType<typeof parseInvite>>) => object = (i) => i) =>
  inviteLink('plank://join', change(parseInvite(link)!) as never)

/** What this device keeps about a draft that a link could change: its relays and keys. */
const entryOf = (page: Page, id: string) => page.evaluate((draftId) => new Promise<object>((resolve, reject) => {
  const req = indexedDB.open('plank-workspace')
  req.onerror = () => reject(req.error)
  req.onsuccess = () => {
    const get = req.result.transaction('drafts', 'readonly').objectStore('drafts').get(draftId)
    get.onsuccess = () => {
      req.result.close()
      const { relays, roomKey, previousRoomKeys, pendingInvitation } = get.result
      resolve({ relays, roomKey, previousRoomKeys, pendingInvitation })
    }
    get.onerror = () => reject(get.error)
  }
}), id)

const focusedButton = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent ?? '')

/** Ana writes a private draft and shares it through a relay; returns the invite link. */
const anaShares = async (title: string, body: string) => {
  const relay = await fleet.relay()
  const a = await fleet.device()
  await openApp(a.page, app.url)
  await writeDraft(a.page, title, body)
  const link = await shareThrough(a.page, relay.url)
  await waitSynced(a.page)
  return { a, link, relay }
}

describe('plank:// invite links opening the desktop app', () => {
  it('a link the system opens the app with asks first, Cancel being the default; Join brings the draft', async () => {
    const { link, relay } = await anaShares('Rent and housing', 'Rent shall be capped.')
    const b = await fleet.device()
    const system = await desktopLinks(b.page)
    // Ben has used Plank before (its once-per-device notices are behind him), and it is closed.
    await openApp(b.page, app.url)
    await b.page.locator('.pk-toast').waitFor()
    await b.page.goto('about:blank')
    // He clicks the link in his mail: Plank starts with it in its arguments.
    expect(system.launchedWith(desktopLink(link))).toBe(true)
    await openApp(b.page, app.url)
    const ask = b.page.getByRole('dialog', { name: 'Join “Rent and housing”?' })
    await ask.waitFor()
    expect(await ask.innerText()).toContain(new URL(relay.url).host)
    expect(await ask.innerText()).toContain('It is private')
    expect(await focusedButton(b.page)).toBe('Cancel')
    await screenshot(b.page, 'invite-link-join')
    // Enter on the focused default: nothing is joined.
    await b.page.keyboard.press('Enter')
    await ask.waitFor({ state: 'hidden' })
    expect(await draftTitles(b.page)).toEqual([])

    // He clicks it again while Plank runs (a second launch): asked again, and this time he joins.
    system.launchedWith(desktopLink(link))
    await ask.waitFor()
    await ask.getByRole('button', { name: 'Join' }).click()
    await b.page.locator('.pk-editor[contenteditable="true"]').waitFor({ timeout: 15_000 })
    expect(await draftText(b.page)).toBe('Rent and housing\nRent shall be capped.')
    expect(await draftTitles(b.page)).toEqual(['Rent and housing'])
  })

  it('a link for a draft already here never changes its key or relays without a clear yes', async () => {
    const { a, link } = await anaShares('Rent and housing', 'Rent shall be capped.')
    const b = await fleet.device()
    const system = await desktopLinks(b.page)
    await openApp(b.page, app.url)
    system.openUrl(desktopLink(link))
    await b.page.getByRole('dialog', { name: 'Join “Rent and housing”?' }).getByRole('button', { name: 'Join' }).click()
    await waitSynced(b.page)
    const id = parseInvite(link)!.draftId
    const before = await entryOf(b.page, id)

    // A relay operator who saw the draft id crafts a link with a key of their own (macOS open-url).
    const crafted = desktopLink(link, (i) => ({ ...i, key: randomBytes(32).toString('base64url'), relays: [{ url: 'wss://relay.attacker.example' }], invitation: undefined }))
    system.openUrl(crafted)
    const keyAsk = b.page.getByRole('dialog', { name: 'Use this link’s key for “Rent and housing”?' })
    await keyAsk.waitFor()
    expect(await keyAsk.innerText()).toContain('relay.attacker.example')
    expect(await focusedButton(b.page)).toBe('Cancel')
    await screenshot(b.page, 'invite-link-other-key')
    await b.page.keyboard.press('Enter')
    await keyAsk.waitFor({ state: 'hidden' })
    expect(await entryOf(b.page, id)).toEqual(before)

    // The same crafted link in the browser build's address bar is asked about just the same.
    await b.page.evaluate((hash) => { window.location.hash = hash }, crafted.slice(crafted.indexOf('#')))
    await keyAsk.waitFor()
    await b.page.keyboard.press('Escape')
    await keyAsk.waitFor({ state: 'hidden' })
    expect(await entryOf(b.page, id)).toEqual(before)

    // A link with the right key but another relay asks before adding it.
    system.launchedWith(desktopLink(link, (i) => ({ ...i, relays: [...i.relays, { url: 'wss://relay.elsewhere.example' }] })))
    const relayAsk = b.page.getByRole('dialog', { name: 'Add relays to “Rent and housing”?' })
    await relayAsk.waitFor()
    expect(await relayAsk.getByRole('listitem').allInnerTexts()).toEqual(['relay.elsewhere.example'])
    expect(await focusedButton(b.page)).toBe('Cancel')
    await relayAsk.getByRole('button', { name: 'Cancel' }).click()
    expect(await entryOf(b.page, id)).toEqual(before)

    // The draft still syncs with its own key: Ana's next words reach Ben.
    await caretAfter(a.page, 'capped.')
    await a.page.keyboard.type(' Nobody else read this.')
    expect((await converged([a.page, b.page], 15_000)).text).toBe('Rent and housing\nRent shall be capped. Nobody else read this.')
  })

  it('a malformed link is refused by main, and the member is told why', async () => {
    const b = await fleet.device()
    const system = await desktopLinks(b.page)
    await openApp(b.page, app.url)
    system.launchedWith('plank://join#join=eyJ2IjoxfQ')
    await b.page.locator('.pk-toast', { hasText: 'A plank:// link could not be opened: it names no draft.' }).waitFor()
    system.openUrl('plank://app/index.html')
    await b.page.locator('.pk-toast', { hasText: 'A plank:// link could not be opened: it is not an invite link.' }).waitFor()
    expect(await b.page.getByRole('dialog').count()).toBe(0)
    expect(await draftTitles(b.page)).toEqual([])
  })
})
