import { h } from '../ui/h.ts'
import type { AmendmentView } from './review-model.ts'

/**
 * The parts of an amendment card about compositing: the box that selects an amendment
 * for a composite, a composite's sources (with each one's chapter and the positions
 * taken on it when it was composited), and the note on a source saying where it went.
 */
const STATUS = { open: 'open', accepted: 'accepted', rejected: 'rejected', withdrawn: 'withdrawn' } as const

export interface SelectContext {
  selected: ReadonlySet<string>
  toggleSelected: (id: string) => void
}

/** Whether this amendment may be composited now (open, not a composite, not in one). */
export const compositable = (v: AmendmentView): boolean => v.tally.status === 'open' && !v.composite && !v.compositedInto

export const selectBox = (v: AmendmentView, ctx: SelectContext): HTMLElement => {
  const box = h('input', {
    type: 'checkbox', class: 'pk-select-box', 'aria-label': `Select “${v.amendment.title}” for a composite`,
    onchange: () => ctx.toggleSelected(v.amendment.id),
  })
  box.checked = ctx.selected.has(v.amendment.id)
  return h('label', { class: 'pk-select', title: 'Select to merge with other amendments into one composite' }, box, h('span', {}, 'Select'))
}

/** Where a proposed-back amendment came from. */
export const sourceLine = (v: AmendmentView): HTMLElement | null =>
  v.source ? h('p', { class: 'pk-muted pk-small-text pk-source-line' }, `From the ${v.source.chapter} chapter draft`) : null

export const compositedNote = (v: AmendmentView, show: (id: string) => void): HTMLElement | null => {
  const into = v.compositedInto
  if (!into) return null
  return h('p', { class: 'pk-composited', role: 'note' },
    'Composited into ', h('button', { type: 'button', class: 'pk-link-button', onclick: () => show(into.id) }, `“${into.title}”`),
    ` (${STATUS[into.status]}). It is decided with it; its edits stay in the text until then.`)
}

export const compositeSection = (v: AmendmentView): HTMLElement | null => {
  const c = v.composite
  if (!c) return null
  return h('section', { class: 'pk-composite', 'aria-label': 'Composited amendments' },
    h('h4', { class: 'pk-discussion-heading' }, `Composite of ${c.sources.length} amendments`),
    c.chapters.length ? h('p', { class: 'pk-muted pk-small-text' }, `Supported by the chapters: ${c.chapters.join(', ')}.`) : null,
    h('ul', { class: 'pk-composite-sources' }, ...c.sources.map((s) => h('li', {},
      h('strong', {}, s.title),
      h('span', { class: 'pk-muted' }, ` — ${s.author.name}${s.chapter ? `, ${s.chapter}` : ''}`),
      s.positions.length > 0
        ? h('span', { class: 'pk-muted pk-small-text pk-composite-positions' }, ` · ${s.positions.map((p) => `${p.member.name} ${p.position}s${p.reason ? ` (“${p.reason}”)` : ''}`).join('; ')}`)
        : h('span', { class: 'pk-muted pk-small-text' }, ' · no positions yet'),
      s.status !== 'open' ? h('span', { class: 'pk-chip', 'data-status': s.status }, s.status) : null))),
    h('p', { class: 'pk-muted pk-small-text' }, 'Accepting or rejecting the composite decides all of them. Edit it (Continue editing) to reconcile their wording.'))
}
