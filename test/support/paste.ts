import type { Page } from 'playwright-core'

/** Paste into the focused editor as a member would (Ctrl+V): a paste event carrying plain text, or HTML. */
export const paste = (page: Page, data: { text?: string; html?: string }): Promise<void> =>
  page.evaluate(({ text, html }) => {
    const transfer = new DataTransfer()
    if (text !== undefined) transfer.setData('text/plain', text)
    if (html !== undefined) transfer.setData('text/html', html)
    const target = document.activeElement ?? document.querySelector('.pk-editor')!
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }))
  }, data)

/**
 * About `bytes` of plain text in paragraphs of a few hundred words, each numbered so a
 * test can look for the last one.
 */
export const bigText = (bytes: number): string => {
  const sentence = 'Every member of the chapter has a say in what the platform asks for, and every word of it is ours. '
  const paragraph = sentence.repeat(10)
  const paragraphs: string[] = []
  let size = 0
  for (let i = 1; size < bytes; i++) {
    const p = `Paragraph ${i}. ${paragraph}`
    paragraphs.push(p)
    size += p.length + 1
  }
  return paragraphs.join('\n')
}
