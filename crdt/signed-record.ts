import { type Identity, canonicalJSON, isMemberKey, sha256Hex, sign, verify } from './identity.ts'

/**
 * The one shape of every record a member signs in a draft (format 2): roster entries,
 * questions and ballots, positions and decisions on amendments, versions — and, for
 * what comes next, sealed batches and key changes. See SIGNED-RECORDS.md for why each
 * field is there.
 *
 *   { v: 2, dom, draft, by, prev, at, t, …fields, sig }
 *
 * - `dom`: the domain tag (what kind of log this is); a signature made for one domain
 *   never reads as a record of another.
 * - `draft`: the draft id the record belongs to, so a record copied into another draft
 *   (a chapter, or a replay) does not count there. The founding entry of a draft whose
 *   id is derived from it names no draft ("").
 * - `by`: the author's member id (canonical Ed25519 public key).
 * - `prev`: the ids of the records the author had seen (the draft's record heads),
 *   sorted. Every record but the founding one names at least one; a record is applied
 *   only once all of them have arrived, so the records form one causal graph.
 * - `at`: the author's clock, for display only: nothing is ordered by it.
 * - `sig`: Ed25519 over SIGNED_PREFIX + canonical JSON of every other field.
 *
 * A record's id is the SHA-256 of exactly the bytes signed: the signature is a proof
 * about the record, not part of what it is, so no re-encoding of a signature makes
 * "another" record.
 */
export const RECORD_VERSION = 2
export const SIGNED_PREFIX = 'plank-signed-record/2\n'

/** Domain tags. A later feature adds its own (e.g. sealed batches) rather than reusing one. */
export const DOMAIN = {
  roster: 'plank/roster',
  question: 'plank/question',
  decision: 'plank/decision',
  version: 'plank/version',
} as const
export type Domain = (typeof DOMAIN)[keyof typeof DOMAIN]

/** At most this many predecessors: a writer names the first ones (sorted) if it has more heads. */
export const MAX_PREV = 64
const ID = /^[0-9a-f]{64}$/

export interface SignedRecord {
  v: 2
  dom: string
  draft: string
  by: string
  prev: string[]
  at: number
  t: string
  sig: string
  [field: string]: unknown
}

/** The bytes a record's signature covers (and its id hashes). */
export const signedMessage = (record: object): string => {
  const { sig: _sig, ...body } = record as Record<string, unknown>
  return SIGNED_PREFIX + canonicalJSON(body)
}

/** A signed record's id: SHA-256 (hex) of its signed bytes. */
export const recordIdOf = (record: object): string => sha256Hex(signedMessage(record))

/** Whether a value from the shared document has the envelope's shape (fields of its kind are checked by its reader). */
export const readEnvelope = (value: unknown): SignedRecord | null => {
  const r = value as Record<string, unknown> | null
  if (!r || typeof r !== 'object' || Array.isArray(r) || r.v !== RECORD_VERSION) return null
  if (typeof r.dom !== 'string' || r.dom.length > 64 || typeof r.draft !== 'string' || r.draft.length > 100 || typeof r.t !== 'string' || r.t.length > 32) return null
  if (!isMemberKey(r.by) || typeof r.at !== 'number' || !Number.isFinite(r.at) || typeof r.sig !== 'string' || r.sig.length > 100) return null
  if (!Array.isArray(r.prev) || r.prev.length > MAX_PREV || !r.prev.every((p) => typeof p === 'string' && ID.test(p))) return null
  for (let i = 1; i < r.prev.length; i++) if ((r.prev[i - 1] as string) >= (r.prev[i] as string)) return null
  return r as SignedRecord
}

/** Whether a record's signature is its author's (strict Ed25519). */
export const verifySigned = (record: SignedRecord): boolean => verify(record.by, signedMessage(record), record.sig)

export type RecordFields = { t: string; at: number } & Record<string, unknown>

/** Sign a new record of `dom` in `draft`, following `prev`. */
export const makeRecord = (identity: Identity, p: { dom: Domain; draft: string; prev: readonly string[] }, fields: RecordFields): { record: SignedRecord; id: string } => {
  const prev = [...new Set(p.prev)].sort().slice(0, MAX_PREV)
  const body = { ...fields, v: RECORD_VERSION, dom: p.dom, draft: p.draft, by: identity.id, prev }
  const message = signedMessage(body)
  return { record: { ...body, sig: sign(identity, message) } as SignedRecord, id: sha256Hex(message) }
}
