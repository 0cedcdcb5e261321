import { MarkdownSerializer, defaultMarkdownSerializer } from 'prosemirror-markdown'
import type { Node as PMNode } from 'prosemirror-model'
import { safeHref } from './links.ts'

/**
 * Export a draft as Markdown or plain text. Markdown uses prosemirror-markdown's
 * serializer (escaping included), extended for the platform's title and underline.
 */
const nodes = defaultMarkdownSerializer.nodes
const marks = defaultMarkdownSerializer.marks

const markdown = new MarkdownSerializer(
  {
    title(state, node) {
      state.write('# ')
      state.renderInline(node)
      state.closeBlock(node)
    },
    paragraph: nodes.paragraph!,
    heading(state, node) {
      state.write(`${'#'.repeat(Number(node.attrs.level) === 3 ? 3 : 2)} `)
      state.renderInline(node, false)
      state.closeBlock(node)
    },
    blockquote: nodes.blockquote!,
    bullet_list: nodes.bullet_list!,
    ordered_list: nodes.ordered_list!,
    list_item: nodes.list_item!,
    hard_break: nodes.hard_break!,
    text: nodes.text!,
  },
  {
    em: marks.em!,
    strong: marks.strong!,
    // Markdown has no underline; HTML's <u> survives in every common renderer.
    underline: { open: '<u>', close: '</u>', mixable: true, expelEnclosingWhitespace: true },
    link: {
      open: '[',
      close: (_state, mark) => `](${(safeHref(mark.attrs.href) ?? '').replace(/[()]/g, '\\$&')})`,
      mixable: false,
    },
  },
)

export const toMarkdown = (doc: PMNode): string => `${markdown.serialize(doc)}\n`

/**
 * Plain text: blocks separated by a blank line, list items one per line with their
 * marker ("- " or "1. ", indented when nested), quotes marked "> ", as a reader of a
 * plain-text file (or an email) expects them.
 */
export const toPlainText = (doc: PMNode): string => {
  const blocks: string[] = []
  const lines = (node: PMNode) => node.textBetween(0, node.content.size, '', '\n').split('\n')
  /** A list as one block: each item's first line after its marker, the rest indented under it. */
  const list = (node: PMNode, indent: string): string[] => {
    const out: string[] = []
    let number = Math.trunc(Number(node.attrs.order)) || 1
    node.forEach((item) => {
      const marker = node.type.name === 'ordered_list' ? `${number++}. ` : '- '
      let first = true
      item.forEach((child) => {
        if (child.type.name === 'bullet_list' || child.type.name === 'ordered_list') {
          out.push(...list(child, `${indent}${' '.repeat(marker.length)}`))
          return
        }
        for (const line of child.isTextblock ? lines(child) : [child.textContent]) {
          out.push(`${indent}${first ? marker : ' '.repeat(marker.length)}${line}`)
          first = false
        }
      })
      if (first) out.push(`${indent}${marker}`.trimEnd())
    })
    return out
  }
  const walk = (parent: PMNode, quote: string) => {
    parent.forEach((node) => {
      if (node.type.name === 'blockquote') return walk(node, `${quote}> `)
      const text = node.type.name === 'bullet_list' || node.type.name === 'ordered_list' ? list(node, '') : lines(node)
      blocks.push(text.map((line) => `${quote}${line}`.trimEnd() || quote.trimEnd()).join('\n'))
    })
  }
  walk(doc, '')
  return `${blocks.join('\n\n')}\n`
}
