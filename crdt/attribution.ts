import * as Y from 'yjs'
import { people } from './draft.ts'
import { ROOT } from './format.ts'
import { type Author, readAuthor, safeName } from './author.ts'
import type { Origin } from './origins.ts'

/**
 * Who wrote and who deleted each word, for comparing versions. Yjs items carry only a
 * client id (one per editing session) and a deletion carries nothing at all, so the
 * draft records both in the layout of Yjs's PermanentUserData (what y-prosemirror's
 * snapshot rendering reads): `users` maps a member id to `ids`, the client ids they
 * edited under, and `ds`, the delete sets of their own transactions.
 *
 * The live draft only ever appends to that map; it never runs PermanentUserData's
 * observers, which trust the map's shape and would throw on a hostile peer's junk.
 * The reader (`readAttribution`) runs on a copy, after dropping malformed entries.
 *
 * Members are keyed by id, not name, so renaming keeps one history; `people` gives
 * each id its current name and colour.
 */

const IDS = 'ids'
const DS = 'ds'

const usersOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.users)

const isUserRecord = (value: unknown): value is Y.Map<unknown> =>
  value instanceof Y.Map && value.get(IDS) instanceof Y.Array && value.get(DS) instanceof Y.Array

/** This member's record, made on first use. */
const userRecord = (doc: Y.Doc, id: string): Y.Map<unknown> => {
  const existing = usersOf(doc).get(id)
  if (isUserRecord(existing)) return existing
  const user = new Y.Map<unknown>()
  user.set(IDS, new Y.Array())
  user.set(DS, new Y.Array())
  usersOf(doc).set(id, user)
  return user
}

/**
 * A delete set in the byte layout PermanentUserData reads. Yjs does not export its
 * delete-set encoder, but an encoded snapshot starts with exactly those bytes (the
 * empty state vector after them is one zero byte, which the reader ignores).
 */
const encodeDeleteSet = (ds: Y.Transaction['deleteSet']): Uint8Array => Y.encodeSnapshot(Y.createSnapshot(ds, new Map()))

export interface AttributionRecorder {
  /** Write what is waiting now (the app does before closing a draft). */
  flush(): void
  /** Flush, then stop recording. */
  stop(): void
}

/** How long deletions gather before they are written as one delete set. */
export const ATTRIBUTION_BATCH_MS = 3000

/** The recorders running on each draft, so anything about to read attribution can flush them first. */
const recorders = new WeakMap<Y.Doc, Set<() => void>>()

/**
 * Write every deletion still gathering on this draft now: a comparison made within the
 * batch window must credit them to their member, not to "an unknown member".
 */
export const flushAttribution = (doc: Y.Doc): void => {
  for (const flush of recorders.get(doc) ?? []) flush()
}

/**
 * Record this session's edits as `author`'s: its client id now, and the deletions of
 * its own transactions, gathered for `batchMs` and written as one merged delete set.
 * (Written per transaction, the automerge-paper trace grew the draft 5.4× and took 31×
 * as long; gathered every 3 keystrokes still 2.75×; see `npm run bench -- members` for
 * the 3 s window.) A crash inside the window loses only whose those deletions were.
 * Call once per session, when the draft is editable.
 */
export const recordAttribution = (doc: Y.Doc, author: Author, origin: Origin, batchMs = ATTRIBUTION_BATCH_MS): AttributionRecorder => {
  const claim = () => {
    const ids = userRecord(doc, author.id).get(IDS) as Y.Array<number>
    if (!ids.toArray().includes(doc.clientID)) ids.push([doc.clientID])
  }
  doc.transact(() => {
    claim()
    rememberPerson(doc, author)
  }, origin)
  let pending: Array<Y.Transaction['deleteSet']> = []
  let timer: ReturnType<typeof setTimeout> | null = null
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (pending.length === 0) return
    const ds = Y.mergeDeleteSets(pending)
    pending = []
    doc.transact(() => {
      claim() // the client id changes if Yjs ever finds it taken
      ;(userRecord(doc, author.id).get(DS) as Y.Array<Uint8Array>).push([encodeDeleteSet(ds)])
    }, origin)
  }
  const onAfterTransaction = (tr: Y.Transaction) => {
    if (!tr.local || tr.deleteSet.clients.size === 0) return
    pending.push(tr.deleteSet)
    timer ??= setTimeout(flush, batchMs)
  }
  doc.on('afterTransaction', onAfterTransaction)
  const running = recorders.get(doc) ?? new Set()
  running.add(flush)
  recorders.set(doc, running)
  return {
    flush,
    stop: () => {
      doc.off('afterTransaction', onAfterTransaction)
      running.delete(flush)
      flush()
    },
  }
}

/** Keep a member's current name and colour (written only when they changed). */
export const rememberPerson = (doc: Y.Doc, author: Author): void => {
  const known = readAuthor(people(doc).get(author.id))
  if (known && known.name === safeName(author.name) && known.color === author.color) return
  people(doc).set(author.id, { id: author.id, name: author.name, color: author.color })
}

/** The member behind an id, as far as this draft knows. */
export const personOf = (doc: Y.Doc, id: string | null | undefined): Author | null => {
  if (!id) return null
  return readAuthor(people(doc).get(id)) ?? { id, name: 'A member', color: '#64748b' }
}

/**
 * The member who claimed a Yjs client id (the id every item a session writes carries),
 * or null when no member did: another app, or a peer that never said who it is. A
 * claim, not a proof: anyone who can write to the draft can claim any client id.
 */
export const memberOfClient = (doc: Y.Doc, client: number): string | null => {
  for (const [id, value] of usersOf(doc).entries()) {
    if (!isUserRecord(value)) continue
    if ((value.get(IDS) as Y.Array<unknown>).toArray().includes(client)) return id
  }
  return null
}

/**
 * Read attribution from a copy of a draft (the copy is changed: malformed entries a
 * peer wrote are removed first, so PermanentUserData can read the rest).
 */
export const readAttribution = (copy: Y.Doc): Y.PermanentUserData => {
  const users = usersOf(copy)
  copy.transact(() => {
    for (const [id, value] of [...users.entries()]) {
      if (!isUserRecord(value)) { users.delete(id); continue }
      const ds = value.get(DS) as Y.Array<unknown>
      for (let i = ds.length - 1; i >= 0; i--) if (!decodesAsDeleteSet(ds.get(i))) ds.delete(i, 1)
      const ids = value.get(IDS) as Y.Array<unknown>
      for (let i = ids.length - 1; i >= 0; i--) if (typeof ids.get(i) !== 'number') ids.delete(i, 1)
    }
  })
  return new Y.PermanentUserData(copy, users)
}

/** Whether bytes read as a delete set (a zero byte after them makes any delete set a valid snapshot). */
const decodesAsDeleteSet = (value: unknown): boolean => {
  if (!(value instanceof Uint8Array)) return false
  const bytes = new Uint8Array(value.length + 1)
  bytes.set(value)
  try {
    Y.decodeSnapshot(bytes)
    return true
  } catch {
    return false
  }
}
