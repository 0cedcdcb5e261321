import MarkdownIt from 'markdown-it'
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs'
import type Token from 'markdown-it/lib/token.mjs'
import { MarkdownParser } from 'prosemirror-markdown'
import type { Node as PMNode } from 'prosemirror-model'
import { NODE, PLANK_LEVEL, SUBSECTION_LEVEL } from '../../../crdt/format.ts'
import { schema } from '../editor/schema.ts'
import { safeHref } from '../editor/links.ts'

/**
 * Markdown → a platform, with markdown-it (CommonMark) and prosemirror-markdown's
 * parser, so what `toMarkdown` writes comes back the same: the first top-level `#`
 * heading is the title, `##` a plank, `###` and deeper a subsection; emphasis, links,
 * quotes and lists as they are. What the platform has no place for is kept as text,
 * never dropped: code, raw HTML (shown literally, never rendered) and image
 * descriptions. Underline, which Markdown lacks, is read back from `<u>…</u>`.
 */
const md = MarkdownIt('commonmark', { html: true, linkify: false })

const textToken = (state: StateCore, content: string): Token => {
  const t = new state.Token('text', '', 0)
  t.content = content
  return t
}

/** Marks each kind of heading may hold (see crdt/format.ts TEXTBLOCK_MARKS). */
const MARK_TOKENS: Record<string, string> = { em_open: 'em', em_close: 'em', strong_open: 'strong', strong_close: 'strong', link_open: 'link', link_close: 'link', underline_open: 'underline', underline_close: 'underline' }
const allowedIn = (block: string): ((mark: string) => boolean) => {
  const spec = schema.nodes[block]?.spec.marks
  return (mark) => spec === undefined || spec === '_' || spec.split(' ').includes(mark)
}

const rewriteInline = (state: StateCore, children: Token[], block: string): Token[] => {
  const allowed = allowedIn(block)
  const out: Token[] = []
  const links: boolean[] = [] // per open link: whether it was kept
  for (const tok of children) {
    let t = tok
    if (t.type === 'code_inline') t = textToken(state, t.content)
    else if (t.type === 'image') t = textToken(state, t.content)
    else if (t.type === 'html_inline') {
      const tag = t.content.trim().toLowerCase()
      if (tag === '<u>') t = new state.Token('underline_open', 'u', 1)
      else if (tag === '</u>') t = new state.Token('underline_close', 'u', -1)
      else if (/^<br\s*\/?>$/.test(tag)) t = new state.Token('hardbreak', 'br', 0)
      else t = textToken(state, t.content)
    }
    if (t.type === 'link_open') {
      const keep = safeHref(t.attrGet('href')) !== null && allowed('link')
      links.push(keep)
      if (!keep) continue
    } else if (t.type === 'link_close') {
      if (!links.pop()) continue
    } else if (MARK_TOKENS[t.type] && !allowed(MARK_TOKENS[t.type]!)) {
      continue
    }
    if (t.type === 'hardbreak' && block === NODE.title) t = textToken(state, ' ')
    out.push(t)
  }
  return out
}

md.core.ruler.push('plank', (state) => {
  let titled = false
  const blocks: string[] = []
  for (const tok of state.tokens) {
    if (tok.type === 'heading_open' && tok.tag === 'h1' && tok.level === 0 && !titled) {
      titled = true
      tok.type = 'title_open'
    } else if (tok.type === 'heading_close' && blocks.at(-1) === NODE.title) {
      tok.type = 'title_close'
    }
    if (tok.type.endsWith('_open')) blocks.push(tok.type === 'title_open' ? NODE.title : tok.type.startsWith('heading') ? NODE.heading : NODE.paragraph)
    if (tok.type.endsWith('_close')) blocks.pop()
    if (tok.type === 'inline' && tok.children) tok.children = rewriteInline(state, tok.children, blocks.at(-1) ?? NODE.paragraph)
  }
})

const headingLevel = (tag: string) => (tag === 'h1' || tag === 'h2' ? PLANK_LEVEL : SUBSECTION_LEVEL)

const parser = new MarkdownParser(schema, md, {
  title: { block: NODE.title },
  paragraph: { block: NODE.paragraph },
  heading: { block: NODE.heading, getAttrs: (tok) => ({ level: headingLevel(tok.tag) }) },
  blockquote: { block: NODE.blockquote },
  bullet_list: { block: NODE.bulletList },
  ordered_list: { block: NODE.orderedList, getAttrs: (tok) => ({ order: Number(tok.attrGet('start')) || 1 }) },
  list_item: { block: NODE.listItem },
  code_block: { block: NODE.paragraph, noCloseToken: true },
  fence: { block: NODE.paragraph, noCloseToken: true },
  html_block: { block: NODE.paragraph, noCloseToken: true },
  hr: { ignore: true, noCloseToken: true },
  hardbreak: { node: NODE.hardBreak },
  em: { mark: 'em' },
  strong: { mark: 'strong' },
  underline: { mark: 'underline' },
  link: { mark: 'link', getAttrs: (tok) => ({ href: safeHref(tok.attrGet('href')) }) },
})

/** A platform from Markdown; without a `#` heading, `fallbackTitle` becomes the title. */
export const fromMarkdown = (text: string, fallbackTitle = ''): PMNode => withTitle(parser.parse(text), fallbackTitle)

/** Make sure a platform starts with its title, as every new draft does. */
export const withTitle = (doc: PMNode, fallbackTitle: string): PMNode => {
  if (doc.firstChild?.type.name === NODE.title) return doc
  const title = schema.node(NODE.title, null, fallbackTitle ? [schema.text(fallbackTitle)] : [])
  return doc.copy(doc.content.addToStart(title))
}

/**
 * A platform from plain text (as `toPlainText` writes it): blocks are separated by a
 * blank line, a single line break inside one is kept; the first block is the title.
 */
export const fromPlainText = (text: string, fallbackTitle = ''): PMNode => {
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n+/).map((b) => b.replace(/^\n+|\n+$/g, '')).filter((b) => b.trim() !== '')
  const inline = (block: string) => block.split('\n').flatMap((line, i) => [...(i > 0 ? [schema.node(NODE.hardBreak)] : []), ...(line ? [schema.text(line)] : [])])
  const [first, ...rest] = blocks
  const titleIsFirst = first !== undefined && !first.includes('\n') && first.length <= 200
  const title = titleIsFirst ? first : fallbackTitle
  const body = (titleIsFirst ? rest : blocks).map((b) => schema.node(NODE.paragraph, null, inline(b)))
  return schema.node(NODE.doc, null, [schema.node(NODE.title, null, title ? [schema.text(title)] : []), ...(body.length ? body : [schema.node(NODE.paragraph)])])
}
