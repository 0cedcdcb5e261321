import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { launchDevice, type Device } from './support/chromium.ts'
import { useApp } from './support/app-server.ts'
import { editor, openApp, screenshot, writeDraft } from './support/editor-page.ts'
import { useRelay } from './support/relay-process.ts'
import { stockClient, waitUntil } from './support/yjs-client.ts'
import { joinWith, shareThrough, waitSynced } from './support/sync-page.ts'
import { parseInvite } from '../renderer/src/sync/invite.ts'

const app = useApp()
const relay = useRelay()
const devices: Device[] = []
const clients: Array<{ destroy: () => void }> = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await Promise.all(devices.splice(0).map((d) => d.dispose()))
})

const elementNames = (doc: Y.Doc) => doc.getXmlFragment('content').toArray().map((n) => (n instanceof Y.XmlElement ? n.nodeName : '#text'))

describe('a peer on a newer schema', () => {
  it('cannot make older clients delete what they cannot show: they go read-only and keep syncing it', async () => {
    const [a, b] = [await launchDevice(), await launchDevice()]
    devices.push(a, b)
    await openApp(a.page, app.url)
    await writeDraft(a.page, 'Platform with a future block', 'Written today.')
    const link = await shareThrough(a.page, relay.url, undefined, { open: true })
    await waitSynced(a.page)
    await joinWith(b.page, link)

    // The newer peer: a plain Yjs client adding a block and a mark Plank 1 does not have.
    const future = stockClient(relay.url, parseInvite(link)!.draftId)
    clients.push(future)
    await future.synced()
    await waitUntil(() => elementNames(future.doc).includes('title'))
    future.doc.transact(() => {
      const box = new Y.XmlElement('resolution_box')
      box.insert(0, [new Y.XmlText('Resolved: from the future.')])
      future.doc.getXmlFragment('content').insert(2, [box])
    })

    for (const page of [a.page, b.page]) {
      await page.locator('.pk-banner', { hasText: 'cannot show' }).waitFor()
      expect(await editor(page).getAttribute('contenteditable')).toBe('false')
      expect(await editor(page).innerText()).toContain('Written today.')
    }
    await screenshot(b.page, 'newer-schema-read-only')
    // Nobody deleted it: the newer peer (and the relay) still have the block.
    await new Promise((r) => setTimeout(r, 1000))
    expect(elementNames(future.doc)).toEqual(['title', 'paragraph', 'resolution_box'])

    // The older clients still relay and store everything: A reopens, B gets later edits.
    future.doc.getXmlFragment('content').insert(3, [Object.assign(new Y.XmlElement('paragraph'), {})])
    await a.page.reload()
    await a.page.locator('.pk-banner', { hasText: 'cannot show' }).waitFor()
    expect(elementNames(future.doc)).toEqual(['title', 'paragraph', 'resolution_box', 'paragraph'])
  })
})
