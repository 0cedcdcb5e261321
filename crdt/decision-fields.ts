import { readAuthor } from './author.ts'
import { isMemberKey } from './identity.ts'

/**
 * The fields of position and decision records on amendments (decisions.ts), checked
 * before a record is verified or counted.
 */
export type Position = 'support' | 'oppose' | 'abstain' | 'block'
export type Outcome = 'accepted' | 'rejected' | 'withdrawn'
export const POSITIONS: readonly Position[] = ['support', 'oppose', 'abstain', 'block']
export const OUTCOMES: readonly Outcome[] = ['accepted', 'rejected', 'withdrawn']
export const MAX_REASON = 2000

const memberOk = (m: unknown, by?: unknown): boolean => {
  const a = readAuthor(m)
  return a !== null && (by === undefined || a.id === by) && typeof (m as { name?: unknown }).name === 'string' && ((m as { name: string }).name.length <= 200)
}

/** Format 2 (t: 'position' | 'decision'); `member` is the author's display, its id the signer. */
export const decisionFieldsOk = (r: Record<string, unknown>): boolean => {
  if (typeof r.question !== 'string' || r.question.length > 200 || !memberOk(r.member, r.by)) return false
  if (r.t === 'position') return POSITIONS.includes(r.position as Position) && typeof r.reason === 'string' && r.reason.length <= MAX_REASON
  if (r.t === 'decision') return OUTCOMES.includes(r.outcome as Outcome)
  return false
}

/** Format 1 (kind: 'position' | 'decision', signature optional), as written: nothing normalised. */
export const readLegacyDecision = (value: unknown): Record<string, unknown> | null => {
  const r = value as Record<string, unknown> | null
  if (!r || typeof r !== 'object' || r.v !== 1 || typeof r.question !== 'string' || r.question.length > 200 || typeof r.at !== 'number' || !Number.isFinite(r.at) || !memberOk(r.member)) return null
  if (r.sig !== null && r.sig !== undefined && (typeof r.sig !== 'string' || !isMemberKey((r.member as { id: string }).id))) return null
  if (r.kind === 'position') return POSITIONS.includes(r.position as Position) && (r.reason === undefined || typeof r.reason === 'string') ? r : null
  if (r.kind === 'decision') return OUTCOMES.includes(r.outcome as Outcome) ? r : null
  return null
}
