import { setBlockType, toggleMark, wrapIn, lift } from 'prosemirror-commands'
import { wrapInList, liftListItem } from 'prosemirror-schema-list'
import type { MarkType, NodeType } from 'prosemirror-model'
import type { Command, EditorState } from 'prosemirror-state'
import { schema } from './schema.ts'
import { safeHref } from './links.ts'
import { PLANK_LEVEL, SUBSECTION_LEVEL } from '../../../crdt/format.ts'

/** Block styles a member can pick; the title is not one (a draft has one title). */
export type BlockStyle = 'paragraph' | 'plank' | 'subsection'

export const setBlockStyle = (style: BlockStyle): Command => {
  switch (style) {
    case 'paragraph': return setBlockType(schema.nodes.paragraph!)
    case 'plank': return setBlockType(schema.nodes.heading!, { level: PLANK_LEVEL })
    case 'subsection': return setBlockType(schema.nodes.heading!, { level: SUBSECTION_LEVEL })
  }
}

/** The block style at the cursor, or null where none applies (the title, a mixed selection). */
export const currentBlockStyle = (state: EditorState): BlockStyle | null => {
  const { $from, $to } = state.selection
  if (!$from.sameParent($to)) return null
  const node = $from.parent
  if (node.type === schema.nodes.paragraph) return 'paragraph'
  if (node.type === schema.nodes.heading) return Number(node.attrs.level) === SUBSECTION_LEVEL ? 'subsection' : 'plank'
  return null
}

export const isMarkActive = (state: EditorState, type: MarkType): boolean => {
  const { from, $from, to, empty } = state.selection
  if (empty) return type.isInSet(state.storedMarks ?? $from.marks()) !== undefined
  return state.doc.rangeHasMark(from, to, type)
}

export const isInside = (state: EditorState, type: NodeType): boolean => {
  const { $from } = state.selection
  for (let d = $from.depth; d > 0; d--) if ($from.node(d).type === type) return true
  return false
}

/**
 * Toggle a list: lift out when the list around the caret is of this kind, make it this
 * kind when it is of the other (bulleted ↔ numbered), otherwise wrap.
 */
export const toggleList = (type: NodeType): Command => (state, dispatch) => {
  const { $from } = state.selection
  for (let d = $from.depth; d > 0; d--) {
    const node = $from.node(d)
    if (node.type !== schema.nodes.bullet_list && node.type !== schema.nodes.ordered_list) continue
    if (node.type === type) return liftListItem(schema.nodes.list_item!)(state, dispatch)
    if (dispatch) dispatch(state.tr.setNodeMarkup($from.before(d), type, type === schema.nodes.ordered_list ? { order: 1 } : null).scrollIntoView())
    return true
  }
  return wrapInList(type)(state, dispatch)
}

export const toggleBlockquote: Command = (state, dispatch) =>
  isInside(state, schema.nodes.blockquote!) ? lift(state, dispatch) : wrapIn(schema.nodes.blockquote!)(state, dispatch)

export const toggleStrong = toggleMark(schema.marks.strong!)
export const toggleEm = toggleMark(schema.marks.em!)
export const toggleUnderline = toggleMark(schema.marks.underline!)

/** The href of the link at the cursor or across the selection, if any. */
export const linkAt = (state: EditorState): string | null => {
  const { $from } = state.selection
  const mark = schema.marks.link!.isInSet($from.marks()) ?? schema.marks.link!.isInSet($from.nodeAfter?.marks ?? [])
  return mark ? String(mark.attrs.href) : null
}

/**
 * Set (or with an empty string, remove) the link on the selection. Returns an error
 * message for a URL that is not allowed, so the dialog can say why.
 */
export const applyLink = (raw: string): Command & { error?: string } => (state, dispatch) => {
  const type = schema.marks.link!
  const { from, to, empty } = state.selection
  if (raw.trim() === '') {
    if (dispatch) dispatch(state.tr.removeMark(from, to, type))
    return true
  }
  const href = safeHref(raw)
  if (href === null || empty) return false
  if (dispatch) dispatch(state.tr.removeMark(from, to, type).addMark(from, to, type.create({ href })))
  return true
}
