import { type Ledger, readQuestions } from '../../../crdt/index.ts'
import type { RatificationState } from './versions-panel.ts'

/**
 * Where each version stands on ratification, as this device's ledger reads the votes:
 * "ratified" only when the ratification record is valid against the hash this device
 * re-derived from the version's own snapshot (crdt/questions.ts). The versions panel and
 * the exported HTML both read it from here, so they cannot disagree.
 */
export const ratificationStates = (ledger: Ledger): Map<string, RatificationState> => {
  const roster = ledger.roster()
  const out = new Map<string, RatificationState>()
  for (const q of readQuestions(ledger)) {
    if (q.subject.kind !== 'ratify') continue
    const reports = q.reports.map((r) => ({ by: roster.nameOf(r.by) ?? 'a member', text: r.text }))
    const state: RatificationState = q.ratification?.valid
      ? { kind: 'ratified', reports, hash: q.subject.hash, at: q.ratification.at, text: `Ratified ${q.counts.yes}–${q.counts.no}${q.counts.abstain ? `, ${q.counts.abstain} abstaining` : ''}${q.reports.length ? ` · ${q.reports.length} minority ${q.reports.length === 1 ? 'report' : 'reports'}` : ''}` }
      : q.ratification
        ? { kind: 'invalid', reports, hash: q.subject.hash, at: q.ratification.at, text: `Ratification record invalid: ${q.ratification.why}` }
        : { kind: 'pending', reports, hash: q.subject.hash, at: null, text: q.status === 'open' ? 'Ratification vote open' : q.conflict ? 'Ratification vote closed twice: no result' : q.result === 'passed' ? 'Ratification passed, not yet recorded' : 'Ratification vote did not pass' }
    // A valid ratification is never hidden by a later invalid record or vote on the same version.
    if (out.get(q.subject.version)?.kind !== 'ratified') out.set(q.subject.version, state)
  }
  return out
}
