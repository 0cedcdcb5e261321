import * as Y from 'yjs'
import { BLOCK_ATTR, MARK, TEXTBLOCK_MARKS } from './format.ts'
import { TEXTBLOCKS, amendmentOf, markName, textOps } from './content-items.ts'
import { changeableInto, decodeBlockChange, decodeFormatChange, formAttrs } from './format-changes.ts'
import { copyTextInto } from './moves.ts'
import { content } from './draft.ts'
import type { Origin } from './origins.ts'

/**
 * Accept or reject an amendment by editing the shared document's own items.
 *
 * It must not go through the editor: y-prosemirror writes an editor change to Yjs as
 * one contiguous diff per paragraph, so deleting two separate runs of words re-creates
 * everything between them as new text — and a member who accepts another amendment
 * at the same moment would see their change to those words lost. Here each struck run
 * is deleted and each mark removed on the very items that carry it, so decisions
 * taken concurrently on different peers merge like any other edits.
 *
 * - accept: text marked `deletion` by the amendment is deleted, its `insertion` marks
 *   are removed, its `format` marks make their formatting change, blocks whose
 *   preceding break it deletes are joined, and blocks it proposes a new form for
 *   (`chg`) take that form;
 * - reject: its insertions are deleted (and the breaks it added joined back), and its
 *   deletion marks, format marks and block changes removed — the original text,
 *   formatting included, is untouched.
 *
 * Joining moves the block's remaining text into the block before it, and a new block
 * type (a paragraph made a heading, a bulleted list made numbered) rebuilds the block:
 * Yjs has no move, so both copy the words (moves.ts records each copy, and devices that
 * edited those words concurrently carry their edits over). Blocks are only joined when
 * the first may hold the second's marks (as ProseMirror decides when deleting across
 * them); otherwise both stay, without the deleted words.
 */
export type Settlement = 'accept' | 'reject'

const textblocks = (fragment: Y.XmlFragment): Y.XmlElement[] => {
  const out: Y.XmlElement[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      if (TEXTBLOCKS.has(child.nodeName)) out.push(child)
      else walk(child)
    }
  }
  walk(fragment)
  return out
}

/** Every element, children before their parent (so a rebuilt list copies its settled items). */
const elementsInnermostFirst = (fragment: Y.XmlFragment): Y.XmlElement[] => {
  const out: Y.XmlElement[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      walk(child)
      out.push(child)
    }
  }
  walk(fragment)
  return out
}

/** Within one block's text: delete, unmark or apply what this amendment marked. */
const settleText = (text: Y.XmlText, allowed: readonly string[] | undefined, amendment: string, how: Settlement): void => {
  const drop = how === 'accept' ? MARK.deletion : MARK.insertion
  const deletes: Array<[number, number]> = []
  let index = 0
  for (const op of textOps(text)) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1
    let dropped = false
    const change: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(op.attributes ?? {})) {
      if (amendmentOf(value) !== amendment) continue
      const name = markName(key)
      if (name === drop) dropped = true
      else if (name === MARK.insertion || name === MARK.deletion || name === MARK.format) change[key] = null
      if (name === MARK.format && how === 'accept') {
        for (const [mark, attrs] of Object.entries(decodeFormatChange((value as { change?: unknown }).change))) {
          if (!allowed || allowed.includes(mark)) change[mark] = attrs
        }
      }
    }
    if (dropped) deletes.push([index, length])
    else if (Object.keys(change).length > 0) text.format(index, length, change)
    index += length
  }
  for (const [at, length] of deletes.reverse()) text.delete(at, length)
}

/** Whether the previous block may hold this block's content (the editor would refuse it otherwise). */
const canJoin = (prev: Y.XmlElement, block: Y.XmlElement): boolean => {
  const allowed = TEXTBLOCK_MARKS[prev.nodeName]
  if (!allowed) return true
  return block.toArray().every((child) => !(child instanceof Y.XmlText) ||
    textOps(child).every((op) => Object.keys(op.attributes ?? {}).every((key) => allowed.includes(markName(key)))))
}

/** Remove an element, and any container it leaves empty. */
const removeBlock = (block: Y.XmlElement): void => {
  let node: Y.XmlElement | Y.XmlFragment = block
  let parent = node.parent as Y.XmlElement | Y.XmlFragment | null
  while (parent) {
    const index = parent.toArray().indexOf(node as Y.XmlElement)
    parent.delete(index, 1)
    if (parent.length > 0 || !(parent instanceof Y.XmlElement)) break
    node = parent
    parent = parent.parent as Y.XmlElement | Y.XmlFragment | null
  }
}

/** Append a block's content to the previous block, then remove it (and any container it leaves empty). */
const joinInto = (prev: Y.XmlElement, block: Y.XmlElement): void => {
  for (const child of block.toArray()) {
    if (child instanceof Y.XmlText) {
      let last = prev.length > 0 ? prev.get(prev.length - 1) : null
      if (!(last instanceof Y.XmlText)) {
        if (child.length === 0) continue
        last = new Y.XmlText()
        prev.insert(prev.length, [last])
      }
      copyTextInto(child, last as Y.XmlText, (last as Y.XmlText).length)
    } else if (child instanceof Y.XmlElement) {
      const copy = new Y.XmlElement(child.nodeName)
      for (const [k, v] of Object.entries(child.getAttributes())) copy.setAttribute(k, v as string)
      prev.insert(prev.length, [copy])
    }
  }
  removeBlock(block)
}

/** Copy an element's children into an (integrated) empty element, recording each text's move. */
const copyChildren = (from: Y.XmlElement, to: Y.XmlElement): void => {
  for (const child of from.toArray()) {
    if (child instanceof Y.XmlText) {
      const text = new Y.XmlText()
      to.insert(to.length, [text])
      copyTextInto(child, text, 0)
    } else if (child instanceof Y.XmlElement) {
      const copy = new Y.XmlElement(child.nodeName)
      for (const [k, v] of Object.entries(child.getAttributes())) copy.setAttribute(k, v as string)
      to.insert(to.length, [copy])
      copyChildren(child, copy)
    }
  }
}

/** Give a block its proposed form: new attributes in place, or (Yjs names are fixed) a rebuilt block of the new type. */
const giveForm = (el: Y.XmlElement, node: string, attrs: Record<string, number>): void => {
  const form = Object.keys(formAttrs(el.nodeName, {}))
  if (node === el.nodeName) {
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as unknown as string)
    return
  }
  const parent = el.parent as Y.XmlElement | Y.XmlFragment
  const index = parent.toArray().indexOf(el)
  const copy = new Y.XmlElement(node)
  for (const [k, v] of Object.entries(el.getAttributes())) if (k !== BLOCK_ATTR.changed && !form.includes(k)) copy.setAttribute(k, v as string)
  for (const [k, v] of Object.entries(attrs)) copy.setAttribute(k, v as unknown as string)
  parent.insert(index, [copy])
  copyChildren(el, copy)
  parent.delete(index + 1, 1)
}

export const settleInContent = (doc: Y.Doc, amendment: string, how: Settlement, origin: Origin): void => {
  const joinAttr = how === 'accept' ? BLOCK_ATTR.deleted : BLOCK_ATTR.inserted
  const clearAttr = how === 'accept' ? BLOCK_ATTR.inserted : BLOCK_ATTR.deleted
  doc.transact(() => {
    // Front to back: each block whose preceding break goes joins the nearest block
    // before it that survives, if that block may hold its content.
    let target: Y.XmlElement | null = null
    for (const block of textblocks(content(doc))) {
      for (const child of block.toArray()) if (child instanceof Y.XmlText) settleText(child, TEXTBLOCK_MARKS[block.nodeName], amendment, how)
      if (block.getAttribute(clearAttr) === amendment) block.removeAttribute(clearAttr)
      const joins = block.getAttribute(joinAttr) === amendment
      if (joins) block.removeAttribute(joinAttr)
      if (joins && target && canJoin(target, block)) joinInto(target, block)
      else target = block
    }
    for (const el of elementsInnermostFirst(content(doc))) {
      const change = decodeBlockChange(el.getAttribute(BLOCK_ATTR.changed))
      if (!change || change.amendment !== amendment) continue
      el.removeAttribute(BLOCK_ATTR.changed)
      if (how === 'accept' && changeableInto(el.nodeName, change.node)) giveForm(el, change.node, change.attrs)
    }
  }, origin)
}
