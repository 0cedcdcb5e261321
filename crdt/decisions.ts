import type { Author } from './author.ts'
import { readAuthor } from './author.ts'
import type { Origin } from './origins.ts'
import type { Identity } from './identity.ts'
import type { Entry, Ledger, Node } from './ledger.ts'
import { MAX_REASON, type Outcome, type Position } from './decision-fields.ts'

/** Append to a list in a map of lists. */
const pushTo = <K, V>(map: Map<K, V[]>, key: K, value: V): void => { const list = map.get(key); if (list) list.push(value); else map.set(key, [value]) }

export { MAX_REASON, POSITIONS, OUTCOMES, type Outcome, type Position } from './decision-fields.ts'

/**
 * Positions and decisions on amendments: signed records in the draft's causal graph
 * (ledger.ts), one per act. Nothing is overwritten, and nothing is ordered by the
 * time a record claims:
 *
 * - a member's position that counts is their latest: the one none of their own later
 *   positions follow. Two made without seeing each other, saying different things,
 *   both wait (neither counts) until the member takes a position again;
 * - the amendment's status is set by the decisions no other decision follows. When
 *   those disagree (members decided without seeing each other's decision), the
 *   conflict is shown; a decision taken after seeing another replaces it;
 * - once a draft has a roster, only members' records count (as of each record's own
 *   past, and not made concurrently with their removal), and a position only while its
 *   member is on the roster; the rest are listed as flagged.
 *
 * Records from before signed records named their draft (format 1) still count as they
 * did, ordered by their stated time, except one dated in the future (it waits until
 * then), and any format-2 record of the same member or question comes after them.
 */
interface RecordBase {
  v: 1 | 2
  /** The record's id (format 1: its hash). */
  id: string
  /** The question: an amendment id. */
  question: string
  member: Author
  at: number
  sig: string | null
}
export interface PositionRecord extends RecordBase { kind: 'position'; position: Position; reason: string }
export interface DecisionRecord extends RecordBase { kind: 'decision'; outcome: Outcome }
export type LogRecord = PositionRecord | DecisionRecord

/** How far ahead of this device's clock a format-1 record may be dated and still count now. */
export const FUTURE_SLACK_MS = 10 * 60_000

const toLogRecord = (e: Entry): LogRecord => {
  const r = e.record
  const member = readAuthor(r.member)!
  const base = { v: e.v, id: e.id, question: r.question as string, member: { ...member, id: e.by || member.id }, at: e.at, sig: typeof r.sig === 'string' ? r.sig : null }
  const kind = (r.t ?? r.kind) as string
  return kind === 'position'
    ? { ...base, kind: 'position', position: r.position as Position, reason: typeof r.reason === 'string' ? r.reason.slice(0, MAX_REASON) : '' }
    : { ...base, kind: 'decision', outcome: r.outcome as Outcome }
}

export const recordPosition = (ledger: Ledger, p: { question: string; member: Author; position: Position; reason: string; now: number; identity: Identity }, origin: Origin): PositionRecord => {
  if (p.identity.id !== p.member.id) throw new Error('A record is signed by its own member.')
  const e = ledger.append(p.identity, 'votes', { t: 'position', question: p.question, member: { ...p.member }, position: p.position, reason: p.reason.trim().slice(0, MAX_REASON), at: p.now }, origin)
  return toLogRecord(e) as PositionRecord
}

export const recordDecision = (ledger: Ledger, d: { question: string; member: Author; outcome: Outcome; now: number; identity: Identity }, origin: Origin): DecisionRecord => {
  if (d.identity.id !== d.member.id) throw new Error('A record is signed by its own member.')
  const e = ledger.append(d.identity, 'votes', { t: 'decision', question: d.question, member: { ...d.member }, outcome: d.outcome, at: d.now }, origin)
  return toLogRecord(e) as DecisionRecord
}

/** Every position and decision this device holds (format 2 in causal order, then format 1). */
export const readLog = (ledger: Ledger): LogRecord[] =>
  [...ledger.nodes('votes').map((n) => toLogRecord(n.entry)), ...[...ledger.legacy('votes'), ...ledger.unsignedVotes()].map(toLogRecord)]

export interface Tally {
  counts: Record<Position, number>
  /** Records that did not count (bad signature, unsigned, not a member…), and why. */
  flagged: Array<{ record: LogRecord; why: string }>
  /** Each member's position that counts (their latest), in the order they were taken. */
  positions: PositionRecord[]
  /** 'open' also while decisions conflict (see `conflict`). */
  status: 'open' | Outcome
  /** The decision that set the status, if any. */
  decision: DecisionRecord | null
  /** Set when members took different decisions without seeing each other's (e.g. offline). */
  conflict: DecisionRecord[] | null
}

/** The tally of one amendment, as this device's ledger reads it. */
export const tally = (ledger: Ledger, question: string, now: number = Date.now()): Tally => {
  const roster = ledger.roster()
  const flagged: Tally['flagged'] = []
  const latest = new Map<string, PositionRecord>()
  // Format 2: causal order.
  const nodes = ledger.nodes('votes').filter((n) => n.entry.record.question === question)
  const ok: Node[] = []
  for (const n of nodes) {
    // A position speaks for a member now: a removed member's no longer counts. A decision is an act, and stands.
    const why = ledger.authorize(n, 'member') ?? (n.entry.t === 'position' && roster.established && !roster.has(n.entry.by) ? 'no longer a member' : null)
    if (why) flagged.push({ record: toLogRecord(n.entry), why })
    else ok.push(n)
  }
  const maximal = (list: Node[]) => list.filter((n) => !list.some((o) => o !== n && ledger.isAncestor(n, o))).sort((a, b) => (a.id < b.id ? -1 : 1))
  const positionsBy = new Map<string, Node[]>()
  for (const n of ok.filter((x) => x.entry.t === 'position')) pushTo(positionsBy, n.entry.by, n)
  for (const list of positionsBy.values()) {
    const last = maximal(list)
    if (new Set(last.map((n) => n.entry.record.position)).size === 1) latest.set(last[0]!.entry.by, toLogRecord(last[0]!.entry) as PositionRecord)
    else for (const n of last) flagged.push({ record: toLogRecord(n.entry), why: 'took two different positions at once (on two devices): neither counts until they take one again' })
  }
  const decided = maximal(ok.filter((x) => x.entry.t === 'decision')).map((n) => toLogRecord(n.entry) as DecisionRecord)
  // Format 1: by stated time (an old draft's records), never ahead of format 2.
  const legacyDecisions: DecisionRecord[] = []
  const legacyLatest = new Map<string, PositionRecord>()
  for (const e of [...ledger.legacy('votes'), ...ledger.unsignedVotes()]) {
    const r = toLogRecord(e)
    if (r.question !== question) continue
    const why = !roster.established ? null : r.sig === null ? 'unsigned' : !roster.has(r.member.id) ? 'not a member' : null
    if (why) { flagged.push({ record: r, why }); continue }
    if (r.at > now + FUTURE_SLACK_MS) { flagged.push({ record: r, why: 'dated in the future' }); continue }
    if (r.kind === 'decision') { legacyDecisions.push(r); continue }
    const prev = legacyLatest.get(r.member.id)
    if (!prev || r.at > prev.at || (r.at === prev.at && r.id > prev.id)) legacyLatest.set(r.member.id, r)
  }
  for (const [member, p] of legacyLatest) if (!latest.has(member) && !positionsBy.has(member)) latest.set(member, p)
  for (const p of ledger.problems()) {
    if (p.log === 'votes' && p.about === question && (p.kind === 'forged' || p.kind === 'foreign' || p.kind === 'legacy')) {
      flagged.push({ record: { v: 2, id: p.id, question, member: { id: p.by, name: 'Unknown', color: '#64748b' }, at: 0, sig: null, kind: 'position', position: 'abstain', reason: '' }, why: p.why })
    }
  }
  const positions = [...latest.values()].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
  const counts: Record<Position, number> = { support: 0, oppose: 0, abstain: 0, block: 0 }
  for (const p of positions) counts[p.position]++
  let decision: DecisionRecord | null
  let conflict: DecisionRecord[] | null = null
  if (decided.length > 0) {
    // Decisions taken without seeing each other that disagree: no outcome until a member
    // who has seen them decides again (that decision follows both and settles it).
    if (new Set(decided.map((d) => d.outcome)).size > 1) conflict = decided
    decision = conflict ? null : decided[0]!
  } else {
    decision = legacyDecisions.reduce<DecisionRecord | null>((best, d) => (!best || d.at > best.at || (d.at === best.at && d.id > best.id) ? d : best), null)
    if (new Set(legacyDecisions.map((d) => d.outcome)).size > 1) conflict = legacyDecisions
  }
  return { counts, flagged, positions, decision, status: decision?.outcome ?? 'open', conflict }
}

