import { h } from '../ui/h.ts'
import { colorStyle } from '../ui/color-style.ts'
import { relativeTime } from '../ui/drafts-list.ts'
import { POSITIONS, type Position, type Tally } from '../../../crdt/decisions.ts'
import type { QuestionView } from '../../../crdt/questions.ts'
import type { AmendmentView } from './review-model.ts'
import { type CardContext, conversation } from './thread-card.ts'
import { type SelectContext, compositable, compositeSection, compositedNote, selectBox, sourceLine } from './composite-card.ts'

/**
 * One amendment: what it changes, why, the positions taken on it and its status, its
 * discussion, and the decisions a member can take.
 */
const POSITION_LABEL: Record<Position, string> = { support: 'Support', oppose: 'Oppose', abstain: 'Abstain', block: 'Block' }
const STATUS_LABEL = { open: 'Open', accepted: 'Accepted', rejected: 'Rejected', withdrawn: 'Withdrawn' } as const

const statusLine = (tally: Tally): HTMLElement => {
  const d = tally.decision
  const text = d ? `${STATUS_LABEL[d.outcome]} by ${d.member.name}, ${relativeTime(d.at)}` : 'Open for positions'
  return h('p', { class: 'pk-status-line', 'data-status': tally.status, title: d ? new Date(d.at).toLocaleString() : '' },
    h('span', { class: 'pk-chip', 'data-status': tally.status }, STATUS_LABEL[tally.status]), ' ', text)
}

const tallyView = (tally: Tally): HTMLElement =>
  h('div', { class: 'pk-tally', 'aria-label': 'Positions' },
    ...POSITIONS.map((p) => h('span', { class: 'pk-tally-item', 'data-position': p }, h('strong', {}, String(tally.counts[p])), ` ${POSITION_LABEL[p].toLowerCase()}`)),
  )

const changeView = (v: AmendmentView): HTMLElement | null => {
  // Once decided, its marks are gone from the text: show what it proposed, as recorded then.
  const c = v.change ?? v.amendment.summary
  if (!c) return null
  const style = colorStyle('--pk-amend-color', v.amendment.author.color)
  const clip = (text: string) => (text.length > 120 ? `${text.slice(0, 120)}…` : text)
  const parts: HTMLElement[] = c.pieces.slice(0, 12).map((p) => (p.kind === 'fmt'
    ? h('span', { class: 'pk-fmt-piece', style }, h('span', { class: 'pk-fmt' }, clip(p.text)), h('span', { class: 'pk-muted' }, ` → ${p.note ?? ''}`))
    : h(p.kind, { class: `pk-${p.kind}`, style }, clip(p.text))))
  for (const form of c.forms.slice(0, 6)) parts.push(h('span', { class: 'pk-form-piece' }, form))
  if (c.pieces.length > 12) parts.push(h('span', { class: 'pk-muted' }, `and ${c.pieces.length - 12} more changes`))
  const breaks = [c.breaks ? `${c.breaks} new paragraph break${c.breaks > 1 ? 's' : ''}` : '', c.joins ? `${c.joins} paragraph${c.joins > 1 ? 's' : ''} joined` : ''].filter(Boolean)
  if (breaks.length) parts.push(h('span', { class: 'pk-muted' }, breaks.join(', ')))
  if (!v.change) {
    const label = v.tally.status === 'accepted' ? 'It changed the text:' : 'It proposed:'
    return h('div', { class: 'pk-change pk-change-decided' }, h('span', { class: 'pk-muted pk-change-label' }, label), ...parts)
  }
  return h('button', { type: 'button', class: 'pk-change', title: 'Show in the text' }, ...parts)
}

/** The formal vote on an amendment, in a line: where it stands, and a way to it. */
const voteLine = (q: QuestionView, members: number, openVote: (id: string) => void): HTMLElement => {
  const cast = q.counts.yes + q.counts.no + q.counts.abstain + q.counts.block
  const text = q.status === 'open'
    ? `Formal vote open: ${cast} of ${members} members have voted · quorum ${q.quorum}`
    : `Formal vote ${q.result === 'passed' ? 'passed' : q.result === 'failed' ? 'did not pass' : 'closed without a quorum'}: ${q.counts.yes} yes, ${q.counts.no} no, ${q.counts.abstain} abstain, ${q.counts.block} block · quorum ${q.quorum}`
  return h('p', { class: 'pk-vote-line', 'data-status': q.status === 'open' ? 'open' : q.result ?? '' }, text, ' ',
    h('button', { type: 'button', class: 'pk-link-button', onclick: () => openVote(q.id) }, 'See the vote'))
}

export const amendmentCard = (v: AmendmentView, ctx: CardContext & SelectContext & { proposing: string | null; member: boolean; members: number; selecting: boolean }): HTMLElement => {
  const { amendment: a, tally } = v
  const mine = a.author.id === ctx.me.id
  const open = tally.status === 'open'
  const myPosition = tally.positions.find((p) => p.member.id === ctx.me.id)
  const change = changeView(v)
  change?.addEventListener('click', () => ctx.actions.show(a.id))
  const card = h('article', { class: `pk-card pk-amendment${ctx.proposing === a.id ? ' pk-card-active' : ''}`, 'data-amendment': a.id, 'data-status': tally.status, 'aria-label': `Amendment: ${a.title}` },
    h('header', { class: 'pk-amendment-head' },
      h('h3', {}, a.title),
      ctx.selecting && compositable(v) ? selectBox(v, ctx) : null,
      mine && open && ctx.canEdit ? h('button', { type: 'button', class: 'pk-link-button', onclick: () => void ctx.actions.editAmendment(a.id) }, 'Edit') : null,
    ),
    h('div', { class: 'pk-byline' },
      h('span', { class: 'pk-dot', style: colorStyle('background', a.author.color), 'aria-hidden': 'true' }),
      h('span', {}, `Proposed by ${a.author.name}`),
      h('span', { class: 'pk-muted' }, relativeTime(a.created))),
    sourceLine(v),
    a.rationale ? h('p', { class: 'pk-rationale' }, a.rationale) : null,
    compositeSection(v),
    compositedNote(v, (id) => ctx.actions.show(id)),
    change ?? (open && !v.composite ? h('p', { class: 'pk-muted pk-small-text' }, ctx.proposing === a.id ? 'Your edits in the text become this amendment.' : 'No proposed edits have arrived yet.') : null),
    statusLine(tally),
    ...v.votes.map((q) => voteLine(q, ctx.members, (id) => ctx.actions.openVote(id))),
  )
  if (tally.conflict) {
    card.append(h('p', { class: 'pk-warning', role: 'note' },
      `Conflicting decisions were taken without seeing each other: ${tally.conflict.map((d) => `${STATUS_LABEL[d.outcome].toLowerCase()} by ${d.member.name}`).join(', ')}. The text holds both; check it reads as intended.`))
  }
  if (!open && v.change && ctx.canEdit && tally.status !== 'withdrawn') {
    card.append(h('p', { class: 'pk-warning', role: 'note' }, 'Some of its proposed edits arrived after the decision. ',
      h('button', { type: 'button', class: 'pk-link-button', onclick: () => ctx.actions.settleRemaining(a.id) }, tally.status === 'accepted' ? 'Accept them too' : 'Reject them too')))
  }
  card.append(tallyView(tally))
  if (tally.flagged.length > 0) {
    card.append(h('p', { class: 'pk-warning pk-flagged', role: 'note' },
      `${tally.flagged.length} ${tally.flagged.length === 1 ? 'record' : 'records'} not counted: ${tally.flagged.map((f) => `${f.why} (${f.record.member.name})`).join('; ')}.`))
  }
  if (tally.positions.length > 0) {
    card.append(h('ul', { class: 'pk-positions' }, ...tally.positions.map((p) => h('li', { 'data-position': p.position },
      h('span', { class: 'pk-dot', style: colorStyle('background', p.member.color), 'aria-hidden': 'true' }),
      h('strong', {}, p.member.name), ` ${POSITION_LABEL[p.position].toLowerCase()}s`,
      p.reason ? h('span', { class: 'pk-muted' }, ` — ${p.reason}`) : null))))
  }
  if (open && ctx.canEdit) {
    // The reason box shows the reason on record. Typed before choosing, it goes with the
    // choice; typed after, it is saved on Enter or on leaving the box (blur, not change: the panel may
    // have re-rendered the box while it was being typed in), with the position taken.
    const reason = h('input', {
      type: 'text', class: 'pk-input pk-reason', 'aria-label': 'Reason for your position', 'data-draft': `reason:${a.id}`,
      placeholder: myPosition ? `Why you ${POSITION_LABEL[myPosition.position].toLowerCase()} (Enter saves it)` : 'Reason (optional)',
    })
    reason.value = myPosition?.reason ?? ''
    let choosing = false
    const saveReason = () => {
      if (choosing || !myPosition || reason.value.trim() === myPosition.reason) return
      ctx.actions.takePosition(a.id, myPosition.position, reason.value)
    }
    reason.addEventListener('blur', saveReason)
    reason.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); saveReason() } })
    card.append(h('div', { class: 'pk-position-picker', role: 'group', 'aria-label': 'Your position' },
      ...POSITIONS.map((p) => h('button', {
        type: 'button', class: `pk-button pk-small pk-position-${p}${myPosition?.position === p ? ' pk-active' : ''}`,
        'aria-pressed': String(myPosition?.position === p),
        // Pressing a choice while the reason box has focus: one record, the choice with the reason.
        onpointerdown: () => { choosing = true },
        onclick: () => { choosing = false; ctx.actions.takePosition(a.id, p, reason.value) },
      }, POSITION_LABEL[p])),
    ), reason)
    // Once a draft has a roster, deciding is for its members (a non-member's decision would not count).
    // A composited amendment is decided with its composite.
    const mayDecide = ctx.member && !v.compositedInto
    card.append(h('div', { class: 'pk-card-actions' },
      mayDecide ? h('button', { type: 'button', class: 'pk-button pk-small pk-primary', onclick: () => void ctx.actions.decide(a.id, 'accept') }, 'Accept') : null,
      mayDecide ? h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => void ctx.actions.decide(a.id, 'reject') }, 'Reject') : null,
      mine ? h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => void ctx.actions.decide(a.id, 'withdraw') }, 'Withdraw') : null,
      mine && ctx.proposing !== a.id ? h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => ctx.actions.continueProposing(a.id) }, 'Continue editing') : null,
      mayDecide ? h('button', { type: 'button', class: 'pk-button pk-small', title: 'A formal vote with a rule and a quorum, closed by a teller', onclick: () => void ctx.actions.callVote(a.id) }, 'Call a vote…') : null,
    ))
    if (!ctx.member) card.append(h('p', { class: 'pk-muted pk-small-text' }, 'Only members on this draft’s roster decide and vote; your position is shown but does not count. An admin’s invite link makes you a member.'))
  }
  if (v.discussion) {
    card.append(h('h4', { class: 'pk-discussion-heading' }, `Discussion${v.discussion.replies.length ? ` (${v.discussion.replies.length})` : ''}`),
      ...conversation(v.discussion, ctx, 'Comment'))
  }
  return card
}
