import type { Ledger, Problem } from '../../../crdt/index.ts'
import { members as membersRoot, questionsLog, readQuestions, versions as versionsRoot, votes as votesRoot } from '../../../crdt/index.ts'
import { h } from '../ui/h.ts'
import { namesIn, problemText } from './problem-text.ts'

/**
 * The banner that says when someone tried to change who belongs or what was decided:
 * records this device refused (forged, from another draft, a second founder, acts their
 * author may not take) and verified records someone deleted from the shared document
 * (kept, and put back). It names what and by whom, says that everything else works as
 * before, and stays until the member dismisses it (new attempts bring it back).
 */
export class TrustBanner {
  readonly el = h('div', { class: 'pk-banner pk-banner-trust', role: 'alert', hidden: true })
  private ledger: Ledger | null = null
  private details: () => void = () => {}
  private unobserve: () => void = () => {}
  private frame = 0

  bind(ledger: Ledger | null, details: () => void = () => {}): void {
    this.unobserve()
    this.unobserve = () => {}
    this.ledger = ledger
    this.details = details
    if (ledger) {
      const roots = [membersRoot(ledger.doc), questionsLog(ledger.doc), votesRoot(ledger.doc), versionsRoot(ledger.doc)]
      const onChange = () => this.renderSoon()
      for (const r of roots) r.observe(onChange)
      this.unobserve = () => { for (const r of roots) r.unobserve(onChange) }
    }
    this.render()
  }

  private renderSoon(): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render() })
  }

  /** Alarms the member has not dismissed: the ledger's, and closes that left out ballots. */
  private alarms(ledger: Ledger): Problem[] {
    const dismissed = ledger.store.dismissed()
    const list: Problem[] = ledger.problems().filter((p) => p.alarm)
    for (const q of readQuestions(ledger)) {
      if (q.close && q.omitted.length > 0) list.push({ key: `omitted:${q.close.hash}`, kind: 'omitted', alarm: true, log: 'questions', id: q.close.hash, by: q.close.by, t: 'close', why: `it leaves out ${q.omitted.length} ${q.omitted.length === 1 ? 'ballot' : 'ballots'} it had seen (they are counted)` })
      if (q.conflict) {
        list.push(q.conflictKind === 'opens'
          ? { key: `conflict:${q.id}`, kind: 'conflict', alarm: true, log: 'questions', id: q.id, by: q.conflict[1]!.by, t: 'open', why: 'a second opening of the same vote id, with other terms: the vote has no result' }
          : { key: `conflict:${q.id}`, kind: 'conflict', alarm: true, log: 'questions', id: q.id, by: q.conflict[1]!.by, t: 'close', why: 'a second close of the same vote, made without seeing the first: the vote has no result' })
      }
    }
    // What changed the shared record of decisions first: deletions, then forged roots and signatures.
    const order = ['tampered', 'second-root', 'forged', 'conflict', 'omitted', 'refused', 'foreign', 'legacy', 'unrooted', 'malformed']
    return list.filter((p) => !dismissed.has(p.key)).sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))
  }

  private render(): void {
    const ledger = this.ledger
    const alarms = ledger ? this.alarms(ledger) : []
    if (!ledger || alarms.length === 0) {
      this.el.hidden = true
      this.el.replaceChildren()
      return
    }
    const roster = ledger.roster()
    const tampered = alarms.filter((p) => p.kind === 'tampered').length
    const refused = alarms.length - tampered
    const head = [
      refused ? `Plank refused ${refused} ${refused === 1 ? 'record' : 'records'} on this draft` : '',
      tampered ? `${refused ? ' and kept' : 'Plank kept'} ${tampered} verified ${tampered === 1 ? 'record' : 'records'} someone deleted from it` : '',
    ].join('')
    const people = namesIn(alarms, roster)
    this.el.hidden = false
    this.el.replaceChildren(
      h('div', { class: 'pk-trust-text' },
        h('strong', {}, `${head}${people.length ? ` — ${people.length === 1 ? 'by or in the name of' : 'involving'} ${people.slice(0, 3).join(', ')}${people.length > 3 ? ` and ${people.length - 3} more` : ''}` : ''}.`),
        ' The roster, votes and versions show only what was validly signed; everything else works as before.',
        h('ul', { class: 'pk-trust-list' }, ...alarms.slice(0, 3).map((p) => h('li', {}, problemText(p, roster))),
          alarms.length > 3 ? h('li', {}, `and ${alarms.length - 3} more (Details)`) : null)),
      h('div', { class: 'pk-trust-actions' },
        h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => this.details() }, 'Details'),
        h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => { ledger.store.dismiss(alarms.map((p) => p.key)); this.render() } }, 'Dismiss')),
    )
  }
}
