import * as Y from 'yjs'
import { amendments, comments, meta } from './draft.ts'
import { type Author, readAuthor } from './author.ts'
import { startThread } from './comments.ts'
import { newId } from './ids.ts'
import { META } from './format.ts'
import type { Origin } from './origins.ts'

/**
 * Proposed amendments. The proposed edits themselves live in `content` as insertion
 * and deletion marks carrying the amendment's id (see the renderer's review folder);
 * this record holds what the edits cannot say: title, rationale, author, and the id
 * of its discussion thread. Status is not stored here: it is derived from the
 * decision log (decisions.ts), so concurrent decisions are visible, not overwritten.
 */
export interface Amendment {
  id: string
  title: string
  rationale: string
  author: Author
  created: number
  /** Id of the comment thread that holds this amendment's discussion. */
  discussion: string
  /**
   * What it proposed, as the member who decided it saw it (once decided, its marks are
   * gone from the text, so the card shows this instead). Display only: any key holder
   * could write it, so nothing is decided from it.
   */
  summary: ChangeSummary | null
}

export interface ChangeSummary {
  /** Struck, proposed and reformatted runs ('fmt', with a note saying how, in words). */
  pieces: Array<{ kind: 'ins' | 'del' | 'fmt'; text: string; note?: string }>
  breaks: number
  joins: number
  /** Blocks given a new form, in words (“Health” becomes a subsection heading). */
  forms: string[]
  /** The plank (and subsection) headings over its first change, outermost first. */
  plank: string[]
}

const MAX_SUMMARY_PIECES = 40
const MAX_SUMMARY_TEXT = 2000
const MAX_SUMMARY_FORMS = 20

/** Amendments need the review marks and block attributes (2), and may propose changes of form (3). */
export const REVIEW_SCHEMA_VERSION = 3

const F = { id: 'id', title: 'title', rationale: 'rationale', author: 'author', created: 'created', discussion: 'discussion', summary: 'summary' } as const

export const MAX_TITLE = 200
export const MAX_RATIONALE = 5000

/** The discussion thread's id is derived from the amendment's, so it cannot be created twice. */
export const discussionId = (amendmentId: string): string => `discussion-${amendmentId}`

export const proposeAmendment = (
  doc: Y.Doc,
  p: { title: string; rationale: string; author: Author; now: number; id?: string },
  origin: Origin,
): Amendment => {
  const title = p.title.trim().slice(0, MAX_TITLE)
  if (title === '') throw new Error('An amendment needs a title.')
  const id = p.id ?? newId()
  const record = new Y.Map<unknown>()
  const amendment: Amendment = {
    id, title, rationale: p.rationale.trim().slice(0, MAX_RATIONALE), author: { ...p.author }, created: p.now, discussion: discussionId(id), summary: null,
  }
  for (const [k, v] of Object.entries(amendment)) if (v !== null) record.set(k, v)
  doc.transact(() => {
    amendments(doc).set(id, record)
    startThread(doc, { id: amendment.discussion, body: '', author: p.author, now: p.now, amendment: id }, origin)
    const m = meta(doc)
    const version = m.get(META.schemaVersion)
    if (typeof version !== 'number' || version < REVIEW_SCHEMA_VERSION) m.set(META.schemaVersion, REVIEW_SCHEMA_VERSION)
  }, origin)
  return amendment
}

export const editAmendment = (doc: Y.Doc, id: string, change: { title?: string; rationale?: string }, author: Author, origin: Origin): void => {
  const record = amendments(doc).get(id)
  if (!(record instanceof Y.Map)) throw new Error(`No amendment ${id}.`)
  if (readAuthor(record.get(F.author))?.id !== author.id) throw new Error('Only its author can edit an amendment.')
  doc.transact(() => {
    if (change.title !== undefined) {
      const title = change.title.trim().slice(0, MAX_TITLE)
      if (title === '') throw new Error('An amendment needs a title.')
      record.set(F.title, title)
    }
    if (change.rationale !== undefined) record.set(F.rationale, change.rationale.trim().slice(0, MAX_RATIONALE))
  }, origin)
}

/** Keep what an amendment proposes on its record as it is decided (the first summary written stays). */
export const recordSummary = (doc: Y.Doc, id: string, summary: ChangeSummary, origin: Origin): void => {
  const record = amendments(doc).get(id)
  if (!(record instanceof Y.Map) || record.has(F.summary)) return
  const clean = readSummary(summary)
  if (clean && clean.pieces.length + clean.breaks + clean.joins + clean.forms.length > 0) doc.transact(() => record.set(F.summary, clean), origin)
}

const readSummary = (value: unknown): ChangeSummary | null => {
  const v = value as Partial<ChangeSummary> | null
  if (!v || typeof v !== 'object' || !Array.isArray(v.pieces)) return null
  const pieces = v.pieces.slice(0, MAX_SUMMARY_PIECES).flatMap((p: unknown): ChangeSummary['pieces'] => {
    const q = p as { kind?: unknown; text?: unknown; note?: unknown } | null
    if (!q || !(q.kind === 'ins' || q.kind === 'del' || q.kind === 'fmt') || typeof q.text !== 'string') return []
    const note = q.kind === 'fmt' && typeof q.note === 'string' ? { note: q.note.slice(0, MAX_TITLE) } : {}
    return [{ kind: q.kind, text: q.text.slice(0, MAX_SUMMARY_TEXT), ...note }]
  })
  // Summaries written before changes of form could be proposed have no forms.
  const forms = Array.isArray(v.forms) ? v.forms.slice(0, MAX_SUMMARY_FORMS).filter((f): f is string => typeof f === 'string').map((f) => f.slice(0, MAX_TITLE)) : []
  const count = (n: unknown) => (Number.isInteger(n) && (n as number) >= 0 ? Math.min(n as number, 10_000) : 0)
  const plank = Array.isArray(v.plank) ? v.plank.slice(0, 3).filter((t): t is string => typeof t === 'string').map((t) => t.slice(0, MAX_TITLE)) : []
  return { pieces, breaks: count(v.breaks), joins: count(v.joins), forms, plank }
}

/** Remove an amendment nobody has seen edits for (proposing was started, then left empty), with its discussion. */
export const discardAmendment = (doc: Y.Doc, id: string, origin: Origin): void => {
  doc.transact(() => {
    amendments(doc).delete(id)
    comments(doc).delete(discussionId(id))
  }, origin)
}

export const readAmendments = (doc: Y.Doc): Amendment[] => {
  const out: Amendment[] = []
  amendments(doc).forEach((value, key) => {
    if (!(value instanceof Y.Map)) return
    const r = value as Y.Map<unknown>
    const author = readAuthor(r.get(F.author))
    const title = r.get(F.title)
    if (!author || typeof title !== 'string' || r.get(F.id) !== key) return
    const rationale = r.get(F.rationale)
    const created = r.get(F.created)
    out.push({
      id: key,
      title: title.slice(0, MAX_TITLE),
      rationale: typeof rationale === 'string' ? rationale.slice(0, MAX_RATIONALE) : '',
      author,
      created: typeof created === 'number' ? created : 0,
      discussion: discussionId(key),
      summary: readSummary(r.get(F.summary)),
    })
  })
  return out.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))
}
