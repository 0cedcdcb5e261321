import { isMemberKey } from './identity.ts'

/**
 * The fields of formal-vote records (questions.ts), checked before a record is
 * verified or counted. Format 2 names questions and closes by record id; format 1
 * (drafts from before signed records named their draft) by a random question id.
 */
export type Rule = 'majority' | 'two-thirds' | 'consensus'
export type Choice = 'yes' | 'no' | 'abstain' | 'block'
export type Closers = 'teller' | 'teller-or-admin'
export type Subject = { kind: 'amendment'; id: string } | { kind: 'ratify'; version: string; hash: string }
export const RULES: readonly Rule[] = ['majority', 'two-thirds', 'consensus']
export const CHOICES: readonly Choice[] = ['yes', 'no', 'abstain', 'block']
export const RESULTS = ['passed', 'failed', 'no quorum'] as const
export const MAX_QUESTION = 500
export const MAX_REPORT = 5000
/** A close lists at most this many ballots (one per member). */
export const MAX_BALLOTS = 20_000

const HASH = /^[0-9a-f]{64}$/
const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max
const hash = (v: unknown): v is string => typeof v === 'string' && HASH.test(v)
const isCounts = (c: unknown): boolean => !!c && typeof c === 'object' && CHOICES.every((k) => { const n = (c as Record<string, unknown>)[k]; return typeof n === 'number' && Number.isInteger(n) && n >= 0 })

export const readSubject = (s: unknown): Subject | null => {
  const r = s as Record<string, unknown> | null
  if (r?.kind === 'amendment' && str(r.id, 200)) return { kind: 'amendment', id: r.id }
  if (r?.kind === 'ratify' && str(r.version, 200) && hash(r.hash)) return { kind: 'ratify', version: r.version, hash: r.hash }
  return null
}

/** Format 2: the kind-specific fields. */
export const questionFieldsOk = (r: Record<string, unknown>): boolean => {
  switch (r.t) {
    case 'open': return str(r.text, MAX_QUESTION) && readSubject(r.subject) !== null && RULES.includes(r.rule as Rule)
      && Number.isInteger(r.quorum) && (r.quorum as number) >= 0 && (r.quorum as number) <= 1_000_000 && (r.closers === 'teller' || r.closers === 'teller-or-admin')
    case 'ballot': return hash(r.question) && CHOICES.includes(r.choice as Choice)
    case 'close': return hash(r.question) && Array.isArray(r.ballots) && r.ballots.length <= MAX_BALLOTS && r.ballots.every(hash)
    case 'report': return hash(r.question) && str(r.text, MAX_REPORT)
    case 'ratify': return hash(r.question) && hash(r.close) && str(r.version, 200) && hash(r.hash) && RESULTS.includes(r.result as never) && isCounts(r.counts)
    default: return false
  }
}

/** Format 1: a whole entry, as it was signed (nothing normalised, so its signature still checks). */
export const readLegacyQuestionEntry = (value: unknown): Record<string, unknown> | null => {
  const r = value as Record<string, unknown> | null
  if (!r || typeof r !== 'object' || r.v !== 1 || !isMemberKey(r.by) || typeof r.at !== 'number' || !Number.isFinite(r.at) || !str(r.sig, 100)) return null
  switch (r.t) {
    case 'open': return str(r.id, 100) && str(r.text, MAX_QUESTION) && readSubject(r.subject) && RULES.includes(r.rule as Rule) && Number.isInteger(r.quorum) && (r.quorum as number) >= 0 ? r : null
    case 'ballot': return str(r.question, 100) && CHOICES.includes(r.choice as Choice) ? r : null
    case 'close': return str(r.question, 100) && Array.isArray(r.ballots) && r.ballots.length <= MAX_BALLOTS && r.ballots.every((b) => str(b, 64)) ? r : null
    case 'report': return str(r.question, 100) && str(r.text, MAX_REPORT) ? r : null
    case 'ratify': return str(r.question, 100) && str(r.version, 200) && str(r.hash, 64) && RESULTS.includes(r.result as never) && isCounts(r.counts) && str(r.close, 64) ? r : null
    default: return null
  }
}
