import { Schema, type DOMOutputSpec, type MarkSpec, type NodeSpec } from 'prosemirror-model'
import { BLOCK_ATTR, NODE, PLANK_LEVEL, SUBSECTION_LEVEL, TEXTBLOCK_MARKS, MARK } from '../../../crdt/format.ts'
import { colorStyle } from '../ui/color-style.ts'
import { safeHref } from './links.ts'
import { decodeBlockChange, decodeFormatChange } from '../../../crdt/format-changes.ts'
import { describeForm, describeFormatChange } from './describe-form.ts'

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
/** Proposed-structure attributes every text block carries (see BLOCK_ATTR); `chg` also on lists. */
const reviewAttrs = { [BLOCK_ATTR.inserted]: { default: null }, [BLOCK_ATTR.deleted]: { default: null }, [BLOCK_ATTR.changed]: { default: null } }
const changeAttrs = { [BLOCK_ATTR.changed]: { default: null } }

/** Shown as data attributes so the stylesheet can mark a proposed paragraph break. */
const reviewDOM = (node: { attrs: Record<string, unknown> }): Record<string, string> => {
  const out: Record<string, string> = {}
  const ins = node.attrs[BLOCK_ATTR.inserted]
  const del = node.attrs[BLOCK_ATTR.deleted]
  if (typeof ins === 'string' && ins !== '') out['data-proposed-break'] = ins
  if (typeof del === 'string' && del !== '') out['data-proposed-join'] = del
  return { ...out, ...changeDOM(node) }
}

/** A proposed new form of the block, shown by the stylesheet (label and amendment colour). */
const changeDOM = (node: { attrs: Record<string, unknown> }): Record<string, string> => {
  const change = decodeBlockChange(node.attrs[BLOCK_ATTR.changed])
  if (!change) return {}
  return {
    'data-proposed-form': describeForm(change.node, change.attrs),
    'data-amendment': change.amendment,
    style: colorStyle('--pk-amend-color', change.color),
    title: `Proposed by ${change.author || 'a member'}: make this ${describeForm(change.node, change.attrs)}`,
  }
}

const nodes: Record<string, NodeSpec> = {
  [NODE.doc]: { content: '(block | title)+' },
  [NODE.title]: {
    content: 'inline*',
    marks: TEXTBLOCK_MARKS[NODE.title]!.join(' '),
    defining: true,
    attrs: reviewAttrs,
    parseDOM: [{ tag: 'h1' }],
    toDOM: (node): DOMOutputSpec => ['h1', { class: 'pk-title', ...reviewDOM(node) }, 0],
  },
  [NODE.paragraph]: {
    group: 'block',
    content: 'inline*',
    attrs: reviewAttrs,
    parseDOM: [{ tag: 'p' }],
    toDOM: (node): DOMOutputSpec => ['p', reviewDOM(node), 0],
  },
  [NODE.heading]: {
    group: 'block',
    content: 'inline*',
    marks: TEXTBLOCK_MARKS[NODE.heading]!.join(' '),
    defining: true,
    attrs: { level: { default: PLANK_LEVEL }, ...reviewAttrs },
    parseDOM: [
      { tag: 'h2', attrs: { level: PLANK_LEVEL } },
      { tag: 'h3', attrs: { level: SUBSECTION_LEVEL } },
      { tag: 'h4', attrs: { level: SUBSECTION_LEVEL } },
      { tag: 'h5', attrs: { level: SUBSECTION_LEVEL } },
      { tag: 'h6', attrs: { level: SUBSECTION_LEVEL } },
    ],
    toDOM: (node): DOMOutputSpec => [`h${Number(node.attrs.level) === SUBSECTION_LEVEL ? 3 : 2}`, reviewDOM(node), 0],
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
    attrs: changeAttrs,
    parseDOM: [{ tag: 'ul' }],
    toDOM: (node): DOMOutputSpec => ['ul', changeDOM(node), 0],
  },
  [NODE.orderedList]: {
    group: 'block',
    content: `${NODE.listItem}+`,
    attrs: { order: { default: 1 }, ...changeAttrs },
    parseDOM: [{
      tag: 'ol',
      getAttrs: (dom) => ({ order: Number.parseInt((dom as HTMLElement).getAttribute('start') ?? '1', 10) || 1 }),
    }],
    toDOM: (node): DOMOutputSpec => {
      const start = Math.trunc(Number(node.attrs.order))
      return Number.isFinite(start) && start !== 1 ? ['ol', { start, ...changeDOM(node) }, 0] : ['ol', changeDOM(node), 0]
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

/**
 * An amendment's proposed insertion or deletion. `excludes: ''` lets marks of several
 * amendments sit on the same words (two amendments deleting the same phrase): y-prosemirror
 * then stores each under its own hashed key, so accepting one never strips another's.
 * Not parsed from the clipboard: a proposal is made in propose mode, never pasted in.
 */
const suggestion = (tag: 'ins' | 'del', label: string): MarkSpec => ({
  attrs: { amendment: { default: '' }, author: { default: '' }, color: { default: '' } },
  excludes: '',
  inclusive: false,
  toDOM: (mark): DOMOutputSpec => [tag, {
    class: `pk-${tag}`,
    'data-amendment': String(mark.attrs.amendment),
    title: `${label} by ${String(mark.attrs.author) || 'a member'}`,
    style: colorStyle('--pk-amend-color', mark.attrs.color),
  }, 0],
})
marks[MARK.insertion] = suggestion('ins', 'Proposed insertion')
marks[MARK.deletion] = suggestion('del', 'Proposed deletion')

/**
 * An amendment's proposed formatting change on these words (`change`: see
 * crdt/format-changes.ts). The words keep their own formatting until it is accepted;
 * the stylesheet shows the proposed one, outlined in the amendment's colour.
 */
marks[MARK.format] = {
  attrs: { amendment: { default: '' }, author: { default: '' }, color: { default: '' }, change: { default: '{}' } },
  excludes: '',
  inclusive: false,
  toDOM: (mark): DOMOutputSpec => {
    const change = decodeFormatChange(mark.attrs.change)
    return ['span', {
      class: ['pk-fmt', ...Object.entries(change).map(([name, set]) => `pk-fmt-${set ? '' : 'no-'}${name}`)].join(' '),
      'data-amendment': String(mark.attrs.amendment),
      title: `Proposed formatting by ${String(mark.attrs.author) || 'a member'}: ${describeFormatChange(change)}`,
      style: colorStyle('--pk-amend-color', mark.attrs.color),
    }, 0]
  },
}

export const schema = new Schema({ nodes, marks })
