import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { launchDevice } from './support/chromium.ts'
import { useApp } from './support/app-server.ts'
import { editor, newDraft, openApp } from './support/editor-page.ts'

const app = useApp()

describe('the app killed mid-typing', () => {
  it('keeps everything typed up to about a second before the kill', async () => {
    const first = await launchDevice()
    await openApp(first.page, app.url)
    await newDraft(first.page)
    await first.page.keyboard.type('Typed on a dying laptop')
    await first.page.keyboard.press('ArrowDown')
    const typedAt: number[] = []
    const start = Date.now()
    let n = 0
    while (Date.now() - start < 2500) {
      await first.page.keyboard.insertText(`w${n} `)
      typedAt.push(Date.now())
      n++
      await first.page.waitForTimeout(20)
    }
    const killedAt = Date.now()
    // The whole browser, as a power cut or a crash would: no unload, no flush.
    execFileSync('pkill', ['-9', '-f', first.profileDir])
    await first.close().catch(() => {})
    const safe = typedAt.filter((t) => t <= killedAt - 1000).length

    const again = await launchDevice({ profileDir: first.profileDir })
    try {
      await openApp(again.page, app.url)
      await editor(again.page).locator('.pk-title', { hasText: 'Typed on a dying laptop' }).waitFor()
      const text = await editor(again.page).locator('p').first().innerText()
      const words = text.trim().split(/\s+/)
      console.log(`typed ${n} words; ${words.length} survived the kill; ${safe} were typed at least 1 s before it`)
      for (let i = 0; i < safe; i++) expect(words[i]).toBe(`w${i}`)
    } finally {
      await again.dispose()
    }
  })
})
