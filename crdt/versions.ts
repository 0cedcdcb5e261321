import * as Y from 'yjs'
import { versions } from './draft.ts'
import { type Author, readAuthor, safeColor } from './author.ts'
import { CANONICAL_FORMAT, canonicalText, hashText } from './canonical.ts'
import type { Identity } from './identity.ts'
import type { Ledger } from './ledger.ts'
import { snapshotHash } from './ledger.ts'
import { readEnvelope, verifySigned } from './signed-record.ts'
import { MAX_VERSION_NAME, type VersionKind, versionFieldsOk } from './version-fields.ts'
import type { Origin } from './origins.ts'

export { MAX_VERSION_NAME, type VersionKind } from './version-fields.ts'

/**
 * Named versions: "this is draft 3". A version is a Yjs snapshot of the draft (which
 * needs gc off, as drafts have) and a signed record (format 2, ledger.ts) naming it:
 * its name, author, time, the hash of the snapshot's bytes, and the content hash of its
 * canonical text with the canonical format used. Every device re-derives the text from
 * the snapshot and checks the hash itself; a ratification is valid only against that
 * re-derived hash, never the one a record states.
 *
 * The record's id is its key in the `versions` map. Versions saved before versions were
 * signed (format 1) are shown as they were, marked unsigned. Versions signed for
 * another draft (a chapter's parent) are shown as such and are never ratified here.
 */
export interface Version {
  id: string
  /** Named by a member, or an automatic daily checkpoint. */
  kind: VersionKind
  name: string
  author: Author
  created: number
  /** Y.encodeSnapshot of the draft at this version. */
  snapshot: Uint8Array
  /** SHA-256 (hex) of the canonical text, as the record states it, and the canonical format. */
  hash: string
  format: number
  /** Signed by its author; format-1 versions were not. */
  signed: boolean
  /** Signed for another draft (copied in with a chapter's history): shown, never ratified here. */
  foreign: boolean
}

export const saveVersion = async (ledger: Ledger, identity: Identity, v: { name: string; author: Author; now: number; kind?: VersionKind }, origin: Origin): Promise<Version> => {
  const name = v.name.trim().slice(0, MAX_VERSION_NAME)
  if (name === '') throw new Error('A version needs a name.')
  const kind = v.kind ?? 'named'
  // The snapshot and the hash must describe the same state: take the snapshot first and
  // hash the text rebuilt from it, not the live draft (which may change meanwhile).
  const snapshot = Y.snapshot(ledger.doc)
  const at = Y.createDocFromSnapshot(ledger.doc, snapshot)
  const hash = hashText(canonicalText(at))
  at.destroy()
  const bytes = Y.encodeSnapshot(snapshot)
  const entry = ledger.append(identity, 'versions', { t: 'version', kind, name, color: safeColor(v.author.color), snap: snapshotHash(bytes), hash, format: CANONICAL_FORMAT, at: v.now }, origin, { snapshot: bytes })
  derived(ledger).set(entry.id, hash)
  return { id: entry.id, kind, name, author: { id: identity.id, name: v.author.name, color: safeColor(v.author.color) }, created: v.now, snapshot: bytes, hash, format: CANONICAL_FORMAT, signed: true, foreign: false }
}

const foreignChecked = new WeakMap<object, boolean>()

/** Every version this device shows, oldest first (one checkpoint per UTC day). */
export const readVersions = (ledger: Ledger): Version[] => {
  const roster = ledger.roster()
  const nameOf = (id: string, fallback: string) => roster.members.find((m) => m.id === id)?.name ?? fallback
  const out: Version[] = []
  for (const n of ledger.nodes('versions')) {
    const r = n.entry.record
    out.push({ id: n.id, kind: r.kind as VersionKind, name: r.name as string, author: { id: n.entry.by, name: nameOf(n.entry.by, 'someone not on the roster'), color: safeColor(r.color) }, created: n.entry.at, snapshot: n.entry.snapshot!, hash: r.hash as string, format: r.format as number, signed: true, foreign: false })
  }
  versions(ledger.doc).forEach((value, key) => {
    const v = value as Record<string, unknown> | null
    if (!v || typeof v !== 'object') return
    const signed = v.record as Record<string, unknown> | undefined
    if (signed?.v === 2) {
      // Signed for another draft: shown (its signature checked), never counted here.
      const r = readEnvelope(signed)
      if (!r || r.draft === ledger.draftId || !versionFieldsOk(r) || !(v.snapshot instanceof Uint8Array) || snapshotHash(v.snapshot) !== r.snap) return
      let ok = foreignChecked.get(v)
      if (ok === undefined) { ok = verifySigned(r); foreignChecked.set(v, ok) }
      if (ok) out.push({ id: key, kind: r.kind as VersionKind, name: r.name as string, author: { id: r.by, name: nameOf(r.by, 'a member of another draft'), color: safeColor(r.color) }, created: r.at, snapshot: v.snapshot, hash: r.hash as string, format: r.format as number, signed: true, foreign: true })
      return
    }
    // Format 1: unsigned, keyed by a random id (or the day, for checkpoints).
    const author = readAuthor(v.author)
    if (!author || v.id !== key || typeof v.name !== 'string' || !(v.snapshot instanceof Uint8Array) || typeof v.hash !== 'string') return
    out.push({ id: key, kind: v.kind === 'checkpoint' ? 'checkpoint' : 'named', name: v.name.slice(0, MAX_VERSION_NAME), author, created: typeof v.created === 'number' ? v.created : 0, snapshot: v.snapshot, hash: v.hash, format: typeof v.format === 'number' ? v.format : 0, signed: false, foreign: false })
  })
  // Two members' apps may each save the day's checkpoint: every device shows the same one.
  const firstOfDay = new Map<string, string>()
  for (const v of out) {
    if (v.kind !== 'checkpoint' || v.foreign) continue
    const day = utcDay(v.created)
    const kept = firstOfDay.get(day)
    if (!kept || v.id < kept) firstOfDay.set(day, v.id)
  }
  return out
    .filter((v) => v.kind !== 'checkpoint' || v.foreign || firstOfDay.get(utcDay(v.created)) === v.id)
    .sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))
}

const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10)

/** The id format-1 drafts gave the automatic checkpoint of the (UTC) day of `now`. */
export const checkpointId = (now: number): string => `checkpoint-${utcDay(now)}`

/**
 * Whether today's automatic checkpoint is due: none yet today, and the accepted text
 * differs from the newest version's (nothing is saved for a day without changes).
 */
export const checkpointDue = async (ledger: Ledger, now: number): Promise<boolean> => {
  const all = readVersions(ledger).filter((v) => !v.foreign)
  if (all.some((v) => v.kind === 'checkpoint' && utcDay(v.created) === utcDay(now))) return false
  const latest = all.at(-1)
  if (!latest) return canonicalText(ledger.doc).split('\n').some((line) => line !== '' && !/^[^|]*\|$/.test(line))
  return latest.hash !== hashText(canonicalText(ledger.doc, latest.format === 1 ? 1 : CANONICAL_FORMAT))
}

/** The draft as it was at a version (a separate, read-only copy). */
export const versionDoc = (doc: Y.Doc, version: Version): Y.Doc => Y.createDocFromSnapshot(doc, Y.decodeSnapshot(version.snapshot))

const derivedHashes = new WeakMap<Ledger, Map<string, string>>()
const derived = (ledger: Ledger): Map<string, string> => {
  let m = derivedHashes.get(ledger)
  if (!m) { m = new Map(); derivedHashes.set(ledger, m) }
  return m
}

/** Whether the document holds everything a snapshot refers to (its text can be rebuilt exactly). */
const covers = (doc: Y.Doc, snapshot: Y.Snapshot): boolean => {
  for (const [client, clock] of snapshot.sv) if (Y.getState(doc.store, client) < clock) return false
  return true
}

/**
 * The content hash of a version's text as this device re-derives it from the snapshot,
 * in the canonical format the version names: what every ratification is checked against.
 */
export const derivedVersionHash = (ledger: Ledger, versionId: string): { state: 'ok' | 'pending' | 'missing' | 'unreadable'; hash: string | null } => {
  const v = readVersions(ledger).find((x) => x.id === versionId && !x.foreign)
  if (!v) return { state: 'missing', hash: null }
  return derivedHashOf(ledger, v)
}

export const derivedHashOf = (ledger: Ledger, v: Version): { state: 'ok' | 'pending' | 'missing' | 'unreadable'; hash: string | null } => {
  const key = v.signed && !v.foreign ? v.id : `${v.id}:${snapshotHash(v.snapshot)}:${v.format}`
  const cache = derived(ledger)
  const known = cache.get(key)
  if (known) return { state: 'ok', hash: known }
  if (v.format !== 1 && v.format !== 2) return { state: 'unreadable', hash: null }
  let snapshot: Y.Snapshot
  try {
    snapshot = Y.decodeSnapshot(v.snapshot)
  } catch {
    return { state: 'unreadable', hash: null }
  }
  if (!covers(ledger.doc, snapshot)) return { state: 'pending', hash: null }
  let text: string
  try {
    const at = Y.createDocFromSnapshot(ledger.doc, snapshot)
    text = canonicalText(at, v.format)
    at.destroy()
  } catch {
    return { state: 'unreadable', hash: null }
  }
  const hash = hashText(text)
  cache.set(key, hash)
  return { state: 'ok', hash }
}

/** Re-derive a version's text on this device and check it against the hash its record states. */
export const verifyVersion = async (ledger: Ledger, version: Version): Promise<{ ok: boolean; hash: string; text: string }> => {
  const at = versionDoc(ledger.doc, version)
  const text = canonicalText(at, version.format === 1 ? 1 : CANONICAL_FORMAT)
  at.destroy()
  const hash = hashText(text)
  return { ok: (version.format === 1 || version.format === CANONICAL_FORMAT) && hash === version.hash, hash, text }
}
