import { h } from '../ui/h.ts'
import type { ReviewActions, ReviewModel } from './review-model.ts'
import { type CardContext, composer, threadCard } from './thread-card.ts'
import { amendmentCard } from './amendment-card.ts'
import { type SelectContext, compositable } from './composite-card.ts'
import { voteCard } from './vote-card.ts'

type Tab = 'comments' | 'amendments' | 'votes'

/**
 * The review side panel: comment threads in document order, and amendments with
 * their positions, status and discussion. It re-renders from a snapshot on every
 * change; what the member is typing (and where the caret is) survives re-renders.
 */
export class ReviewPanel {
  readonly el: HTMLElement
  private readonly tabs: Record<Tab, HTMLButtonElement>
  private readonly body = h('div', { class: 'pk-review-body' })
  private tab: Tab = 'comments'
  private editing: string | null = null
  private model: ReviewModel | null = null
  private readonly drafts = new Map<string, string>()
  /** A box (by its data-draft key) to put the caret in once it is on screen. */
  private focusNext: string | null = null
  /** Amendments ticked for a composite. */
  private readonly selected = new Set<string>()

  constructor(private readonly actions: ReviewActions) {
    const tab = (name: Tab, label: string) => h('button', { type: 'button', role: 'tab', class: 'pk-tab', 'data-tab': name, onclick: () => this.show(name) }, label)
    this.tabs = { comments: tab('comments', 'Comments'), amendments: tab('amendments', 'Amendments'), votes: tab('votes', 'Votes') }
    this.el = h('aside', { class: 'pk-review', 'aria-label': 'Review' },
      h('div', { class: 'pk-tabs', role: 'tablist' }, this.tabs.comments, this.tabs.amendments, this.tabs.votes),
      this.body)
    this.body.addEventListener('input', (e) => {
      const t = e.target as HTMLTextAreaElement
      if (t.dataset.draft) this.drafts.set(t.dataset.draft, t.value)
    })
  }

  show(tab: Tab): void {
    this.tab = tab
    this.render()
  }

  update(model: ReviewModel | null): void {
    this.model = model
    this.render()
  }

  /** Put the caret in a box (a comment or reply being written) as soon as it is rendered. */
  focusSoon(key: string): void {
    this.focusNext = key
    this.focusPending()
  }

  private focusPending(): void {
    if (!this.focusNext) return
    const el = this.body.querySelector<HTMLTextAreaElement>(`[data-draft="${CSS.escape(this.focusNext)}"]`)
    if (!el) return
    this.focusNext = null
    el.focus()
    el.scrollIntoView({ block: 'nearest' })
  }

  /** What this member has typed and not yet saved, by box. */
  draft(key: string): string | undefined {
    return this.drafts.get(key)
  }

  private render(): void {
    const m = this.model
    const focused = document.activeElement instanceof HTMLElement && this.body.contains(document.activeElement) ? document.activeElement : null
    const focusKey = focused?.dataset.draft ?? null
    const caret = focused instanceof HTMLTextAreaElement || focused instanceof HTMLInputElement ? focused.selectionStart : null
    for (const [name, el] of Object.entries(this.tabs)) {
      el.setAttribute('aria-selected', String(name === this.tab))
      el.classList.toggle('pk-active', name === this.tab)
    }
    const openThreads = m?.threads.filter((t) => !t.thread.resolved).length ?? 0
    const openAmendments = m?.amendments.filter((a) => a.tally.status === 'open').length ?? 0
    const openVotes = m?.questions.filter((q) => q.status === 'open').length ?? 0
    // Counts as small badges, so three tabs fit on one line in a narrow panel.
    const label = (tab: HTMLButtonElement, name: string, count: number, what: string) => {
      tab.replaceChildren(name, ...(count ? [h('span', { class: 'pk-tab-count', 'aria-hidden': 'true' }, String(count))] : []))
      tab.setAttribute('aria-label', count ? `${name}, ${count} ${what}` : name)
    }
    label(this.tabs.comments, 'Comments', openThreads, 'open')
    label(this.tabs.amendments, 'Amendments', openAmendments, 'open')
    label(this.tabs.votes, 'Votes', openVotes, 'open')
    this.body.replaceChildren(...(m ? (this.tab === 'comments' ? this.commentsView(m) : this.tab === 'amendments' ? this.amendmentsView(m) : this.votesView(m)) : []))
    // Put back what was being typed, and the caret.
    for (const el of this.body.querySelectorAll<HTMLTextAreaElement | HTMLInputElement>('[data-draft]')) {
      const saved = this.drafts.get(el.dataset.draft!)
      if (saved !== undefined) el.value = saved
      if (el.dataset.draft === focusKey) {
        el.focus()
        if (caret !== null) el.setSelectionRange(caret, caret)
      }
    }
    this.focusPending()
  }

  private context(m: ReviewModel): CardContext & SelectContext & { proposing: string | null; member: boolean; members: number; selecting: boolean } {
    const member = !m.roster.established || m.roster.has(m.me.id)
    return {
      me: m.me, canEdit: m.canEdit, proposing: m.proposing, editing: this.editing, member, members: m.roster.members.length,
      setEditing: (key) => { this.editing = key; this.render() },
      actions: this.actions,
      // Compositing is the committee's: members, on a draft they can edit, with amendments to merge.
      selecting: member && m.canEdit && m.amendments.filter(compositable).length >= 2,
      selected: this.selected,
      toggleSelected: (id) => {
        if (!this.selected.delete(id)) this.selected.add(id)
        this.render()
      },
    }
  }

  /** What is ticked, and the button that merges it. */
  private selectionBar(m: ReviewModel): HTMLElement | null {
    const open = new Set(m.amendments.filter(compositable).map((v) => v.amendment.id))
    for (const id of this.selected) if (!open.has(id)) this.selected.delete(id)
    if (this.selected.size === 0) return null
    const n = this.selected.size
    return h('div', { class: 'pk-selection-bar', role: 'toolbar', 'aria-label': 'Selected amendments' },
      h('span', {}, `${n} selected`),
      h('button', {
        type: 'button', class: 'pk-button pk-small pk-primary', disabled: n < 2, title: n < 2 ? 'Select at least two amendments' : '',
        onclick: () => void this.actions.composite([...this.selected]).then((made) => { if (made) { this.selected.clear(); this.render() } }),
      }, 'Composite…'),
      h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => { this.selected.clear(); this.render() } }, 'Clear'))
  }

  private commentsView(m: ReviewModel): HTMLElement[] {
    const ctx = this.context(m)
    const out: HTMLElement[] = []
    if (m.composing) {
      out.push(h('article', { class: 'pk-card pk-card-active pk-new-comment', 'aria-label': 'New comment' },
        h('p', { class: 'pk-quote' }, m.composing.quote),
        composer('new-comment', 'Comment on the selected words', 'Comment', (body) => this.actions.postComment(body),
          h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => this.actions.cancelComment() }, 'Cancel'), () => this.actions.cancelComment())))
    }
    const open = m.threads.filter((t) => !t.thread.resolved)
    const resolved = m.threads.filter((t) => t.thread.resolved)
    if (open.length === 0 && !m.composing) {
      out.push(h('div', { class: 'pk-review-empty' },
        h('p', {}, h('strong', {}, 'No open comments.')),
        h('p', {}, m.canEdit ? 'Select words in the draft and press Comment (Ctrl+Alt+M) to start a discussion on them.' : 'Comments appear here once this draft can be edited.')))
    }
    for (const { thread, at } of open) out.push(threadCard(thread, at === null, thread.id === m.activeThread, ctx))
    if (resolved.length > 0) {
      out.push(h('details', { class: 'pk-resolved-list' }, h('summary', {}, `Resolved (${resolved.length})`),
        ...resolved.map(({ thread, at }) => threadCard(thread, at === null, thread.id === m.activeThread, ctx))))
    }
    return out
  }

  private amendmentsView(m: ReviewModel): HTMLElement[] {
    const ctx = this.context(m)
    if (m.amendments.length === 0) {
      return [h('div', { class: 'pk-review-empty' },
        h('p', {}, h('strong', {}, 'No amendments yet.')),
        h('p', {}, 'Press Propose in the toolbar, give the amendment a title and a reason, then edit the text: your edits are shown as proposals for the committee to decide.'))]
    }
    const open = m.amendments.filter((a) => a.tally.status === 'open')
    const decided = m.amendments.filter((a) => a.tally.status !== 'open')
    const bar = this.selectionBar(m)
    return [
      ...(bar ? [bar] : []),
      ...open.map((v) => amendmentCard(v, ctx)),
      ...(decided.length ? [h('h3', { class: 'pk-review-subheading' }, `Decided (${decided.length})`), ...decided.map((v) => amendmentCard(v, ctx))] : []),
    ]
  }

  private votesView(m: ReviewModel): HTMLElement[] {
    const ctx = { me: m.me.id, roster: m.roster, actions: this.actions, canEdit: m.canEdit }
    const head = h('p', { class: 'pk-muted pk-small-text pk-roster-line' }, m.roster.established
      ? `${m.roster.members.length} ${m.roster.members.length === 1 ? 'member' : 'members'} on the roster: ${m.roster.members.map((x) => x.name).join(', ')}.`
      : 'This draft has no member roster, so its votes cannot be verified.', ' ',
      h('button', { type: 'button', class: 'pk-link-button', onclick: () => this.actions.manageMembers() }, 'Members…'))
    if (m.questions.length === 0) {
      return [head, h('div', { class: 'pk-review-empty' },
        h('p', {}, h('strong', {}, 'No votes yet.')),
        h('p', {}, 'Call a vote from an amendment (“Call a vote…”), or ratify a version from the Versions panel. Every ballot is signed; the teller closes the vote.'))]
    }
    const open = m.questions.filter((q) => q.status === 'open').reverse()
    const closed = m.questions.filter((q) => q.status === 'closed').reverse()
    return [
      head,
      ...open.map((q) => voteCard(q, { ...ctx, subject: m.subjectName(q) })),
      ...(closed.length ? [h('h3', { class: 'pk-review-subheading' }, `Closed (${closed.length})`), ...closed.map((q) => voteCard(q, { ...ctx, subject: m.subjectName(q) }))] : []),
    ]
  }
}
