import * as Y from 'yjs'
import type { EditorView } from 'prosemirror-view'
import { type Author, type Identity, type Ledger, ORIGIN, content, canonicalText, contentHash, derivedHashOf, hashText, openAmendments, readVersions, saveVersion, verifyVersion, type Version, versionDoc, versions as versionsRoot,
  questionsLog, members as membersRoot, flushAttribution } from '../../../crdt/index.ts'
import { questionDialog } from '../members/question-dialog.ts'
import { pickVersionToCompare } from './compare-dialog.ts'
import { h } from '../ui/h.ts'
import { colorStyle } from '../ui/color-style.ts'
import { confirmDialog, promptDialog } from '../ui/dialog.ts'
import { showToast } from '../ui/toast.ts'
import { withoutProposals } from '../review/settle.ts'
import { PROPOSAL_META } from '../review/local-edit.ts'
import { type RatificationState, type VersionActions, renderVersionsPanel } from './versions-panel.ts'
import { ratificationStates } from './ratification-state.ts'
import { type PastView, changeAuthors, showComparison, showVersion } from './version-view.ts'
import { scheduleCheckpoints } from './checkpoint-schedule.ts'

interface Bound {
  doc: Y.Doc
  ledger: Ledger
  view: EditorView | null
  canEdit: () => boolean
  unobserve: () => void
  stopCheckpoints: () => void
}

export interface VersionsDeps {
  me: () => Author
  identity: () => Identity
  /** Show the Votes tab (a ratification vote was called). */
  showVotes: () => void
  /** The live editor's page, hidden while the past is on screen. */
  pageEl: HTMLElement
  /** Whether the member is in propose mode (a restore must not become a proposal). */
  proposing: () => boolean
}

/**
 * Versions of the open draft: the timeline panel, saving, the read-only views of
 * the past (one version, or a comparison) shown in place of the editor, restoring a
 * version as a new change, and the automatic daily checkpoints.
 */
export class VersionsController implements VersionActions {
  readonly panel = h('aside', { class: 'pk-versions', 'aria-label': 'Versions', hidden: true })
  readonly pastBar = h('div', { class: 'pk-past-bar', role: 'region', 'aria-label': 'Viewing the past', hidden: true })
  readonly pastPage = h('article', { class: 'pk-page pk-past-page', hidden: true })
  private bound: Bound | null = null
  private past: { view: PastView; id: string } | null = null
  private readonly verified = new Map<string, boolean>()
  private readonly checking = new Set<string>()
  private frame = 0

  constructor(private readonly deps: VersionsDeps) {}

  bind(doc: Y.Doc | null, ledger?: Ledger, canEdit: () => boolean = () => false): void {
    this.back()
    this.bound?.unobserve()
    this.bound?.stopCheckpoints()
    this.bound = null
    this.verified.clear()
    this.checking.clear()
    if (doc && ledger) {
      const onChange = () => this.renderSoon()
      const roots = [versionsRoot(doc), questionsLog(doc), membersRoot(doc)]
      for (const r of roots) r.observe(onChange)
      this.bound = {
        doc, ledger, view: null, canEdit,
        unobserve: () => { for (const r of roots) r.unobserve(onChange) },
        stopCheckpoints: scheduleCheckpoints(ledger, () => ({ author: this.deps.me(), identity: this.deps.identity() }), canEdit).stop,
      }
    }
    this.render()
  }

  attachView(view: EditorView): void {
    if (this.bound) this.bound.view = view
  }

  get visible(): boolean {
    return !this.panel.hidden
  }

  setVisible(visible: boolean): void {
    this.panel.hidden = !visible
    if (visible) this.render()
  }

  private renderSoon(): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.render()
    })
  }

  private render(): void {
    const b = this.bound
    const all = b ? readVersions(b.ledger) : []
    for (const v of all) if (b && !this.verified.has(v.id) && !this.checking.has(v.id)) void this.verify(b, v)
    const roster = b ? b.ledger.roster() : null
    const ratifications = b ? ratificationStates(b.ledger) : new Map<string, RatificationState>()
    this.panel.replaceChildren(...renderVersionsPanel({ versions: all, verified: this.verified, canEdit: !!b?.canEdit(), showing: this.past?.id ?? null, ratifications, canRatify: !!b?.canEdit() && !!roster?.has(this.deps.identity().id) }, this))
  }

  /** Re-derive each version's text on this device and check its recorded hash. */
  private async verify(b: Bound, v: Version): Promise<void> {
    this.checking.add(v.id)
    const { ok } = await verifyVersion(b.ledger, v)
    if (this.bound !== b) return
    this.verified.set(v.id, ok)
    this.renderSoon()
  }

  async ratify(version: Version): Promise<void> {
    const b = this.bound
    if (!b?.canEdit()) return
    const called = await questionDialog(b.ledger, this.deps.identity(), { text: `Ratify “${version.name}” as the platform?`, subject: { kind: 'ratify', version: version.id, hash: version.hash }, rule: 'two-thirds' })
    if (called) this.deps.showVotes()
  }

  async save(): Promise<void> {
    const b = this.bound
    if (!b?.canEdit()) return
    const named = readVersions(b.ledger).filter((v) => v.kind === 'named' && !v.foreign).length
    const name = await promptDialog({
      title: 'Save a version',
      label: 'Name, as the committee will refer to it',
      value: `Draft ${named + 1}`,
      confirm: 'Save version',
      validate: (v) => (v.trim() === '' ? 'A version needs a name.' : null),
    })
    if (name === null || this.bound !== b) return
    const v = await saveVersion(b.ledger, this.deps.identity(), { name, author: this.deps.me(), now: Date.now() }, ORIGIN.local)
    showToast({ message: `Saved “${v.name}”. Every member sees it once they sync.` })
  }

  async open(version: Version): Promise<void> {
    const b = this.bound
    if (!b) return
    this.showPast(version.id, showVersion(this.mountPast(), b.doc, version))
    this.setBar(`Viewing “${version.name}”, read-only`, `Saved by ${version.author.name}, ${new Date(version.created).toLocaleString()}`, [
      ['Compare with now', () => void this.compare(version, null)],
      ...(b.canEdit() ? [['Restore this version…', () => void this.restore(version)] as [string, () => void]] : []),
    ])
  }

  async compare(from: Version, to: Version | null): Promise<void> {
    const b = this.bound
    if (!b) return
    // Deletions still gathering (crdt/attribution.ts) are written now, so they are credited.
    flushAttribution(b.doc)
    const toName = to ? `“${to.name}”` : 'now'
    // Compared as this device derives each text (one canonical format), never as a record states it.
    const textOf = (v: Version | null): string => {
      if (!v) return canonicalText(b.doc)
      const at = versionDoc(b.doc, v)
      const text = canonicalText(at)
      at.destroy()
      return text
    }
    const fromText = textOf(from)
    if (fromText === textOf(to)) {
      // The same text, however its history got there (a restore retypes what it brings back).
      this.showPast(to?.id ?? from.id, showVersion(this.mountPast(), b.doc, to ?? from))
      this.setBar(`No changes from “${from.name}” to ${toName}`, `Both have the same text (sha256 ${hashText(fromText).slice(0, 12)}…).`, [])
      return
    }
    const mount = this.mountPast()
    this.showPast(to?.id ?? from.id, await showComparison(mount, b.doc, b.ledger.roster(), from, to))
    const authors = changeAuthors(mount)
    const legend = h('span', { class: 'pk-diff-legend' },
      h('ins', { class: 'pk-diff pk-diff-added' }, 'added'), ' ', h('del', { class: 'pk-diff pk-diff-removed' }, 'removed'),
      authors.length === 0 ? ' · no changes to the text' : ' · by ',
      ...authors.flatMap((a, i) => [i > 0 ? ', ' : '', h('span', { class: 'pk-diff-author', style: colorStyle('--pk-diff-color', a.color) }, a.name)]))
    this.setBar(`Changes from “${from.name}” to ${toName}`, legend, [])
  }

  async compareWith(version: Version): Promise<void> {
    const b = this.bound
    if (!b) return
    const other = await pickVersionToCompare(version, readVersions(b.ledger))
    if (!other || this.bound !== b) return
    const [from, to] = other.created <= version.created ? [other, version] : [version, other]
    await this.compare(from, to)
  }

  async restore(version: Version): Promise<void> {
    const b = this.bound
    if (!b?.canEdit() || !b.view) return
    if (this.deps.proposing()) {
      showToast({ kind: 'error', message: 'Stop proposing before restoring a version: a restore is a change to the text, not an amendment.' })
      return
    }
    const open = openAmendments(content(b.doc)).size
    const before = `Before restoring “${version.name}”`.slice(0, 120)
    const ok = await confirmDialog({
      title: `Restore “${version.name}”?`,
      message: `The text becomes what it was in this version, as a new change that reaches every member. Nothing is lost: the text as it is now is saved first as the version “${before}”, and every version stays in the list and can be restored in turn.${open ? ` The ${open === 1 ? 'open amendment’s proposed edits are' : `${open} open amendments’ proposed edits are`} set aside; their records and discussions stay.` : ''}`,
      confirm: 'Restore',
    })
    if (!ok || this.bound !== b || !b.view) return
    // The edits made since the newest version (and proposals the restore sets aside) are
    // kept as a version of their own first.
    const newest = readVersions(b.ledger).filter((v) => !v.foreign).sort((x, y) => x.created - y.created).at(-1)
    const newestHash = newest ? derivedHashOf(b.ledger, newest).hash : null
    const saveBefore = open > 0 || !newest || newestHash !== await contentHash(b.doc, newest.format === 1 ? 1 : 2)
    if (saveBefore) await saveVersion(b.ledger, this.deps.identity(), { name: before, author: this.deps.me(), now: Date.now() }, ORIGIN.local)
    if (this.bound !== b || !b.view) return
    const at = versionDoc(b.doc, version)
    const text = withoutProposals(at)
    at.destroy()
    const view = b.view
    // Written through the editor as one change (undoable like any edit), and marked as
    // already handled so propose mode's rewrite never sees it. Only what differs is
    // replaced, so untouched paragraphs keep their identity (their comments, their authors).
    const tr = view.state.tr.setMeta(PROPOSAL_META, true)
    const current = view.state.doc
    const start = current.content.findDiffStart(text.content)
    if (start !== null) {
      let { a: endA, b: endB } = current.content.findDiffEnd(text.content)!
      const overlap = start - Math.min(endA, endB)
      if (overlap > 0) { endA += overlap; endB += overlap }
      tr.replace(start, endA, text.slice(start, endB))
    }
    view.dispatch(tr.scrollIntoView())
    this.back()
    await saveVersion(b.ledger, this.deps.identity(), { name: `Restored “${version.name}”`.slice(0, 120), author: this.deps.me(), now: Date.now() }, ORIGIN.local)
    showToast({ message: `Restored “${version.name}”. The text before it is ${saveBefore || !newest ? `saved as “${before}”` : `the version “${newest.name}”`}.` })
  }

  /** Leave the past and return to the live draft. */
  back(): void {
    this.past?.view.destroy()
    this.past = null
    this.pastPage.replaceChildren()
    this.pastPage.hidden = true
    this.pastBar.hidden = true
    this.deps.pageEl.hidden = false
    this.deps.pageEl.closest('.pk-main')?.classList.remove('pk-viewing-past')
    this.renderSoon()
  }

  private mountPast(): HTMLElement {
    this.past?.view.destroy()
    this.past = null
    const mount = h('div')
    this.pastPage.replaceChildren(mount)
    return mount
  }

  private showPast(id: string, view: PastView): void {
    this.past = { view, id }
    this.deps.pageEl.hidden = true
    this.pastPage.hidden = false
    this.deps.pageEl.closest('.pk-main')?.classList.add('pk-viewing-past')
    this.renderSoon()
  }

  private setBar(title: string, detail: string | HTMLElement, actions: Array<[string, () => void]>): void {
    this.pastBar.replaceChildren(
      h('div', { class: 'pk-past-text' }, h('strong', {}, title), h('span', { class: 'pk-past-detail' }, detail)),
      h('div', { class: 'pk-past-actions' },
        ...actions.map(([label, run]) => h('button', { class: 'pk-button pk-small', onclick: run }, label)),
        h('button', { class: 'pk-button pk-primary pk-small', onclick: () => this.back() }, 'Back to the draft')),
    )
    this.pastBar.hidden = false
  }
}
