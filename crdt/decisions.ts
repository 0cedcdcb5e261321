import type * as Y from 'yjs'
import { votes } from './draft.ts'
import { type Author, readAuthor } from './author.ts'
import type { Origin } from './origins.ts'
import { type Identity, canonicalJSON, signRecord, verifyRecord } from './identity.ts'
import type { Roster } from './roster.ts'

/**
 * The decision log: an append-only Y.Array of immutable records, one per act — a
 * member's position on a question, or a decision taken on it. Nothing is overwritten:
 * a member's latest position counts, and concurrent decisions stay visible as a
 * conflict instead of one silently replacing the other.
 *
 * Every record is signed with its member's key (the member id is their Ed25519
 * public key): `signedPayload` is the canonical text the signature covers. Once a draft
 * has a roster, a tally counts only validly signed records of current members; the
 * rest are ignored and listed as flagged, so every peer shows the same result and why.
 */
export type Position = 'support' | 'oppose' | 'abstain' | 'block'
export type Outcome = 'accepted' | 'rejected' | 'withdrawn'
export const POSITIONS: readonly Position[] = ['support', 'oppose', 'abstain', 'block']
const OUTCOMES: readonly Outcome[] = ['accepted', 'rejected', 'withdrawn']

interface RecordBase {
  v: 1
  /** The question: today an amendment id. */
  question: string
  member: Author
  at: number
  sig: string | null
}
export interface PositionRecord extends RecordBase { kind: 'position'; position: Position; reason: string }
export interface DecisionRecord extends RecordBase { kind: 'decision'; outcome: Outcome }
export type LogRecord = PositionRecord | DecisionRecord

export const MAX_REASON = 2000

/** Sign with the member's key when there is one (its id must be the member's id). */
const signed = <T extends LogRecord>(record: T, identity: Identity | undefined): T => {
  if (!identity) return record
  if (identity.id !== record.member.id) throw new Error('A record is signed by its own member.')
  return signRecord(identity, record)
}

export const recordPosition = (doc: Y.Doc, p: { question: string; member: Author; position: Position; reason: string; now: number; identity?: Identity }, origin: Origin): PositionRecord => {
  const record = signed<PositionRecord>({
    v: 1, kind: 'position', question: p.question, member: { ...p.member }, position: p.position,
    reason: p.reason.trim().slice(0, MAX_REASON), at: p.now, sig: null,
  }, p.identity)
  doc.transact(() => votes(doc).push([record]), origin)
  return record
}

export const recordDecision = (doc: Y.Doc, d: { question: string; member: Author; outcome: Outcome; now: number; identity?: Identity }, origin: Origin): DecisionRecord => {
  const record = signed<DecisionRecord>({ v: 1, kind: 'decision', question: d.question, member: { ...d.member }, outcome: d.outcome, at: d.now, sig: null }, d.identity)
  doc.transact(() => votes(doc).push([record]), origin)
  return record
}

/** The canonical bytes a signature covers: every field but `sig`, keys sorted. */
export const signedPayload = (record: LogRecord): string => {
  const { sig: _sig, ...rest } = record
  return canonicalJSON(rest)
}

/** Why a record does not count, once the draft has a roster (null: it counts). */
export const recordProblem = (record: LogRecord, roster: Roster | null): string | null => {
  if (!roster?.established) return null
  if (record.sig === null) return 'unsigned'
  if (!verifyRecord(record.member.id, record)) return 'signature does not verify'
  if (!roster.has(record.member.id)) return 'not a member'
  return null
}

/** Parse one log entry from a peer; anything malformed is ignored (it cannot count). */
const readRecord = (value: unknown): LogRecord | null => {
  if (typeof value !== 'object' || value === null) return null
  const r = value as Record<string, unknown>
  const member = readAuthor(r.member)
  if (r.v !== 1 || typeof r.question !== 'string' || !member || typeof r.at !== 'number' || !Number.isFinite(r.at)) return null
  const sig = typeof r.sig === 'string' ? r.sig : null
  if (r.kind === 'position' && POSITIONS.includes(r.position as Position)) {
    return { v: 1, kind: 'position', question: r.question, member, position: r.position as Position, reason: typeof r.reason === 'string' ? r.reason.slice(0, MAX_REASON) : '', at: r.at, sig }
  }
  if (r.kind === 'decision' && OUTCOMES.includes(r.outcome as Outcome)) {
    return { v: 1, kind: 'decision', question: r.question, member, outcome: r.outcome as Outcome, at: r.at, sig }
  }
  return null
}

export const readLog = (doc: Y.Doc): LogRecord[] =>
  votes(doc).toArray().map(readRecord).filter((r): r is LogRecord => r !== null)

export interface Tally {
  counts: Record<Position, number>
  /** Records that did not count (bad signature, unsigned, not a member), and why. */
  flagged: Array<{ record: LogRecord; why: string }>
  /** Each member's position that counts (their latest), in the order they were taken. */
  positions: PositionRecord[]
  status: 'open' | Outcome
  /** The decision that set the status (the latest), if any. */
  decision: DecisionRecord | null
  /** Set when members took different decisions without seeing each other's (e.g. offline). */
  conflict: DecisionRecord[] | null
}

/**
 * The tally of one question. Every peer computes it from the same converged log, so
 * every peer shows the same result: "latest" is by time, ties broken by log order,
 * which Yjs makes identical on every peer.
 */
export const tally = (log: readonly LogRecord[], question: string, roster: Roster | null = null): Tally => {
  const latest = new Map<string, PositionRecord>()
  const decisions: DecisionRecord[] = []
  const flagged: Tally['flagged'] = []
  for (const r of log) {
    if (r.question !== question) continue
    const why = recordProblem(r, roster)
    if (why) { flagged.push({ record: r, why }); continue }
    if (r.kind === 'decision') { decisions.push(r); continue }
    const prev = latest.get(r.member.id)
    if (!prev || r.at >= prev.at) latest.set(r.member.id, r)
  }
  const positions = [...latest.values()].sort((a, b) => a.at - b.at)
  const counts: Record<Position, number> = { support: 0, oppose: 0, abstain: 0, block: 0 }
  for (const p of positions) counts[p.position]++
  const decision = decisions.reduce<DecisionRecord | null>((best, d) => (!best || d.at >= best.at ? d : best), null)
  const outcomes = new Set(decisions.map((d) => d.outcome))
  return {
    counts, flagged, positions, decision,
    status: decision?.outcome ?? 'open',
    conflict: outcomes.size > 1 ? decisions : null,
  }
}
