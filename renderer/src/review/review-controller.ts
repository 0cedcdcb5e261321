import type * as Y from 'yjs'
import { TextSelection, type EditorState, type Plugin, type Transaction } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import { keymap } from 'prosemirror-keymap'
import {
  ORIGIN, content, openAmendments, type Anchor, type Author, type Thread, type Position, amendments as amendmentsRoot, comments as commentsRoot, votes as votesRoot,
  deleteComment, discardAmendment, editAmendment, editComment, proposeAmendment, readAmendments, readThreads,
  recordDecision, recordPosition, reply, setResolved, settleInContent, startThread, tally, MAX_TITLE, type Settlement,
  type Identity, type Choice, type Ledger, readQuestions, readVersions, questionsLog, members as membersRoot, versions as versionsRoot,
  castBallot, closeQuestion, addMinorityReport, recordRatification, recordSummary,
} from '../../../crdt/index.ts'
import { compositeAmendments, compositedSources, decideComposite, readComposites } from '../../../crdt/composite.ts'
import { readSource } from '../../../crdt/propose-back-log.ts'
import { namedByRoster } from '../members/names.ts'
import { questionDialog } from '../members/question-dialog.ts'
import { openConventionView } from '../members/convention-view.ts'
import { h, icon } from '../ui/h.ts'
import { confirmDialog, formDialog } from '../ui/dialog.ts'
import { showToast } from '../ui/toast.ts'
import { anchorSelection, resolveAnchor } from './anchors.ts'
import { commentHighlights, REFRESH_HIGHLIGHTS } from './comment-highlights.ts'
import { plainEditsPlugin } from './plain-edits.ts'
import { isLocalEdit } from './local-edit.ts'
import { toProposal } from './propose.ts'
import { firstPositionOf, planksOver, proposedChanges, type ProposalTag } from './suggestion-marks.ts'
import { ReviewPanel } from './review-panel.ts'
import type { ReviewActions, ReviewModel } from './review-model.ts'

interface Bound {
  doc: Y.Doc
  ledger: Ledger
  view: EditorView | null
  pending: { anchor: Anchor; quote: string } | null
  proposing: ProposalTag | null
  threads: Thread[]
  active: string | null
  unobserve: () => void
}

/**
 * Crowd-sourced review of the open draft: comments on words, propose mode, and
 * positions and decisions on amendments. Owns the review panel and the toolbar's
 * Comment and Propose buttons; the app binds it to each draft it opens.
 */
export class ReviewController implements ReviewActions {
  readonly panel = new ReviewPanel(this)
  private readonly commentButton = h('button', { type: 'button', class: 'pk-button pk-small pk-tool-text', title: 'Comment on the selected words (Ctrl+Alt+M)' }, icon('comment'), 'Comment')
  private readonly proposeButton = h('button', { type: 'button', class: 'pk-button pk-small pk-tool-text pk-propose', 'aria-pressed': 'false', title: 'Propose an amendment: your edits become suggestions others decide on' }, icon('propose'), 'Propose')
  private readonly proposingNote = h('span', { class: 'pk-proposing-note', role: 'status', hidden: true })
  readonly toolbarEl = h('div', { class: 'pk-review-tools' }, this.commentButton, this.proposeButton, this.proposingNote)
  private bound: Bound | null = null
  private frame = 0

  constructor(private me: () => Author, private identity: () => Identity, readonly manageMembers: () => void = () => {}) {
    this.commentButton.addEventListener('mousedown', (e) => e.preventDefault())
    this.commentButton.addEventListener('click', () => this.startComment())
    this.proposeButton.addEventListener('click', () => void (this.bound?.proposing ? this.stopProposing() : this.startProposing()))
  }

  /** Whether the member is proposing (their edits become an amendment). */
  get proposing(): boolean {
    return !!this.bound?.proposing
  }

  /** Attach to a newly opened draft (before its editor exists), or detach with null. */
  bind(doc: Y.Doc | null, ledger?: Ledger): void {
    this.bound?.unobserve()
    this.bound = null
    if (doc && ledger) {
      const onChange = () => this.changed()
      const roots = [commentsRoot(doc), amendmentsRoot(doc), votesRoot(doc), questionsLog(doc), membersRoot(doc), versionsRoot(doc)]
      for (const r of roots) r.observeDeep(onChange)
      this.bound = {
        doc, ledger, view: null, pending: null, proposing: null, threads: readThreads(doc), active: null,
        unobserve: () => { for (const r of roots) r.unobserveDeep(onChange) },
      }
    }
    this.refreshSoon()
  }

  /** The editor built for the bound draft (a new one after a read-only remount). */
  attachView(view: EditorView): void {
    if (!this.bound) return
    this.bound.view = view
    this.changed()
  }

  /** Plugins the editor needs: highlights, plain edits outside propose mode, the shortcut. */
  plugins(): Plugin[] {
    return [
      commentHighlights({
        threads: () => this.bound?.threads.filter((t) => t.amendment === null) ?? [],
        active: () => this.bound?.active ?? null,
        onActivate: (id) => this.activate(id),
      }),
      plainEditsPlugin(),
      keymap({ 'Mod-Alt-m': () => { this.startComment(); return true } }),
    ]
  }

  /** The editor's transaction hook: in propose mode, local edits become proposals. */
  readonly transform = (tr: Transaction, state: EditorState): Transaction | null => {
    const tag = this.bound?.proposing
    if (!tag || !isLocalEdit(tr)) return tr
    const result = toProposal(tr, state, tag)
    if ('refused' in result) {
      showToast({ kind: 'error', message: result.refused, duration: 6000 })
      return null
    }
    return result.tr
  }

  /** Editor state changed (typing, selection): previews and order may have moved. */
  onEditorState(): void {
    this.updateTools()
    this.refreshSoon()
  }

  private changed(): void {
    const b = this.bound
    if (!b) return
    b.threads = readThreads(b.doc)
    const view = b.view
    if (view && !view.isDestroyed) view.dispatch(view.state.tr.setMeta(REFRESH_HIGHLIGHTS, true))
    this.refreshSoon()
  }

  private refreshSoon(): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.panel.update(this.model())
      this.updateTools()
    })
  }

  private model(): ReviewModel | null {
    const b = this.bound
    const view = b?.view
    if (!b || !view || view.isDestroyed) return null
    const state = view.state
    const threads = b.threads
      .filter((t) => t.amendment === null)
      .map((thread) => ({ thread, at: thread.anchor ? (resolveAnchor(state, thread.anchor)?.from ?? null) : null }))
      .sort((x, y) => (x.at ?? Infinity) - (y.at ?? Infinity) || x.thread.created - y.thread.created)
    const changes = proposedChanges(state.doc)
    const roster = b.ledger.roster()
    const named = namedByRoster(roster)
    const versions = readVersions(b.ledger)
    const amendments = readAmendments(b.doc)
    const questions = readQuestions(b.ledger)
    const composites = readComposites(b.doc)
    const composited = compositedSources(b.ledger)
    const status = (id: string) => tally(b.ledger, id).status
    const titleOf = (id: string) => amendments.find((a) => a.id === id)?.title ?? 'a removed amendment'
    return {
      me: this.me(),
      canEdit: view.editable,
      threads: threads.map((t) => ({ ...t, thread: named.thread(t.thread) })),
      amendments: amendments.map((amendment) => ({
        amendment: { ...amendment, author: named.author(amendment.author) },
        tally: named.tally(tally(b.ledger, amendment.id)),
        change: changes.get(amendment.id) ?? null,
        discussion: ((d) => (d ? named.thread(d) : null))(b.threads.find((t) => t.id === amendment.discussion)),
        votes: questions.filter((q) => q.subject.kind === 'amendment' && q.subject.id === amendment.id),
        source: readSource(b.doc, amendment.id),
        composite: ((c) => (c ? { chapters: c.chapters, sources: c.sources.map((x) => ({ ...x, status: status(x.id) })) } : null))(composites.get(amendment.id)),
        compositedInto: ((into) => (into ? { id: into, title: titleOf(into), status: status(into) } : null))(composited.get(amendment.id)),
      })),
      roster,
      questions,
      subjectName: (q) => (q.subject.kind === 'amendment'
        ? `amendment “${amendments.find((a) => a.id === (q.subject as { id: string }).id)?.title ?? 'removed'}”`
        : `version “${versions.find((v) => v.id === (q.subject as { version: string }).version)?.name ?? 'unknown'}”`),
      activeThread: b.active,
      composing: b.pending ? { quote: b.pending.quote } : null,
      proposing: b.proposing?.amendment ?? null,
    }
  }

  private updateTools(): void {
    const view = this.bound?.view
    const editable = !!view && !view.isDestroyed && view.editable
    this.commentButton.disabled = !editable || view.state.selection.empty
    this.proposeButton.disabled = !editable
    const proposing = this.bound?.proposing ?? null
    this.proposeButton.setAttribute('aria-pressed', String(proposing !== null))
    this.proposeButton.classList.toggle('pk-active', proposing !== null)
    this.proposeButton.lastChild!.textContent = proposing ? 'Done proposing' : 'Propose'
    this.proposingNote.hidden = proposing === null
    if (proposing) {
      const title = readAmendments(this.bound!.doc).find((a) => a.id === proposing.amendment)?.title ?? ''
      this.proposingNote.textContent = `Proposing “${title}”: your edits are suggestions`
    }
    view?.dom.closest('.pk-page')?.classList.toggle('pk-proposing', proposing !== null)
  }

  /** Run a change to the draft's review records, reporting a refusal to the member. */
  private write(change: (doc: Y.Doc, ledger: Ledger) => void): boolean {
    const b = this.bound
    if (!b || !b.view?.editable) return false
    try {
      change(b.doc, b.ledger)
      return true
    } catch (err) {
      showToast({ kind: 'error', message: err instanceof Error ? err.message : String(err) })
      return false
    }
  }

  // Comments

  startComment(): void {
    const b = this.bound
    const view = b?.view
    if (!b || !view?.editable) return
    const sel = anchorSelection(view.state)
    if (!sel) {
      showToast({ message: 'Select the words you want to comment on first.' })
      return
    }
    b.pending = sel
    this.panel.show('comments')
    this.panel.focusSoon('new-comment')
    this.refreshSoon()
  }

  postComment(body: string): boolean {
    const b = this.bound
    const pending = b?.pending
    if (!b || !pending) return false
    let id = ''
    if (!this.write((doc) => { id = startThread(doc, { body, author: this.me(), now: Date.now(), anchor: pending.anchor, quote: pending.quote }, ORIGIN.local) })) return false
    b.pending = null
    b.active = id
    return true
  }

  /** Drop the comment being written; the caret goes back to the words it was on. */
  cancelComment(): void {
    if (!this.bound) return
    this.bound.pending = null
    this.refreshSoon()
    this.bound.view?.focus()
  }

  replyTo(threadId: string): void {
    this.activate(threadId)
    this.panel.focusSoon(`reply:${threadId}`)
  }

  activate(threadId: string): void {
    const b = this.bound
    const view = b?.view
    if (!b || !view) return
    b.active = threadId
    this.panel.show('comments')
    const thread = b.threads.find((t) => t.id === threadId)
    const range = thread?.anchor ? resolveAnchor(view.state, thread.anchor) : null
    const tr = view.state.tr.setMeta(REFRESH_HIGHLIGHTS, true)
    if (range) tr.setSelection(TextSelection.create(view.state.doc, range.from)).scrollIntoView()
    view.dispatch(tr)
    this.refreshSoon()
  }

  reply(threadId: string, body: string): boolean {
    return this.write((doc) => reply(doc, threadId, { body, author: this.me(), now: Date.now() }, ORIGIN.local))
  }

  edit(threadId: string, replyId: string | null, body: string): boolean {
    return this.write((doc) => editComment(doc, threadId, replyId, body, this.me(), Date.now(), ORIGIN.local))
  }

  remove(threadId: string, replyId: string | null): void {
    void confirmDialog({ title: 'Delete your comment?', message: 'Everyone will see “Comment deleted by its author” in its place.', confirm: 'Delete', danger: true }).then((ok) => {
      if (ok) this.write((doc) => deleteComment(doc, threadId, replyId, this.me(), ORIGIN.local))
    })
  }

  resolve(threadId: string, resolved: boolean): void {
    this.write((doc) => setResolved(doc, threadId, resolved, this.me(), Date.now(), ORIGIN.local))
  }

  // Amendments

  async startProposing(): Promise<void> {
    const b = this.bound
    if (!b?.view?.editable) return
    const values = await formDialog({
      title: 'Propose an amendment',
      intro: 'While you propose, your edits to the text are shown as suggestions: nothing in the accepted text changes until the committee accepts it.',
      fields: [
        { name: 'title', label: 'Title', placeholder: 'e.g. Make healthcare universal' },
        { name: 'rationale', label: 'Why (optional)', multiline: true, placeholder: 'The reasons for this change, for the committee' },
      ],
      confirm: 'Start proposing',
      validate: (v) => (v.title!.trim() === '' ? 'An amendment needs a title.' : v.title!.trim().length > MAX_TITLE ? `At most ${MAX_TITLE} characters.` : null),
    })
    if (!values || this.bound !== b) return
    const me = this.me()
    let id = ''
    if (!this.write((doc) => { id = proposeAmendment(doc, { title: values.title!, rationale: values.rationale ?? '', author: me, now: Date.now() }, ORIGIN.local).id })) return
    b.proposing = { amendment: id, author: me.name, color: me.color }
    this.panel.show('amendments')
    this.updateTools()
    b.view?.focus()
  }

  /** Leave propose mode; an amendment left without any edit is removed again. */
  stopProposing(): void {
    const b = this.bound
    if (!b?.proposing) return
    const id = b.proposing.amendment
    b.proposing = null
    if (!openAmendments(content(b.doc)).has(id) && tally(b.ledger, id).positions.length === 0) {
      const discussion = b.threads.find((t) => t.amendment === id)
      if (!discussion || discussion.replies.length === 0) {
        this.write((doc) => discardAmendment(doc, id, ORIGIN.local))
        showToast({ message: 'Nothing was proposed, so the amendment was removed.' })
      }
    }
    this.updateTools()
    this.refreshSoon()
  }

  continueProposing(amendmentId: string): void {
    const b = this.bound
    const me = this.me()
    if (!b?.view?.editable) return
    b.proposing = { amendment: amendmentId, author: me.name, color: me.color }
    this.updateTools()
    this.refreshSoon()
    this.show(amendmentId)
  }

  async editAmendment(amendmentId: string): Promise<void> {
    const b = this.bound
    const a = b && readAmendments(b.doc).find((x) => x.id === amendmentId)
    if (!a) return
    const values = await formDialog({
      title: 'Edit amendment',
      fields: [{ name: 'title', label: 'Title', value: a.title }, { name: 'rationale', label: 'Why (optional)', value: a.rationale, multiline: true }],
      confirm: 'Save',
      validate: (v) => (v.title!.trim() === '' ? 'An amendment needs a title.' : null),
    })
    if (values) this.write((doc) => editAmendment(doc, amendmentId, { title: values.title!, rationale: values.rationale ?? '' }, this.me(), ORIGIN.local))
  }

  async composite(amendmentIds: string[]): Promise<boolean> {
    const b = this.bound
    if (!b?.view?.editable) return false
    const chosen = readAmendments(b.doc).filter((a) => amendmentIds.includes(a.id))
    const values = await formDialog({
      title: `Composite ${chosen.length} amendments`,
      intro: `“${chosen.map((a) => a.title).join('”, “')}” become one amendment to debate and decide. Their edits stay in the text, each in its proposer’s colour; edit the composite (Continue editing) to reconcile them. Deciding the composite decides them all.`,
      fields: [
        { name: 'title', label: 'Title', placeholder: 'e.g. Housing: a rent cap (composite)' },
        { name: 'rationale', label: 'Why (optional)', multiline: true, placeholder: 'What the composite keeps from each' },
      ],
      confirm: 'Composite',
      validate: (v) => (v.title!.trim() === '' ? 'A composite needs a title.' : v.title!.trim().length > MAX_TITLE ? `At most ${MAX_TITLE} characters.` : null),
    })
    if (!values || this.bound !== b) return false
    let id = ''
    const made = this.write((_, ledger) => {
      id = compositeAmendments(ledger, { title: values.title!, rationale: values.rationale ?? '', author: this.me(), now: Date.now(), sources: amendmentIds }, ORIGIN.local).id
    })
    if (made) {
      showToast({ message: `Composited ${amendmentIds.length} amendments into “${values.title!.trim()}”.` })
      requestAnimationFrame(() => this.panel.el.querySelector(`[data-amendment="${id}"]`)?.scrollIntoView({ block: 'nearest' }))
    }
    return made
  }

  takePosition(amendmentId: string, position: Position, reason: string): void {
    if (this.write((_, ledger) => recordPosition(ledger, { question: amendmentId, member: this.me(), position, reason, now: Date.now(), identity: this.identity() }, ORIGIN.local))) {
      // The box now shows the reason on record.
      this.panel.el.querySelectorAll<HTMLInputElement>(`[data-draft="reason:${amendmentId}"]`).forEach((el) => { el.value = reason.trim(); el.dispatchEvent(new Event('input', { bubbles: true })) })
    }
  }

  async decide(amendmentId: string, how: 'accept' | 'reject' | 'withdraw'): Promise<void> {
    const b = this.bound
    const a = b && readAmendments(b.doc).find((x) => x.id === amendmentId)
    if (!b || !a) return
    const t = tally(b.ledger, amendmentId)
    const counts = `${t.counts.support} support, ${t.counts.oppose} oppose, ${t.counts.abstain} abstain, ${t.counts.block} block`
    const verb = { accept: 'Accept', reject: 'Reject', withdraw: 'Withdraw' }[how]
    const composite = readComposites(b.doc).get(amendmentId)
    const all = composite && how !== 'withdraw' ? ` It is a composite: its ${composite.sources.length} amendments are ${how === 'accept' ? 'accepted' : 'rejected'} with it.` : ''
    const ok = await confirmDialog({
      title: `${verb} “${a.title}”?`,
      message: (how === 'accept'
        ? `Its edits become part of the accepted text. Positions so far: ${counts}.${t.counts.block ? ' Members have blocked it.' : ''}`
        : how === 'reject'
          ? `Its edits are taken out and the original text comes back. Positions so far: ${counts}.`
          : 'Your proposed edits are taken out and the amendment is closed as withdrawn.') + all,
      confirm: verb,
      danger: how !== 'accept',
    })
    if (!ok || this.bound !== b) return
    this.settleAndRecord(b, amendmentId, how === 'accept' ? 'accepted' : how === 'reject' ? 'rejected' : 'withdrawn')
  }

  /** Take a decision: what it proposed is kept on its record, its edits settled, the decision signed. */
  private settleAndRecord(b: Bound, amendmentId: string, outcome: 'accepted' | 'rejected' | 'withdrawn'): void {
    if (b.proposing?.amendment === amendmentId) b.proposing = null
    const composite = outcome !== 'withdrawn' ? readComposites(b.doc).get(amendmentId) : undefined
    // A composite decides its open sources with it: keep what each of them proposed too.
    const pm = b.view?.state.doc
    if (pm) {
      const changes = proposedChanges(pm)
      for (const id of [amendmentId, ...(composite?.sources.map((s) => s.id) ?? [])]) {
        const change = changes.get(id)
        if (!change) continue
        const at = firstPositionOf(pm, id)
        const summary = {
          pieces: change.pieces.map(({ kind, text, note }) => ({ kind, text, ...(note ? { note } : {}) })),
          breaks: change.breaks, joins: change.joins, forms: change.forms, plank: at === null ? [] : planksOver(pm, at),
        }
        this.write((doc) => recordSummary(doc, id, summary, ORIGIN.local))
      }
    }
    if (composite && outcome !== 'withdrawn') {
      this.write((_, ledger) => decideComposite(ledger, { composite: amendmentId, outcome, member: this.me(), now: Date.now(), identity: this.identity() }, ORIGIN.local))
    } else {
      this.settle(amendmentId, outcome === 'accepted' ? 'accept' : 'reject')
      this.write((_, ledger) => recordDecision(ledger, { question: amendmentId, member: this.me(), outcome, now: Date.now(), identity: this.identity() }, ORIGIN.local))
    }
    this.updateTools()
  }

  /** Edits that arrived after the decision are settled the same way. */
  settleRemaining(amendmentId: string): void {
    const b = this.bound
    if (!b) return
    const status = tally(b.ledger, amendmentId).status
    if (status === 'accepted') this.settle(amendmentId, 'accept')
    else if (status === 'rejected' || status === 'withdrawn') this.settle(amendmentId, 'reject')
  }

  /** On the shared document's items, not through the editor: see crdt/settle.ts. */
  private settle(amendmentId: string, how: Settlement): void {
    this.write((doc) => settleInContent(doc, amendmentId, how, ORIGIN.local))
  }

  /** Open a formal vote on an amendment (its rule and quorum fixed now). */
  async callVote(amendmentId: string): Promise<void> {
    const b = this.bound
    const a = b && readAmendments(b.doc).find((x) => x.id === amendmentId)
    if (!b || !a) return
    await questionDialog(b.ledger, this.identity(), { text: `Adopt the amendment “${a.title}”?`, subject: { kind: 'amendment', id: a.id } })
    this.panel.show('votes')
  }

  vote(question: string, choice: Choice): void {
    this.write((_, ledger) => castBallot(ledger, this.identity(), { question, choice, now: Date.now() }, ORIGIN.local))
  }

  async closeVote(question: string): Promise<void> {
    const b = this.bound
    if (!b) return
    const roster = b.ledger.roster()
    const q = readQuestions(b.ledger).find((x) => x.id === question)
    if (!q) return
    const cast = q.counted.length
    const amendment = q.subject.kind === 'amendment' ? readAmendments(b.doc).find((a) => a.id === (q.subject as { id: string }).id) : undefined
    const open = amendment !== undefined && tally(b.ledger, amendment.id).status === 'open'
    // Say before closing what the close will do: no quorum, a quorum no roster can reach, the amendment adopted or not.
    const warning = q.quorum > roster.members.length
      ? ` The quorum (${q.quorum}) is more than the ${roster.members.length} members on the roster: the vote cannot reach it, and its result will not stand.`
      : cast < q.quorum
        ? ` Only ${cast} of the ${q.quorum} ballots the quorum needs are in: closed now, the vote has no quorum and its result does not stand.`
        : ''
    const effect = open && cast >= q.quorum ? ` If it passes, “${amendment.title}” is adopted: its edits become part of the text; if not, they are taken out.` : ''
    const ok = await confirmDialog({
      title: warning ? 'Close the vote without a quorum?' : 'Close the vote?',
      message: `The ${cast} ${cast === 1 ? 'ballot' : 'ballots'} on this device now are counted: your signed close follows them and lists them. Ballots that reach members after it are shown as late and not counted.${warning}${effect}`,
      confirm: 'Close the vote',
      danger: warning !== '',
    })
    if (!ok || this.bound !== b) return
    if (!this.write((_, ledger) => closeQuestion(ledger, this.identity(), { question, now: Date.now() }, ORIGIN.local))) return
    // A vote on an amendment decides it: passed adopts it, failed rejects it; without a quorum
    // it stays open. The decision is signed after the close, so it follows it in the causal order.
    const closed = readQuestions(b.ledger).find((x) => x.id === question)
    if (!amendment || !closed || tally(b.ledger, amendment.id).status !== 'open') return
    // Composited since the vote was called: it is decided with its composite, not alone.
    const into = compositedSources(b.ledger).get(amendment.id)
    if (into) {
      showToast({ message: `“${amendment.title}” was composited into “${readAmendments(b.doc).find((a) => a.id === into)?.title ?? 'a composite'}”: it is decided with it, not by this vote.` })
      return
    }
    if (closed.result === 'passed') this.settleAndRecord(b, amendment.id, 'accepted')
    else if (closed.result === 'failed') this.settleAndRecord(b, amendment.id, 'rejected')
    showToast({ message: closed.result === 'passed' ? `The vote passed: “${amendment.title}” is adopted.` : closed.result === 'failed' ? `The vote did not pass: “${amendment.title}” is rejected.` : `No quorum: “${amendment.title}” stays open.` })
  }

  ratify(question: string): void {
    this.write((_, ledger) => recordRatification(ledger, this.identity(), { question, now: Date.now() }, ORIGIN.local))
  }

  async addReport(question: string): Promise<void> {
    const values = await formDialog({
      title: 'Add a minority report',
      intro: 'A dissent recorded with the result, signed by you. Everyone sees it with the vote, and with the version if it is ratified.',
      fields: [{ name: 'text', label: 'Report', multiline: true }],
      confirm: 'Add report',
      validate: (v) => (v.text!.trim() === '' ? 'Write the report first.' : null),
    })
    if (values) this.write((_, ledger) => addMinorityReport(ledger, this.identity(), { question, text: values.text!, now: Date.now() }, ORIGIN.local))
  }

  showAmendment(amendmentId: string): void {
    this.panel.show('amendments')
    this.panel.el.querySelector<HTMLElement>(`.pk-amendment[data-amendment="${CSS.escape(amendmentId)}"]`)?.scrollIntoView({ block: 'nearest' })
  }

  openVote(question: string): void {
    this.panel.show('votes')
    this.panel.el.querySelector<HTMLElement>(`.pk-vote[data-question="${CSS.escape(question)}"]`)?.scrollIntoView({ block: 'nearest' })
  }

  convention(question: string): void {
    const b = this.bound
    if (b) openConventionView(b.ledger, question)
  }

  show(amendmentId: string): void {
    const view = this.bound?.view
    if (!view) return
    this.panel.show('amendments')
    const pos = firstPositionOf(view.state.doc, amendmentId)
    if (pos === null) return
    view.dispatch(view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(pos))).scrollIntoView())
    view.focus()
  }
}
