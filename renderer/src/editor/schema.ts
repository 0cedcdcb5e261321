import { Schema, type DOMOutputSpec, type MarkSpec, type NodeSpec } from 'prosemirror-model'
import { MARK, NODE, PLANK_LEVEL, SUBSECTION_LEVEL } from '../../../crdt/format.ts'
import { safeHref } from './links.ts'

/**
 * The platform's schema. Content from peers and from the clipboard is data: only
 * these nodes, marks and attributes exist, and parse rules admit nothing else (no
 * images, iframes, scripts, styles or event attributes; links only with a safe href).
 *
 * No attribute has a `validate` that can throw: y-prosemirror deletes from the shared
 * document any node it fails to build, so a bad value from a peer is made harmless
 * where it is rendered (toDOM) instead of being refused where it would cost text.
 *
 * The top level is deliberately lenient, `(block | title)+`: two peers' drafts
 * merged by the CRDT may hold an unexpected shape, and y-prosemirror deletes from the
 * shared document whatever the schema cannot hold. Lenient means nothing is lost.
 */
const nodes: Record<string, NodeSpec> = {
  [NODE.doc]: { content: '(block | title)+' },
  [NODE.title]: {
    content: 'inline*',
    marks: '',
    defining: true,
    parseDOM: [{ tag: 'h1' }],
    toDOM: (): DOMOutputSpec => ['h1', { class: 'pk-title' }, 0],
  },
  [NODE.paragraph]: {
    group: 'block',
    content: 'inline*',
    parseDOM: [{ tag: 'p' }],
    toDOM: (): DOMOutputSpec => ['p', 0],
  },
  [NODE.heading]: {
    group: 'block',
    content: 'inline*',
    marks: 'em underline',
    defining: true,
    attrs: { level: { default: PLANK_LEVEL } },
    parseDOM: [
      { tag: 'h2', attrs: { level: PLANK_LEVEL } },
      { tag: 'h3', attrs: { level: SUBSECTION_LEVEL } },
      { tag: 'h4', attrs: { level: SUBSECTION_LEVEL } },
      { tag: 'h5', attrs: { level: SUBSECTION_LEVEL } },
      { tag: 'h6', attrs: { level: SUBSECTION_LEVEL } },
    ],
    toDOM: (node): DOMOutputSpec => [`h${Number(node.attrs.level) === SUBSECTION_LEVEL ? 3 : 2}`, 0],
  },
  [NODE.blockquote]: {
    group: 'block',
    content: 'block+',
    defining: true,
    parseDOM: [{ tag: 'blockquote' }],
    toDOM: (): DOMOutputSpec => ['blockquote', 0],
  },
  [NODE.bulletList]: {
    group: 'block',
    content: `${NODE.listItem}+`,
    parseDOM: [{ tag: 'ul' }],
    toDOM: (): DOMOutputSpec => ['ul', 0],
  },
  [NODE.orderedList]: {
    group: 'block',
    content: `${NODE.listItem}+`,
    attrs: { order: { default: 1 } },
    parseDOM: [{
      tag: 'ol',
      getAttrs: (dom) => ({ order: Number.parseInt((dom as HTMLElement).getAttribute('start') ?? '1', 10) || 1 }),
    }],
    toDOM: (node): DOMOutputSpec => {
      const start = Math.trunc(Number(node.attrs.order))
      return Number.isFinite(start) && start !== 1 ? ['ol', { start }, 0] : ['ol', 0]
    },
  },
  [NODE.listItem]: {
    content: `${NODE.paragraph} block*`,
    defining: true,
    parseDOM: [{ tag: 'li' }],
    toDOM: (): DOMOutputSpec => ['li', 0],
  },
  [NODE.text]: { group: 'inline' },
  [NODE.hardBreak]: {
    inline: true,
    group: 'inline',
    selectable: false,
    parseDOM: [{ tag: 'br' }],
    toDOM: (): DOMOutputSpec => ['br'],
  },
}

const marks: Record<string, MarkSpec> = {
  [MARK.link]: {
    attrs: { href: {} },
    inclusive: false,
    parseDOM: [{
      tag: 'a[href]',
      getAttrs: (dom) => {
        const href = safeHref((dom as HTMLElement).getAttribute('href'))
        return href === null ? false : { href }
      },
    }],
    // An unsafe href from a peer is rendered without it (the text stays; the link is inert).
    toDOM: (mark): DOMOutputSpec => {
      const href = safeHref(mark.attrs.href)
      return href === null
        ? ['a', { class: 'pk-link-refused', title: 'Link removed: only http, https and mailto links are allowed' }, 0]
        : ['a', { href, rel: 'noopener noreferrer nofollow', title: href }, 0]
    },
  },
  [MARK.em]: {
    parseDOM: [{ tag: 'i' }, { tag: 'em' }, { style: 'font-style=italic' }],
    toDOM: (): DOMOutputSpec => ['em', 0],
  },
  [MARK.strong]: {
    parseDOM: [
      { tag: 'strong' },
      // Google Docs wraps everything in <b style="font-weight:normal">.
      { tag: 'b', getAttrs: (dom) => (dom as HTMLElement).style.fontWeight !== 'normal' && null },
      { style: 'font-weight', getAttrs: (value) => /^(bold(er)?|[5-9]\d{2,})$/.test(value as string) && null },
    ],
    toDOM: (): DOMOutputSpec => ['strong', 0],
  },
  [MARK.underline]: {
    parseDOM: [{ tag: 'u' }, { style: 'text-decoration=underline' }],
    toDOM: (): DOMOutputSpec => ['u', 0],
  },
}

export const schema = new Schema({ nodes, marks })
