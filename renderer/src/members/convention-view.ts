import * as Y from 'yjs'
import { CHOICES, type Choice, type Ledger, type QuestionView, MARK, NODE, PLANK_LEVEL, content, markName, readAmendments, readQuestions, readVersions, textOps } from '../../../crdt/index.ts'
import { h } from '../ui/h.ts'
import { RULE_LABEL } from './question-dialog.ts'

/**
 * The convention view: one question on the whole screen for a plenary and its live
 * stream — the question, the text in question, the live tally against the quorum,
 * and the result once the teller closes it. Large, high-contrast type, readable from
 * the back of a hall; it follows the draft live. Esc (or the button) leaves it.
 */
const CHOICE_LABEL: Record<Choice, string> = { yes: 'Yes', no: 'No', abstain: 'Abstain', block: 'Block' }

/**
 * What an amendment changes, read from the text's marks: inserted and struck runs, and
 * the plank (and subsection) where its first change is, so the hall knows where to look.
 */
const amendmentText = (doc: Y.Doc, id: string): { pieces: Array<{ kind: 'ins' | 'del'; text: string }>; plank: string[] } => {
  const out: Array<{ kind: 'ins' | 'del'; text: string }> = []
  let headings: string[] = []
  let plank: string[] | null = null
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlElement && child.nodeName === NODE.heading) {
        const level = Number(child.getAttribute('level') ?? PLANK_LEVEL)
        const title = child.toArray().map((t) => (t instanceof Y.XmlText ? textOps(t).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('') : '')).join('')
        headings = level <= PLANK_LEVEL ? [title] : [...headings.slice(0, level - PLANK_LEVEL), title]
      }
      if (child instanceof Y.XmlText) {
        for (const op of textOps(child)) {
          if (typeof op.insert !== 'string') continue
          for (const [key, value] of Object.entries(op.attributes ?? {})) {
            if ((value as { amendment?: unknown } | null)?.amendment !== id) continue
            const kind = markName(key) === MARK.insertion ? 'ins' : markName(key) === MARK.deletion ? 'del' : null
            if (!kind) continue
            const last = out.at(-1)
            plank ??= [...headings]
            if (last?.kind === kind) last.text += op.insert
            else out.push({ kind, text: op.insert })
          }
        }
      } else if (child instanceof Y.XmlElement) walk(child)
    }
  }
  walk(content(doc))
  return { pieces: out, plank: plank ?? [] }
}

const statusText = (q: QuestionView): string => q.status === 'open' ? 'Voting is open' : q.conflict ? 'Two closes: no result' : q.result === 'passed' ? 'Passed' : q.result === 'failed' ? 'Not passed' : 'No quorum'

export const openConventionView = (ledger: Ledger, questionId: string): void => {
  const doc = ledger.doc
  const root = h('div', { class: 'pk-convention', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Convention view', tabindex: -1 })
  let frame = 0
  const render = () => {
    frame = 0
    const versions = readVersions(ledger)
    const q = readQuestions(ledger).find((x) => x.id === questionId)
    if (!q) { root.replaceChildren(h('p', {}, 'This question is no longer on the draft.')); return }
    const cast = CHOICES.reduce((n, c) => n + q.counts[c], 0)
    const most = Math.max(1, ...CHOICES.map((c) => q.counts[c]))
    let subject: HTMLElement
    if (q.subject.kind === 'amendment') {
      const id = q.subject.id
      const a = readAmendments(doc).find((x) => x.id === id)
      const { pieces, plank } = amendmentText(doc, id)
      // Decided already: its marks are gone, so show what it proposed as recorded then.
      const shown = pieces.length > 0 ? pieces : (a?.summary?.pieces ?? []).flatMap((p) => (p.kind === 'fmt' ? [] : [{ kind: p.kind, text: p.text }]))
      const where = pieces.length > 0 ? plank : (a?.summary?.plank ?? [])
      subject = h('section', { class: 'pk-convention-subject' },
        h('div', { class: 'pk-convention-label' }, where.length > 0 ? `Amendment to the plank “${where.join(' › ')}”` : 'Amendment'),
        h('div', { class: 'pk-convention-subject-title' }, a?.title ?? 'An amendment no longer on the draft'),
        h('p', { class: 'pk-convention-text' }, ...shown.map((p) => h(p.kind, {}, p.text))))
    } else {
      const vid = q.subject.version
      const v = versions.find((x) => x.id === vid)
      subject = h('section', { class: 'pk-convention-subject' },
        h('div', { class: 'pk-convention-label' }, 'Ratify'),
        h('div', { class: 'pk-convention-subject-title' }, v ? `“${v.name}”` : 'A version no longer on the draft'),
        h('p', { class: 'pk-convention-hash' }, `Content hash ${q.subject.hash.slice(0, 16)}…`),
        q.ratification ? h('p', { class: `pk-convention-ratification ${q.ratification.valid ? 'pk-ok' : 'pk-bad'}` }, q.ratification.valid
          ? 'Ratified: every device re-derived this hash from the version’s text'
          : `Ratification record invalid: ${q.ratification.why}`) : null)
    }
    root.replaceChildren(
      h('header', { class: 'pk-convention-head' },
        h('span', { class: `pk-convention-status pk-convention-${q.status === 'open' ? 'open' : q.result === 'passed' ? 'passed' : 'failed'}` }, statusText(q)),
        h('button', { class: 'pk-button pk-convention-leave', onclick: () => close() }, 'Leave convention view (Esc)')),
      h('h1', { class: 'pk-convention-question' }, q.text),
      subject,
      h('div', { class: 'pk-convention-tally', role: 'status', 'aria-live': 'polite' },
        ...CHOICES.map((c) => h('div', { class: `pk-convention-count pk-choice-${c}` },
          h('div', { class: 'pk-convention-number' }, String(q.counts[c])),
          h('div', { class: 'pk-convention-choice' }, CHOICE_LABEL[c]),
          h('div', { class: 'pk-convention-bar', style: `width:${Math.round((q.counts[c] / most) * 100)}%` })))),
      h('footer', { class: 'pk-convention-foot' },
        h('span', {}, `${cast} of ${q.electorate} members ${q.status === 'open' ? 'have voted' : 'were counted'}`),
        h('span', { class: q.quorumMet ? 'pk-quorum-met' : 'pk-quorum-short' }, `Quorum ${q.quorum}${q.quorumMet ? ' — reached' : ` — ${Math.max(0, q.quorum - cast)} more needed`}`),
        h('span', {}, RULE_LABEL[q.rule])),
      ...(q.reports.length > 0
        ? [h('section', { class: 'pk-convention-reports', 'aria-label': 'Minority reports' },
          ...q.reports.map((r) => h('blockquote', { class: 'pk-convention-report' },
            h('strong', {}, `Minority report by ${ledger.roster().nameOf(r.by) ?? 'a member'}: `), r.text)))]
        : []),
    )
  }
  const schedule = () => { if (!frame) frame = requestAnimationFrame(render) }
  const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') close() }
  const close = () => {
    doc.off('update', schedule)
    document.removeEventListener('keydown', onKey)
    if (document.fullscreenElement === root) void document.exitFullscreen().catch(() => {})
    root.remove()
  }
  doc.on('update', schedule)
  document.addEventListener('keydown', onKey)
  document.body.append(root)
  render()
  root.focus()
  void root.requestFullscreen?.().catch(() => { /* a window that may not go full screen still shows the view */ })
}
