import { AddMarkStep, AttrStep, RemoveMarkStep, ReplaceAroundStep, type Step } from 'prosemirror-transform'
import type { Transaction } from 'prosemirror-state'
import type { Mark, Node as PMNode, NodeType } from 'prosemirror-model'
import { BLOCK_ATTR, CHANGEABLE_BLOCKS, NODE } from '../../../crdt/format.ts'
import { type FormatChange, changeableInto, decodeBlockChange, decodeFormatChange, encodeBlockChange, encodeFormatChange, formAttrs, hasForm } from '../../../crdt/format-changes.ts'
import { schema } from '../editor/schema.ts'
import { type ProposalTag, deletionType, insertionType, markOf } from './suggestion-marks.ts'

/**
 * Propose mode for changes of form: formatting (bold, italic, underline, links), a
 * heading's level, a paragraph made a heading or back, a list's type and start.
 *
 * The words and blocks keep their form; the proposal is written beside it — a
 * `format` mark on the words saying which marks to set or remove, a `chg` attribute on
 * the block saying its new type and attributes — so rejecting only removes the
 * proposal, and accepting (crdt/settle.ts) does exactly what the toolbar would have.
 * Words the amendment itself inserted are its own: they are formatted directly.
 */
export const formatType = schema.marks.format!

export const REFUSED_STRUCTURE = 'Wrapping text in a list or quote, or lifting it out, cannot be proposed yet: propose the wording, or turn off Propose to change it directly.'
export const REFUSED_TAKEN = 'Another amendment already proposes a new form for this block: decide it first, or propose the wording.'

export const formatMark = (tag: ProposalTag, change: FormatChange): Mark =>
  formatType.create({ ...tag, change: encodeFormatChange(change) })

/** Maps a position in the member's document before this step to the proposal's document. */
export type ToOut = (pos: number, assoc: number) => number

/** Translate one non-replacing step of the member's transaction; a refusal reason, or null when done. */
export const proposeFormStep = (out: Transaction, step: Step, before: PMNode, toOut: ToOut, tag: ProposalTag): string | null => {
  if (step instanceof AddMarkStep || step instanceof RemoveMarkStep) {
    const { from, to, mark } = step as (AddMarkStep | RemoveMarkStep) & { from: number; to: number; mark: Mark }
    if (mark.type === insertionType || mark.type === deletionType || mark.type === formatType) return REFUSED_STRUCTURE
    proposeMarks(out, toOut(from, 1), toOut(to, -1), mark, step instanceof AddMarkStep, tag)
    return null
  }
  if (step instanceof ReplaceAroundStep) {
    const s = step as ReplaceAroundStep & { from: number; to: number; gapFrom: number; gapTo: number; insert: number; structure: boolean }
    const node = s.slice.content.firstChild
    const old = before.nodeAt(s.from)
    const markup = s.insert === 1 && s.gapFrom === s.from + 1 && s.gapTo === s.to - 1 && s.slice.openStart === 0 && s.slice.openEnd === 0 &&
      s.slice.content.childCount === 1 && node !== null && node.content.size === 0 && old !== null && old.nodeSize === s.to - s.from
    if (!markup) return REFUSED_STRUCTURE
    return proposeForm(out, at(out, toOut, s.from, old.type), old, node.type, node.attrs, tag)
  }
  if (step instanceof AttrStep) {
    const { pos, attr, value } = step as AttrStep & { pos: number; attr: string; value: unknown }
    const old = before.nodeAt(pos)
    const formKey = old?.type.name === NODE.heading ? 'level' : old?.type.name === NODE.orderedList ? 'order' : null
    if (!old || attr !== formKey) return REFUSED_STRUCTURE
    return proposeForm(out, at(out, toOut, pos, old.type), old, old.type, { ...old.attrs, [attr]: value }, tag)
  }
  return REFUSED_STRUCTURE
}

/** The block's position in the proposal's document (the same block, whatever was inserted before it). */
const at = (out: Transaction, toOut: ToOut, pos: number, type: NodeType): number | null => {
  for (const assoc of [1, -1]) {
    const p = toOut(pos, assoc)
    if (out.doc.nodeAt(p)?.type === type) return p
  }
  return null
}

const proposeForm = (out: Transaction, pos: number | null, old: PMNode, type: NodeType, attrs: Record<string, unknown>, tag: ProposalTag): string | null => {
  if (pos === null || !CHANGEABLE_BLOCKS.has(old.type.name) || !changeableInto(old.type.name, type.name)) return REFUSED_STRUCTURE
  const node = out.doc.nodeAt(pos)!
  const existing = decodeBlockChange(node.attrs[BLOCK_ATTR.changed])
  if (existing && existing.amendment !== tag.amendment) return REFUSED_TAKEN
  const change = { node: type.name, attrs: formAttrs(type.name, attrs) }
  // Back to the form it has: nothing left to propose.
  if (hasForm(node.type.name, node.attrs, change)) {
    if (existing) out.setNodeAttribute(pos, BLOCK_ATTR.changed, null)
  } else {
    out.setNodeAttribute(pos, BLOCK_ATTR.changed, encodeBlockChange({ ...tag, ...change }))
  }
  return null
}

/** Set (or remove) `mark` on [from, to) as a proposal: on each text node, merged into this amendment's format mark. */
const proposeMarks = (out: Transaction, from: number, to: number, mark: Mark, set: boolean, tag: ProposalTag): void => {
  const direct: Array<[number, number]> = []
  const proposals: Array<{ from: number; to: number; old: Mark | undefined; change: FormatChange }> = []
  out.doc.nodesBetween(from, to, (node, pos, parent) => {
    if (!node.isText) return true
    if (!parent?.type.allowsMarkType(mark.type)) return false
    const a = Math.max(pos, from)
    const b = Math.min(pos + node.nodeSize, to)
    if (b <= a) return false
    if (markOf(node.marks, insertionType, tag.amendment)) {
      direct.push([a, b])
      return false
    }
    if (!set && !mark.isInSet(node.marks)) return false
    const old = markOf(node.marks, formatType, tag.amendment)
    const change = old ? decodeFormatChange(old.attrs.change) : {}
    change[mark.type.name] = set ? { ...mark.attrs } : null
    proposals.push({ from: a, to: b, old, change: withoutNoOps(change, node.marks) })
    return false
  })
  for (const [a, b] of direct) {
    if (set) out.addMark(a, b, mark)
    else out.removeMark(a, b, mark)
  }
  for (const p of proposals) {
    if (p.old) out.removeMark(p.from, p.to, p.old)
    if (Object.keys(p.change).length > 0) out.addMark(p.from, p.to, formatMark(tag, p.change))
  }
}

/** Leave out what the words already are (bold proposed on bold words, a link removed where there is none). */
const withoutNoOps = (change: FormatChange, marks: readonly Mark[]): FormatChange => {
  const out: FormatChange = {}
  for (const [name, attrs] of Object.entries(change)) {
    const type = schema.marks[name]
    if (!type) continue
    const actual = type.isInSet(marks)
    if (attrs === null ? actual === undefined : actual !== undefined && actual.eq(type.create(attrs))) continue
    out[name] = attrs
  }
  return out
}

/** Words typed inside this amendment's own proposed formatting take that formatting (as they would have directly). */
export const inheritProposedFormat = (out: Transaction, start: number, end: number, tag: ProposalTag): void => {
  const before = out.doc.resolve(start).nodeBefore
  const own = before ? markOf(before.marks, formatType, tag.amendment) : undefined
  if (!own) return
  for (const [name, attrs] of Object.entries(decodeFormatChange(own.attrs.change))) {
    const type = schema.marks[name]!
    if (attrs) out.addMark(start, end, type.create(attrs))
    else out.removeMark(start, end, type)
  }
}
