import type * as Y from 'yjs'
import type { Node as PMNode } from 'prosemirror-model'
import { CANONICAL_FORMAT, type Ledger, canonicalText, hashText, ratifiedTextOf, readTitle } from '../../../crdt/index.ts'
import { toMarkdown, toPlainText } from '../editor/export.ts'
import { withoutProposals } from '../review/settle.ts'
import { host } from '../platform.ts'
import { choiceDialog } from '../ui/dialog.ts'
import { showToast } from '../ui/toast.ts'
import { type PublishInfo, standaloneHTML } from './standalone-html.ts'
import { fromMarkdown, fromPlainText } from './markdown-import.ts'
import { pickFile } from '../ui/pick-file.ts'

type Format = 'md' | 'html' | 'pdf' | 'txt'

/** A file name from the draft's title: letters, digits, spaces, dashes. */
const baseName = (doc: Y.Doc) => (readTitle(doc) || 'platform').replace(/[^\p{L}\p{N} _-]+/gu, '').trim() || 'platform'

/** Whether the text being published is a ratified version's, as this device checks it (crdt/questions.ts). */
const ratifiedAs = (ledger: Ledger): PublishInfo['ratified'] => {
  const found = ratifiedTextOf(ledger)
  if (!found) return null
  const { question: q, version: v } = found
  return { name: v.name, summary: `ratified ${q.counts.yes}–${q.counts.no}${q.counts.abstain ? `, ${q.counts.abstain} abstaining` : ''}`, at: q.ratification!.at }
}

/**
 * Publish the open draft's accepted text (open proposals are not part of it yet):
 * Markdown, standalone HTML, PDF or plain text.
 */
export const exportDraft = async (ledger: Ledger): Promise<void> => {
  const doc: Y.Doc = ledger.doc
  const format = await choiceDialog<Format>({
    title: 'Export draft',
    message: 'The accepted text is exported, without open proposals. HTML and PDF are styled for reading and print, and carry the text’s content hash.',
    choices: [
      { label: 'PDF', value: 'pdf' },
      { label: 'HTML (print-ready)', value: 'html' },
      { label: 'Markdown', value: 'md' },
      { label: 'Plain text', value: 'txt' },
    ],
  })
  if (format === null) return
  const accepted = withoutProposals(doc)
  const base = baseName(doc)
  try {
    if (format === 'md' || format === 'txt') {
      const md = format === 'md'
      const saved = await host.saveFile({ suggestedName: `${base}.${format}`, content: md ? toMarkdown(accepted) : toPlainText(accepted), mimeType: md ? 'text/markdown' : 'text/plain' })
      if (saved) showToast({ message: 'Exported.' })
      return
    }
    const html = standaloneHTML(accepted, { title: readTitle(doc), hash: hashText(canonicalText(doc)), format: CANONICAL_FORMAT, date: new Date(), ratified: ratifiedAs(ledger) })
    if (format === 'html') {
      if (await host.saveFile({ suggestedName: `${base}.html`, content: html, mimeType: 'text/html' })) showToast({ message: 'Exported.' })
      return
    }
    if (host.kind === 'browser') showToast({ message: 'In the print dialog, choose “Save as PDF”.' })
    if (await host.savePdf({ suggestedName: `${base}.pdf`, html }) && host.kind === 'electron') showToast({ message: 'Exported as PDF.' })
  } catch (err) {
    showToast({ kind: 'error', message: `The export failed: ${err instanceof Error ? err.message : String(err)}. Nothing was changed.` })
  }
}

/** The largest file an import reads (a platform is text: this is generous). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024

/** Ask for a Markdown or text file and read it as a platform; null when cancelled or unreadable (the member is told why). */
export const chooseImport = async (): Promise<{ doc: PMNode; name: string } | null> => {
  const file = await pickFile('.md,.markdown,.txt,text/markdown,text/plain')
  return file ? readImport(file) : null
}

export const readImport = async (file: File): Promise<{ doc: PMNode; name: string } | null> => {
  const name = file.name.replace(/\.[a-z0-9]{1,8}$/i, '')
  if (file.size > MAX_IMPORT_BYTES) {
    showToast({ kind: 'error', message: `“${file.name}” is ${(file.size / 1048576).toFixed(1)} MB; Plank imports text files up to 5 MB.` })
    return null
  }
  const bytes = new Uint8Array(await file.arrayBuffer())
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    showToast({ kind: 'error', message: `“${file.name}” is not UTF-8 text, so it was not imported. Save it as Markdown or plain text (UTF-8) and try again.` })
    return null
  }
  const plain = /\.txt$/i.test(file.name) || file.type === 'text/plain'
  return { doc: plain ? fromPlainText(text, name) : fromMarkdown(text, name), name }
}
