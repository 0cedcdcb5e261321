import * as Y from 'yjs'
import type { EditorState } from 'prosemirror-state'
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from 'y-prosemirror'
import type { Anchor } from '../../../crdt/comments.ts'
import { type MovedPositions, movedPositions } from '../../../crdt/moves.ts'

/**
 * Comment anchors as Yjs relative positions: they name the characters themselves, not
 * offsets, so a comment stays on its words whatever anyone inserts or deletes around
 * or inside them, on any peer — and follows them when a decision moves them.
 */
interface Binding { doc: Y.Doc; type: Y.XmlFragment; mapping: Map<unknown, unknown> }

const bindingOf = (state: EditorState): Binding | null => {
  const s = ySyncPluginKey.getState(state) as { doc: Y.Doc; type: Y.XmlFragment; binding: { mapping: Map<unknown, unknown> } | null } | undefined
  return s?.binding ? { doc: s.doc, type: s.type, mapping: s.binding.mapping } : null
}

/** The anchor and quoted words for the current selection, or null when nothing is selected. */
export const anchorSelection = (state: EditorState): { anchor: Anchor; quote: string } | null => {
  const { from, to } = state.selection
  const b = bindingOf(state)
  if (from === to || !b) return null
  const start = absolutePositionToRelativePosition(from, b.type, b.mapping as never)
  // The end sticks to the last commented character (its position, associated left), so
  // words typed right after the range do not join the comment.
  const lastIsText = state.doc.resolve(to).nodeBefore?.isText === true
  const end = absolutePositionToRelativePosition(lastIsText ? to - 1 : to, b.type, b.mapping as never)
  if (lastIsText) end.assoc = -1
  return {
    anchor: { start: Y.encodeRelativePosition(start), end: Y.encodeRelativePosition(end) },
    quote: state.doc.textBetween(from, to, ' ', ' ').slice(0, 500),
  }
}

/** A position on words a decision moved (a join, a new block type) follows them to where they went. */
const followMoved = (moved: MovedPositions, pos: Y.RelativePosition): Y.RelativePosition => {
  if (!pos.item) return pos
  const live = moved.char([pos.item.client, pos.item.clock])
  if (!live || (live[0] === pos.item.client && live[1] === pos.item.clock)) return pos
  return Y.createRelativePositionFromJSON({ item: { client: live[0], clock: live[1] }, assoc: pos.assoc })
}

/** Where an anchor is now; null when its words were deleted (or it cannot be read). */
export const resolveAnchor = (state: EditorState, anchor: Anchor): { from: number; to: number } | null => {
  const b = bindingOf(state)
  if (!b) return null
  try {
    const moved = movedPositions(b.doc)
    const from = relativePositionToAbsolutePosition(b.doc, b.type, followMoved(moved, Y.decodeRelativePosition(anchor.start)), b.mapping as never)
    const to = relativePositionToAbsolutePosition(b.doc, b.type, followMoved(moved, Y.decodeRelativePosition(anchor.end)), b.mapping as never)
    if (from === null || to === null || to <= from || to > state.doc.content.size) return null
    return { from, to }
  } catch {
    // Bytes from a peer that do not decode as positions: treated like deleted words.
    return null
  }
}
