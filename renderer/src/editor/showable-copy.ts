import * as Y from 'yjs'
import { Fragment, type Mark, type Node as PMNode, type NodeType, type Schema } from 'prosemirror-model'
import { ORIGIN, content, copyDraft } from '../../../crdt/index.ts'
import { NODE } from '../../../crdt/format.ts'
import { markName } from '../../../crdt/content-items.ts'
import { readMark, unrenderableBlocks, type Unrenderable } from './schema-guard.ts'

/**
 * A read-only copy of a draft that this version of Plank can show, for when the draft
 * holds something it cannot (schema-guard.ts). The draft itself, its storage and its
 * sync keep every byte; only the copy is changed, and only so that everything readable
 * is read: marks a block may not hold are left off, stray text and blocks are wrapped
 * in what they need (a paragraph, a list item, a list), missing parts are filled in
 * (an empty quote gets an empty paragraph), unknown blocks become a paragraph of their
 * text, embeds a bracketed word. Top-level blocks keep their places, so each block that
 * was changed for showing can be marked on screen with what arrived (see notes).
 *
 * Why the whole draft turns read-only rather than only the blocks concerned: the editor,
 * undo, comment anchors, proposals and attribution all work on the draft's own Yjs items
 * through y-prosemirror's binding, and that binding builds every block or deletes it.
 * Editing around a block it cannot build would need a second binding that mirrors each
 * edit between the draft and an editable projection, itself a new way to lose text. A
 * member instead sees everything, told what and who, and the draft edits again by itself
 * once the content is changed (by its writer, or by a Plank that can show it).
 */
export interface UnshownNote {
  /** Index of the top-level block (the same in the draft, the copy and the editor). */
  index: number
  problem: Unrenderable
}

export interface ShowableCopy {
  doc: Y.Doc
  notes: UnshownNote[]
}

type YChild = Y.XmlElement | Y.XmlText | Y.XmlHook

/** A peer's element name as a plain bracketed word, for where a block stood in text. */
const placeholder = (name: string): string => `[${name.replace(/[^\p{L}\p{N}_-]/gu, '').slice(0, 30) || 'object'}]`

/** The plain text of a subtree, its text blocks separated (for flattening an unknown block). */
const textRuns = (node: Y.XmlElement | Y.XmlText | Y.XmlHook): string[] => {
  if (node instanceof Y.XmlText) return [(node.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('')]
  if (node instanceof Y.XmlHook) return []
  return (node.toArray() as YChild[]).flatMap(textRuns).filter((t) => t !== '')
}

/** A Yjs element for a node ProseMirror made to fill a gap (no text: fills are empty nodes). */
const toY = (node: PMNode): Y.XmlElement | Y.XmlText => {
  if (node.isText) return new Y.XmlText(node.text)
  const el = new Y.XmlElement(node.type.name)
  for (const [key, value] of Object.entries(node.attrs)) if (value !== null) el.setAttribute(key, value as string)
  const children: Array<Y.XmlElement | Y.XmlText> = []
  node.forEach((child) => children.push(toY(child)))
  el.insert(0, children)
  return el
}

class Repair {
  private readonly paragraph: NodeType
  private readonly textType: NodeType

  constructor(private readonly schema: Schema) {
    this.paragraph = schema.nodes[NODE.paragraph]!
    this.textType = schema.nodes[NODE.text]!
  }

  /** A paragraph holding an unknown block's text, its text blocks on separate lines. */
  private flattened(node: YChild): Y.XmlElement {
    const runs = textRuns(node)
    const p = new Y.XmlElement(NODE.paragraph)
    const parts: Array<Y.XmlElement | Y.XmlText> = []
    runs.forEach((run, i) => {
      if (i > 0) parts.push(new Y.XmlElement(NODE.hardBreak))
      parts.push(new Y.XmlText(run))
    })
    if (parts.length === 0) parts.push(new Y.XmlText(node instanceof Y.XmlElement ? placeholder(node.nodeName) : '[object]'))
    p.insert(0, parts)
    return p
  }

  private replace(parent: Y.XmlElement | Y.XmlFragment, index: number, by: Array<Y.XmlElement | Y.XmlText>): void {
    parent.delete(index, 1)
    parent.insert(index, by)
  }

  /** Leave off marks the text's block cannot hold, and put words where embeds were. */
  private text(text: Y.XmlText, holder: NodeType): void {
    const ops = text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>
    let end = text.length
    for (const op of ops.reverse()) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1
      const start = end - length
      if (typeof op.insert !== 'string') {
        text.delete(start, 1)
        text.insert(start, '[embedded object]')
      } else {
        let set: readonly Mark[] = []
        const change: Record<string, unknown> = {}
        for (const [key, value] of Object.entries(op.attributes ?? {})) {
          // Settings a mark does not know are left off the copy's mark (the draft keeps them).
          const spec = this.schema.marks[markName(key)]?.spec.attrs ?? {}
          const unknown = typeof value === 'object' && value !== null && Object.keys(value).some((k) => !(k in spec))
          const known = unknown ? Object.fromEntries(Object.entries(value as object).filter(([k]) => k in spec)) : value
          const read = readMark(this.schema, key, known, holder)
          // Of marks that exclude each other (two links), ProseMirror keeps one; so does the copy.
          const next = 'mark' in read ? read.mark.addToSet(set) : set
          if (!('mark' in read) || next.length !== set.length + 1) change[key] = null
          else {
            set = next
            if (unknown) change[key] = known
          }
        }
        if (Object.keys(change).length > 0) text.format(start, length, change)
      }
      end = start
    }
  }

  /** Make every child showable, then fit the children to the container's content expression. */
  container(parent: Y.XmlElement | Y.XmlFragment, type: NodeType): void {
    const holder = type.inlineContent ? type : this.paragraph
    for (let i = 0; i < parent.length; i++) {
      const child = parent.get(i) as YChild
      if (child instanceof Y.XmlText) { this.text(child, holder); continue }
      if (child instanceof Y.XmlHook) { this.replace(parent, i, [type.inlineContent ? new Y.XmlText('[object]') : this.flattened(child)]); continue }
      const childType = this.usable(child)
      if (!childType) {
        this.replace(parent, i, [type.inlineContent ? new Y.XmlText(textRuns(child).join(' ') || placeholder(child.nodeName)) : this.flattened(child)])
        continue
      }
      for (const [key, value] of Object.entries(child.getAttributes())) {
        if (value !== null && value !== undefined && !(key in (childType.spec.attrs ?? {}))) child.removeAttribute(key)
      }
      this.container(child, childType)
    }
    this.fit(parent, type)
  }

  /** The element's node type when ProseMirror can build it (known, with its attributes), else null. */
  private usable(el: Y.XmlElement): NodeType | null {
    const type = this.schema.nodes[el.nodeName]
    if (!type || type.isText || type === this.schema.topNodeType) return null
    try {
      type.create(el.getAttributes() as Record<string, unknown>)
      return type
    } catch {
      return null
    }
  }

  private nodeTypeOf(child: Y.XmlElement | Y.XmlText): NodeType {
    return child instanceof Y.XmlText ? this.textType : this.schema.nodes[child.nodeName]!
  }

  /**
   * Join neighbouring texts. y-prosemirror moves a text into the one before it when this
   * client wrote it (sync-plugin.js, fix for its issue 160) and, with three in a row,
   * moves the third into the second after deleting the second: the copy would lose words.
   */
  private joinTexts(parent: Y.XmlElement | Y.XmlFragment): void {
    for (let i = parent.length - 1; i > 0; i--) {
      const [before, after] = [parent.get(i - 1), parent.get(i)]
      if (!(before instanceof Y.XmlText && after instanceof Y.XmlText)) continue
      before.applyDelta([{ retain: before.length }, ...after.toDelta()])
      parent.delete(i, 1)
    }
  }

  /** Fill in what is missing and wrap what stands where it cannot. */
  private fit(parent: Y.XmlElement | Y.XmlFragment, type: NodeType): void {
    let match = type.contentMatch
    let i = 0
    while (i < parent.length) {
      const child = parent.get(i) as Y.XmlElement | Y.XmlText
      if (child instanceof Y.XmlText && child.length === 0) { i++; continue }
      const childType = this.nodeTypeOf(child)
      const next = match.matchType(childType)
      if (next) { match = next; i++; continue }
      const sample = childType === this.textType ? this.schema.text('x') : childType.createAndFill()
      const fill = sample ? match.fillBefore(Fragment.from(sample)) : null
      if (fill && fill.childCount > 0 && parent instanceof Y.XmlElement) {
        const nodes: Array<Y.XmlElement | Y.XmlText> = []
        fill.forEach((n) => nodes.push(toY(n)))
        parent.insert(i, nodes)
        match = match.matchFragment(fill)!
        i += nodes.length
        continue
      }
      const wrapping = match.findWrapping(childType)
      if (wrapping && wrapping.length > 0) {
        let inner: Y.XmlElement | Y.XmlText = child.clone()
        for (const wrapper of [...wrapping].reverse()) {
          const el = new Y.XmlElement(wrapper.name)
          el.insert(0, [inner])
          inner = el
        }
        this.replace(parent, i, [inner])
        continue // matched on the next round, as the wrapper
      }
      // Nothing fits here. In text, show its words as text; elsewhere as a paragraph (which is then wrapped).
      // Text or a paragraph that still cannot go here is left out of the copy (the draft keeps it).
      if (child instanceof Y.XmlText || (childType === this.paragraph && !type.inlineContent)) {
        parent.delete(i, 1)
        continue
      }
      this.replace(parent, i, [type.inlineContent ? new Y.XmlText(textRuns(child).join(' ') || placeholder(child.nodeName)) : this.flattened(child)])
    }
    if (type.inlineContent) this.joinTexts(parent)
    if (!match.validEnd && (parent instanceof Y.XmlElement || parent.length > 0)) {
      const fill = match.fillBefore(Fragment.empty, true)
      const nodes: Array<Y.XmlElement | Y.XmlText> = []
      fill?.forEach((n) => nodes.push(toY(n)))
      parent.insert(parent.length, nodes)
    }
  }
}

/**
 * Change a copy of a draft (never a live one) so the schema can show all of it, and say
 * which top-level blocks were changed. For views and exports built from copies, which
 * y-prosemirror would otherwise build by deleting what it cannot show.
 */
export const makeShowable = (schema: Schema, copy: Y.Doc): UnshownNote[] => {
  const fragment = content(copy)
  const notes = [...unrenderableBlocks(schema, fragment)].map(([index, problem]) => ({ index, problem }))
  if (notes.length > 0) copy.transact(() => new Repair(schema).container(fragment, schema.topNodeType), ORIGIN.copy)
  return notes
}

/**
 * A copy of `draft` that the schema can show in full, and which of its top-level
 * blocks were changed to be shown. Nothing is written to `draft`.
 */
export const showableCopy = (schema: Schema, draft: Y.Doc): ShowableCopy => {
  const doc = copyDraft(draft, ORIGIN.copy)
  return { doc, notes: makeShowable(schema, doc) }
}
