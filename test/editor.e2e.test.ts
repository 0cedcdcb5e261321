import { describe, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { launchDevice, type Device } from './support/chromium.ts'
import { APP_DIR, useApp } from './support/app-server.ts'
import { blocks, draftTitles, editor, newDraft, openApp, screenshot, waitSaved, writeDraft } from './support/editor-page.ts'
import { UNTITLED } from '../crdt/title.ts'

const app = useApp()

/** Type a small platform: a title, a preamble and three formatted planks. */
const typePlatform = async (device: Device) => {
  const { page } = device
  const kb = page.keyboard
  await kb.type('The People’s Platform')
  await kb.press('ArrowDown')
  await kb.type('We, the members, write this together.')
  await kb.press('Enter')
  await kb.type('## Housing')
  await kb.press('Enter')
  await kb.type('Homes for ')
  await kb.press('Control+b')
  await kb.type('everyone')
  await kb.press('Control+b')
  await kb.type(', built to ')
  await kb.press('Control+i')
  await kb.type('last')
  await kb.press('Control+i')
  await kb.type('.')
  await kb.press('Enter')
  await kb.type('## Work')
  await kb.press('Enter')
  await kb.type('- A living wage')
  await kb.press('Enter')
  await kb.type('The right to ')
  await kb.press('Control+u')
  await kb.type('organise')
  await kb.press('Control+u')
  await kb.press('Enter')
  await kb.press('Enter')
  await kb.type('## Democracy')
  await kb.press('Enter')
  await kb.type('> Power belongs to the members.')
  await kb.press('Enter')
  await kb.press('Enter')
  await kb.type('1. Open meetings')
  await kb.press('Enter')
  await kb.type('Read more at our site')
  // Link the last word through the link dialog, as a member would: select it, then Ctrl+K.
  for (let i = 0; i < 4; i++) await kb.press('Shift+ArrowLeft')
  await page.waitForFunction(() => getSelection()?.toString() === 'site')
  await page.locator('.pk-tool[aria-label="Link"]:not([disabled])').waitFor()
  await kb.press('Control+k')
  await page.getByLabel(/Web or e-mail address/).fill('https://example.org/platform')
  await page.getByRole('button', { name: 'Apply' }).click()
}

describe('the offline editor', () => {
  it('keeps a title and three formatted sections across a reload, formatting included', async () => {
    const device = await launchDevice()
    try {
      const { page } = device
      await openApp(page, app.url)
      await screenshot(page, 'empty-workspace')
      expect(await page.getByRole('heading', { name: 'Write your platform together' }).isVisible()).toBe(true)
      await newDraft(page)
      await typePlatform(device)
      await waitSaved(page)
      const html = await editor(page).innerHTML()
      expect(html).toContain('<strong>everyone</strong>')
      expect(html).toContain('<em>last</em>')
      expect(html).toContain('<u>organise</u>')
      expect(html).toMatch(/<a href="https:\/\/example.org\/platform"[^>]*>site<\/a>/)
      expect(await page.locator('.pk-outline button').allInnerTexts()).toEqual(['Housing', 'Work', 'Democracy'])
      expect(await page.locator('.pk-words').innerText()).toMatch(/^\d+ words$/)
      await screenshot(page, 'editor')

      await page.reload()
      await page.locator('#app[data-ready="true"]').waitFor()
      await editor(page).locator('h2').first().waitFor()
      expect(await editor(page).innerHTML()).toBe(html)
      expect(await draftTitles(page)).toEqual(['The People’s Platform'])
      expect(await blocks(page)).toEqual([
        'h1:The People’s Platform',
        'p:We, the members, write this together.',
        'h2:Housing',
        'p:Homes for everyone, built to last.',
        'h2:Work',
        'ul:A living wage\nThe right to organise',
        'h2:Democracy',
        'blockquote:Power belongs to the members.',
        'ol:Open meetings\nRead more at our site',
      ])
    } finally {
      await device.dispose()
    }
  })

  it('survives the browser being closed and reopened (the last-opened draft reopens)', async () => {
    const first = await launchDevice()
    const { page } = first
    await openApp(page, app.url)
    await newDraft(page)
    await page.keyboard.type('Draft A')
    await newDraft(page)
    await page.keyboard.type('Draft B')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.type('Only in B.')
    await waitSaved(page)
    await first.close()

    const again = await launchDevice({ profileDir: first.profileDir })
    try {
      await openApp(again.page, app.url)
      await editor(again.page).locator('.pk-title', { hasText: 'Draft B' }).waitFor()
      expect(await blocks(again.page)).toEqual(['h1:Draft B', 'p:Only in B.'])
    } finally {
      await again.dispose()
    }
  })

  it('keeps two drafts separate, and deleting one leaves the other intact', async () => {
    const device = await launchDevice()
    try {
      const { page } = device
      await openApp(page, app.url)
      await writeDraft(page, 'Housing draft', 'Rent control now.')
      await writeDraft(page, 'Transport draft', 'Free buses.')
      await page.waitForFunction((untitled) => document.querySelectorAll('.pk-draft-title').length === 2 &&
        [...document.querySelectorAll('.pk-draft-title')].every((e) => e.textContent !== untitled), UNTITLED)

      await page.locator('.pk-draft', { hasText: 'Housing draft' }).locator('.pk-draft-open').click()
      await editor(page).locator('.pk-title', { hasText: 'Housing draft' }).waitFor()
      expect(await blocks(page)).toEqual(['h1:Housing draft', 'p:Rent control now.'])

      // Delete Housing: confirm, then undo brings it back; delete again and let it go.
      const deleteHousing = async () => {
        await page.locator('.pk-draft', { hasText: 'Housing draft' }).getByRole('button', { name: /More actions/ }).click()
        await page.getByRole('menuitem', { name: 'Delete' }).click()
        await screenshot(page, 'delete-confirm')
        await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
        await page.locator('.pk-toast', { hasText: 'Deleted' }).waitFor()
      }
      await deleteHousing()
      expect(await draftTitles(page)).toEqual(['Transport draft'])
      await page.locator('.pk-toast').getByRole('button', { name: 'Undo' }).click()
      await editor(page).locator('.pk-title', { hasText: 'Housing draft' }).waitFor()
      expect(await blocks(page)).toEqual(['h1:Housing draft', 'p:Rent control now.'])

      await deleteHousing()
      await screenshot(page, 'deleted-with-undo')
      // Reloading during the undo window completes the deletion at the next start.
      await page.reload()
      await page.locator('#app[data-ready="true"]').waitFor()
      expect(await draftTitles(page)).toEqual(['Transport draft'])
      expect(await blocks(page)).toEqual(['h1:Transport draft', 'p:Free buses.'])
      const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))
      expect(databases.filter((n) => n?.startsWith('plank-draft-'))).toHaveLength(1)
    } finally {
      await device.dispose()
    }
  })

  it('loads and edits with every network request blocked', async () => {
    const device = await launchDevice()
    try {
      const { page, context } = device
      // The app's files come from disk, as in the desktop app; anything else is refused.
      const origin = 'http://localhost:47999'
      const refused: string[] = []
      await context.route('**/*', async (route) => {
        const url = new URL(route.request().url())
        if (url.origin !== origin) {
          refused.push(url.href)
          return route.abort('internetdisconnected')
        }
        const path = url.pathname === '/' ? '/index.html' : url.pathname
        const body = await readFile(join(APP_DIR, path)).catch(() => null)
        if (!body) return route.fulfill({ status: 404 })
        const type = path.endsWith('.js') ? 'text/javascript' : path.endsWith('.css') ? 'text/css' : 'text/html'
        return route.fulfill({ status: 200, body, contentType: type })
      })
      await context.setOffline(true)
      await openApp(page, `${origin}/`)
      await writeDraft(page, 'Written on a train', 'No signal, no problem.')
      await page.reload()
      await page.locator('#app[data-ready="true"]').waitFor()
      expect(await blocks(page)).toEqual(['h1:Written on a train', 'p:No signal, no problem.'])
      expect(refused).toEqual([])
    } finally {
      await device.dispose()
    }
  })

  it('undo takes back only the member’s own editing, not a rename made elsewhere', async () => {
    const device = await launchDevice()
    try {
      const { page } = device
      await openApp(page, app.url)
      await newDraft(page)
      await page.keyboard.type('Original title')
      await page.keyboard.press('ArrowDown')
      await page.keyboard.type('First thought.')
      await page.waitForTimeout(700) // a pause ends an undo step, as for a person
      await page.keyboard.type(' Second thought.')
      await waitSaved(page)
      // A change that is not this editing session's: the draft renamed from the drafts list.
      await page.locator('.pk-draft.pk-current').getByRole('button', { name: /More actions/ }).click()
      await page.getByRole('menuitem', { name: 'Rename…' }).click()
      await page.getByRole('dialog').getByRole('textbox').fill('Renamed from the list')
      await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click()
      await editor(page).locator('.pk-title', { hasText: 'Renamed from the list' }).waitFor()
      await editor(page).locator('p').first().click()
      await page.keyboard.press('Control+z')
      expect(await blocks(page)).toEqual(['h1:Renamed from the list', 'p:First thought.'])
      await page.keyboard.press('Control+y')
      expect(await blocks(page)).toEqual(['h1:Renamed from the list', 'p:First thought. Second thought.'])
    } finally {
      await device.dispose()
    }
  })
})
