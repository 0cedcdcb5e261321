import * as Y from 'yjs'
import { people } from './draft.ts'
import { ROOT } from './format.ts'
import { type Author, readAuthor } from './author.ts'
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

/**
 * Record this session's edits as `author`'s: its client id now, and the delete set of
 * each of its own transactions as it happens. Call once per session, when the draft is
 * editable. Returns the function that stops recording.
 */
export const recordAttribution = (doc: Y.Doc, author: Author, origin: Origin): (() => void) => {
  doc.transact(() => {
    const ids = userRecord(doc, author.id).get(IDS) as Y.Array<number>
    if (!ids.toArray().includes(doc.clientID)) ids.push([doc.clientID])
    rememberPerson(doc, author)
  }, origin)
  const onAfterTransaction = (tr: Y.Transaction) => {
    if (!tr.local || tr.deleteSet.clients.size === 0) return
    // Written as a follow-up transaction, which Yjs runs before this one's update is
    // emitted to storage and relays: the attribution cannot be lost without the deletion.
    doc.transact(() => {
      const user = userRecord(doc, author.id)
      const ids = user.get(IDS) as Y.Array<number>
      if (!ids.toArray().includes(doc.clientID)) ids.push([doc.clientID])
      ;(user.get(DS) as Y.Array<Uint8Array>).push([encodeDeleteSet(tr.deleteSet)])
    }, origin)
  }
  doc.on('afterTransaction', onAfterTransaction)
  return () => doc.off('afterTransaction', onAfterTransaction)
}

/** Keep a member's current name and colour (written only when they changed). */
export const rememberPerson = (doc: Y.Doc, author: Author): void => {
  const known = readAuthor(people(doc).get(author.id))
  if (known && known.name === author.name && known.color === author.color) return
  people(doc).set(author.id, { id: author.id, name: author.name, color: author.color })
}

/** The member behind an id, as far as this draft knows. */
export const personOf = (doc: Y.Doc, id: string | null | undefined): Author | null => {
  if (!id) return null
  return readAuthor(people(doc).get(id)) ?? { id, name: 'A member', color: '#64748b' }
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
