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
export interface Version {
  id: string
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

export const saveVersion = async (doc: Y.Doc, v: { name: string; author: Author; now: number }, origin: Origin): Promise<Version> => {
  const name = v.name.trim().slice(0, MAX_VERSION_NAME)
  if (name === '') throw new Error('A version needs a name.')
  // The snapshot and the hash must describe the same state: take the snapshot first and
  // hash the text rebuilt from it, not the live draft (which may change meanwhile).
  const snapshot = Y.snapshot(doc)
  const hash = await contentHash(Y.createDocFromSnapshot(doc, snapshot))
  const version: Version = { id: newId(), name, author: { ...v.author }, created: v.now, snapshot: Y.encodeSnapshot(snapshot), hash, format: CANONICAL_FORMAT }
  doc.transact(() => versions(doc).set(version.id, { ...version }), origin)
  return version
}

export const readVersions = (doc: Y.Doc): Version[] => {
  const out: Version[] = []
  versions(doc).forEach((value, key) => {
    const r = value as Partial<Version> | null
    const author = readAuthor(r?.author)
    if (!r || !author || r.id !== key || typeof r.name !== 'string' || !(r.snapshot instanceof Uint8Array) || typeof r.hash !== 'string') return
    out.push({ id: key, name: r.name.slice(0, MAX_VERSION_NAME), author, created: typeof r.created === 'number' ? r.created : 0, snapshot: r.snapshot, hash: r.hash, format: typeof r.format === 'number' ? r.format : 0 })
  })
  return out.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))
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
