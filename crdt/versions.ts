import * as Y from 'yjs'
import { versions } from './draft.ts'
import { type Author, readAuthor } from './author.ts'
import { CANONICAL_FORMAT, canonicalText, contentHash } from './canonical.ts'
import { newId } from './ids.ts'
import type { Origin } from './origins.ts'

/**
 * Named versions: "this is draft 3". A version is a Yjs snapshot of the draft (which
 * needs gc off, as drafts have) with a name, author, time and the content hash of its
 * canonical text, so any peer can re-derive the text and check the hash itself.
 * Records are written once and never changed (ratification will add beside them).
 */
export type VersionKind = 'named' | 'checkpoint'

export interface Version {
  id: string
  /** Named by a member, or an automatic daily checkpoint. */
  kind: VersionKind
  name: string
  author: Author
  created: number
  /** Y.encodeSnapshot of the draft at this version. */
  snapshot: Uint8Array
  /** SHA-256 (hex) of the canonical text, and the canonical format it was computed with. */
  hash: string
  format: number
}

export const MAX_VERSION_NAME = 120

export const saveVersion = async (doc: Y.Doc, v: { name: string; author: Author; now: number; kind?: VersionKind }, origin: Origin): Promise<Version> => {
  const name = v.name.trim().slice(0, MAX_VERSION_NAME)
  if (name === '') throw new Error('A version needs a name.')
  const kind = v.kind ?? 'named'
  // The snapshot and the hash must describe the same state: take the snapshot first and
  // hash the text rebuilt from it, not the live draft (which may change meanwhile).
  const snapshot = Y.snapshot(doc)
  const hash = await contentHash(Y.createDocFromSnapshot(doc, snapshot))
  // One checkpoint per day (UTC, so peers in every time zone agree on the id): two
  // members' apps making it at once write the same key, and one of them stays.
  const id = kind === 'checkpoint' ? checkpointId(v.now) : newId()
  const version: Version = { id, kind, name, author: { ...v.author }, created: v.now, snapshot: Y.encodeSnapshot(snapshot), hash, format: CANONICAL_FORMAT }
  doc.transact(() => versions(doc).set(version.id, { ...version }), origin)
  return version
}

export const readVersions = (doc: Y.Doc): Version[] => {
  const out: Version[] = []
  versions(doc).forEach((value, key) => {
    const r = value as Partial<Version> | null
    const author = readAuthor(r?.author)
    if (!r || !author || r.id !== key || typeof r.name !== 'string' || !(r.snapshot instanceof Uint8Array) || typeof r.hash !== 'string') return
    out.push({ id: key, kind: r.kind === 'checkpoint' ? 'checkpoint' : 'named', name: r.name.slice(0, MAX_VERSION_NAME), author, created: typeof r.created === 'number' ? r.created : 0, snapshot: r.snapshot, hash: r.hash, format: typeof r.format === 'number' ? r.format : 0 })
  })
  return out.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))
}

/** The id of the automatic checkpoint for the (UTC) day of `now`. */
export const checkpointId = (now: number): string => `checkpoint-${new Date(now).toISOString().slice(0, 10)}`

/**
 * Whether today's automatic checkpoint is due: none yet today, and the accepted text
 * differs from the newest version's (nothing is saved for a day without changes).
 */
export const checkpointDue = async (doc: Y.Doc, now: number): Promise<boolean> => {
  const all = readVersions(doc)
  if (all.some((v) => v.id === checkpointId(now))) return false
  const latest = all.at(-1)
  if (!latest) return canonicalText(doc).split('\n').some((line) => line !== '' && !/^[^|]*\|$/.test(line))
  return latest.hash !== await contentHash(doc)
}

/** The draft as it was at a version (a separate, read-only copy). */
export const versionDoc = (doc: Y.Doc, version: Version): Y.Doc => Y.createDocFromSnapshot(doc, Y.decodeSnapshot(version.snapshot))

/** Re-derive a version's text on this peer and check it against the recorded hash. */
export const verifyVersion = async (doc: Y.Doc, version: Version): Promise<{ ok: boolean; hash: string; text: string }> => {
  const at = versionDoc(doc, version)
  const text = canonicalText(at)
  const hash = await contentHash(at)
  at.destroy()
  return { ok: version.format === CANONICAL_FORMAT && hash === version.hash, hash, text }
}
