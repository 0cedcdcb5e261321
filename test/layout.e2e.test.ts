import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { openApp, screenshot, writeDraft } from './support/editor-page.ts'
import { joinWith, shareThrough, waitSynced } from './support/sync-page.ts'
import { commentOn, replaceWords, setName, showComments, startProposing, stopProposing } from './support/review-page.ts'

/**
 * Issue 24, item 10: at 1024 px the title disappeared and the review tabs wrapped. The
 * busiest screen a member has — a chapter draft (so "Propose back…" is in the header),
 * two members present, a comment, an amendment and a long title — at the two laptop
 * sizes a committee brings, checked by what a member would notice, and photographed.
 */
const app = useApp()
const fleet = useFleet()

const layout = (page: Page) => page.evaluate(() => {
  const box = (el: Element | null) => el?.getBoundingClientRect() ?? null
  const title = document.querySelector<HTMLElement>('.pk-topbar-title')!
  const tabEls = [...document.querySelectorAll<HTMLElement>('.pk-tab')]
  const tabs = tabEls.map((t) => box(t)!)
  const header = [...document.querySelectorAll('.pk-topbar-right > *')].filter((el) => (el as HTMLElement).offsetParent !== null).map((el) => box(el)!)
  return {
    titleWidth: box(title)!.width,
    titleShows: title.scrollWidth > 0 && box(title)!.width >= Math.min(title.scrollWidth, 140),
    headerHeight: box(document.querySelector('.pk-topbar'))!.height,
    headerRows: new Set(header.map((b) => Math.round(b.top + b.height / 2))).size,
    headerInside: header.every((b) => b.right <= window.innerWidth + 0.5),
    tabRows: new Set(tabs.map((b) => Math.round(b.top))).size,
    tabsInside: tabs.every((b) => b.right <= window.innerWidth + 0.5),
    // A squeezed tab's label runs into its neighbour: none may be wider than its box.
    tabsWhole: tabEls.every((t) => t.scrollWidth <= t.clientWidth + 1),
    pageWidth: box(document.querySelector('.pk-page'))!.width,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    docbar: document.querySelector<HTMLElement>('.pk-docbar')!.innerText.replace(/\s+/g, ' '),
  }
})

describe('layout on a committee’s laptops', () => {
  it('at 1024 × 768 and 1280 × 800 the title shows, the header and the review tabs stay on one line, nothing overflows', async () => {
    const r = await fleet.relay()
    const [a, b] = [await fleet.device(), await fleet.device()]
    await openApp(a.page, app.url)
    await writeDraft(a.page, 'The People’s Platform for the Riverside and Eastbank chapters', '## Housing', 'Rent shall be capped at a fair level for every tenant.')
    await setName(a.page, 'Ana Lima')
    // A chapter draft: its header has "Propose back…" as well.
    await a.page.locator('.pk-draft').first().getByRole('button', { name: /More actions/ }).click()
    await a.page.getByRole('menuitem', { name: 'Start a chapter draft…' }).click()
    await a.page.getByRole('dialog').getByRole('textbox').fill('Riverside')
    await a.page.getByRole('dialog').getByRole('button', { name: 'Start chapter draft' }).click()
    await a.page.getByRole('button', { name: 'Propose back…' }).waitFor()
    const link = await shareThrough(a.page, r.url)
    await joinWith(b.page, link)
    await setName(b.page, 'Ben Okafor')
    await waitSynced(a.page)
    await startProposing(a.page, 'Cap rent by law')
    await replaceWords(a.page, 'a fair level', '3% a year')
    await stopProposing(a.page)
    await showComments(a.page)
    await commentOn(a.page, 'every tenant', 'Lodgers too?')
    await a.page.locator('.pk-toast .pk-icon-button').evaluateAll((xs) => xs.forEach((x) => (x as HTMLElement).click()))
    await a.page.locator('.pk-avatar[data-name="Ben Okafor"]').waitFor()

    for (const [width, height] of [[1024, 768], [1280, 800]] as const) {
      await a.page.setViewportSize({ width, height })
      await a.page.waitForTimeout(200)
      const seen = await layout(a.page)
      console.log(`${width}×${height}:`, JSON.stringify(seen))
      expect(seen.titleShows, 'the draft’s title is readable').toBe(true)
      expect(seen.titleWidth).toBeGreaterThanOrEqual(140)
      expect(seen.headerRows, 'header on one line').toBe(1)
      expect(seen.headerInside).toBe(true)
      expect(seen.headerHeight).toBeLessThanOrEqual(60)
      expect(seen.tabRows, 'review tabs on one line').toBe(1)
      expect(seen.tabsInside).toBe(true)
      expect(seen.tabsWhole, 'each tab’s label fits its tab').toBe(true)
      expect(seen.pageWidth).toBeGreaterThanOrEqual(380)
      expect(seen.overflow).toBeLessThanOrEqual(0)
      expect(seen.docbar).toMatch(/Saved on this device \d+ words/)
      // Kept in test/screenshots/ too, as the README's images are.
      await screenshot(a.page, `layout-${width}x${height}`)
    }
  })
})
