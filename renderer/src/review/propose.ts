import { ReplaceStep } from 'prosemirror-transform'
import { TextSelection, type EditorState, type Transaction } from 'prosemirror-state'
import type { Node as PMNode } from 'prosemirror-model'
import { BLOCK_ATTR } from '../../../crdt/format.ts'
import { mergeRanges } from './ranges.ts'
import { PROPOSAL_META } from './local-edit.ts'
import { type ProposalTag, blockInsertedBy, deletionMark, deletionType, insertionMark, insertionType, markOf } from './suggestion-marks.ts'
import { formatType, inheritProposedFormat, proposeFormStep } from './format-proposals.ts'

/**
 * Propose mode: a member's edit becomes a proposed amendment instead of a change to
 * the accepted text. The edit's transaction is replayed as a new one in which
 *
 * - deleted words stay, marked `deletion` (words this amendment itself proposed are
 *   really removed: that is editing one's own proposal);
 * - inserted words are marked `insertion`, after any words they replace;
 * - a paragraph break typed (Enter) is marked on the new block (`ins`), and a break
 *   deleted across is marked on the block after it (`del`), so reject and accept can
 *   join exactly those blocks.
 *
 * - formatting, a heading's level, a block's type and a list's type or start are
 *   proposed beside the words and blocks they change (format-proposals.ts).
 *
 * Only local edits pass through here: transactions y-prosemirror makes from remote
 * updates, undo and redo carry its meta and are never turned into proposals.
 * Wrapping in or lifting out of lists and quotes cannot be proposed yet; it is refused
 * with a reason rather than applied to the accepted text behind the member's back.
 */
export type ProposalResult = { tr: Transaction } | { refused: string }

export { REFUSED_STRUCTURE } from './format-proposals.ts'

export const toProposal = (tr: Transaction, state: EditorState, tag: ProposalTag): ProposalResult => {
  const out = state.tr
  // Maps a position in the original transaction's doc before step i to `out`'s doc now.
  let toOut = (pos: number, assoc: number): number => out.mapping.map(pos, assoc)
  let forwardCaret: number | null = null
  for (let i = 0; i < tr.steps.length; i++) {
    const step = tr.steps[i]!
    if (!(step instanceof ReplaceStep)) {
      // Changes of form keep every position where it was: the mapping stays as it is.
      const refused = proposeFormStep(out, step, tr.docs[i]!, toOut, tag)
      if (refused) return { refused }
      continue
    }
    const { from, to, slice } = step as ReplaceStep & { from: number; to: number }
    const F = toOut(from, 1)
    const T = Math.max(F, toOut(to, -1))
    const forward = tr.steps.length === 1 && state.selection.empty && state.selection.head <= F && to > from && slice.size === 0
    const mark = out.steps.length
    if (T > F) proposeDeletion(out, F, T, tag)
    const afterDeletion = () => out.mapping.slice(mark)
    if (forward) forwardCaret = afterDeletion().map(T, 1)
    let insertedAt = -1
    let insertedMark = -1
    if (slice.size > 0) {
      // After the words it replaces; but when those span paragraphs, at the start, in the
      // paragraph that survives the join (its marks and type are the ones the text takes).
      const start = afterDeletion().map(F, -1)
      const end = afterDeletion().map(T, 1)
      const at = out.doc.resolve(start).sameParent(out.doc.resolve(end)) ? end : start
      const before = out.steps.length
      out.replace(at, at, slice)
      const placed = out.mapping.slice(before)
      markInsertion(out, placed.map(at, -1), placed.map(at, 1), tag)
      insertedAt = placed.map(at, -1)
      insertedMark = out.steps.length
    }
    const prev = toOut
    const size = slice.size
    toOut = (pos, assoc) => {
      if (pos < from || (pos === from && (assoc < 0 || size === 0))) return prev(pos, assoc)
      if (pos < from + size || (pos === from + size && assoc < 0 && size > 0)) return out.mapping.slice(insertedMark).map(insertedAt + (pos - from), assoc)
      return prev(pos - size + (to - from), assoc)
    }
  }
  if (forwardCaret !== null) {
    out.setSelection(TextSelection.create(out.doc, forwardCaret))
  } else if (tr.selectionSet || tr.docChanged) {
    // Where the member's caret would have gone, carried over to the proposal.
    const { anchor, head } = tr.selection
    const clamp = (p: number) => Math.max(0, Math.min(out.doc.content.size, p))
    try {
      out.setSelection(TextSelection.between(out.doc.resolve(clamp(toOut(anchor, -1))), out.doc.resolve(clamp(toOut(head, 1)))))
    } catch {
      // The mapped caret fell outside text (e.g. between blocks): keep the mapped default.
    }
  }
  if (tr.scrolledIntoView) out.scrollIntoView()
  out.setMeta(PROPOSAL_META, tag.amendment)
  return { tr: out }
}

/** Mark [from, to) deleted by this amendment; remove for real what it inserted itself. */
const proposeDeletion = (out: Transaction, from: number, to: number, tag: ProposalTag): void => {
  const remove: Array<[number, number]> = []
  const mark: Array<[number, number]> = []
  const breaks: number[] = []
  out.doc.nodesBetween(from, to, (node, pos) => {
    if (node.isTextblock && pos >= from && pos < to) {
      // The break before this block is deleted. If this amendment made it, take it back.
      if (blockInsertedBy(node) === tag.amendment && isAfterTextblock(out.doc, pos)) remove.push([pos - 1, pos + 1])
      else breaks.push(pos)
    }
    if (!node.isInline) return true
    const a = Math.max(pos, from)
    const b = Math.min(pos + node.nodeSize, to)
    if (markOf(node.marks, insertionType, tag.amendment)) remove.push([a, b])
    else if (!markOf(node.marks, deletionType, tag.amendment)) mark.push([a, b])
    return false
  })
  for (const [a, b] of mark) out.addMark(a, b, deletionMark(tag))
  for (const pos of breaks) out.setNodeAttribute(pos, BLOCK_ATTR.deleted, tag.amendment)
  for (const [a, b] of mergeRanges(remove).reverse()) out.delete(a, b)
}

/** Inserted content carries only this amendment's insertion mark, and new blocks say so. */
const markInsertion = (out: Transaction, start: number, end: number, tag: ProposalTag): void => {
  if (end <= start) return
  out.removeMark(start, end, insertionType)
  out.removeMark(start, end, deletionType)
  out.removeMark(start, end, formatType)
  inheritProposedFormat(out, start, end, tag)
  out.addMark(start, end, insertionMark(tag))
  out.doc.nodesBetween(start, end, (node, pos) => {
    if (node.isTextblock && pos >= start && pos < end) {
      out.setNodeMarkup(pos, undefined, { ...node.attrs, [BLOCK_ATTR.inserted]: tag.amendment, [BLOCK_ATTR.deleted]: null })
    }
    return !node.isTextblock
  })
}

const isAfterTextblock = (doc: PMNode, pos: number): boolean => {
  const before = doc.resolve(pos).nodeBefore
  return before !== null && before.isTextblock
}
