import { DOMSerializer, type Node as PMNode } from 'prosemirror-model'
import { schema } from '../editor/schema.ts'
import { UNTITLED } from '../../../crdt/title.ts'

/**
 * The platform as one self-contained HTML file: styled for reading on screen and for
 * print (the PDF export prints exactly this). It carries no script and forbids any by
 * its Content-Security-Policy, so a file passed around by members cannot run code.
 * The footer names the content hash, so a reader can check the text against a version.
 */
export interface PublishInfo {
  title: string
  /** SHA-256 of the canonical text (crdt/canonical.ts) of what is published, and its format. */
  hash: string
  format: number
  date: Date
  /** Set when this text is a ratified version's (checked by re-deriving that version's text). */
  ratified?: { name: string; summary: string; at: number } | null
}

const escapeHTML = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!))

export const PUBLISH_CSS = `
@page { size: A4; margin: 22mm 20mm 24mm; }
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1d1f23; font: 11.5pt/1.6 "Iowan Old Style", Charter, "Source Serif Pro", "Noto Serif", Georgia, serif; }
main { max-width: 720px; margin: 48px auto; padding: 0 24px; }
h1, h2, h3 { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; line-height: 1.25; break-after: avoid; page-break-after: avoid; }
h1.pk-title { font: 700 26pt/1.15 "Iowan Old Style", Charter, "Noto Serif", Georgia, serif; margin: 0 0 18pt; }
h2 { font-size: 16pt; margin: 22pt 0 6pt; padding-top: 8pt; border-top: 1px solid #d8d4cc; }
h3 { font-size: 13pt; margin: 16pt 0 4pt; }
p { margin: 0 0 8pt; orphans: 3; widows: 3; }
blockquote { margin: 0 0 8pt; padding-left: 14pt; border-left: 3px solid #0f6b63; color: #3b4048; font-style: italic; }
ul, ol { margin: 0 0 8pt; padding-left: 22pt; }
li > p { margin: 0 0 3pt; }
a { color: #0f6b63; }
footer { max-width: 720px; margin: 32px auto 48px; padding: 12px 24px 0; border-top: 1px solid #d8d4cc; color: #6b7079; font: 8.5pt/1.4 system-ui, sans-serif; }
footer code { font: 8pt ui-monospace, Menlo, Consolas, monospace; word-break: break-all; }
@media print { main { margin: 0; padding: 0; max-width: none; } footer { margin: 24pt 0 0; padding: 8pt 0 0; max-width: none; } }
`

export const standaloneHTML = (doc: PMNode, info: PublishInfo): string => {
  const body = document.createElement('div')
  body.append(DOMSerializer.fromSchema(schema).serializeFragment(doc.content))
  const title = escapeHTML(info.title || UNTITLED)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Plank">
<title>${title}</title>
<style>${PUBLISH_CSS}</style>
</head>
<body>
<main>
${body.innerHTML}
</main>
<footer>Published with Plank on ${escapeHTML(info.date.toISOString().slice(0, 10))}.${info.ratified ? ` This is the text of “${escapeHTML(info.ratified.name)}”, ${escapeHTML(info.ratified.summary)} on ${escapeHTML(new Date(info.ratified.at).toISOString().slice(0, 10))}.` : ''} Content hash (SHA-256 of the canonical text, format ${info.format}): <code>${escapeHTML(info.hash)}</code></footer>
</body>
</html>
`
}
