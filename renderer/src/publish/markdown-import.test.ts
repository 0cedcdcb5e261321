import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import { content, createDraftDoc } from '../../../crdt/draft.ts'
import { canonicalText } from '../../../crdt/canonical.ts'
import { schema } from '../editor/schema.ts'
import { toMarkdown, toPlainText } from '../editor/export.ts'
import { fromMarkdown, fromPlainText } from './markdown-import.ts'

/** Through a draft as peers store it: Markdown → editor document → Yjs → editor document. */
const viaDraft = (pm: ReturnType<typeof fromMarkdown>) => {
  const doc = createDraftDoc()
  prosemirrorToYXmlFragment(pm, content(doc))
  const copy = createDraftDoc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return { pm: yXmlFragmentToProseMirrorRootNode(content(copy), schema), doc: copy }
}

const PLATFORM = `# The People’s Platform

## Housing

Rent shall be *capped* at an **affordable** level; see [the study](https://example.org/rent?a=1&b=2).

> Housing is a right, not a commodity.
>
> — the 2026 convention

### Tenants

* Tenants may *organize*.

* Evictions need a court order:

  1. a hearing;

  2. a right to counsel.

3. Public housing for all.

4. Funded by a **land value** tax.

## Health <u>care</u>

Line one\\
line two.
`

describe('Markdown import', () => {
  it('keeps headings, lists, emphasis, links and quotes: Markdown → draft → Markdown', () => {
    const { pm, doc } = viaDraft(fromMarkdown(PLATFORM))
    expect(toMarkdown(pm)).toBe(PLATFORM)
    expect(canonicalText(doc)).toContain('title|The People’s Platform\n')
    expect(canonicalText(doc)).toContain('ordered_list:3/list_item/paragraph|Public housing for all.\n')
    expect(canonicalText(doc)).toContain('heading:2|Health [underline]care[/underline]\n')
  })

  it('reads Markdown written by hand (tight lists, other bullets) as the same platform', () => {
    const byHand = PLATFORM.replace(/^(\s*)\* /gm, '$1- ').replace(/\n\n(?=\s*(- |\d\. ))/g, '\n')
    expect(byHand).not.toBe(PLATFORM)
    expect(fromMarkdown(byHand).eq(fromMarkdown(PLATFORM))).toBe(true)
  })

  it('keeps as text what a platform has no place for, and never renders HTML or unsafe links', () => {
    const pm = fromMarkdown('# T\n\nUse `code` and <script>alert(1)</script> and ![a map](x.png).\n\n<div onclick="x()">raw</div>\n\n```\nfenced\n```\n\n[bad](javascript:alert(1)) and [ok](mailto:a@b.org)\n')
    const text = toPlainText(pm)
    expect(text).toContain('Use code and <script>alert(1)</script> and a map.')
    expect(text).toContain('<div onclick="x()">raw</div>')
    expect(text).toContain('fenced')
    const links: string[] = []
    pm.descendants((n) => { for (const m of n.marks) if (m.type.name === 'link') links.push(String(m.attrs.href)) })
    expect(links).toEqual(['mailto:a@b.org'])
  })

  it('makes the first top-level # the title, drops marks a heading cannot hold, and titles untitled files', () => {
    const pm = fromMarkdown('# **Bold** title\n\n# Another\n\n## A *good* **plank** [x](https://e.org)\n')
    expect(pm.child(0).type.name).toBe('title')
    expect(pm.child(0).textContent).toBe('Bold title')
    expect(pm.child(1).attrs.level).toBe(2)
    expect(toMarkdown(pm)).toBe('# Bold title\n\n## Another\n\n## A *good* plank x\n')
    expect(fromMarkdown('Just text.\n', 'notes').child(0).textContent).toBe('notes')
  })
})

describe('plain text export', () => {
  it('keeps list markers, numbering, nesting and quotes', () => {
    const pm = fromMarkdown('# Platform\n\nIntro.\n\n- Homes\n- Transit\n  1. Buses\n  2. Trams\n\n3. Third\n4. Fourth\n\n> We said so.\n')
    expect(toPlainText(pm)).toBe('Platform\n\nIntro.\n\n- Homes\n- Transit\n  1. Buses\n  2. Trams\n\n3. Third\n4. Fourth\n\n> We said so.\n')
  })
})

describe('plain text import', () => {
  it('reads back what plain-text export writes', () => {
    const pm = fromMarkdown(PLATFORM)
    const text = toPlainText(pm)
    expect(toPlainText(fromPlainText(text))).toBe(text)
    expect(fromPlainText(text).child(0).type.name).toBe('title')
    expect(fromPlainText('\r\n\r\nOnly\r\nlines\r\n', 'file').child(0).textContent).toBe('file')
  })
})
