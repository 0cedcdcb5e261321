import * as Y from 'yjs'
import { comments } from './draft.ts'
import { type Author, readAuthor } from './author.ts'
import { newId } from './ids.ts'
import type { Origin } from './origins.ts'

/**
 * Comment threads. Each thread is a Y.Map inside the `comments` root, its replies a
 * Y.Array of Y.Maps, so concurrent replies, edits and resolves merge field by field.
 *
 * A thread is either anchored to a range of the text (two encoded Y.RelativePositions,
 * which move with the words through anyone's edits) or attached to an amendment as
 * its discussion. Deleting a comment leaves a tombstone so replies keep their context.
 */

/** Encoded Y.RelativePositions of the commented range (start inclusive, end exclusive). */
export interface Anchor {
  start: Uint8Array
  end: Uint8Array
}

export interface CommentEntry {
  id: string
  author: Author
  body: string
  created: number
  edited: number | null
  deleted: boolean
}

export interface Thread extends CommentEntry {
  anchor: Anchor | null
  /** The words commented on, as they were: shown when those words have been deleted. */
  quote: string
  /** Set when this thread is an amendment's discussion. */
  amendment: string | null
  resolved: boolean
  resolvedBy: Author | null
  resolvedAt: number | null
  replies: CommentEntry[]
}

export const MAX_COMMENT_LENGTH = 10_000

const F = {
  id: 'id', author: 'author', body: 'body', created: 'created', edited: 'edited', deleted: 'deleted',
  anchorStart: 'anchorStart', anchorEnd: 'anchorEnd', quote: 'quote', amendment: 'amendment',
  resolved: 'resolved', resolvedBy: 'resolvedBy', resolvedAt: 'resolvedAt', replies: 'replies',
} as const

const cleanBody = (body: string): string => {
  const text = body.trim()
  if (text === '') throw new Error('A comment cannot be empty.')
  if (text.length > MAX_COMMENT_LENGTH) throw new Error(`A comment can be at most ${MAX_COMMENT_LENGTH.toLocaleString('en')} characters.`)
  return text
}

interface NewThread {
  body: string
  author: Author
  now: number
  anchor?: Anchor
  quote?: string
  amendment?: string
  id?: string
}

/** Start a thread; returns its id. */
export const startThread = (doc: Y.Doc, t: NewThread, origin: Origin): string => {
  const id = t.id ?? newId()
  const entry = new Y.Map<unknown>()
  entry.set(F.id, id)
  entry.set(F.author, { ...t.author })
  entry.set(F.body, t.body === '' ? '' : cleanBody(t.body))
  entry.set(F.created, t.now)
  entry.set(F.edited, null)
  entry.set(F.deleted, false)
  if (t.anchor) {
    entry.set(F.anchorStart, t.anchor.start)
    entry.set(F.anchorEnd, t.anchor.end)
  }
  entry.set(F.quote, (t.quote ?? '').slice(0, 500))
  entry.set(F.amendment, t.amendment ?? null)
  entry.set(F.resolved, false)
  entry.set(F.resolvedBy, null)
  entry.set(F.resolvedAt, null)
  entry.set(F.replies, new Y.Array<Y.Map<unknown>>())
  doc.transact(() => comments(doc).set(id, entry), origin)
  return id
}

const threadMap = (doc: Y.Doc, threadId: string): Y.Map<unknown> => {
  const t = comments(doc).get(threadId)
  if (!(t instanceof Y.Map)) throw new Error(`No comment thread ${threadId}.`)
  return t as Y.Map<unknown>
}

const repliesOf = (thread: Y.Map<unknown>): Y.Array<Y.Map<unknown>> | null => {
  const r = thread.get(F.replies)
  return r instanceof Y.Array ? (r as Y.Array<Y.Map<unknown>>) : null
}

export const reply = (doc: Y.Doc, threadId: string, r: { body: string; author: Author; now: number; id?: string }, origin: Origin): string => {
  const thread = threadMap(doc, threadId)
  const replies = repliesOf(thread)
  if (!replies) throw new Error('This thread cannot take replies (it is damaged).')
  const id = r.id ?? newId()
  const entry = new Y.Map<unknown>()
  entry.set(F.id, id)
  entry.set(F.author, { ...r.author })
  entry.set(F.body, cleanBody(r.body))
  entry.set(F.created, r.now)
  entry.set(F.edited, null)
  entry.set(F.deleted, false)
  doc.transact(() => replies.push([entry]), origin)
  return id
}

/** The Y.Map of a thread's opening comment (replyId null) or of one reply. */
const entryMap = (doc: Y.Doc, threadId: string, replyId: string | null): Y.Map<unknown> => {
  const thread = threadMap(doc, threadId)
  if (replyId === null) return thread
  const found = repliesOf(thread)?.toArray().find((r) => r instanceof Y.Map && r.get(F.id) === replyId)
  if (!found) throw new Error(`No reply ${replyId}.`)
  return found
}

const assertOwn = (entry: Y.Map<unknown>, author: Author): void => {
  if (readAuthor(entry.get(F.author))?.id !== author.id) throw new Error('Only its author can change a comment.')
}

export const editComment = (doc: Y.Doc, threadId: string, replyId: string | null, body: string, author: Author, now: number, origin: Origin): void => {
  const entry = entryMap(doc, threadId, replyId)
  assertOwn(entry, author)
  const text = cleanBody(body)
  doc.transact(() => {
    entry.set(F.body, text)
    entry.set(F.edited, now)
  }, origin)
}

/** Delete one's own comment: the text goes, a tombstone keeps the thread readable. */
export const deleteComment = (doc: Y.Doc, threadId: string, replyId: string | null, author: Author, origin: Origin): void => {
  const entry = entryMap(doc, threadId, replyId)
  assertOwn(entry, author)
  doc.transact(() => {
    entry.set(F.body, '')
    entry.set(F.deleted, true)
  }, origin)
}

export const setResolved = (doc: Y.Doc, threadId: string, resolved: boolean, author: Author, now: number, origin: Origin): void => {
  const thread = threadMap(doc, threadId)
  doc.transact(() => {
    thread.set(F.resolved, resolved)
    thread.set(F.resolvedBy, resolved ? { ...author } : null)
    thread.set(F.resolvedAt, resolved ? now : null)
  }, origin)
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
const str = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max) : '')

const readEntry = (m: Y.Map<unknown>): CommentEntry | null => {
  const id = m.get(F.id)
  const author = readAuthor(m.get(F.author))
  if (typeof id !== 'string' || !author) return null
  const edited = m.get(F.edited)
  return {
    id,
    author,
    body: str(m.get(F.body), MAX_COMMENT_LENGTH),
    created: num(m.get(F.created)),
    edited: typeof edited === 'number' ? edited : null,
    deleted: m.get(F.deleted) === true,
  }
}

/** Every readable thread. Entries a peer sent in a broken shape are skipped, not fatal. */
export const readThreads = (doc: Y.Doc): Thread[] => {
  const out: Thread[] = []
  comments(doc).forEach((value) => {
    if (!(value instanceof Y.Map)) return
    const m = value as Y.Map<unknown>
    const base = readEntry(m)
    if (!base) return
    const start = m.get(F.anchorStart)
    const end = m.get(F.anchorEnd)
    const amendment = m.get(F.amendment)
    const replies = (repliesOf(m)?.toArray() ?? [])
      .map((r) => (r instanceof Y.Map ? readEntry(r) : null))
      .filter((r): r is CommentEntry => r !== null)
    out.push({
      ...base,
      anchor: start instanceof Uint8Array && end instanceof Uint8Array ? { start, end } : null,
      quote: str(m.get(F.quote), 500),
      amendment: typeof amendment === 'string' ? amendment : null,
      resolved: m.get(F.resolved) === true,
      resolvedBy: readAuthor(m.get(F.resolvedBy)),
      resolvedAt: typeof m.get(F.resolvedAt) === 'number' ? (m.get(F.resolvedAt) as number) : null,
      replies,
    })
  })
  return out.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))
}
