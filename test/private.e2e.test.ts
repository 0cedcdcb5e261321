import { describe, expect, it } from 'vitest'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import type { TcpProxy } from './support/tcp-proxy.ts'
import { editor, newDraft, openApp, screenshot, waitSaved, writeDraft } from './support/editor-page.ts'
import { caretAfter, draftText, joinWith, shareThrough, viaRelays, waitSynced } from './support/sync-page.ts'
import { stockClient, waitUntil } from './support/yjs-client.ts'
import { setName } from './support/review-page.ts'
import { parseInvite } from '../renderer/src/sync/invite.ts'
import { startWithholdingRelay } from './support/withholding-relay.ts'

const app = useApp()
const fleet = useFleet()
const device = () => fleet.device()
const viaRelay = (link: string, relayUrl: string) => viaRelays(link, [relayUrl])

/** Share through each relay in turn; the invite link lists them all. */
const shareThroughAll = async (page: Parameters<typeof shareThrough>[0], urls: string[]) => {
  let link = ''
  for (const url of urls) link = await shareThrough(page, url)
  return link
}

const filesContain = async (dir: string, needle: string): Promise<boolean> => {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && (await readFile(join(entry.parentPath, entry.name))).includes(needle)) return true
  }
  return false
}


/** Two members on one draft, both through `line`; A types the marker, B sees it. */
const session = async (line: TcpProxy, marker: string, name: string, open: boolean) => {
  const [a, b] = [await device(), await device()]
  await openApp(a.page, app.url)
  await newDraft(a.page)
  await setName(a.page, name)
  await editor(a.page).locator('.pk-title').click()
  await a.page.keyboard.type('Private platform')
  await a.page.keyboard.press('ArrowDown')
  await a.page.keyboard.type(`The committee agreed: ${marker}.`)
  await waitSaved(a.page)
  const link = await shareThrough(a.page, line.url, undefined, { open })
  await waitSynced(a.page)
  await joinWith(b.page, link)
  await expect.poll(() => draftText(b.page)).toContain(marker)
  // Presence went through too (names are sealed like the text in a private draft).
  await b.page.locator('.pk-avatar', { hasText: name.slice(0, 1) }).first().waitFor()
  return { a, b, link }
}

describe('private drafts', () => {
  it('a relay never sees the words or the names: not in its data directory, not in the frames it sent (an open draft: in both)', async () => {
    for (const open of [false, true]) {
      const data = await mkdtemp(join(tmpdir(), 'plank-private-'))
      const r = await fleet.relay(['--data', data])
      const line = await fleet.line(r.port)
      const marker = `MARKER-${open ? 'open' : 'private'}-4f1e9c`
      const name = open ? 'Ottoline Openshaw' : 'Persephone Privett'
      const { a } = await session(line, marker, name, open)
      if (!open) {
        await a.page.getByRole('button', { name: 'Share', exact: true }).click()
        await a.page.getByRole('dialog').locator('.pk-privacy.pk-private').waitFor()
        await screenshot(a.page, 'private-share')
        await a.page.getByRole('dialog').getByRole('button', { name: 'Done' }).click()
      }
      await caretAfter(a.page, marker)
      await a.page.keyboard.type(' More words.')
      await waitSynced(a.page)
      await a.page.waitForTimeout(500)
      await r.kill('SIGTERM') // flushes and compacts its store
      expect(await filesContain(data, marker), `relay data, ${open ? 'open' : 'private'}`).toBe(open)
      expect(line.downstream().includes(marker), `relay frames, ${open ? 'open' : 'private'}`).toBe(open)
      expect(line.downstream().includes(name), `presence frames, ${open ? 'open' : 'private'}`).toBe(open)
      await fleet.disposeDevices()
    }
  })

  it('sync through the stock relay, @y/websocket-server 0.1.1, as ciphertext', async () => {
    const stock = await fleet.stockRelay()
    const line = await fleet.line(stock.port)
    const marker = 'MARKER-stock-77b2d0'
    const { a, b } = await session(line, marker, 'Sigrid Stockwell', false)
    await caretAfter(b.page, marker)
    await b.page.keyboard.type(' Reply from B.')
    await expect.poll(() => draftText(a.page)).toContain('Reply from B.')
    expect(line.downstream().includes(marker)).toBe(false)
    expect(line.downstream().includes('Reply from B.')).toBe(false)
  })

  it('a blob altered on the relay is refused with a warning; everything else arrives', async () => {
    const r = await fleet.relay()
    const line = await fleet.line(r.port)
    const { a, link } = await session(line, 'First part', 'Ana', false)
    await caretAfter(a.page, 'First part')
    await a.page.keyboard.insertText(' Second part.') // one change, so one blob
    await waitSynced(a.page)
    await a.page.waitForTimeout(500)
    // Someone with access to the relay's storage flips one byte of the newest blob.
    const room = parseInvite(link)!.draftId
    const evil = stockClient(r.url, room)
    await evil.synced()
    const blobs = evil.doc.getArray<Uint8Array>('sealed')
    await waitUntil(() => blobs.length >= 2, 5000, 'blobs on the relay')
    const last = Uint8Array.from(blobs.get(blobs.length - 1))
    last[last.length - 3]! ^= 0x01
    evil.doc.transact(() => { blobs.delete(blobs.length - 1, 1); blobs.push([last]) })
    await waitUntil(() => false, 300).catch(() => {})
    evil.destroy()
    // A member joining now gets the altered blob: it is refused and they are told.
    const c = await device()
    await joinWith(c.page, viaRelay(link, r.url))
    await c.page.locator('.pk-banner', { hasText: 'could not be verified' }).waitFor()
    const text = await draftText(c.page)
    expect(text).toContain('Private platform')
    expect(text).toContain('First part')
    expect(text).not.toContain('Second part')
    expect(await editor(c.page).getAttribute('contenteditable')).toBe('true')
    await screenshot(c.page, 'private-tampered')
  })

  it('syncs through two relays at once; killing one mid-session loses nothing', async () => {
    const [r1, r2] = [await fleet.relay(), await fleet.relay()]
    const [a, b] = [await device(), await device()]
    await openApp(a.page, app.url)
    await writeDraft(a.page, 'Two relays', 'Start.')
    const link = await shareThroughAll(a.page, [r1.url, r2.url])
    expect(parseInvite(link)!.relays.map((x) => x.url)).toEqual([r1.url, r2.url])
    await joinWith(b.page, link)
    await caretAfter(a.page, 'Start.')
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`)
    for (const [i, w] of words.entries()) {
      if (i === 12) await r1.kill('SIGKILL')
      await a.page.keyboard.type(` ${w}`, { delay: 10 })
    }
    await expect.poll(() => draftText(b.page), { timeout: 10_000 }).toContain(words.join(' '))
    await caretAfter(b.page, 'w29')
    await b.page.keyboard.type(' and B still writes.')
    await expect.poll(() => draftText(a.page), { timeout: 10_000 }).toContain('and B still writes.')
    expect(await draftText(a.page)).toBe(await draftText(b.page))
    await a.page.locator('.pk-sync', { hasText: 'Synced' }).waitFor()
  })

  it('notices a relay that holds back changes another relay delivered, and says so', async () => {
    const r2 = await fleet.relay()
    // Relay 1 stays connected and answers, but after withhold() shows nobody anything new.
    const r1 = await startWithholdingRelay()
    try {
      const [a, b] = [await device(), await device()]
      await openApp(a.page, app.url)
      await writeDraft(a.page, 'Watched relays', 'Start.')
      const link = await shareThroughAll(a.page, [r1.url, r2.url])
      await joinWith(b.page, link)
      await waitSynced(b.page)
      r1.withhold()
      await caretAfter(a.page, 'Start.')
      await a.page.keyboard.type(' Sent while relay 1 holds back.')
      await expect.poll(() => draftText(b.page)).toContain('Sent while relay 1 holds back.')
      await b.page.locator('.pk-sync', { hasText: 'holding back changes' }).waitFor({ timeout: 25_000 })
      expect(await b.page.locator('.pk-sync').getAttribute('title')).toMatch(new RegExp(`${r1.url}: (synced|sending), holding back`))
      await screenshot(b.page, 'relay-holding-back')
      // A, who wrote the change, sees no such warning: relay 2 confirmed it.
      expect(await a.page.locator('.pk-sync').innerText()).toBe('Synced')
    } finally {
      await r1.close()
    }
  })

  it('changing the key: the old invite reads nothing new, the new one reads everything', async () => {
    const r = await fleet.relay()
    const line = await fleet.line(r.port)
    const { a, b, link } = await session(line, 'Before the change', 'Ana', false)
    await a.page.getByRole('button', { name: 'Share', exact: true }).click()
    await a.page.getByRole('dialog').getByRole('button', { name: 'Change the key…' }).click()
    await a.page.getByRole('dialog').getByRole('button', { name: 'Change the key' }).click()
    const dialog = a.page.getByRole('dialog', { name: 'Share this draft' })
    await dialog.waitFor()
    const newLink = await dialog.getByLabel('Invite link').inputValue()
    await dialog.getByRole('button', { name: 'Done' }).click()
    expect(parseInvite(newLink)!.key).not.toBe(parseInvite(link)!.key)
    // The old link's invitation is revoked with the key; the new link carries a new one.
    expect(parseInvite(link)!.invitation).toBeTruthy()
    expect(parseInvite(newLink)!.invitation).toBeTruthy()
    expect(parseInvite(newLink)!.invitation).not.toBe(parseInvite(link)!.invitation)
    await caretAfter(a.page, 'Before the change')
    await a.page.keyboard.insertText(' After the change.')
    // B still holds only the old key: the new words do not open for B, and B is told why.
    await b.page.locator('.pk-banner', { hasText: 'key this device does not hold' }).waitFor({ timeout: 15_000 })
    expect(await draftText(b.page)).not.toContain('After the change')
    // A newcomer with the new link reads everything, from before and after.
    const c = await device()
    await joinWith(c.page, newLink)
    await expect.poll(() => draftText(c.page)).toContain('Before the change. After the change.')
    // B, sent the new link, is asked before the new key replaces the one B holds, says yes, and reads on.
    await b.page.goto(newLink)
    await b.page.getByRole('dialog', { name: 'Use this link’s key for “Private platform”?' }).getByRole('button', { name: 'Use the new key' }).click()
    await b.page.locator('#app[data-ready="true"]').waitFor()
    await expect.poll(() => draftText(b.page), { timeout: 15_000 }).toContain('After the change.')
  })
})
