import * as Y from 'yjs'

/**
 * Shapes that Yjs software nobody here wrote puts into a draft's `content` with names
 * Plank knows, but that Plank's schema cannot hold (and y-prosemirror would delete), and
 * a few strange but harmless ones it must keep showing. Written with plain Yjs, as a
 * stock y-websocket client or another editor's binding would. Shared by the unit tests
 * of the guard and the end-to-end tests through a relay.
 */
export interface ForeignStructure {
  name: string
  /** Write it into a draft's `content` (a Y.XmlFragment seeded by Plank). */
  write(content: Y.XmlFragment): void
  /** What Plank should say arrived; null for shapes it can show as they are. */
  says: RegExp | null
}

const el = (name: string, attrs: Record<string, unknown>, ...children: Array<Y.XmlElement | Y.XmlText>): Y.XmlElement => {
  const e = new Y.XmlElement(name)
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v as string)
  e.insert(0, children)
  return e
}
const text = (s: string, attrs?: Record<string, unknown>): Y.XmlText => {
  const t = new Y.XmlText()
  t.insert(0, s, attrs)
  return t
}
const para = (s: string) => el('paragraph', {}, text(s))
const append = (content: Y.XmlFragment, ...nodes: Array<Y.XmlElement | Y.XmlText>) => content.insert(content.length, nodes)

export const FOREIGN_STRUCTURES: ForeignStructure[] = [
  { name: 'bold text in a plank heading', says: /bold text in a plank heading/, write: (c) => append(c, el('heading', { level: 2 }, text('Bold housing', { strong: {} }))) },
  { name: 'a link in a plank heading', says: /a link in a plank heading/, write: (c) => append(c, el('heading', { level: 2 }, text('Linked plank', { link: { href: 'https://example.org' } }))) },
  {
    name: 'italics in the title', says: /italic text in the title/,
    write: (c) => ((c.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Our ', { em: {} }),
  },
  { name: 'a paragraph directly in a bulleted list', says: /a paragraph directly inside a bulleted list/, write: (c) => append(c, el('bullet_list', {}, para('Loose item'))) },
  { name: 'an empty quote', says: /an empty quote/, write: (c) => append(c, el('blockquote', {})) },
  { name: 'a list item starting with a heading', says: /a list item that starts with a plank heading/, write: (c) => append(c, el('bullet_list', {}, el('list_item', {}, el('heading', { level: 2 }, text('Heading in a list'))))) },
  { name: 'text directly in the draft', says: /text outside any paragraph/, write: (c) => append(c, text('Stray words')) },
  { name: 'text directly in a quote', says: /text directly inside a quote/, write: (c) => append(c, el('blockquote', {}, text('Quoted without a paragraph'))) },
  { name: 'a list item outside a list', says: /a list item at the top level/, write: (c) => append(c, el('list_item', {}, para('Orphan item'))) },
  { name: 'a link without its address', says: /a link without its address/, write: (c) => append(c, el('paragraph', {}, text('No address', { link: { title: 'x' } }))) },
  { name: 'a paragraph with an unknown attribute', says: /a paragraph with an unknown “align” setting/, write: (c) => append(c, el('paragraph', { align: 'center' }, text('Centred'))) },
  { name: 'a link with an unknown attribute', says: /a link with an unknown “title” setting/, write: (c) => append(c, el('paragraph', {}, text('Titled link', { link: { href: 'https://example.org', title: 'Example' } }))) },
  { name: 'an unknown block', says: /“code_block” block/, write: (c) => append(c, el('code_block', {}, text('let x = 1'))) },
  { name: 'an unknown mark', says: /text marked “code”/, write: (c) => append(c, el('paragraph', {}, text('monospace', { code: {} }))) },
  { name: 'an unknown inline element', says: /an “image” block/, write: (c) => append(c, el('paragraph', {}, text('See '), el('image', { src: 'https://example.org/a.png' }))) },
  { name: 'an embed inside text', says: /embedded object/, write: (c) => { const t = new Y.XmlText(); t.insertEmbed(0, { image: 'x' }); append(c, el('paragraph', {}, t)) } },
  { name: 'a nested draft', says: /“doc” block/, write: (c) => append(c, el('blockquote', {}, el('doc', {}, para('Inner')))) },
  // Strange but harmless: shown as they are, kept as they are.
  { name: 'a heading level Plank does not use', says: null, write: (c) => append(c, el('heading', { level: 7 }, text('Level seven'))) },
  { name: 'a link to a javascript: address', says: null, write: (c) => append(c, el('paragraph', {}, text('Click', { link: { href: 'javascript:alert(1)' } }))) },
  { name: 'italic text in a plank heading', says: null, write: (c) => append(c, el('heading', { level: 2 }, text('Emphasis is fine', { em: {} }))) },
  { name: 'bold given as true', says: null, write: (c) => append(c, el('paragraph', {}, text('Stock bold', { strong: true }))) },
]
