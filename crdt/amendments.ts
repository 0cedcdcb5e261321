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
}

/** Amendments need the review marks and block attributes (2), and may propose changes of form (3). */
export const REVIEW_SCHEMA_VERSION = 3

const F = { id: 'id', title: 'title', rationale: 'rationale', author: 'author', created: 'created', discussion: 'discussion' } as const

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
    id, title, rationale: p.rationale.trim().slice(0, MAX_RATIONALE), author: { ...p.author }, created: p.now, discussion: discussionId(id),
  }
  for (const [k, v] of Object.entries(amendment)) record.set(k, v)
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
    })
  })
  return out.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))
}
