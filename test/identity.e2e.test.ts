import { describe, expect, it } from 'vitest'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { newDraft, openApp } from './support/editor-page.ts'
import { setName } from './support/review-page.ts'
import type { Page } from 'playwright-core'

const app = useApp()
const fleet = useFleet()

const openMembers = async (page: Page) => {
  await page.getByRole('button', { name: 'Share', exact: true }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Members…' }).click()
  return page.getByRole('dialog', { name: 'Members' })
}
const memberKey = async (page: Page) => {
  const dialog = await openMembers(page)
  const text = await dialog.getByText(/member key/).innerText()
  await dialog.getByRole('button', { name: 'Close' }).click()
  return /member key (\S+)…/.exec(text)![1]
}

describe('a member’s identity', () => {
  it('moves to a second device as a passphrase-protected file, and a wrong passphrase changes nothing', async () => {
    const [a, b] = [await fleet.device(), await fleet.device()]
    for (const d of [a, b]) { await openApp(d.page, app.url); await newDraft(d.page) }
    await setName(a.page, 'Ana')
    const keyA = await memberKey(a.page)
    const keyB = await memberKey(b.page)
    expect(keyA).not.toBe(keyB)

    const members = await openMembers(a.page)
    await members.getByRole('button', { name: 'Export my identity…' }).click()
    const form = a.page.getByRole('dialog', { name: 'Export your identity' })
    await form.getByLabel('Passphrase', { exact: true }).fill('short')
    await form.getByLabel('The same passphrase again').fill('short')
    await form.getByRole('button', { name: 'Export' }).click()
    await form.getByText('at least 10 characters').waitFor()
    await form.getByLabel('Passphrase', { exact: true }).fill('a long basement passphrase')
    await form.getByLabel('The same passphrase again').fill('a long basement passphrase')
    const [download] = await Promise.all([a.page.waitForEvent('download'), form.getByRole('button', { name: 'Export' }).click()])
    const file = (await download.path())!

    const importWith = async (passphrase: string) => {
      const dialog = await openMembers(b.page)
      const [chooser] = await Promise.all([b.page.waitForEvent('filechooser'), dialog.getByRole('button', { name: 'Use an identity from another device…' }).click()])
      await chooser.setFiles(file)
      const ask = b.page.getByRole('dialog', { name: 'Use an identity from another device' })
      await ask.getByLabel('Passphrase').fill(passphrase)
      await ask.getByRole('button', { name: 'Use this identity' }).click()
    }
    await importWith('the wrong passphrase')
    await b.page.locator('.pk-toast', { hasText: 'Wrong passphrase' }).waitFor()
    expect(await memberKey(b.page)).toBe(keyB)
    await importWith('a long basement passphrase')
    await b.page.locator('.pk-toast', { hasText: 'This device now signs as Ana.' }).waitFor()
    expect(await memberKey(b.page)).toBe(keyA)
  })
})
