import { afterEach, describe, expect, it } from 'vitest'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import * as Y from 'yjs'
import { launchDevice, type Device } from './support/chromium.ts'
import { useApp } from './support/app-server.ts'
import { editor, newDraft, openApp, screenshot, waitSaved } from './support/editor-page.ts'
import { startRelayProcess, type RelayProcess } from './support/relay-process.ts'
import { caretAfter, draftText, joinWith, shareThrough, waitSynced } from './support/sync-page.ts'
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts'
import { stockClient, waitUntil } from './support/yjs-client.ts'
import { setName } from './support/review-page.ts'
import { inviteLink, parseInvite } from '../renderer/src/sync/invite.ts'

const app = useApp()
const devices: Device[] = []
const relays: RelayProcess[] = []
const proxies: TcpProxy[] = []
const children: ChildProcess[] = []
const device = async () => {
  const d = await launchDevice()
  devices.push(d)
  return d
}
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.dispose()))
  for (const r of relays.splice(0)) await r.kill('SIGKILL')
  for (const p of proxies.splice(0)) await p.close()
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer()
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number }
    s.close(() => resolve(port))
  })
})

/** The stock relay, @y/websocket-server 0.1.1, on a free port. */
const stockRelay = async (): Promise<{ url: string; port: number }> => {
  const port = await freePort()
  const server = spawn(process.execPath, [fileURLToPath(new URL('../node_modules/@y/websocket-server/src/server.js', import.meta.url))], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) }, stdio: 'pipe',
  })
  children.push(server)
  await new Promise<void>((resolve) => server.stdout!.once('data', () => resolve()))
  return { url: `ws://127.0.0.1:${port}`, port }
}

const filesContain = async (dir: string, needle: string): Promise<boolean> => {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && (await readFile(join(entry.parentPath, entry.name))).includes(needle)) return true
  }
  return false
}

/** The same invite, pointing at another address of the relay. */
const viaRelay = (link: string, relayUrl: string): string => {
  const invite = parseInvite(link)!
  return inviteLink(link.slice(0, link.indexOf('#')), { ...invite, relays: invite.relays.map((x) => ({ ...x, url: relayUrl })) })
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
      const r = await startRelayProcess(['--data', data])
      relays.push(r)
      const line = await startTcpProxy(r.port)
      proxies.push(line)
      const marker = `MARKER-${open ? 'open' : 'private'}-4f1e9c`
      const name = open ? 'Ottoline Openshaw' : 'Persephone Privett'
      const { a } = await session(line, marker, name, open)
      await caretAfter(a.page, marker)
      await a.page.keyboard.type(' More words.')
      await waitSynced(a.page)
      await a.page.waitForTimeout(500)
      await r.kill('SIGTERM') // flushes and compacts its store
      expect(await filesContain(data, marker), `relay data, ${open ? 'open' : 'private'}`).toBe(open)
      expect(line.downstream().includes(marker), `relay frames, ${open ? 'open' : 'private'}`).toBe(open)
      expect(line.downstream().includes(name), `presence frames, ${open ? 'open' : 'private'}`).toBe(open)
      if (!open) await screenshot(a.page, 'private-share')
      await Promise.all(devices.splice(0).map((d) => d.dispose()))
    }
  })

  it('sync through the stock relay, @y/websocket-server 0.1.1, as ciphertext', async () => {
    const stock = await stockRelay()
    const line = await startTcpProxy(stock.port)
    proxies.push(line)
    const marker = 'MARKER-stock-77b2d0'
    const { b } = await session(line, marker, 'Sigrid Stockwell', false)
    await caretAfter(b.page, marker)
    await b.page.keyboard.type(' Reply from B.')
    await expect.poll(() => draftText(devices[0]!.page)).toContain('Reply from B.')
    expect(line.downstream().includes(marker)).toBe(false)
    expect(line.downstream().includes('Reply from B.')).toBe(false)
  })

  it('a blob altered on the relay is refused with a warning; everything else arrives', async () => {
    const r = await startRelayProcess([])
    relays.push(r)
    const line = await startTcpProxy(r.port)
    proxies.push(line)
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
    const [r1, r2] = [await startRelayProcess([]), await startRelayProcess([])]
    relays.push(r1, r2)
    const [a, b] = [await device(), await device()]
    await openApp(a.page, app.url)
    await newDraft(a.page)
    await a.page.keyboard.type('Two relays')
    await a.page.keyboard.press('ArrowDown')
    await a.page.keyboard.type('Start.')
    await waitSaved(a.page)
    await shareThrough(a.page, r1.url)
    const link = await shareThrough(a.page, r2.url)
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
    const [r1, r2] = [await startRelayProcess([]), await startRelayProcess([])]
    relays.push(r1, r2)
    const line = await startTcpProxy(r1.port)
    proxies.push(line)
    const [a, b] = [await device(), await device()]
    await openApp(a.page, app.url)
    await newDraft(a.page)
    await a.page.keyboard.type('Watched relays')
    await a.page.keyboard.press('ArrowDown')
    await a.page.keyboard.type('Start.')
    await waitSaved(a.page)
    await shareThrough(a.page, r1.url)
    const link = await shareThrough(a.page, r2.url)
    // B reaches relay 1 through a line that will keep the connection but pass nothing on.
    const invite = parseInvite(link)!
    await joinWith(b.page, inviteLink(link.slice(0, link.indexOf('#')), { ...invite, relays: [{ url: line.url }, { url: r2.url }] }))
    await waitSynced(b.page)
    line.stall()
    await caretAfter(a.page, 'Start.')
    await a.page.keyboard.type(' Sent while relay 1 holds back.')
    await expect.poll(() => draftText(b.page)).toContain('Sent while relay 1 holds back.')
    await b.page.locator('.pk-sync', { hasText: 'holding back changes' }).waitFor({ timeout: 25_000 })
    expect(await b.page.locator('.pk-sync').getAttribute('title')).toContain(`${line.url}: synced, holding back`)
    await screenshot(b.page, 'relay-holding-back')
    // A, whose relays both pass everything on, sees no such warning.
    expect(await a.page.locator('.pk-sync').innerText()).toBe('Synced')
  })

  it('changing the key: the old invite reads nothing new, the new one reads everything', async () => {
    const r = await startRelayProcess([])
    relays.push(r)
    const line = await startTcpProxy(r.port)
    proxies.push(line)
    const { a, b, link } = await session(line, 'Before the change', 'Ana', false)
    await a.page.getByRole('button', { name: 'Share', exact: true }).click()
    await a.page.getByRole('dialog').getByRole('button', { name: 'Change the key…' }).click()
    await a.page.getByRole('dialog').getByRole('button', { name: 'Change the key' }).click()
    const dialog = a.page.getByRole('dialog', { name: 'Share this draft' })
    await dialog.waitFor()
    const newLink = await dialog.getByLabel('Invite link').inputValue()
    await dialog.getByRole('button', { name: 'Done' }).click()
    expect(parseInvite(newLink)!.key).not.toBe(parseInvite(link)!.key)
    await caretAfter(a.page, 'Before the change')
    await a.page.keyboard.insertText(' After the change.')
    // B still holds only the old key: the new words do not open for B, and B is told why.
    await b.page.locator('.pk-banner', { hasText: 'key this device does not hold' }).waitFor({ timeout: 15_000 })
    expect(await draftText(b.page)).not.toContain('After the change')
    // A newcomer with the new link reads everything, from before and after.
    const c = await device()
    await joinWith(c.page, newLink)
    await expect.poll(() => draftText(c.page)).toContain('Before the change. After the change.')
    // B, sent the new link, reads on.
    await openApp(b.page, newLink)
    await expect.poll(() => draftText(b.page), { timeout: 15_000 }).toContain('After the change.')
  })
})
void Y
