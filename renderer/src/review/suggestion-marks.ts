import type { Mark, Node as PMNode } from 'prosemirror-model'
import { BLOCK_ATTR } from '../../../crdt/format.ts'
import { decodeBlockChange, decodeFormatChange } from '../../../crdt/format-changes.ts'
import { schema } from '../editor/schema.ts'
import { describeForm, describeFormatChange } from '../editor/describe-form.ts'

/**
 * Reading the review marks out of a ProseMirror document: which words and which
 * paragraph breaks each amendment proposes to insert or delete.
 */
export const insertionType = schema.marks.insertion!
export const deletionType = schema.marks.deletion!
const formatMarkType = schema.marks.format!

/** Who proposes: written into every mark of the amendment's edits. */
export interface ProposalTag {
  amendment: string
  author: string
  color: string
}

export const insertionMark = (tag: ProposalTag): Mark => insertionType.create({ ...tag })
export const deletionMark = (tag: ProposalTag): Mark => deletionType.create({ ...tag })

export const markOf = (marks: readonly Mark[], type: typeof insertionType, amendment: string): Mark | undefined =>
  marks.find((m) => m.type === type && m.attrs.amendment === amendment)

export const blockInsertedBy = (node: PMNode): unknown => node.attrs[BLOCK_ATTR.inserted]
export const blockDeletedBy = (node: PMNode): unknown => node.attrs[BLOCK_ATTR.deleted]
export const blockChangedBy = (node: PMNode): string | null => decodeBlockChange(node.attrs[BLOCK_ATTR.changed])?.amendment ?? null

export interface ProposedChange {
  inserted: string
  deleted: string
  /** Runs of struck, proposed and reformatted words in document order, for a readable preview. */
  pieces: Array<{ kind: 'ins' | 'del' | 'fmt'; text: string; end: number; note?: string }>
  /** Paragraph breaks added (splits) and removed (joins). */
  breaks: number
  joins: number
  /** Blocks given a new form, in words (“Health” becomes a subsection heading). */
  forms: string[]
}

/** What each amendment proposes, as text, for the review panel. */
export const proposedChanges = (doc: PMNode): Map<string, ProposedChange> => {
  const out = new Map<string, ProposedChange>()
  const get = (id: string) => {
    let c = out.get(id)
    if (!c) out.set(id, (c = { inserted: '', deleted: '', pieces: [], breaks: 0, joins: 0, forms: [] }))
    return c
  }
  const piece = (c: ProposedChange, kind: 'ins' | 'del' | 'fmt', text: string, pos: number, note?: string) => {
    const last = c.pieces[c.pieces.length - 1]
    if (last && last.kind === kind && last.end === pos && last.note === note) { last.text += text; last.end = pos + text.length }
    else c.pieces.push({ kind, text, end: pos + text.length, ...(note ? { note } : {}) })
  }
  doc.descendants((node, pos) => {
    if (node.isTextblock) {
      const ins = blockInsertedBy(node)
      const del = blockDeletedBy(node)
      if (typeof ins === 'string' && ins) get(ins).breaks++
      if (typeof del === 'string' && del) get(del).joins++
    }
    const change = decodeBlockChange(node.attrs[BLOCK_ATTR.changed])
    if (change) {
      const words = node.textContent.trim()
      const what = words ? `“${words.length > 40 ? `${words.slice(0, 40)}…` : words}”` : 'An empty block'
      get(change.amendment).forms.push(`${what} becomes ${describeForm(change.node, change.attrs)}`)
    }
    if (!node.isText) return true
    for (const m of node.marks) {
      if (m.type !== insertionType && m.type !== deletionType && m.type !== formatMarkType) continue
      const c = get(String(m.attrs.amendment))
      if (m.type === formatMarkType) {
        piece(c, 'fmt', node.text!, pos, describeFormatChange(decodeFormatChange(m.attrs.change)))
        continue
      }
      const kind = m.type === insertionType ? 'ins' : 'del'
      if (kind === 'ins') c.inserted += node.text
      else c.deleted += node.text
      piece(c, kind, node.text!, pos)
    }
    return false
  })
  return out
}

/** Where an amendment's first mark or proposed break is, to scroll to it. */
/** The plank (and subsection) headings over a position, outermost first. */
export const planksOver = (doc: PMNode, pos: number): string[] => {
  let headings: string[] = []
  doc.forEach((node, offset) => {
    if (offset >= pos || node.type.name !== 'heading') return
    headings = Number(node.attrs.level) <= 2 ? [node.textContent] : [...headings.slice(0, 1), node.textContent]
  })
  return headings
}

export const firstPositionOf = (doc: PMNode, amendment: string): number | null => {
  let found: number | null = null
  doc.descendants((node, pos) => {
    if (found !== null) return false
    if ((node.isTextblock && (blockInsertedBy(node) === amendment || blockDeletedBy(node) === amendment)) || blockChangedBy(node) === amendment) {
      found = pos + 1
      return false
    }
    if (node.isText && node.marks.some((m) => (m.type === insertionType || m.type === deletionType || m.type === formatMarkType) && m.attrs.amendment === amendment)) {
      found = pos
      return false
    }
    return true
  })
  return found
}
