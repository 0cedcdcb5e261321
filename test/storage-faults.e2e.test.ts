import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { launchDevice, type Device } from './support/chromium.ts'
import { useApp } from './support/app-server.ts'
import { blocks, editor, openApp, screenshot, writeDraft } from './support/editor-page.ts'
import { mountSmallDisk } from './support/small-disk.ts'
import { appendUpdate, currentDraftDb, readUpdates } from './support/idb.ts'

const app = useApp()

const storeDraft = async (device: Device) => {
  const { page } = device
  await openApp(page, app.url)
  await writeDraft(page, 'Stored platform', 'Every word matters.')
  return currentDraftDb(page)
}

const reopen = async (device: Device) => {
  await device.page.reload()
  await device.page.locator('#app[data-ready="true"]').waitFor()
}

describe('bad input in storage', () => {
  it('opens a corrupted stored draft read-only, says so, and changes nothing on disk', async () => {
    const device = await launchDevice()
    try {
      const { page } = device
      const db = await storeDraft(device)
      await appendUpdate(page, db, [0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02, 0x03])
      const before = await readUpdates(page, db)
      await reopen(device)
      await page.locator('.pk-banner', { hasText: 'damaged' }).waitFor()
      expect(await page.locator('.pk-save').innerText()).toBe('Read-only')
      expect(await editor(page).getAttribute('contenteditable')).toBe('false')
      expect(await blocks(page)).toEqual(['h1:Stored platform', 'p:Every word matters.'])
      await screenshot(page, 'read-only-damaged')
      // Typing does nothing, and the store is byte for byte what it was.
      await editor(page).click()
      await page.keyboard.type('should not land')
      expect(await blocks(page)).toEqual(['h1:Stored platform', 'p:Every word matters.'])
      expect(await readUpdates(page, db)).toEqual(before)
    } finally {
      await device.dispose()
    }
  })

  it('opens a draft written by a newer schema read-only, without dropping what it cannot show', async () => {
    const device = await launchDevice()
    try {
      const { page } = device
      const db = await storeDraft(device)
      // A newer Plank bumped the schema version and added a node this build does not know.
      const doc = new Y.Doc({ gc: false })
      for (const u of await readUpdates(page, db)) Y.applyUpdate(doc, new Uint8Array(u))
      const sv = Y.encodeStateVector(doc)
      doc.transact(() => {
        doc.getMap('meta').set('schemaVersion', 99)
        const future = new Y.XmlElement('resolution_box')
        future.insert(0, [new Y.XmlText('A block from the future')])
        doc.getXmlFragment('content').insert(2, [future])
      })
      await appendUpdate(page, db, [...Y.encodeStateAsUpdate(doc, sv)])
      const before = await readUpdates(page, db)
      await reopen(device)
      await page.locator('.pk-banner', { hasText: 'newer version of Plank' }).waitFor()
      expect(await editor(page).getAttribute('contenteditable')).toBe('false')
      expect(await blocks(page)).toContain('p:Every word matters.')
      await page.waitForTimeout(300)
      expect(await readUpdates(page, db)).toEqual(before)
    } finally {
      await device.dispose()
    }
  })

  it('tells the member when the disk is full instead of failing silently', async () => {
    const disk = mountSmallDisk(96)
    const device = await launchDevice({ profileDir: `${disk.dir}/profile` })
    try {
      const { page } = device
      await storeDraft(device)
      disk.fill()
      await editor(page).locator('p').first().click()
      await page.keyboard.press('End')
      for (let i = 0; i < 20 && !(await page.locator('.pk-banner-error').isVisible()); i++) {
        await page.keyboard.insertText(' More words that will not fit.'.repeat(2000))
        await page.waitForTimeout(250)
      }
      await page.locator('.pk-banner-error', { hasText: /not saved/i }).waitFor()
      expect(await page.locator('.pk-save').innerText()).toBe('Not saved')
      await screenshot(page, 'storage-full')
    } finally {
      await device.dispose()
      disk.unmount()
    }
  })
})
