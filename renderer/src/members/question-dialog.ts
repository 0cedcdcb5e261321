import { type Identity, type Ledger, ORIGIN, type Rule, type Subject, MAX_QUESTION, openQuestion } from '../../../crdt/index.ts'
import { h } from '../ui/h.ts'
import { showToast } from '../ui/toast.ts'
import { openModal } from '../ui/dialog.ts'

export const RULE_LABEL: Record<Rule, string> = {
  majority: 'Simple majority (more yes than no and block)',
  'two-thirds': 'Two-thirds (yes at least two thirds of yes, no and block)',
  consensus: 'Consensus (no blocks)',
}

/**
 * Call a vote: the question as members will see it, its rule, and the quorum, fixed
 * now (by default a majority of the members on the roster at this moment).
 */
export const questionDialog = (ledger: Ledger, identity: Identity, p: { text: string; subject: Subject; rule?: Rule }): Promise<boolean> =>
  new Promise((resolve) => {
    const roster = ledger.roster()
    if (!roster.has(identity.id)) {
      showToast({ kind: 'error', message: 'Only members on this draft’s roster can call a vote. Ask an admin for an invite link.' })
      return resolve(false)
    }
    const size = roster.members.length
    const text = h('textarea', { class: 'pk-input pk-textarea', rows: 2, maxlength: MAX_QUESTION, 'aria-label': 'Question' })
    text.value = p.text
    const rule = h('select', { class: 'pk-input', 'aria-label': 'Rule' },
      ...(['majority', 'two-thirds', 'consensus'] as Rule[]).map((r) => h('option', { value: r, selected: r === (p.rule ?? 'majority') }, RULE_LABEL[r])))
    const quorum = h('input', { class: 'pk-input', type: 'number', min: 0, max: size, value: Math.floor(size / 2) + 1, 'aria-label': 'Quorum' })
    const tellerOnly = h('input', { type: 'checkbox', 'aria-label': 'Only I may close this vote' })
    const error = h('p', { class: 'pk-dialog-error', role: 'alert' })
    const finish = (ok: boolean) => { dialog.close(); dialog.remove(); resolve(ok) }
    const submit = () => {
      const q = Number(quorum.value)
      if (text.value.trim() === '') { error.textContent = 'Write the question members vote on.'; return }
      if (!Number.isInteger(q) || q < 0) { error.textContent = 'The quorum is a number of ballots, 0 or more.'; return }
      // Checked against the roster as it is now: a quorum nobody can reach would only fail later.
      if (q > size) { error.textContent = `A quorum of ${q} can never be reached: the roster has ${size} ${size === 1 ? 'member' : 'members'}. Use ${size} or fewer.`; quorum.focus(); return }
      openQuestion(ledger, identity, { text: text.value, subject: p.subject, rule: rule.value as Rule, quorum: q, now: Date.now(), closers: tellerOnly.checked ? 'teller' : 'teller-or-admin' }, ORIGIN.local)
      finish(true)
    }
    const dialog = h('dialog', { class: 'pk-dialog', 'aria-label': 'Call a vote' },
      h('form', { novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); submit() } },
        h('h2', {}, p.subject.kind === 'ratify' ? 'Call a ratification vote' : 'Call a vote'),
        h('p', { class: 'pk-muted' }, `Every member on the roster (${size} now) may cast one ballot: yes, no, abstain or block. You are the teller: you close the vote, and your signed close counts every ballot that has reached you. Ballots that reach you later are shown as late.`),
        h('label', {}, h('span', {}, 'Question'), text),
        h('label', {}, h('span', {}, 'Rule'), rule),
        h('label', {}, h('span', {}, `Quorum: ballots needed for the result to stand (of ${size} members)`), quorum),
        h('label', { class: 'pk-check' }, tellerOnly, h('span', {}, 'Only I may close this vote (otherwise an admin may close it too; two closes made at once leave the vote without a result)')),
        error,
        h('div', { class: 'pk-dialog-actions' },
          h('button', { type: 'button', class: 'pk-button', onclick: () => finish(false) }, 'Cancel'),
          h('button', { type: 'submit', class: 'pk-button pk-primary' }, 'Open the vote'))))
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); finish(false) })
    openModal(dialog, text)
  })
