import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { launchDevice } from './support/chromium.ts'
import { useApp } from './support/app-server.ts'
import { editor, newDraft, openApp, writeDraft } from './support/editor-page.ts'
import { useRelay } from './support/relay-process.ts'
import { stockClient, waitUntil } from './support/yjs-client.ts'
import { shareThrough, waitSynced } from './support/sync-page.ts'
import { parseInvite } from '../renderer/src/sync/invite.ts'

/** Markup that tries to run code, navigate, or open something when pasted or received. */
const CORPUS = [
  '<img src="x" onerror="window.__xss = \'img\'">',
  '<a href="javascript:window.__xss=\'js-link\'">a javascript: link</a>',
  '<a href=" JaVaScRiPt:window.__xss=\'js-link-2\'">a disguised javascript: link</a>',
  '<a href="data:text/html,<script>alert(1)</script>">a data: link</a>',
  '<iframe src="javascript:window.parent.__xss=\'iframe\'"></iframe>',
  '<svg onload="window.__xss=\'svg\'"><script>window.__xss=\'svg-script\'</script></svg>',
  '<div onmouseover="window.__xss=\'hover\'">hover text</div>',
  '<style>body { display: none }</style><p style="background:url(javascript:alert(1))">styled</p>',
  '<form action="javascript:window.__xss=\'form\'"><button>submit</button></form>',
  '<object data="javascript:window.__xss=\'object\'"></object><embed src="x.swf">',
  '<p><a href="https://example.org/safe">a safe link</a> stays.</p>',
]

const app = useApp()
const relay = useRelay()

const paste = (page: import('playwright-core').Page, html: string) =>
  page.evaluate((markup) => {
    const data = new DataTransfer()
    data.setData('text/html', markup)
    data.setData('text/plain', 'fallback')
    document.querySelector('.pk-editor')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, html)

describe('hostile markup', () => {
  it('pasted: nothing runs, nothing navigates, only safe nodes and links remain', async () => {
    const d = await launchDevice()
    try {
      const { page, context } = d
      const popups: string[] = []
      context.on('page', (p) => popups.push(p.url()))
      await openApp(page, app.url)
      await newDraft(page)
      await page.keyboard.type('Pasted')
      await page.keyboard.press('ArrowDown')
      for (const html of CORPUS) await paste(page, html)
      await editor(page).hover()
      const html = await editor(page).innerHTML()
      expect(html).not.toMatch(/<(img|iframe|svg|script|style|form|object|embed|button)\b/i)
      expect(html).not.toMatch(/\son\w+=/i)
      expect(html).not.toMatch(/(href|src|action|data)="\s*(javascript|data):/i)
      expect(html).toContain('a javascript: link') // the text survives, inert
      expect(html).toContain('href="https://example.org/safe"')
      expect(await page.evaluate(() => (window as { __xss?: string }).__xss)).toBeUndefined()
      // Clicking links (with and without Ctrl) never navigates the app window.
      const url = page.url()
      for (const link of await editor(page).locator('a').all()) {
        await link.click()
        await link.click({ modifiers: ['Control'] })
      }
      expect(page.url()).toBe(url)
      // Only the one safe https link (Ctrl-click) opened anything; the unsafe ones have no href.
      expect(await editor(page).locator('a[href]').count()).toBe(1)
      await expect.poll(() => popups.length).toBe(1)
      await page.waitForTimeout(300)
      expect(popups).toHaveLength(1)
    } finally {
      await d.dispose()
    }
  })

  it('received from a peer: an unsafe link is shown inert, and inline script is blocked by the CSP', async () => {
    const d = await launchDevice()
    try {
      const { page } = d
      await openApp(page, app.url)
      await writeDraft(page, 'Received', 'Before.')
      const link = await shareThrough(page, relay.url, undefined, { open: true })
      await waitSynced(page)
      const peer = stockClient(relay.url, parseInvite(link)!.draftId)
      await peer.synced()
      await waitUntil(() => peer.doc.getXmlFragment('content').length >= 2)
      const paragraph = peer.doc.getXmlFragment('content').get(1) as Y.XmlElement
      ;(paragraph.get(0) as Y.XmlText).insert(0, 'click me ', { link: { href: 'javascript:window.__xss="peer"' } })
      await editor(page).locator('a', { hasText: 'click me' }).waitFor()
      const anchor = editor(page).locator('a', { hasText: 'click me' })
      expect(await anchor.getAttribute('href')).toBeNull()
      await anchor.click({ modifiers: ['Control'] })
      expect(await page.evaluate(() => (window as { __xss?: string }).__xss)).toBeUndefined()
      // The CSP refuses inline script, whatever route it takes into the page.
      const blocked = await page.evaluate(() => {
        const s = document.createElement('script')
        s.textContent = 'window.__csp = "ran"'
        document.body.append(s)
        return (window as { __csp?: string }).__csp
      })
      expect(blocked).toBeUndefined()
      // And the renderer has no Node.
      expect(await page.evaluate(() => typeof (window as { require?: unknown }).require)).toBe('undefined')
      peer.destroy()
    } finally {
      await d.dispose()
    }
  })
})
