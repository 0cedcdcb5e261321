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

export const toPlainText = (doc: PMNode): string => {
  const blocks: string[] = []
  doc.descendants((node) => {
    if (!node.isTextblock) return true
    blocks.push(node.textBetween(0, node.content.size, '', '\n'))
    return false
  })
  return `${blocks.join('\n\n')}\n`
}
