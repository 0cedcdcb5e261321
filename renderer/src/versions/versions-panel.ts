import type { Version } from '../../../crdt/index.ts'
import { h } from '../ui/h.ts'
import { colorStyle } from '../ui/color-style.ts'
import { relativeTime } from '../ui/drafts-list.ts'

/** What the versions panel can ask for. */
export interface VersionActions {
  save(): void
  open(version: Version): void
  compare(from: Version, to: Version | null): void
  /** Compare with another version, chosen by the member. */
  compareWith(version: Version): void
  restore(version: Version): void
  ratify(version: Version): void
}

/** Where a version stands on ratification (absent: never put to a vote). */
export interface RatificationState {
  kind: 'ratified' | 'invalid' | 'pending'
  text: string
  reports: Array<{ by: string; text: string }>
  /** The content hash voted on, and when the ratification was recorded. */
  hash: string
  at: number | null
}

export interface VersionsModel {
  versions: Version[]
  /** Per version id: whether this device re-derived the same hash (absent: still checking). */
  verified: ReadonlyMap<string, boolean>
  canEdit: boolean
  /** The version on screen, if any. */
  showing: string | null
  ratifications: ReadonlyMap<string, RatificationState>
  /** This member may call a ratification vote (on the roster, draft editable). */
  canRatify: boolean
}

/** Who stands behind a version: signed by its author here, from before signing, or another draft's. */
const provenance = (v: Version): HTMLElement | null =>
  v.foreign ? h('span', { class: 'pk-version-kind pk-version-foreign', title: 'Signed for another draft (this chapter’s parent, or copied in): shown for reference, never ratified here.' }, 'another draft')
    : !v.signed ? h('span', { class: 'pk-version-kind pk-version-unsigned', title: 'Saved before versions were signed: its hash is still re-derived and checked, but who saved it cannot be verified.' }, 'unsigned')
      : null

const hashLine = (v: Version, ok: boolean | undefined): HTMLElement =>
  h('div', {
    class: `pk-version-hash${ok === false ? ' pk-bad' : ''}`,
    title: `SHA-256 of the canonical text (format ${v.format}):\n${v.hash}\n${ok === undefined ? 'Checking…' : ok ? 'This device re-derived the same hash from the version’s text.' : 'The version’s text does not give this hash: the record was altered or made by a different Plank.'}`,
  }, `sha256 ${v.hash.slice(0, 12)}`, h('span', { class: 'pk-version-check' }, ok === undefined ? ' …' : ok ? ' ✓ verified' : ' ✗ does not match'))

/** The timeline of a draft's versions, newest first, with what can be done with each. */
export const renderVersionsPanel = (model: VersionsModel, actions: VersionActions): HTMLElement[] => {
  const head = h('div', { class: 'pk-versions-head' },
    h('h2', { class: 'pk-versions-title' }, 'Versions'),
    h('button', { class: 'pk-button pk-primary pk-small', disabled: !model.canEdit, onclick: () => actions.save(), title: 'Name the draft as it stands now, e.g. “Draft 3”' }, 'Save version…'))
  if (model.versions.length === 0) {
    return [head, h('div', { class: 'pk-review-empty' },
      h('p', {}, 'No versions yet.'),
      h('p', {}, 'Save one to mark a milestone such as “Draft 3”: everyone sees it, can open it, compare it with today’s text and restore it. Plank also keeps a daily checkpoint on days the draft changes.'))]
  }
  const newestFirst = [...model.versions].reverse()
  const items = newestFirst.map((v, i) => {
    const previous = newestFirst[i + 1] ?? null
    return h('li', { class: `pk-version pk-version-${v.kind}${model.showing === v.id ? ' pk-active' : ''}`, 'data-version-id': v.id, 'data-hash': v.hash },
      h('div', { class: 'pk-version-name' }, v.name, v.kind === 'checkpoint' ? h('span', { class: 'pk-version-kind' }, 'automatic') : null, provenance(v)),
      h('div', { class: 'pk-version-meta' }, h('span', { class: 'pk-dot', style: colorStyle('background', v.author.color) }), `${v.author.name} · `,
        h('time', { datetime: new Date(v.created).toISOString(), title: new Date(v.created).toLocaleString() }, relativeTime(v.created))),
      hashLine(v, model.verified.get(v.id)),
      ((r) => (r ? h('div', { class: `pk-ratification pk-ratification-${r.kind}` }, r.kind === 'ratified' ? '★ ' : '', r.text) : null))(model.ratifications.get(v.id)),
      ...(model.ratifications.get(v.id)?.reports ?? []).map((r) => h('blockquote', { class: 'pk-report' }, h('strong', {}, `Minority report by ${r.by}: `), r.text)),
      h('div', { class: 'pk-version-actions' },
        h('button', { class: 'pk-link-button', onclick: () => actions.open(v) }, 'Open'),
        previous ? h('button', { class: 'pk-link-button', onclick: () => actions.compare(previous, v), title: `What changed from “${previous.name}” to this version` }, 'Changes') : null,
        h('button', { class: 'pk-link-button', onclick: () => actions.compare(v, null), title: 'What changed from this version to the text now' }, 'Compare with now'),
        model.versions.length > 1 ? h('button', { class: 'pk-link-button', onclick: () => actions.compareWith(v), title: 'What changed between this version and another' }, 'Compare with…') : null,
        model.canEdit ? h('button', { class: 'pk-link-button', onclick: () => actions.restore(v), title: 'Make the text what it was in this version, as a new change' }, 'Restore…') : null,
        model.canRatify && v.kind === 'named' && v.signed && !v.foreign && model.ratifications.get(v.id)?.kind !== 'ratified' && model.ratifications.get(v.id)?.kind !== 'pending' ? h('button', { class: 'pk-link-button', onclick: () => actions.ratify(v), title: 'Put this version to a vote, bound to its content hash' }, 'Ratify…') : null,
      ))
  })
  return [head, h('ol', { class: 'pk-versions-list', 'aria-label': 'Versions, newest first' }, ...items)]
}
