import type * as Y from 'yjs'
import { ROOT } from './format.ts'
import { type Identity, isMemberKey, recordHash, signRecord, verifyRecord } from './identity.ts'
import type { Roster } from './roster.ts'
import { newId } from './ids.ts'
import type { Origin } from './origins.ts'

/**
 * Formal votes: a question with a rule and a quorum, ballots, a teller's close, minority
 * reports and, for "Ratify version X", the ratification record. All are signed,
 * append-only entries in the `questions` log, and every tally is derived from them the
 * same way on every peer:
 *
 * - a ballot counts if it is validly signed by a current member; a member's latest
 *   ballot (by time, then hash) replaces their earlier ones;
 * - the quorum is fixed when the question opens;
 * - the teller (who opened it) or an admin closes it with a signed entry that lists the
 *   hashes of the ballots counted. After that the result is computed from exactly
 *   those ballots: one cast offline that syncs before the close is counted, one that
 *   arrives after it is shown as late and not counted;
 * - a ratification binds the result to the version's content hash; a record that does
 *   not match what every peer recomputes (or whose signature fails) reads as invalid.
 */
export type Rule = 'majority' | 'two-thirds' | 'consensus'
export type Choice = 'yes' | 'no' | 'abstain' | 'block'
export type Subject = { kind: 'amendment'; id: string } | { kind: 'ratify'; version: string; hash: string }
export const RULES: readonly Rule[] = ['majority', 'two-thirds', 'consensus']
export const CHOICES: readonly Choice[] = ['yes', 'no', 'abstain', 'block']
type Base = { v: 1; by: string; at: number; sig: string }
export type QuestionEntry =
  | (Base & { t: 'open'; id: string; text: string; subject: Subject; rule: Rule; quorum: number })
  | (Base & { t: 'ballot'; question: string; choice: Choice })
  | (Base & { t: 'close'; question: string; ballots: string[] })
  | (Base & { t: 'report'; question: string; text: string })
  | (Base & { t: 'ratify'; question: string; version: string; hash: string; result: Result; counts: Counts; close: string })

export type Counts = Record<Choice, number>
export type Result = 'passed' | 'failed' | 'no quorum'
export const MAX_QUESTION = 500
export const MAX_REPORT = 5000

export const questionsLog = (doc: Y.Doc): Y.Array<unknown> => doc.getArray(ROOT.questions)

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max
const isCounts = (c: unknown): c is Counts => !!c && typeof c === 'object' && CHOICES.every((k) => Number.isInteger((c as Counts)[k]))
const readSubject = (s: unknown): Subject | null => {
  const r = s as Record<string, unknown> | null
  if (r?.kind === 'amendment' && str(r.id, 200)) return { kind: 'amendment', id: r.id }
  if (r?.kind === 'ratify' && str(r.version, 200) && str(r.hash, 64)) return { kind: 'ratify', version: r.version, hash: r.hash }
  return null
}
const readEntry = (value: unknown): QuestionEntry | null => {
  const r = value as Record<string, unknown> | null
  if (!r || typeof r !== 'object' || r.v !== 1 || !isMemberKey(r.by) || typeof r.at !== 'number' || !Number.isFinite(r.at) || !str(r.sig, 200)) return null
  switch (r.t) {
    case 'open': return str(r.id, 100) && str(r.text, MAX_QUESTION) && readSubject(r.subject) && RULES.includes(r.rule as Rule) && Number.isInteger(r.quorum) && (r.quorum as number) >= 0 ? r as QuestionEntry : null
    case 'ballot': return str(r.question, 100) && CHOICES.includes(r.choice as Choice) ? r as QuestionEntry : null
    case 'close': return str(r.question, 100) && Array.isArray(r.ballots) && r.ballots.every((b) => str(b, 64)) ? r as QuestionEntry : null
    case 'report': return str(r.question, 100) && str(r.text, MAX_REPORT) ? r as QuestionEntry : null
    case 'ratify': return str(r.question, 100) && str(r.version, 200) && str(r.hash, 64) && ['passed', 'failed', 'no quorum'].includes(r.result as string) && isCounts(r.counts) && str(r.close, 64) ? r as QuestionEntry : null
    default: return null
  }
}

/** An entry with its record hash (`rid`: a ratification has a `hash` field of its own, the content hash). */
type Of<T extends QuestionEntry['t']> = Extract<QuestionEntry, { t: T }> & { rid: string }
export interface Ballot { hash: string; by: string; choice: Choice; at: number }

export interface QuestionView {
  id: string
  hash: string
  text: string
  subject: Subject
  rule: Rule
  quorum: number
  teller: string
  opened: number
  status: 'open' | 'closed'
  /** Live before the close; after it, exactly the ballots the close lists. */
  counts: Counts
  counted: Ballot[]
  /** Valid ballots that arrived after the close (not counted). */
  late: Ballot[]
  /** Ballots that do not count at all: bad signature, not a member. */
  flagged: Array<{ hash: string; by: string; why: string }>
  /** Listed by the close but not (yet) on this device. */
  missing: string[]
  result: Result | null
  quorumMet: boolean
  close: { by: string; at: number; hash: string } | null
  reports: Array<{ by: string; text: string; at: number; hash: string }>
  ratification: { hash: string; by: string; at: number; valid: boolean; why: string | null; result: Result; counts: Counts } | null
}

const emptyCounts = (): Counts => ({ yes: 0, no: 0, abstain: 0, block: 0 })

export const decide = (rule: Rule, counts: Counts, quorum: number): { result: Result; quorumMet: boolean } => {
  const cast = counts.yes + counts.no + counts.abstain + counts.block
  const quorumMet = cast >= quorum
  if (!quorumMet) return { result: 'no quorum', quorumMet }
  const passed = rule === 'majority' ? counts.yes > counts.no + counts.block
    : rule === 'two-thirds' ? counts.yes > 0 && counts.yes * 3 >= (counts.yes + counts.no + counts.block) * 2
      : counts.block === 0 && counts.yes > 0
  return { result: passed ? 'passed' : 'failed', quorumMet }
}

/** Each member's latest ballot among `ballots` (time, then hash, so every peer picks the same). */
const latestPerMember = (ballots: Ballot[]): Ballot[] => {
  const latest = new Map<string, Ballot>()
  for (const b of ballots) {
    const prev = latest.get(b.by)
    if (!prev || b.at > prev.at || (b.at === prev.at && b.hash > prev.hash)) latest.set(b.by, b)
  }
  return [...latest.values()].sort((a, b) => a.at - b.at || (a.hash < b.hash ? -1 : 1))
}
const countOf = (ballots: Ballot[]): Counts => {
  const c = emptyCounts()
  for (const b of ballots) c[b.choice]++
  return c
}
const sameCounts = (a: Counts, b: Counts) => CHOICES.every((k) => a[k] === b[k])

/** Every question with its tally, as this peer reads the log. `versionHash` looks up a version's verified hash. */
export const readQuestions = (doc: Y.Doc, roster: Roster, versionHash: (id: string) => string | null = () => null): QuestionView[] => {
  const entries = new Map<string, QuestionEntry & { rid: string }>()
  const badSignature: Array<{ hash: string; by: string; entry: QuestionEntry }> = []
  for (const value of questionsLog(doc).toArray()) {
    const entry = readEntry(value)
    if (!entry) continue
    const hash = recordHash(entry)
    if (entries.has(hash)) continue
    if (!verifyRecord(entry.by, entry)) { badSignature.push({ hash, by: entry.by, entry }); continue }
    entries.set(hash, { ...entry, rid: hash })
  }
  const all = [...entries.values()]
  const of = <T extends QuestionEntry['t']>(t: T) => all.filter((e): e is Of<T> => e.t === t)
  const byTime = <T extends { at: number; rid: string }>(a: T, b: T) => a.at - b.at || (a.rid < b.rid ? -1 : 1)
  // A question id is opened once: the first valid opening counts.
  const opens = new Map<string, Of<'open'>>()
  for (const o of of('open').sort(byTime)) if (roster.has(o.by) && !opens.has(o.id)) opens.set(o.id, o)
  return [...opens.values()].map((open): QuestionView => {
    const mine = <T extends { question: string }>(list: T[]) => list.filter((e) => e.question === open.id)
    const flagged: QuestionView['flagged'] = badSignature.filter((b) => (b.entry as { question?: string }).question === open.id && b.entry.t === 'ballot').map((b) => ({ hash: b.hash, by: b.by, why: 'signature does not verify' }))
    const valid: Ballot[] = []
    for (const b of mine(of('ballot'))) {
      if (!roster.has(b.by)) { flagged.push({ hash: b.rid, by: b.by, why: 'not a member' }); continue }
      valid.push({ hash: b.rid, by: b.by, choice: b.choice, at: b.at })
    }
    const close = mine(of('close')).filter((c) => c.by === open.by || roster.role(c.by) === 'admin').sort(byTime)[0] ?? null
    let counted: Ballot[]
    let late: Ballot[] = []
    let missing: string[] = []
    if (close) {
      const listed = new Set(close.ballots)
      counted = latestPerMember(valid.filter((b) => listed.has(b.hash)))
      // Late: not listed, and not an earlier ballot its member replaced before the close.
      late = valid.filter((b) => !listed.has(b.hash) && !counted.some((c) => c.by === b.by && (c.at > b.at || (c.at === b.at && c.hash > b.hash))))
      const known = new Set(valid.map((b) => b.hash))
      missing = close.ballots.filter((h) => !known.has(h) && !flagged.some((f) => f.hash === h))
    } else {
      counted = latestPerMember(valid)
    }
    const counts = countOf(counted)
    const { result, quorumMet } = decide(open.rule, counts, open.quorum)
    const ratifyEntry = mine(of('ratify')).sort(byTime)[0] ?? null
    let ratification: QuestionView['ratification'] = null
    if (ratifyEntry) {
      const why = !close ? 'the vote was never closed'
        : ratifyEntry.close !== close.rid ? 'it names another close'
          : ratifyEntry.by !== close.by && roster.role(ratifyEntry.by) !== 'admin' ? 'not recorded by the teller or an admin'
            : open.subject.kind !== 'ratify' || open.subject.version !== ratifyEntry.version || open.subject.hash !== ratifyEntry.hash ? 'it is not the version that was voted on'
              : versionHash(ratifyEntry.version) !== ratifyEntry.hash ? 'the version’s text does not give this hash'
                : !sameCounts(ratifyEntry.counts, counts) || ratifyEntry.result !== result ? 'its tally does not match the ballots'
                  : null
      ratification = { hash: ratifyEntry.rid, by: ratifyEntry.by, at: ratifyEntry.at, valid: why === null, why, result: ratifyEntry.result, counts: ratifyEntry.counts }
    }
    // A ratification record altered on the log no longer verifies: it is not in `entries` at all.
    const tampered = badSignature.find((b) => b.entry.t === 'ratify' && (b.entry as { question: string }).question === open.id)
    if (!ratification && tampered) {
      const e = tampered.entry as Of<'ratify'>
      ratification = { hash: tampered.hash, by: tampered.by, at: e.at, valid: false, why: 'its signature does not verify (the record was altered)', result: e.result, counts: e.counts }
    }
    return {
      id: open.id, hash: open.rid, text: open.text, subject: open.subject, rule: open.rule, quorum: open.quorum,
      teller: open.by, opened: open.at, status: close ? 'closed' : 'open',
      counts, counted, late, flagged, missing,
      result: close ? result : null, quorumMet,
      close: close ? { by: close.by, at: close.at, hash: close.rid } : null,
      reports: mine(of('report')).filter((r) => roster.has(r.by)).sort(byTime).map((r) => ({ by: r.by, text: r.text, at: r.at, hash: r.rid })),
      ratification,
    }
  }).sort((a, b) => a.opened - b.opened)
}

const append = <T extends QuestionEntry>(doc: Y.Doc, identity: Identity, body: Omit<T, 'v' | 'by' | 'sig'>, origin: Origin): T & { rid: string } => {
  const entry = signRecord(identity, { v: 1, by: identity.id, ...body, sig: '' }) as unknown as T
  doc.transact(() => questionsLog(doc).push([entry]), origin)
  return { ...entry, rid: recordHash(entry) }
}

export const openQuestion = (doc: Y.Doc, identity: Identity, q: { text: string; subject: Subject; rule: Rule; quorum: number; now: number }, origin: Origin) =>
  append<Extract<QuestionEntry, { t: 'open' }>>(doc, identity, { t: 'open', id: newId(), text: q.text.trim().slice(0, MAX_QUESTION), subject: q.subject, rule: q.rule, quorum: Math.max(0, Math.trunc(q.quorum)), at: q.now }, origin)

export const castBallot = (doc: Y.Doc, identity: Identity, b: { question: string; choice: Choice; now: number }, origin: Origin) =>
  append<Extract<QuestionEntry, { t: 'ballot' }>>(doc, identity, { t: 'ballot', question: b.question, choice: b.choice, at: b.now }, origin)

/** Close a question, listing the ballots that count as this device has them now. */
export const closeQuestion = (doc: Y.Doc, identity: Identity, roster: Roster, c: { question: string; now: number }, origin: Origin) => {
  const view = readQuestions(doc, roster).find((q) => q.id === c.question)
  if (!view) throw new Error('No such question.')
  if (view.status === 'closed') throw new Error('This vote is already closed.')
  if (view.teller !== identity.id && roster.role(identity.id) !== 'admin') throw new Error('Only the teller or an admin can close a vote.')
  return append<Extract<QuestionEntry, { t: 'close' }>>(doc, identity, { t: 'close', question: c.question, ballots: view.counted.map((b) => b.hash), at: c.now }, origin)
}

export const addMinorityReport = (doc: Y.Doc, identity: Identity, r: { question: string; text: string; now: number }, origin: Origin) =>
  append<Extract<QuestionEntry, { t: 'report' }>>(doc, identity, { t: 'report', question: r.question, text: r.text.trim().slice(0, MAX_REPORT), at: r.now }, origin)

/** Record the ratification of a closed "Ratify version X" vote, bound to the version's hash. */
export const recordRatification = (doc: Y.Doc, identity: Identity, roster: Roster, r: { question: string; now: number }, origin: Origin) => {
  const view = readQuestions(doc, roster).find((q) => q.id === r.question)
  if (!view || view.subject.kind !== 'ratify') throw new Error('That is not a ratification vote.')
  if (!view.close || view.result === null) throw new Error('Close the vote first.')
  return append<Extract<QuestionEntry, { t: 'ratify' }>>(doc, identity, {
    t: 'ratify', question: view.id, version: view.subject.version, hash: view.subject.hash, result: view.result, counts: view.counts, close: view.close.hash, at: r.now,
  }, origin)
}
