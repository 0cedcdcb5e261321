import { h } from '../ui/h.ts'
import { relativeTime } from '../ui/drafts-list.ts'
import { CHOICES, type Choice, type QuestionView, type Roster } from '../../../crdt/index.ts'
import type { ReviewActions } from './review-model.ts'

/**
 * One formal vote: the question and what it is about, its rule and quorum, the tally
 * (live, or as the teller's close fixed it), this member's ballot, and what the teller
 * can do; late and ignored ballots, minority reports and the ratification record.
 */
const CHOICE_LABEL: Record<Choice, string> = { yes: 'Yes', no: 'No', abstain: 'Abstain', block: 'Block' }
const RULE_SHORT = { majority: 'Simple majority', 'two-thirds': 'Two-thirds', consensus: 'Consensus (no blocks)' } as const

const resultChip = (q: QuestionView) => {
  const status = q.status === 'open' ? 'open' : q.result === 'passed' ? 'accepted' : 'rejected'
  const label = q.status === 'open' ? 'Voting' : q.conflict ? 'Two closes' : q.result === 'passed' ? 'Passed' : q.result === 'failed' ? 'Not passed' : 'No quorum'
  return h('span', { class: 'pk-chip', 'data-status': status }, label)
}

export const voteCard = (q: QuestionView, ctx: { me: string; roster: Roster; subject: string; actions: ReviewActions; canEdit: boolean }): HTMLElement => {
  const name = (id: string) => ctx.roster.nameOf(id) ?? 'someone not on the roster'
  const member = ctx.roster.has(ctx.me)
  const mine = q.status === 'open' ? q.counted.find((b) => b.by === ctx.me) : undefined
  const teller = q.teller === ctx.me || (q.closers === 'teller-or-admin' && ctx.roster.role(ctx.me) === 'admin')
  const cast = CHOICES.reduce((n, c) => n + q.counts[c], 0)
  const card = h('article', { class: 'pk-card pk-vote', 'data-question': q.id, 'data-status': q.status, 'aria-label': `Vote: ${q.text}` },
    h('header', { class: 'pk-amendment-head' }, h('h3', {}, q.text), resultChip(q)),
    h('p', { class: 'pk-muted pk-small-text' }, `On ${ctx.subject} · ${RULE_SHORT[q.rule]} · quorum ${q.quorum} · teller ${name(q.teller)}${q.closers === 'teller' ? ' (only the teller closes)' : ''}, ${relativeTime(q.opened)}`),
    h('div', { class: 'pk-tally pk-vote-tally', 'aria-label': 'Ballots' },
      ...CHOICES.map((c) => h('span', { class: 'pk-tally-item', 'data-choice': c }, h('strong', {}, String(q.counts[c])), ` ${CHOICE_LABEL[c].toLowerCase()}`))),
    h('p', { class: 'pk-status-line' }, `${cast} of ${q.electorate} members ${q.status === 'open' ? 'have voted' : 'were counted'}; quorum ${q.quorumMet ? 'reached' : 'not reached'}.`),
  )
  if (q.legacy) card.append(h('p', { class: 'pk-muted pk-small-text pk-legacy' }, 'Recorded by an earlier Plank: its records do not name this draft or what they followed, so they are counted as they were then and cannot be checked against copies from elsewhere.'))
  if (q.conflict) {
    card.append(h('p', { class: 'pk-warning pk-close-conflict' }, q.conflictKind === 'opens'
      ? `Opened twice under one id, with different terms (${q.conflict.map((c) => name(c.by)).join(' and ')}): this vote has no result. Call it again to decide.`
      : `Closed twice without either seeing the other (${q.conflict.map((c) => name(c.by)).join(' and ')}): this vote has no result. Call it again to decide.`))
  }
  if (q.omitted.length) card.append(h('p', { class: 'pk-warning pk-omitted' }, `${name(q.close!.by)}’s close leaves out ${q.omitted.length} ${q.omitted.length === 1 ? 'ballot it had received' : 'ballots it had received'} (${q.omitted.map((b) => name(b.by)).join(', ')}); ${q.omitted.length === 1 ? 'it is' : 'they are'} counted all the same.`))
  if (q.status === 'open' && member && ctx.canEdit) {
    card.append(h('div', { class: 'pk-position-picker', role: 'group', 'aria-label': 'Your ballot' },
      ...CHOICES.map((c) => h('button', {
        type: 'button', class: `pk-button pk-small${mine?.choice === c ? ' pk-active' : ''}${c === 'block' ? ' pk-position-block' : ''}`,
        'aria-pressed': String(mine?.choice === c), onclick: () => ctx.actions.vote(q.id, c),
      }, CHOICE_LABEL[c]))))
  } else if (q.status === 'open' && !member) {
    card.append(h('p', { class: 'pk-warning' }, 'You are not on this draft’s roster, so you cannot vote. An admin’s invite link makes you a member.'))
  }
  if (q.late.length) card.append(h('p', { class: 'pk-warning pk-late' }, `${q.late.length} ${q.late.length === 1 ? 'ballot' : 'ballots'} arrived after the close and ${q.late.length === 1 ? 'was' : 'were'} not counted (${q.late.map((b) => name(b.by)).join(', ')}).`))
  if (q.flagged.length) card.append(h('p', { class: 'pk-warning pk-flagged' }, `${q.flagged.length} ${q.flagged.length === 1 ? 'ballot' : 'ballots'} ignored: ${q.flagged.map((f) => `${f.why} (in the name of ${name(f.by)})`).join('; ')}.`))
  if (q.missing.length) card.append(h('p', { class: 'pk-warning' }, `${q.missing.length} counted ${q.missing.length === 1 ? 'ballot has' : 'ballots have'} not reached this device yet.`))
  for (const r of q.reports) card.append(h('blockquote', { class: 'pk-report' }, h('strong', {}, `Minority report by ${name(r.by)}: `), r.text))
  if (q.ratification) {
    card.append(q.ratification.valid
      ? h('p', { class: 'pk-ratified', title: 'This device re-derived the version’s text from its snapshot and got this hash.' }, `Ratification recorded by ${name(q.ratification.by)}, bound to content hash ${q.subject.kind === 'ratify' ? q.subject.hash.slice(0, 12) : ''}… ✓ re-derived here`)
      : h('p', { class: 'pk-warning pk-ratification-invalid' }, `Ratification record invalid: ${q.ratification.why}.`))
  }
  const actions = h('div', { class: 'pk-card-actions' })
  if (q.status === 'open' && teller && ctx.canEdit) actions.append(h('button', { type: 'button', class: 'pk-button pk-small pk-primary', onclick: () => void ctx.actions.closeVote(q.id) }, 'Close the vote'))
  if (q.status === 'closed' && q.subject.kind === 'ratify' && q.result === 'passed' && !q.ratification?.valid && (q.close?.by === ctx.me || ctx.roster.role(ctx.me) === 'admin') && ctx.canEdit) {
    actions.append(h('button', { type: 'button', class: 'pk-button pk-small pk-primary', onclick: () => ctx.actions.ratify(q.id) }, 'Record the ratification'))
  }
  if (member && ctx.canEdit) actions.append(h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => void ctx.actions.addReport(q.id) }, 'Add a minority report'))
  if (q.subject.kind === 'amendment') {
    const id = q.subject.id
    actions.append(h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => ctx.actions.showAmendment(id) }, 'The amendment'))
  }
  actions.append(h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => ctx.actions.convention(q.id) }, 'Convention view'))
  card.append(actions)
  return card
}
