import * as Y from 'yjs'
import { ROOT } from './format.ts'
import { type Identity, recordHash, signRecord } from './identity.ts'
import type { Entry, Ledger, Node } from './ledger.ts'
import type { Roster } from './roster.ts'
import type { Origin } from './origins.ts'
import { CHOICES, type Choice, type Closers, MAX_QUESTION, MAX_REPORT, type Rule, type Subject } from './question-fields.ts'
import { type Version, derivedVersionHash, readVersions } from './versions.ts'
import { canonicalText, hashText } from './canonical.ts'

/** Append to a list in a map of lists. */
const pushTo = <K, V>(map: Map<K, V[]>, key: K, value: V): void => { const list = map.get(key); if (list) list.push(value); else map.set(key, [value]) }

export { CHOICES, RULES, MAX_QUESTION, MAX_REPORT, type Choice, type Rule, type Subject, type Closers } from './question-fields.ts'

/**
 * Formal votes: a question with a rule and a quorum, ballots, a close, minority
 * reports and, for "Ratify version X", the ratification record — signed records in the
 * draft's causal graph (ledger.ts), tallied the same way on every device:
 *
 * - A question's id is the id (hash) of its signed `open`, so nobody can open "the
 *   same" question again with other terms. Its rule, quorum, teller (its author) and
 *   who else may close it (`closers`: the teller only, or also any admin) are fixed there.
 * - Ballots, the close, reports and the ratification name the question and follow it
 *   in the graph. A member's ballot replaces the ballots of theirs it follows; two of
 *   their ballots made without seeing each other, with different choices, both wait
 *   (neither counts) until they vote again.
 * - The close is one record by someone the open allows. Two closes made without seeing
 *   each other are a visible conflict (no result), never "the earliest wins"; a close
 *   made after seeing a close changes nothing.
 * - A closed vote counts exactly the ballots in the close's past, from those on the
 *   roster as of the close: a ballot that reached the teller counts, one that did not
 *   is late, and a removal after the close changes nothing. The close also lists the
 *   ballots it counted; a close that leaves out ballots in its own past is flagged (and
 *   they are counted anyway).
 * - A ratification binds the result to the version's content hash, as every device
 *   re-derives it from the version's snapshot; a record that does not match what every
 *   device recomputes reads as invalid.
 *
 * Votes opened before signed records named their draft (format 1) are shown as they
 * were computed then, marked as such: they name no draft and no predecessors.
 */
export type Counts = Record<Choice, number>
export type Result = 'passed' | 'failed' | 'no quorum'
export interface Ballot { hash: string; by: string; choice: Choice; at: number }

export interface QuestionView {
  /** The open's record id (format 1: the question id it carried). */
  id: string
  hash: string
  text: string
  subject: Subject
  rule: Rule
  quorum: number
  teller: string
  closers: Closers
  opened: number
  status: 'open' | 'closed'
  /** Live before the close; after it, the ballots in the close's past. */
  counts: Counts
  counted: Ballot[]
  /** Valid ballots that did not reach the close (not counted). */
  late: Ballot[]
  /** Ballots that do not count at all, and why. */
  flagged: Array<{ hash: string; by: string; why: string }>
  /** Format 1 only: listed by the close but not on this device. */
  missing: string[]
  result: Result | null
  quorumMet: boolean
  close: { by: string; at: number; hash: string } | null
  /** Closes made without seeing each other (format 1: or two records opening one question id): the vote has no result. */
  conflict: Array<{ by: string; at: number; hash: string }> | null
  conflictKind: 'closes' | 'opens' | null
  /** Ballots in the close's past that its list leaves out (counted all the same). */
  omitted: Ballot[]
  /** Members who could vote: on the roster as of the close, or now. */
  electorate: number
  reports: Array<{ by: string; text: string; at: number; hash: string }>
  ratification: { hash: string; by: string; at: number; valid: boolean; why: string | null; result: Result; counts: Counts } | null
  /** Opened before signed records named their draft: computed as then, unverifiable as to draft and order. */
  legacy: boolean
}

const emptyCounts = (): Counts => ({ yes: 0, no: 0, abstain: 0, block: 0 })
const countOf = (ballots: Ballot[]): Counts => {
  const c = emptyCounts()
  for (const b of ballots) c[b.choice]++
  return c
}
const sameCounts = (a: Counts, b: Counts) => CHOICES.every((k) => a[k] === b[k])

export const decide = (rule: Rule, counts: Counts, quorum: number): { result: Result; quorumMet: boolean } => {
  const cast = counts.yes + counts.no + counts.abstain + counts.block
  const quorumMet = cast >= quorum
  if (!quorumMet) return { result: 'no quorum', quorumMet }
  const passed = rule === 'majority' ? counts.yes > counts.no + counts.block
    : rule === 'two-thirds' ? counts.yes > 0 && counts.yes * 3 >= (counts.yes + counts.no + counts.block) * 2
      : counts.block === 0 && counts.yes > 0
  return { result: passed ? 'passed' : 'failed', quorumMet }
}

type F = Record<string, unknown>
const f = (n: Node | Entry): F => ('entry' in n ? n.entry.record : n.record) as F
const ballotOf = (n: Node): Ballot => ({ hash: n.id, by: n.entry.by, choice: f(n).choice as Choice, at: n.entry.at })
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * Each member's ballot that counts among `ballots`: the ones none of their own later
 * ballots follow. Two such with different choices: neither counts (listed in `split`).
 */
const latestPerMember = (ledger: Ledger, ballots: Node[]): { counted: Ballot[]; split: Node[] } => {
  const mine = new Map<string, Node[]>()
  for (const b of ballots) pushTo(mine, b.entry.by, b)
  const counted: Ballot[] = []
  const split: Node[] = []
  for (const list of mine.values()) {
    const latest = list.length === 1 ? list : list.filter((b) => !list.some((o) => o !== b && ledger.isAncestor(b, o)))
    const choices = new Set(latest.map((b) => f(b).choice))
    if (choices.size === 1) counted.push(ballotOf([...latest].sort(byId)[0]!))
    else split.push(...latest)
  }
  return { counted: counted.sort((a, b) => (a.hash < b.hash ? -1 : 1)), split }
}

/**
 * Every question with its tally, as this device's ledger reads the graph. Several
 * screens ask after each change, so the answer is kept until the logs change (or the
 * text does: a version's hash can only be re-derived once its text has arrived).
 */
export const readQuestions = (ledger: Ledger): QuestionView[] => {
  ledger.refresh()
  const key = `${ledger.revision}:${Y.encodeStateVector(ledger.doc).join(',')}`
  const known = cache.get(ledger)
  if (known?.key === key) return known.views
  const views = computeQuestions(ledger)
  cache.set(ledger, { key, views })
  return views
}
const cache = new WeakMap<Ledger, { key: string; views: QuestionView[] }>()

const computeQuestions = (ledger: Ledger): QuestionView[] => {
  const roster = ledger.roster()
  const nodes = ledger.nodes('questions')
  const about = new Map<string, Node[]>()
  for (const n of nodes) {
    if (n.entry.t === 'open') continue
    const q = f(n).question as string
    pushTo(about, q, n)
  }
  const forged = ledger.problems().filter((p) => p.t === 'ballot' && p.kind === 'forged')
  const views: QuestionView[] = []
  for (const open of nodes) {
    if (open.entry.t !== 'open' || ledger.authorize(open, 'member') !== null) continue
    const o = f(open)
    const follows = ledger.inFuture(open)
    const mine = (about.get(open.id) ?? []).filter(follows)
    const of = (t: string) => mine.filter((n) => n.entry.t === t)
    const flagged: QuestionView['flagged'] = []
    const ballots: Node[] = []
    for (const b of of('ballot')) {
      const why = ledger.authorize(b, 'member')
      if (why) flagged.push({ hash: b.id, by: b.entry.by, why })
      else ballots.push(b)
    }
    for (const p of forged) if (p.about === open.id) flagged.push({ hash: p.id, by: p.by, why: `${p.why}, a forgery` })
    const closers = o.closers as Closers
    const validCloses = of('close').filter((c) => {
      if (c.entry.by === open.entry.by) return ledger.authorize(c, 'member') === null
      return closers === 'teller-or-admin' && ledger.authorize(c, 'admin') === null
    })
    const closes = validCloses.filter((c) => !validCloses.some((other) => other !== c && ledger.isAncestor(other, c))).sort(byId)
    const close = closes.length === 1 ? closes[0]! : null
    let counted: Ballot[]
    let late: Ballot[] = []
    let omitted: Ballot[] = []
    let electorate = roster.members.length
    let split: Node[]
    if (close) {
      const inPast = ledger.inPast(close)
      const before = ballots.filter(inPast)
      const eligible = before.filter((b) => ledger.roleAt(b.entry.by, close) !== null)
      ;({ counted, split } = latestPerMember(ledger, eligible))
      const listed = new Set(f(close).ballots as string[])
      omitted = counted.filter((b) => !listed.has(b.hash))
      late = ballots.filter((b) => !inPast(b) && roster.has(b.entry.by)).map(ballotOf)
      electorate = ledger.membersAt(close)
    } else {
      ;({ counted, split } = latestPerMember(ledger, ballots.filter((b) => roster.has(b.entry.by))))
    }
    for (const b of split) flagged.push({ hash: b.id, by: b.entry.by, why: 'cast two different ballots at once (on two devices): neither counts until they vote again' })
    const counts = countOf(counted)
    const quorum = o.quorum as number
    const rule = o.rule as Rule
    const { result, quorumMet } = decide(rule, counts, quorum)
    const subject = o.subject as Subject
    const ratification = ratificationOf(ledger, { open, subject, close, conflict: closes.length > 1, counts, result }, of('ratify'))
    views.push({
      id: open.id, hash: open.id, text: o.text as string, subject, rule, quorum, teller: open.entry.by, closers, opened: open.entry.at,
      status: closes.length > 0 ? 'closed' : 'open',
      counts, counted, late, flagged, missing: [], omitted, electorate,
      result: close ? result : null, quorumMet,
      close: close ? { by: close.entry.by, at: close.entry.at, hash: close.id } : null,
      conflict: closes.length > 1 ? closes.map((c) => ({ by: c.entry.by, at: c.entry.at, hash: c.id })) : null,
      conflictKind: closes.length > 1 ? 'closes' : null,
      reports: of('report').filter((r) => ledger.authorize(r, 'member') === null).map((r) => ({ by: r.entry.by, text: f(r).text as string, at: r.entry.at, hash: r.id })),
      ratification, legacy: false,
    })
  }
  return [...views, ...legacyQuestions(ledger, roster)].sort((a, b) => a.opened - b.opened || (a.id < b.id ? -1 : 1))
}

const ratificationOf = (ledger: Ledger, q: { open: Node; subject: Subject; close: Node | null; conflict: boolean; counts: Counts; result: Result }, records: Node[]): QuestionView['ratification'] => {
  const judged = records.sort(byId).map((r) => {
    const e = f(r)
    const auth = q.close && ledger.authorize(r, r.entry.by === q.close.entry.by ? 'member' : 'admin')
    const derived = q.subject.kind === 'ratify' ? derivedVersionHash(ledger, e.version as string) : null
    const why = q.conflict ? 'the vote has two closes'
      : !q.close ? 'the vote was never closed'
        : e.close !== q.close.id || !ledger.isAncestor(q.close, r) ? 'it names another close'
          : auth ? `not recorded by the teller or an admin (${auth})`
            : q.subject.kind !== 'ratify' || q.subject.version !== e.version || q.subject.hash !== e.hash ? 'it is not the version that was voted on'
              : derived?.state === 'missing' ? 'the version is not on this device'
                : derived?.state === 'pending' ? 'the version’s text has not all reached this device yet'
                  : derived?.hash !== e.hash ? 'the version’s text does not give this hash'
                    : !sameCounts(e.counts as Counts, q.counts) || e.result !== q.result ? 'its tally does not match the ballots'
                      : null
    return { hash: r.id, by: r.entry.by, at: r.entry.at, valid: why === null, why, result: e.result as Result, counts: e.counts as Counts }
  })
  return judged.find((j) => j.valid) ?? judged[0] ?? null
}

/**
 * Whether the draft's accepted text now is the text of a validly ratified version: the
 * ratification is valid (against the hash re-derived from the version's snapshot) and
 * the text now gives that same hash, in the version's canonical format. What the
 * exported HTML says, and anything else that claims "this is the ratified platform".
 */
export const ratifiedTextOf = (ledger: Ledger): { question: QuestionView; version: Version } | null => {
  const versions = readVersions(ledger)
  for (const q of readQuestions(ledger)) {
    if (q.subject.kind !== 'ratify' || !q.ratification?.valid) continue
    const id = q.subject.version
    const v = versions.find((x) => x.id === id && !x.foreign)
    if (v && hashText(canonicalText(ledger.doc, v.format)) === q.subject.hash) return { question: q, version: v }
  }
  return null
}

// Format 1: votes from drafts made before signed records named their draft.

const legacyQuestions = (ledger: Ledger, roster: Roster): QuestionView[] => {
  const entries = ledger.legacy('questions')
  if (entries.length === 0) return []
  const of = (t: string) => entries.filter((e) => e.t === t)
  const byTime = (a: Entry, b: Entry) => a.at - b.at || (a.id < b.id ? -1 : 1)
  const opens = new Map<string, Entry[]>()
  for (const o of of('open').filter((x) => roster.has(x.by))) pushTo(opens, f(o).id as string, o)
  const views: QuestionView[] = []
  for (const [qid, list] of opens) {
    // Two records opening one question id: shown as a conflict, with no result (the terms shown are one of them).
    const open = list.sort(byId)[0]!
    const o = f(open)
    const mine = (t: string) => of(t).filter((e) => f(e).question === qid)
    const flagged: QuestionView['flagged'] = []
    const valid: Ballot[] = []
    for (const b of mine('ballot')) {
      if (!roster.has(b.by)) { flagged.push({ hash: b.id, by: b.by, why: 'not a member' }); continue }
      valid.push({ hash: b.id, by: b.by, choice: f(b).choice as Choice, at: b.at })
    }
    const latest = (ballots: Ballot[]) => {
      const m = new Map<string, Ballot>()
      for (const b of ballots) { const p = m.get(b.by); if (!p || b.at > p.at || (b.at === p.at && b.hash > p.hash)) m.set(b.by, b) }
      return [...m.values()]
    }
    const closes = mine('close').filter((c) => c.by === open.by || roster.role(c.by) === 'admin').sort(byTime)
    const conflict = list.length > 1 || closes.length > 1
    const close = !conflict ? closes[0] ?? null : null
    let counted: Ballot[]
    let late: Ballot[] = []
    let missing: string[] = []
    if (close) {
      const listed = new Set(f(close).ballots as string[])
      counted = latest(valid.filter((b) => listed.has(b.hash)))
      late = valid.filter((b) => !listed.has(b.hash) && !counted.some((c) => c.by === b.by && (c.at > b.at || (c.at === b.at && c.hash > b.hash))))
      missing = (f(close).ballots as string[]).filter((h) => !valid.some((b) => b.hash === h) && !flagged.some((x) => x.hash === h))
    } else {
      counted = latest(valid)
    }
    const counts = countOf(counted)
    const { result, quorumMet } = decide(o.rule as Rule, counts, o.quorum as number)
    const subject = o.subject as Subject
    let ratification: QuestionView['ratification'] = null
    const r = mine('ratify').sort(byTime)[0]
    if (r) {
      const e = f(r)
      const derived = subject.kind === 'ratify' ? derivedVersionHash(ledger, e.version as string) : null
      const why = conflict ? 'the vote has two closes, or two records opening it'
        : !close ? 'the vote was never closed'
          : e.close !== close.id ? 'it names another close'
            : r.by !== close.by && roster.role(r.by) !== 'admin' ? 'not recorded by the teller or an admin'
              : subject.kind !== 'ratify' || subject.version !== e.version || subject.hash !== e.hash ? 'it is not the version that was voted on'
                : derived?.hash !== e.hash ? 'the version’s text does not give this hash'
                  : !sameCounts(e.counts as Counts, counts) || e.result !== result ? 'its tally does not match the ballots'
                    : null
      ratification = { hash: r.id, by: r.by, at: r.at, valid: why === null, why, result: e.result as Result, counts: e.counts as Counts }
    }
    views.push({
      id: qid, hash: open.id, text: o.text as string, subject, rule: o.rule as Rule, quorum: o.quorum as number, teller: open.by, closers: 'teller-or-admin', opened: open.at,
      status: closes.length > 0 ? 'closed' : 'open', counts, counted, late, flagged, missing, omitted: [], electorate: roster.members.length,
      result: close ? result : null, quorumMet,
      close: close ? { by: close.by, at: close.at, hash: close.id } : null,
      conflict: list.length > 1 ? list.map((x) => ({ by: x.by, at: x.at, hash: x.id })) : closes.length > 1 ? closes.map((c) => ({ by: c.by, at: c.at, hash: c.id })) : null,
      conflictKind: list.length > 1 ? 'opens' : closes.length > 1 ? 'closes' : null,
      reports: mine('report').filter((x) => roster.has(x.by)).sort(byTime).map((x) => ({ by: x.by, text: f(x).text as string, at: x.at, hash: x.id })),
      ratification, legacy: true,
    })
  }
  return views
}

// Writing

export const questionsLog = (doc: Y.Doc): Y.Array<unknown> => doc.getArray(ROOT.questions)

const find = (ledger: Ledger, question: string): QuestionView => {
  const view = readQuestions(ledger).find((q) => q.id === question)
  if (!view) throw new Error('No such question.')
  return view
}

/** A format-1 question gets format-1 records (it has no record id to follow). */
const appendLegacy = (ledger: Ledger, identity: Identity, body: Record<string, unknown>, origin: Origin) => {
  const entry = signRecord(identity, { v: 1, by: identity.id, ...body, sig: '' })
  ledger.doc.transact(() => questionsLog(ledger.doc).push([entry]), origin)
  return { id: recordHash(entry), record: entry }
}

export const openQuestion = (ledger: Ledger, identity: Identity, q: { text: string; subject: Subject; rule: Rule; quorum: number; now: number; closers?: Closers }, origin: Origin) =>
  ledger.append(identity, 'questions', {
    t: 'open', text: q.text.trim().slice(0, MAX_QUESTION), subject: q.subject, rule: q.rule, quorum: Math.max(0, Math.trunc(q.quorum)),
    closers: q.closers ?? 'teller-or-admin', at: q.now,
  }, origin)

/** Whether a question is a format-2 one (named by its open's record id), without tallying anything. */
const isSigned = (ledger: Ledger, question: string) => ledger.node(question)?.entry.t === 'open'

export const castBallot = (ledger: Ledger, identity: Identity, b: { question: string; choice: Choice; now: number }, origin: Origin) => {
  const body = { t: 'ballot', question: b.question, choice: b.choice, at: b.now }
  if (isSigned(ledger, b.question)) return ledger.append(identity, 'questions', body, origin)
  find(ledger, b.question)
  return appendLegacy(ledger, identity, body, origin)
}

/** Close a question: the close follows every ballot on this device, and lists those that count. */
export const closeQuestion = (ledger: Ledger, identity: Identity, c: { question: string; now: number }, origin: Origin) => {
  const view = find(ledger, c.question)
  const roster = ledger.roster()
  if (view.status === 'closed') throw new Error('This vote is already closed.')
  if (view.teller !== identity.id && !(view.closers === 'teller-or-admin' && roster.role(identity.id) === 'admin')) {
    throw new Error(view.closers === 'teller' ? 'Only the teller can close this vote.' : 'Only the teller or an admin can close a vote.')
  }
  const body = { t: 'close', question: c.question, ballots: view.counted.map((b) => b.hash), at: c.now }
  return view.legacy ? appendLegacy(ledger, identity, body, origin) : ledger.append(identity, 'questions', body, origin)
}

export const addMinorityReport = (ledger: Ledger, identity: Identity, r: { question: string; text: string; now: number }, origin: Origin) => {
  const body = { t: 'report', question: r.question, text: r.text.trim().slice(0, MAX_REPORT), at: r.now }
  if (isSigned(ledger, r.question)) return ledger.append(identity, 'questions', body, origin)
  find(ledger, r.question)
  return appendLegacy(ledger, identity, body, origin)
}

/** Record the ratification of a closed "Ratify version X" vote, bound to the version's hash. */
export const recordRatification = (ledger: Ledger, identity: Identity, r: { question: string; now: number }, origin: Origin) => {
  const view = find(ledger, r.question)
  if (view.subject.kind !== 'ratify') throw new Error('That is not a ratification vote.')
  if (!view.close || view.result === null) throw new Error(view.conflict ? 'This vote has two closes: it has no result to record.' : 'Close the vote first.')
  const body = { t: 'ratify', question: view.id, version: view.subject.version, hash: view.subject.hash, result: view.result, counts: view.counts, close: view.close.hash, at: r.now }
  return view.legacy ? appendLegacy(ledger, identity, body, origin) : ledger.append(identity, 'questions', body, origin)
}

