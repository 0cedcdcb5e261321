import * as Y from 'yjs'
import { BLOCK_ATTR, MARK, TEXTBLOCK_MARKS } from './format.ts'
import { TEXTBLOCKS, markName, textOps } from './content-items.ts'
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
 *   are removed, and blocks whose preceding break it deletes are joined;
 * - reject: its insertions are deleted (and the breaks it added joined back), its
 *   deletion marks removed — the original text, formatting included, is untouched.
 *
 * Joining moves the block's remaining text into the block before it (as new items):
 * the one place where a concurrent edit to those words can be lost. Blocks are only
 * joined when the first may hold the second's marks (as ProseMirror decides when
 * deleting across them); otherwise both stay, without the deleted words.
 */
export type Settlement = 'accept' | 'reject'


const amendmentOf = (value: unknown): unknown => (typeof value === 'object' && value !== null ? (value as { amendment?: unknown }).amendment : undefined)

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


/** Delete or unmark, within one block's text, what this amendment marked. */
const settleText = (text: Y.XmlText, amendment: string, drop: string, keep: string): void => {
  const deletes: Array<[number, number]> = []
  let index = 0
  for (const op of textOps(text)) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1
    const attrs = op.attributes ?? {}
    let dropped = false
    for (const [key, value] of Object.entries(attrs)) {
      if (amendmentOf(value) !== amendment) continue
      const name = markName(key)
      if (name === drop) dropped = true
      if (name === keep) text.format(index, length, { [key]: null })
    }
    if (dropped) deletes.push([index, length])
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

/** Append a block's content to the previous block, then remove it (and any container it leaves empty). */
const joinInto = (prev: Y.XmlElement, block: Y.XmlElement): void => {
  for (const child of block.toArray()) {
    if (child instanceof Y.XmlText) {
      const delta = textOps(child)
      if (delta.length === 0) continue
      let last = prev.length > 0 ? prev.get(prev.length - 1) : null
      if (!(last instanceof Y.XmlText)) {
        last = new Y.XmlText()
        prev.insert(prev.length, [last])
      }
      const target = last as Y.XmlText
      let at = target.length
      for (const op of delta) {
        if (typeof op.insert !== 'string') continue
        target.insert(at, op.insert, op.attributes ?? {})
        at += op.insert.length
      }
    } else if (child instanceof Y.XmlElement) {
      const copy = new Y.XmlElement(child.nodeName)
      for (const [k, v] of Object.entries(child.getAttributes())) copy.setAttribute(k, v as string)
      prev.insert(prev.length, [copy])
    }
  }
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

export const settleInContent = (doc: Y.Doc, amendment: string, how: Settlement, origin: Origin): void => {
  const drop = how === 'accept' ? MARK.deletion : MARK.insertion
  const keep = how === 'accept' ? MARK.insertion : MARK.deletion
  const joinAttr = how === 'accept' ? BLOCK_ATTR.deleted : BLOCK_ATTR.inserted
  const clearAttr = how === 'accept' ? BLOCK_ATTR.inserted : BLOCK_ATTR.deleted
  doc.transact(() => {
    // Front to back: each block whose preceding break goes joins the nearest block
    // before it that survives, if that block may hold its content.
    let target: Y.XmlElement | null = null
    for (const block of textblocks(content(doc))) {
      for (const child of block.toArray()) if (child instanceof Y.XmlText) settleText(child, amendment, drop, keep)
      if (block.getAttribute(clearAttr) === amendment) block.removeAttribute(clearAttr)
      const joins = block.getAttribute(joinAttr) === amendment
      if (joins) block.removeAttribute(joinAttr)
      if (joins && target && canJoin(target, block)) joinInto(target, block)
      else target = block
    }
  }, origin)
}
