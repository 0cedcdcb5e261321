import type { Page } from 'playwright-core'
import { editor } from './editor-page.ts'

/** Review steps as a member takes them: select words, comment, propose, decide. */

/** Select the first occurrence of `words` in the draft, as a drag with the mouse would. */
export const selectWords = async (page: Page, words: string): Promise<void> => {
  await editor(page).evaluate((root, needle) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    const nodes: Text[] = []
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text)
    const full = nodes.map((n) => n.data).join('')
    const at = full.indexOf(needle)
    if (at < 0) throw new Error(`"${needle}" is not in the draft`)
    const locate = (offset: number, end: boolean) => {
      let rest = offset
      for (const n of nodes) {
        if (rest < n.data.length || (end && rest === n.data.length)) return [n, rest] as const
        rest -= n.data.length
      }
      throw new Error('offset outside the text')
    }
    const [startNode, startOffset] = locate(at, false)
    const [endNode, endOffset] = locate(at + needle.length, true)
    ;(root as HTMLElement).focus()
    const range = document.createRange()
    range.setStart(startNode, startOffset)
    range.setEnd(endNode, endOffset)
    const sel = window.getSelection()!
    sel.removeAllRanges()
    sel.addRange(range)
  }, words)
  // ProseMirror reads the DOM selection on selectionchange.
  await page.waitForFunction(() => (window.getSelection()?.toString().length ?? 0) > 0)
  await page.waitForTimeout(50)
}

/** Put the caret right after `words`. */
export const caretAfterWords = async (page: Page, words: string): Promise<void> => {
  await selectWords(page, words)
  await page.keyboard.press('ArrowRight')
  // ProseMirror picks the collapsed selection up on selectionchange, a moment later.
  await page.waitForFunction(() => window.getSelection()?.isCollapsed === true)
  await page.waitForTimeout(50)
}

export const commentOn = async (page: Page, words: string, body: string): Promise<void> => {
  await selectWords(page, words)
  await page.getByRole('button', { name: 'Comment', exact: true }).click()
  const box = page.getByRole('textbox', { name: 'Comment on the selected words' })
  await box.fill(body)
  await page.locator('.pk-new-comment').getByRole('button', { name: 'Comment', exact: true }).click()
  await page.locator('.pk-thread', { hasText: body }).waitFor()
}

export const startProposing = async (page: Page, title: string, rationale = ''): Promise<void> => {
  await page.getByRole('button', { name: 'Propose', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Propose an amendment' })
  await dialog.getByLabel('Title').fill(title)
  if (rationale) await dialog.getByLabel('Why (optional)').fill(rationale)
  await dialog.getByRole('button', { name: 'Start proposing' }).click()
  await page.locator('.pk-proposing-note', { hasText: title }).waitFor()
}

export const stopProposing = (page: Page) => page.getByRole('button', { name: 'Done proposing' }).click()

/** Replace `words` with `by` (typed) in whatever mode the editor is in. */
export const replaceWords = async (page: Page, words: string, by: string): Promise<void> => {
  await selectWords(page, words)
  await page.keyboard.type(by)
}

export const amendmentCard = (page: Page, title: string) => page.locator('.pk-amendment', { has: page.locator('h3', { hasText: title }) })

export const showAmendments = (page: Page) => page.getByRole('tab', { name: /Amendments/ }).click()
export const showComments = (page: Page) => page.getByRole('tab', { name: /Comments/ }).click()

/** Accept, reject or withdraw an amendment through its card and the confirmation. */
export const decide = async (page: Page, title: string, how: 'Accept' | 'Reject' | 'Withdraw'): Promise<void> => {
  await showAmendments(page)
  await amendmentCard(page, title).getByRole('button', { name: how, exact: true }).click()
  await page.getByRole('dialog').getByRole('button', { name: how, exact: true }).click()
  await amendmentCard(page, title).locator(`.pk-status-line .pk-chip[data-status="${{ Accept: 'accepted', Reject: 'rejected', Withdraw: 'withdrawn' }[how]}"]`).waitFor()
}

/** The words of the accepted text plus proposals as shown (struck words included). */
export const editorHTML = (page: Page) => editor(page).evaluate((el) => {
  const copy = el.cloneNode(true) as HTMLElement
  copy.querySelectorAll('.ProseMirror-yjs-cursor, .ProseMirror-separator, .ProseMirror-trailingBreak').forEach((c) => c.remove())
  copy.querySelectorAll('.pk-commented').forEach((c) => c.replaceWith(...c.childNodes))
  copy.normalize()
  return copy.innerHTML
})

/** Set the name others see (the profile dialog behind the member's own avatar). */
export const setName = async (page: Page, name: string): Promise<void> => {
  const dialog = page.getByRole('dialog')
  // The presence bar re-renders as peers come and go: click until the dialog is up.
  for (let attempt = 0; ; attempt++) {
    await page.locator('.pk-avatar-me').click()
    try {
      await dialog.waitFor({ timeout: 1000 })
      break
    } catch (err) {
      if (attempt === 10) throw err
    }
  }
  await dialog.getByLabel('Name').fill(name)
  await dialog.getByLabel('Name').press('Enter')
  await dialog.waitFor({ state: 'detached' })
}
