import { describe, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import { launchDevice } from './support/chromium.ts'
import { useApp } from './support/app-server.ts'
import { blocks, draftTitles, editor, newDraft, openApp, waitSaved, writeDraft } from './support/editor-page.ts'
import { startRelayProcess } from './support/relay-process.ts'
import { draftText, shareThrough, waitSynced } from './support/sync-page.ts'

const app = useApp()

const writePlatform = async (page: import('playwright-core').Page) => {
  await newDraft(page)
  const kb = page.keyboard
  await kb.type('Chapter platform')
  await kb.press('ArrowDown')
  await kb.type('Preamble.')
  for (let i = 1; i <= 12; i++) {
    await kb.press('Enter')
    await kb.type(`## Plank ${i}`)
    await kb.press('Enter')
    await kb.insertText(`Text of plank ${i}. `.repeat(20))
  }
  await waitSaved(page)
}

describe('workspace', () => {
  it('jumps to a plank from the outline', async () => {
    const d = await launchDevice()
    try {
      await openApp(d.page, app.url)
      await writePlatform(d.page)
      await d.page.locator('.pk-outline button', { hasText: 'Plank 2' }).click()
      const heading = editor(d.page).locator('h2', { hasText: 'Plank 2' })
      await d.page.waitForFunction(() => {
        const h = [...document.querySelectorAll('.pk-editor h2')].find((e) => e.textContent === 'Plank 2')!
        const r = h.getBoundingClientRect()
        return r.top >= 0 && r.top < 300
      })
      expect(await heading.isVisible()).toBe(true)
      // The caret went there too: typing lands at the start of that heading.
      await d.page.keyboard.type('!')
      await editor(d.page).locator('h2', { hasText: '!Plank 2' }).waitFor()
    } finally {
      await d.dispose()
    }
  })

  it('duplicates a draft with its content, as a separate draft', async () => {
    const d = await launchDevice()
    try {
      await openApp(d.page, app.url)
      await writeDraft(d.page, 'Original', 'Shared text.')
      await d.page.waitForFunction(() => document.querySelector('.pk-draft-title')?.textContent === 'Original')
      await d.page.locator('.pk-draft', { hasText: 'Original' }).getByRole('button', { name: /More actions/ }).click()
      await d.page.getByRole('menuitem', { name: 'Duplicate' }).click()
      await editor(d.page).locator('.pk-title', { hasText: 'Copy of Original' }).waitFor()
      expect(await blocks(d.page)).toEqual(['h1:Copy of Original', 'p:Shared text.'])
      await d.page.keyboard.press('Control+End')
      await editor(d.page).locator('p').click()
      await d.page.keyboard.press('End')
      await d.page.keyboard.type(' Only in the copy.')
      await waitSaved(d.page)
      await d.page.locator('.pk-draft', { hasText: /^Original/ }).locator('.pk-draft-open').click()
      await editor(d.page).locator('.pk-title', { hasText: /^Original$/ }).waitFor()
      expect(await blocks(d.page)).toEqual(['h1:Original', 'p:Shared text.'])
      expect((await draftTitles(d.page)).sort()).toEqual(['Copy of Original', 'Original'])
    } finally {
      await d.dispose()
    }
  })

  it('joins a draft by pasting an invite link', async () => {
    const relay = await startRelayProcess()
    const [a, b] = [await launchDevice(), await launchDevice()]
    try {
      await openApp(a.page, app.url)
      await writeDraft(a.page, 'Invited draft', 'Welcome, comrade.')
      const link = await shareThrough(a.page, relay.url)
      await waitSynced(a.page)
      await openApp(b.page, app.url)
      await b.page.getByRole('button', { name: 'Join with invite…' }).click()
      const linkField = b.page.getByRole('dialog').getByLabel('Paste the invite link a member sent you')
      await linkField.fill('not a link')
      await b.page.getByRole('dialog').getByRole('button', { name: 'Join' }).click()
      await b.page.getByRole('dialog').getByText('That is not a Plank invite link').waitFor()
      await linkField.fill(link)
      await b.page.getByRole('dialog').getByRole('button', { name: 'Join' }).click()
      await b.page.locator('.pk-editor[contenteditable="true"]').waitFor()
      expect(await draftText(b.page)).toBe('Invited draft\nWelcome, comrade.')
      expect(await draftTitles(b.page)).toEqual(['Invited draft'])
    } finally {
      await a.dispose()
      await b.dispose()
      await relay.kill('SIGKILL')
    }
  })

  it('exports the draft as Markdown', async () => {
    const d = await launchDevice()
    try {
      await openApp(d.page, app.url)
      await newDraft(d.page)
      const kb = d.page.keyboard
      await kb.type('Export me')
      await kb.press('ArrowDown')
      await kb.type('Some ')
      await kb.press('Control+b')
      await kb.type('bold')
      await kb.press('Control+b')
      await kb.type(' words.')
      await kb.press('Enter')
      await kb.type('## Housing')
      await kb.press('Enter')
      await kb.type('- One')
      await waitSaved(d.page)
      await d.page.getByRole('button', { name: 'Export…' }).click()
      const [download] = await Promise.all([
        d.page.waitForEvent('download'),
        d.page.getByRole('dialog').getByRole('button', { name: 'Markdown' }).click(),
      ])
      expect(download.suggestedFilename()).toBe('Export me.md')
      const markdown = await readFile((await download.path())!, 'utf8')
      expect(markdown).toBe('# Export me\n\nSome **bold** words.\n\n## Housing\n\n* One\n')
    } finally {
      await d.dispose()
    }
  })
})
