import * as Y from 'yjs'
import type { EditorView } from 'prosemirror-view'
import { keymap } from 'prosemirror-keymap'
import type { Plugin } from 'prosemirror-state'
import { ORIGIN, content, meta, createDraftDoc, readTitle, renameDraft, seedDraft, applyStoredUpdates, forwardMovedEdits, UNTITLED } from '../../../crdt/index.ts'
import { createEditor } from '../editor/editor.ts'
import { schema } from '../editor/schema.ts'
import { findUnrenderable, type Unrenderable } from '../editor/schema-guard.ts'
import { bindGuarded } from '../editor/guarded-binding.ts'
import { showableCopy } from '../editor/showable-copy.ts'
import { unshownBlocks } from '../editor/unshown-blocks.ts'
import { writerOf } from '../members/names.ts'
import { Toolbar } from '../editor/toolbar.ts'
import { countWords } from '../editor/outline.ts'
import { type OpenedDraft, type SaveState, deleteDraftStorage, openDraft, readStoredUpdates, storeNewDraft } from '../storage/draft-storage.ts'
import { type DraftEntry, Workspace } from '../workspace/workspace.ts'
import { host, hosting } from '../platform.ts'
import type { MenuAction } from '../../../crdt/contracts/host-api.ts'
import type { AppContext, Session } from './session.ts'
import { Membership } from '../members/membership.ts'
import { Meeting } from './meeting.ts'
import { proposeBackToParent, startChapter } from './chapter-actions.ts'
import type { IdentityContents } from '../members/identity-file.ts'
import { h, icon } from './h.ts'
import { confirmDialog, formDialog, promptDialog } from './dialog.ts'
import { showToast } from './toast.ts'
import { relativeTime, renderDraftsList } from './drafts-list.ts'
import { renderOutline } from './outline-panel.ts'
import { remoteCursors } from '../editor/remote-cursors.ts'
import { DraftSync, describeSync, type SyncStatus } from '../sync/draft-sync.ts'
import { readInvite, type Invite } from '../sync/invite.ts'
import { sameOriginRelay, type RelayEndpoint } from '../sync/relays.ts'
import { defaultProfile, displayName, loadProfile, type Profile } from '../sync/profile.ts'
import { type Identity, decodeBytes, identityFromSecret } from '../../../crdt/identity.ts'
import { clearRecordLogs, foundDraft } from '../../../crdt/roster.ts'
import { Ledger } from '../../../crdt/ledger.ts'
import { IndexedDbRecordStore, deleteRecordStore } from '../storage/record-store-idb.ts'
import { TrustBanner } from '../members/trust-banner.ts'
import { peersOf, renderPresence } from './presence-bar.ts'
import { shareDialog } from './share-dialog.ts'
import { profileDialog } from './profile-dialog.ts'
import { ReviewController } from '../review/review-controller.ts'
import type { Author } from '../../../crdt/author.ts'
import { decodeKey, importRoomKey } from '../../../crdt/envelope.ts'
import { adoptKey, newRoomKey, roomKeysOf, roomWarningMessage } from '../workspace/room-keys.ts'
import type { RoomWarning } from '../../../crdt/private-room.ts'
import { recordAttribution } from '../../../crdt/attribution.ts'
import { readForkPoint } from '../../../crdt/fork.ts'
import { VersionsController } from '../versions/versions-controller.ts'
import { chooseImport, exportDraft } from '../publish/publish-actions.ts'
import { askAboutInvite, type InviteSource } from './invite-prompt.ts'
import { draftFromProseMirror } from '../publish/import-draft.ts'

/** What the banner says when the draft holds something this version cannot show, and who wrote it. */
const unrenderableMessage = (ledger: Ledger, problem: Unrenderable, blocks: number) => {
  const named = writerOf(ledger, problem.client)
  // “another app …” starts the sentence; a member's name is shown exactly as they wrote it.
  const writer = /^(another app|this device|a member)\b/.test(named) ? `${named.charAt(0).toUpperCase()}${named.slice(1)}` : named
  const more = blocks > 1 ? ` (and ${blocks - 1} more ${blocks === 2 ? 'block holds' : 'blocks hold'} something it cannot show, marked below)` : ''
  return `${writer} wrote ${problem.what}, which this version of Plank cannot show as written${more}. ` +
    'The draft is read-only here so nothing is lost: it keeps syncing, marked blocks are shown as near as Plank can, and you can edit again once that is changed or after updating Plank.'
}

/**
 * The read-only view is rebuilt when changes settle (quiet for this long), so a member
 * selecting text to copy is not interrupted by every keystroke of a colleague, and at
 * least this often while changes keep coming. Each rebuild also checks whether the
 * draft can be edited again.
 */
const UNRENDERABLE_QUIET_MS = 500
const UNRENDERABLE_MAX_WAIT_MS = 4000

const LAST_OPENED = 'lastOpenedDraft'
const PROFILE = 'profile'
/** How long a deleted draft can be brought back before it is removed from the device. */
export const UNDO_DELETE_MS = 8000

/**
 * The app shell: drafts on the left, the open draft on the right. Owns the open
 * session (doc + editor + storage) and is the one place that switches drafts.
 */
/** A joined draft not here yet: while no relay can be reached, say why (a meeting host refused, a relay down). */
const waitingFor = (status: SyncStatus): { text: string; kind: 'busy' } => {
  const down = status.relays.length > 0 && status.relays.every((r) => r.state === 'offline' || r.state === 'refused')
  const said = down ? status.relays.find((r) => r.reason)?.reason : undefined
  return { text: `Waiting for the draft${said ? ` · ${said}` : ''}`, kind: 'busy' }
}

/** Meeting hosts' certificates are pinned by main in the desktop app; a browser cannot pin one (draft-sync.ts). */
const pinning = ((api) => (api ? (url: string, pin: string) => api.pinCertificate(url, pin) : null))(hosting)

export class App {
  private entries: DraftEntry[] = []
  private session: Session | null = null
  private saveState: SaveState = 'saved'
  private readonly pendingDeletes = new Map<string, ReturnType<typeof setTimeout>>()
  private readonly toolbar = new Toolbar()
  private readonly review = new ReviewController(() => this.author(), () => this.identity, () => this.membership.manage())

  private readonly draftsEl = h('nav', { class: 'pk-sidebar-section', 'aria-label': 'Drafts' })
  private readonly outlineEl = h('nav', { class: 'pk-sidebar-section pk-outline-wrap', 'aria-label': 'Outline' })
  private readonly titleEl = h('h1', { class: 'pk-topbar-title' })
  private readonly statusEl = h('span', { class: 'pk-status pk-save', role: 'status', 'aria-live': 'polite' })
  private readonly syncEl = h('button', { class: 'pk-status pk-sync', 'aria-live': 'polite', title: 'Where this draft syncs' })
  private readonly presenceEl = h('div', { class: 'pk-presence-wrap' })
  private profile: Profile = defaultProfile()
  /** This member's key pair (the profile's id is its public key). */
  private identity: Identity = identityFromSecret(decodeBytes(this.profile.secretKey)!)
  private readonly wordsEl = h('span', { class: 'pk-words' })
  /** The draft's own state (read-only, waiting, not saved…); the sync problem and trust banners are beside it. */
  private readonly bannerEl = h('div', { class: 'pk-banner pk-draft-banner', role: 'alert', hidden: true })
  private readonly nameBarEl = h('form', { class: 'pk-namebar', 'aria-label': 'Your name', hidden: true })
  /** Why no relay takes this draft's changes, in full (the status pill may be cut short). */
  private readonly syncProblemEl = h('div', { class: 'pk-banner pk-sync-problem', role: 'alert', hidden: true })
  private readonly trust = new TrustBanner()
  private readonly pageEl = h('article', { class: 'pk-page' })
  private readonly versions = new VersionsController({ me: () => this.author(), identity: () => this.identity, pageEl: this.pageEl, proposing: () => this.review.proposing, showVotes: () => this.showVotes() })
  private readonly proposeBackButton = h('button', { class: 'pk-button', hidden: true, title: 'Turn this chapter’s changes into amendments on the draft it came from' }, 'Propose back…')
  private readonly versionsButton = h('button', { class: 'pk-button', 'aria-pressed': 'false', title: 'Saved versions: open, compare, restore' }, 'Versions')
  private readonly emptyEl: HTMLElement
  private readonly mainEl: HTMLElement

  private readonly ctx: AppContext
  private readonly membership: Membership
  private readonly meeting: Meeting

  constructor(private readonly root: HTMLElement, private readonly workspace: Workspace) {
    this.ctx = {
      workspace,
      session: () => this.session,
      entry: (id) => this.entries.find((e) => e.id === id),
      drafts: () => this.entries,
      canEdit: (s) => this.canEdit(s),
      author: () => this.author(),
      identity: () => this.identity,
      memberName: () => displayName(this.profile),
      open: (id) => this.open(id),
      join: (invite) => this.acceptInvite(invite, 'prompt'),
      setRelays: (id, relays) => this.setRelays(id, relays),
      withDoc: (id, change) => this.withDoc(id, change),
      withLedger: (id, change) => this.withLedger(id, change),
      deliver: (id, timeoutMs) => this.deliver(id, timeoutMs),
      addDraft: (doc, title) => this.addDraft(doc, title),
    }
    this.membership = new Membership(this.ctx, (contents) => this.adoptIdentity(contents), () => ({ secretKey: this.profile.secretKey, name: this.profile.name, color: this.profile.color }))
    this.meeting = new Meeting(this.ctx, this.membership)
    this.emptyEl = h('section', { class: 'pk-empty-state', hidden: true },
      h('h2', {}, 'Write your platform together'),
      h('p', {}, 'Drafts live on this device and work without a network. Start one and the committee can build on it.'),
      h('button', { class: 'pk-button pk-primary pk-large', onclick: () => void this.newDraft() }, icon('plus'), 'New draft'),
    )
    this.mainEl = h('main', { class: 'pk-main' },
      h('header', { class: 'pk-topbar' },
        this.titleEl,
        h('div', { class: 'pk-topbar-right' },
          this.presenceEl,
          this.syncEl,
          this.proposeBackButton,
          this.versionsButton,
          h('button', { class: 'pk-button', onclick: () => void this.exportDraft(), title: 'Publish the accepted text as PDF, HTML, Markdown or plain text' }, 'Export…'),
          h('button', { class: 'pk-button pk-primary', onclick: () => this.share(), title: 'Sync through relays and invite members' }, 'Share'),
        ),
      ),
      this.toolbar.el,
      this.bannerEl,
      this.syncProblemEl,
      this.trust.el,
      this.nameBarEl,
      this.versions.pastBar,
      h('div', { class: 'pk-workarea' }, h('div', { class: 'pk-scroller' }, this.pageEl, this.versions.pastPage), this.review.panel.el, this.versions.panel),
      // The document's own state, under it: the header keeps room for the title at any width.
      h('footer', { class: 'pk-docbar' }, this.statusEl, this.wordsEl),
    )
    this.versionsButton.addEventListener('click', () => this.toggleVersions())
    this.proposeBackButton.addEventListener('click', () => void proposeBackToParent(this.ctx))
    this.toolbar.el.append(this.review.toolbarEl)
    root.replaceChildren(
      h('aside', { class: 'pk-sidebar' },
        h('div', { class: 'pk-brand' }, h('span', { class: 'pk-logo', 'aria-hidden': 'true' }), 'Plank'),
        h('button', { class: 'pk-button pk-primary pk-new', onclick: () => void this.newDraft() }, icon('plus'), 'New draft'),
        h('button', { class: 'pk-button pk-join', onclick: () => void this.joinFromPrompt() }, 'Join with invite…'),
        h('button', { class: 'pk-button pk-join', onclick: () => void this.importDraft(), title: 'Make a new draft from a Markdown or plain-text file' }, 'Import…'),
        this.meeting.nearbyEl,
        h('h2', { class: 'pk-sidebar-heading' }, 'Drafts'),
        this.draftsEl,
        h('h2', { class: 'pk-sidebar-heading' }, 'Outline'),
        this.outlineEl,
      ),
      this.mainEl,
      this.emptyEl,
    )
    host.onMenuAction((action) => void this.onMenu(action))
    this.syncEl.addEventListener('click', () => this.share())
  }

  async start(): Promise<void> {
    const saved = await this.workspace.getSetting<Partial<Profile>>(PROFILE)
    const loaded = loadProfile(saved ?? this.profile)
    this.profile = loaded.profile
    this.identity = loaded.identity
    if (!saved || loaded.changed) await this.workspace.setSetting(PROFILE, this.profile)
    // Deletions whose undo window closed with the app: finish them now.
    for (const entry of await this.workspace.deletedDrafts()) await this.purge(entry.id)
    this.entries = await this.workspace.drafts()
    const last = await this.workspace.getSetting<string>(LAST_OPENED)
    const first = this.entries.find((e) => e.id === last) ?? this.entries[0]
    if (first) await this.open(first.id)
    else this.render()
  }

  private async onMenu(action: MenuAction): Promise<void> {
    switch (action) {
      case 'new-draft': return this.newDraft()
      case 'open-draft': {
        this.draftsEl.querySelector<HTMLElement>('.pk-draft-open')?.focus()
        return
      }
      case 'export': return this.exportDraft()
      case 'rename-draft': if (this.session) return this.rename(this.session.id)
    }
  }

  /** Create a draft, seeded once here by its creator, and open it. */
  async newDraft(): Promise<void> {
    const doc = createDraftDoc()
    seedDraft(doc, { title: '' })
    await this.addDraft(doc, '')
    this.session?.view.focus()
  }

  /**
   * Store a draft made on this device and open it; private by default (the room key
   * travels only in invites). Its creator founds its roster, the first admin who invites
   * the others, and the draft's id is derived from that founding entry. A copy of
   * another draft (duplicate, chapter) leaves that draft's roster and votes behind.
   */
  private async addDraft(doc: Y.Doc, title: string): Promise<string> {
    clearRecordLogs(doc, ORIGIN.copy)
    const id = foundDraft(doc, this.identity, displayName(this.profile), Date.now(), ORIGIN.seed)
    await storeNewDraft(id, doc)
    doc.destroy()
    const now = Date.now()
    await this.workspace.put({ id, title, created: now, updated: now, roomKey: newRoomKey() })
    this.entries = await this.workspace.drafts()
    await this.open(id)
    return id
  }

  async open(id: string): Promise<void> {
    await this.closeSession()
    let opened: OpenedDraft
    try {
      opened = await openDraft(id, {
        onProblem: (p) => this.showBanner(p.message, 'error'),
        onSaveState: (s) => this.setSaveState(s),
      })
    } catch (err) {
      this.showBanner(`This draft could not be opened from this device's storage (${String(err)}).`, 'error')
      return
    }
    const storage = opened.mode === 'editable' ? opened.storage : null
    const readOnlyReason = opened.mode === 'read-only' ? opened.reason : null
    const entry = this.entries.find((e) => e.id === id)
    // A read-only (damaged or newer) draft is never synced: nothing may be written to it.
    let store: IndexedDbRecordStore
    try {
      store = await IndexedDbRecordStore.open(id, (message) => this.showBanner(message, 'warning'))
    } catch (err) {
      opened.doc.destroy()
      this.showBanner(`This draft’s verified records could not be read from this device (${String(err)}), so it was not opened: its votes could not be checked.`, 'error')
      return
    }
    const ledger = new Ledger(opened.doc, id, { store, repair: readOnlyReason === null, me: this.identity.id, ...(entry?.root ? { root: entry.root } : {}) })
    const keys = await roomKeysOf(entry)
    const privacy = keys.length > 0 ? { keys, onWarning: (w: RoomWarning) => this.showBanner(roomWarningMessage(w), 'warning') } : null
    const sync = new DraftSync(opened.doc, id, readOnlyReason === null ? (entry?.relays ?? []) : [], entry?.pending ?? 0, (status) => this.onSyncStatus(status), privacy, undefined, pinning)
    sync.awareness.setLocalStateField('user', { name: displayName(this.profile), color: this.profile.color })
    sync.awareness.on('change', () => this.renderPresence())
    const session: Session = {
      id, doc: opened.doc, ledger, recordStore: store, view: null as unknown as EditorView, storage, readOnlyReason, titleTimer: null, sync,
      received: !entry?.awaitingFirstSync,
      unrenderable: null,
      unshownBlocks: 0,
      unguard: () => {},
      refreshTimer: null,
      stopAttribution: () => {},
      stopForwarding: () => {},
    }
    // Edits made elsewhere to words a decision moved are carried to where they went
    // (crdt/moves.ts), whether the editor is live or shows a read-only copy. Never on a
    // draft nothing may be written to.
    if (readOnlyReason === null) session.stopForwarding = forwardMovedEdits(opened.doc)
    this.review.bind(opened.doc, ledger)
    this.versions.bind(opened.doc, ledger, () => this.canEdit(session))
    this.trust.bind(ledger, () => this.membership.manage())
    const view = this.mountEditor(session)
    session.view = view
    if (readOnlyReason === null && session.unrenderable === null && session.received) this.startAttribution(session)
    this.session = session
    opened.doc.on('update', this.onDocUpdate)
    this.toolbar.bind(view)
    this.setSaveState('saved')
    if (readOnlyReason !== null) this.showBanner(readOnlyReason, 'warning')
    else if (session.unrenderable !== null) this.showBanner(unrenderableMessage(session.ledger, session.unrenderable, session.unshownBlocks), 'warning')
    else if (!session.received) this.showBanner('Waiting for this draft to arrive from a relay… It opens for editing as soon as it has synced once.', 'warning')
    else this.hideBanner()
    this.onSyncStatus(sync.status)
    this.proposeBackButton.hidden = readForkPoint(opened.doc) === null || readOnlyReason !== null
    this.membership.attach(session)
    await this.workspace.setSetting(LAST_OPENED, id)
    this.render()
  }

  /**
   * The editor for a session: bound to the draft itself through the schema guard
   * (guarded-binding.ts), or, when the draft holds content this version cannot show,
   * a read-only view of a copy made showable (showable-copy.ts) with the changed blocks
   * marked. The draft, its storage and its sync keep every byte either way.
   */
  private mountEditor(session: Session): EditorView {
    const mount = h('div')
    this.pageEl.replaceChildren(mount)
    const options = (live: boolean, plugins: Plugin[] = []) => ({
      editable: () => live && session.readOnlyReason === null && session.unrenderable === null && session.received,
      openExternal: (url: string) => host.openExternal(url),
      onState: () => this.onEditorState(),
      transform: this.review.transform,
      plugins: [
        keymap({ 'Mod-k': () => { void this.toolbar.editLink(); return true } }),
        ...this.review.plugins(),
        ...plugins,
      ],
    })
    let view: EditorView | null = null
    if (session.unrenderable === null) {
      const fragment = content(session.doc)
      const guarded = bindGuarded(schema, fragment, () => createEditor(mount, fragment, options(true, [remoteCursors(session.sync.awareness)])), (problem) => this.onUnrenderable(session, problem))
      session.unguard = () => guarded.destroy()
      session.unrenderable = guarded.problem
      view = guarded.view
    }
    if (view === null) {
      const copy = showableCopy(schema, session.doc)
      session.unshownBlocks = copy.notes.length
      const labels = copy.notes.map((n) => ({ index: n.index, label: `Not shown as written: ${n.problem.what}, from ${writerOf(session.ledger, n.problem.client, true)}` }))
      view = createEditor(mount, content(copy.doc), options(false, [unshownBlocks(labels)]))
    }
    this.review.attachView(view)
    this.versions.attachView(view)
    return view
  }

  /** Whether the member may change this draft now (not damaged, newer, unrenderable or still arriving). */
  private canEdit(session: Session): boolean {
    return this.session === session && session.readOnlyReason === null && session.unrenderable === null && session.received
  }

  private startAttribution(session: Session): void {
    session.stopAttribution()
    const recorder = recordAttribution(session.doc, this.author(), ORIGIN.bookkeeping)
    session.stopAttribution = () => recorder.stop()
  }

  /** Bring the Votes tab into view (after calling a vote from the versions panel). */
  private showVotes(): void {
    if (this.versions.visible) this.toggleVersions()
    this.review.panel.show('votes')
  }

  private toggleVersions(): void {
    const show = !this.versions.visible
    this.versions.setVisible(show)
    this.review.panel.el.hidden = show
    this.versionsButton.setAttribute('aria-pressed', String(show))
  }

  /** This member as recorded on comments, amendments and positions. */
  private author(): Author {
    return { id: this.profile.id, name: displayName(this.profile), color: this.profile.color }
  }

  /**
   * Runs inside the Yjs event, after the guard stopped the live editor (before
   * y-prosemirror could delete anything): show the read-only view once the event is over.
   */
  private onUnrenderable(session: Session, problem: Unrenderable): void {
    session.unrenderable = problem
    setTimeout(() => this.remount(session))
  }

  /** Show the session's draft again: editable if it can be shown now, else the read-only view. */
  private remount(session: Session): void {
    if (this.session !== session) return
    session.unguard()
    session.view.destroy()
    const scroller = this.pageEl.closest('.pk-scroller')
    const scrolled = scroller?.scrollTop ?? 0
    if (session.unrenderable !== null) session.unrenderable = findUnrenderable(schema, content(session.doc))
    session.view = this.mountEditor(session)
    if (scroller) scroller.scrollTop = scrolled
    this.toolbar.bind(session.view)
    if (session.readOnlyReason !== null) return
    if (session.unrenderable !== null) this.showBanner(unrenderableMessage(session.ledger, session.unrenderable, session.unshownBlocks), 'warning')
    else {
      this.hideBanner()
      if (this.canEdit(session)) this.startAttribution(session)
    }
  }

  /** While read-only for content it cannot show, follow the draft: show changes, and edit again once it can. */
  private refreshUnrenderableSoon(session: Session): void {
    if (session.unrenderable === null) return
    const now = Date.now()
    if (session.refreshTimer) clearTimeout(session.refreshTimer.timer)
    const since = session.refreshTimer?.since ?? now
    const timer = setTimeout(() => {
      session.refreshTimer = null
      this.remount(session)
    }, Math.max(0, Math.min(UNRENDERABLE_QUIET_MS, since + UNRENDERABLE_MAX_WAIT_MS - now)))
    session.refreshTimer = { timer, since }
  }

  private async closeSession(): Promise<void> {
    const s = this.session
    if (!s) return
    this.session = null
    if (s.titleTimer) clearTimeout(s.titleTimer)
    if (s.refreshTimer) clearTimeout(s.refreshTimer.timer)
    this.syncTitleToList(s)
    s.doc.off('update', this.onDocUpdate)
    s.unguard()
    s.stopForwarding()
    this.toolbar.bind(null)
    this.review.bind(null)
    this.versions.bind(null)
    this.trust.bind(null)
    s.stopAttribution()
    s.sync.destroy()
    s.view.destroy()
    await s.storage?.close()
    s.ledger.destroy()
    s.recordStore.close()
    s.doc.destroy()
  }

  /** Keep the drafts list's cached title and edit time in step with the document. */
  private readonly onDocUpdate = (_update: Uint8Array, _origin: unknown, doc: Y.Doc, tr: Y.Transaction): void => {
    const s = this.session
    const text: unknown = content(doc)
    if (s && [...tr.changedParentTypes.keys()].some((type) => type === text)) this.refreshUnrenderableSoon(s)
    if (s && !s.received) this.checkArrived(s)
    if (!s || s.titleTimer) return
    s.titleTimer = setTimeout(() => {
      s.titleTimer = null
      this.syncTitleToList(s)
    }, 400)
  }

  private syncTitleToList(s: Session): void {
    if (s.readOnlyReason !== null || !s.received) return
    const title = readTitle(s.doc)
    const entry = this.entries.find((e) => e.id === s.id)
    if (!entry) return
    const changed = entry.title !== title
    entry.title = title
    entry.updated = Date.now()
    void this.workspace.update(s.id, { title, updated: entry.updated })
    if (changed) this.renderTitle()
    this.renderDrafts()
  }

  private onEditorState(): void {
    this.toolbar.update()
    this.review.onEditorState()
    this.renderOutlineSoon()
    this.renderTitle()
  }

  private outlineFrame = 0
  private renderOutlineSoon(): void {
    if (this.outlineFrame) return
    this.outlineFrame = requestAnimationFrame(() => {
      this.outlineFrame = 0
      const view = this.session?.view ?? null
      this.outlineEl.replaceChildren(renderOutline(view))
      const words = view ? countWords(view.state.doc) : 0
      this.wordsEl.textContent = view ? `${words.toLocaleString()} ${words === 1 ? 'word' : 'words'}` : ''
    })
  }

  async rename(id: string): Promise<void> {
    const entry = this.entries.find((e) => e.id === id)
    const name = await promptDialog({
      title: 'Rename draft',
      label: 'Title',
      value: entry?.title ?? '',
      confirm: 'Rename',
      validate: (v) => (v.trim() === '' ? 'A draft needs a title.' : null),
    })
    if (name === null) return
    await this.withDoc(id, (doc) => renameDraft(doc, name.trim(), ORIGIN.local))
    await this.workspace.update(id, { title: name.trim(), updated: Date.now() })
    this.entries = await this.workspace.drafts()
    this.render()
    // A draft that is not open sends its new title to its relays now, not when next opened.
    if (this.session?.id !== id) void this.deliver(id)
  }

  async duplicate(id: string): Promise<void> {
    const source = createDraftDoc()
    const load = applyStoredUpdates(source, await readStoredUpdates(id), ORIGIN.copy)
    if (!load.ok) {
      showToast({ kind: 'error', message: `This draft cannot be duplicated: ${load.reason}.` })
      return
    }
    const title = `Copy of ${readTitle(source) || UNTITLED}`
    renameDraft(source, title, ORIGIN.copy)
    await this.addDraft(source, title)
    showToast({ message: `Made “${title}”.` })
  }

  /** Delete with an undo window; the stored draft is removed only when it closes. */
  async remove(id: string): Promise<void> {
    const entry = this.entries.find((e) => e.id === id)
    if (!entry) return
    const ok = await confirmDialog({
      title: 'Delete this draft?',
      message: `“${entry.title || UNTITLED}” will be removed from this device. Copies that other members or relays hold are not affected.`,
      confirm: 'Delete',
      danger: true,
    })
    if (!ok) return
    await this.workspace.markDeleted(id)
    this.entries = await this.workspace.drafts()
    if (this.session?.id === id) {
      await this.closeSession()
      const next = this.entries[0]
      if (next) await this.open(next.id)
    }
    this.render()
    const timer = setTimeout(() => void this.purge(id), UNDO_DELETE_MS)
    this.pendingDeletes.set(id, timer)
    showToast({
      message: `Deleted “${entry.title || UNTITLED}”.`,
      duration: UNDO_DELETE_MS,
      action: { label: 'Undo', run: () => void this.undoRemove(id) },
    })
  }

  private async undoRemove(id: string): Promise<void> {
    const timer = this.pendingDeletes.get(id)
    if (timer) clearTimeout(timer)
    this.pendingDeletes.delete(id)
    await this.workspace.restore(id)
    this.entries = await this.workspace.drafts()
    await this.open(id)
  }

  private async purge(id: string): Promise<void> {
    this.pendingDeletes.delete(id)
    await deleteDraftStorage(id)
    await deleteRecordStore(id)
    await this.workspace.remove(id)
  }

  /** Run a change on a draft whether or not it is the open one. */
  private async withDoc(id: string, change: (doc: Y.Doc) => void): Promise<void> {
    if (this.session?.id === id) {
      if (this.session.readOnlyReason !== null) return
      change(this.session.doc)
      return
    }
    const opened = await openDraft(id, { onProblem: (p) => showToast({ kind: 'error', message: p.message }), onSaveState: () => {} })
    if (opened.mode !== 'editable') {
      showToast({ kind: 'error', message: opened.reason })
      opened.doc.destroy()
      return
    }
    try {
      change(opened.doc)
    } finally {
      // What was written before a failure is kept, as it would be in an open draft.
      await opened.storage.flushed()
      await opened.storage.close()
      opened.doc.destroy()
    }
  }

  /**
   * Write signed records (decisions, say) to a draft whether or not it is the open one:
   * through the open session's ledger, or one over the draft and this device's own
   * store of its verified records, as opening it would make.
   */
  private async withLedger(id: string, change: (ledger: Ledger) => void): Promise<void> {
    const s = this.session
    if (s?.id === id) {
      if (s.readOnlyReason === null) change(s.ledger)
      return
    }
    const entry = this.entries.find((e) => e.id === id)
    const store = await IndexedDbRecordStore.open(id, (message) => showToast({ kind: 'error', message }))
    try {
      await this.withDoc(id, (doc) => {
        const ledger = new Ledger(doc, id, { store, repair: true, me: this.identity.id, ...(entry?.root ? { root: entry.root } : {}) })
        try {
          change(ledger)
        } finally {
          ledger.destroy()
        }
      })
    } finally {
      store.close()
    }
  }

  private async deliver(id: string, timeoutMs = 20_000): Promise<'delivered' | 'local' | 'pending'> {
    const entry = this.entries.find((e) => e.id === id)
    if (!entry || (entry.relays ?? []).length === 0) return 'local'
    if (this.session?.id === id) return (await this.session.sync.whenDelivered(timeoutMs)) ? 'delivered' : 'pending'
    // Not open: sync it in the background, as opening it would, until a relay confirms.
    const opened = await openDraft(id, { onProblem: () => {}, onSaveState: () => {} })
    if (opened.mode !== 'editable') {
      opened.doc.destroy()
      return 'pending'
    }
    const keys = await roomKeysOf(entry)
    let pending = entry.pending ?? 0
    const sync = new DraftSync(opened.doc, id, entry.relays ?? [], pending, (status) => { pending = status.pending }, keys.length > 0 ? { keys, onWarning: () => {} } : null, undefined, pinning)
    const delivered = await sync.whenDelivered(timeoutMs)
    sync.destroy()
    await opened.storage.close()
    opened.doc.destroy()
    // Not delivered: the draft says so when it is opened, and sends them when it syncs.
    await this.workspace.update(id, { pending: delivered ? 0 : Math.max(pending, 1) })
    return delivered ? 'delivered' : 'pending'
  }

  async exportDraft(): Promise<void> {
    if (this.session) await exportDraft(this.session.ledger)
  }

  /** A new draft from a Markdown or plain-text file. */
  async importDraft(): Promise<void> {
    const picked = await chooseImport()
    if (!picked) return
    const doc = draftFromProseMirror(picked.doc)
    const title = readTitle(doc)
    await this.addDraft(doc, title)
    showToast({ message: `Imported “${title || picked.name}” as a new draft.` })
  }

  private pendingTimer: ReturnType<typeof setTimeout> | null = null
  private onSyncStatus(status: SyncStatus): void {
    const s = this.session
    if (!s) return
    this.checkArrived(s)
    const { text, kind } = s.received ? describeSync(status) : waitingFor(status)
    this.syncEl.textContent = text
    this.syncEl.dataset.kind = kind
    const problem = kind === 'error' ? status.relays.find((r) => r.state === 'refused' || (r.state === 'offline' && r.stuck)) : undefined
    this.syncProblemEl.hidden = !problem
    if (problem?.reason) {
      this.syncProblemEl.replaceChildren(`Not syncing: ${problem.reason}. Your edits are safe on this device and are sent once a relay takes them. `,
        h('button', { type: 'button', class: 'pk-link-button', onclick: () => this.share() }, 'Relays…'))
    }
    this.syncEl.title = (status.private ? 'Private: relays see only encrypted data\n' : 'Open: relays can read this draft\n') + (status.relays.length === 0
      ? 'Not syncing: add a relay to share this draft'
      : status.relays.map((r) => `${r.url}: ${r.state === 'refused' ? `refused (${r.reason})` : r.state}${r.state !== 'refused' && r.withheld ? `, holding back ${r.withheld} changes other members sent` : ''}`).join('\n'))
    // Remember unsent edits across restarts (debounced: this fires often while offline).
    if (this.pendingTimer) clearTimeout(this.pendingTimer)
    this.pendingTimer = setTimeout(() => void this.workspace.update(s.id, { pending: status.pending }), 300)
  }

  /**
   * A joined draft opens for editing once it has arrived: a relay has sent what it holds
   * and that is a draft (its creator seeds it). A relay that answers with nothing has
   * never seen the draft: nobody has shared it through this relay yet, so the member is
   * told so, and can remove it, instead of being shown an empty "Synced" draft.
   */
  private checkArrived(s: Session): void {
    if (s.received || !s.sync.receivedFromAny) return
    if (content(s.doc).length === 0 && meta(s.doc).size === 0) {
      if (s.sync.holdsNothing) {
        this.showBanner('Nobody has shared this draft through its relays yet. It opens here as soon as a member who has it connects to one of them; ask them to open it. If the link was wrong, remove it.', 'warning',
          { label: 'Remove this draft', run: () => void this.remove(s.id) })
      }
      return
    }
    s.received = true
    void this.workspace.update(s.id, { awaitingFirstSync: false })
    const entry = this.entries.find((e) => e.id === s.id)
    if (entry) entry.awaitingFirstSync = false
    // The guard may have stopped the editor in this very sync (a read-only view follows).
    if (!s.view.isDestroyed) s.view.setProps({})
    if (this.canEdit(s)) this.startAttribution(s)
    this.membership.acceptPendingInvitation(s)
    if (s.unrenderable === null) this.hideBanner()
    this.toolbar.update()
    this.onSyncStatus(s.sync.status)
  }

  private presenceSignature = ''
  /**
   * Re-render only when who is here (or how they look) changed: awareness changes with
   * every cursor move, including this member's own when the editor loses focus — which
   * would otherwise replace the avatar between the press and the release of a click.
   */
  private renderPresence(): void {
    const s = this.session
    const peers = s ? peersOf(s.sync.awareness) : []
    const me = { name: displayName(this.profile), color: this.profile.color }
    const signature = s ? JSON.stringify([peers, me]) : ''
    if (signature === this.presenceSignature) return
    this.presenceSignature = signature
    if (!s) return this.presenceEl.replaceChildren()
    this.presenceEl.replaceChildren(renderPresence(peers, me, () => void this.editProfile()))
  }

  async editProfile(): Promise<void> {
    const next = await profileDialog(this.profile)
    if (next) await this.applyProfile(next)
  }

  /** The name and colour others see: on presence, on what this member writes from now on, and on the roster. */
  private async applyProfile(next: Profile): Promise<void> {
    this.profile = next
    await this.workspace.setSetting(PROFILE, next)
    this.session?.sync.awareness.setLocalStateField('user', { name: displayName(next), color: next.color })
    if (this.session && this.canEdit(this.session)) {
      this.startAttribution(this.session)
      this.membership.syncRosterName(this.session)
    }
    if (next.name.trim() !== '') this.nameBarEl.hidden = true
    this.renderPresence()
  }

  private async setName(name: string): Promise<void> {
    await this.applyProfile({ ...this.profile, name: name.trim().slice(0, 60) })
  }

  /**
   * Asked of a member who joined by a link with no name yet (not modal: the draft is
   * there to read): otherwise everyone would be "Anonymous member", with one avatar.
   */
  private askName(): void {
    if (this.profile.name.trim() !== '') return
    const input = h('input', { class: 'pk-input', type: 'text', maxlength: 60, 'aria-label': 'Your name', placeholder: 'e.g. Amina from Leeds' })
    this.nameBarEl.replaceChildren(
      h('span', {}, 'Welcome! What name should the committee see next to your words and votes?'),
      input,
      h('button', { type: 'submit', class: 'pk-button pk-primary pk-small' }, 'Save name'),
      h('button', { type: 'button', class: 'pk-link-button', onclick: () => { this.nameBarEl.hidden = true } }, 'Later'))
    this.nameBarEl.onsubmit = (e) => {
      e.preventDefault()
      if (input.value.trim() === '') return input.focus()
      void this.setName(input.value)
    }
    this.nameBarEl.hidden = false
  }

  /** This device signs as the member of an imported identity from now on. */
  private async adoptIdentity(contents: IdentityContents): Promise<void> {
    const loaded = loadProfile({ ...this.profile, secretKey: contents.secretKey, name: contents.name || this.profile.name, color: contents.color || this.profile.color })
    this.profile = loaded.profile
    this.identity = loaded.identity
    await this.workspace.setSetting(PROFILE, this.profile)
    if (this.session) await this.open(this.session.id)
  }

  share(): void {
    const s = this.session
    if (!s) return
    if (s.readOnlyReason !== null) {
      showToast({ kind: 'error', message: 'A read-only draft cannot be shared from this device.' })
      return
    }
    const entry = this.membership.invitingEntry(s)
    shareDialog({
      relays: entry?.relays ?? [],
      states: s.sync.status.relays,
      suggestion: sameOriginRelay(window.location),
      inviteFor: (relays) => this.membership.inviteFor(s, relays),
      onMembers: () => this.membership.manage(),
      onChange: (relays) => void this.setRelays(s.id, relays),
      private: !!entry?.roomKey,
      onPrivacy: (makePrivate) => void this.setPrivacy(s.id, makePrivate),
      onRotateKey: () => void this.rotateKey(s.id),
      onHost: () => void this.meeting.host(),
    })
  }

  /** A new room key for a private draft; what the relays hold is sealed again with it. */
  private async rotateKey(id: string): Promise<void> {
    const s = this.session
    const entry = this.entries.find((e) => e.id === id)
    if (s?.id !== id || !entry?.roomKey) return
    const ok = await confirmDialog({
      title: 'Change this draft’s key?',
      message: 'Do this when a member leaves. Everything on the relays is sealed again with a new key; members need the new invite link, and the old link cannot read anything written from now on nor put anyone new on the roster.',
      confirm: 'Change the key',
    })
    if (!ok) return
    const next = newRoomKey()
    // Kept on the device before anything is sealed with it, so a crash cannot lock us out.
    const updated = await this.workspace.update(id, adoptKey(entry, next))
    if (updated) this.entries = this.entries.map((e) => (e.id === id ? updated : e))
    try {
      await s.sync.rotateKey(await importRoomKey(decodeKey(next)!))
    } catch (err) {
      showToast({ kind: 'error', message: `The relays could not be re-sealed yet (${err instanceof Error ? err.message : String(err)}); it happens when the draft next syncs.` })
      return
    }
    this.membership.renewInvitation(s)
    showToast({ message: 'Key changed. Send members the new invite link.' })
    this.share()
  }

  /** Before a draft is first shared, it may be made open (or private again). */
  private async setPrivacy(id: string, makePrivate: boolean): Promise<void> {
    const entry = this.entries.find((e) => e.id === id)
    if (!entry || (entry.relays ?? []).length > 0) return
    const { roomKey: _old, ...rest } = entry
    const next = makePrivate ? { ...rest, roomKey: newRoomKey() } : rest
    await this.workspace.put(next)
    this.entries = await this.workspace.drafts()
    await this.open(id)
    this.share()
  }

  private async setRelays(id: string, relays: RelayEndpoint[]): Promise<void> {
    const entry = await this.workspace.update(id, { relays })
    if (entry) this.entries = this.entries.map((e) => (e.id === id ? entry : e))
    const s = this.session
    if (s?.id !== id) return
    const wanted = new Set(relays.map((r) => r.url))
    for (const r of s.sync.status.relays) if (!wanted.has(r.url)) s.sync.remove(r.url)
    for (const r of relays) s.sync.add(r)
  }

  async joinFromPrompt(): Promise<void> {
    // A member with no name yet is asked for one here: the committee should know who joined.
    const askName = this.profile.name.trim() === ''
    const values = await formDialog({
      title: 'Join a draft',
      fields: [
        { name: 'link', label: 'Paste the invite link a member sent you' },
        ...(askName ? [{ name: 'name', label: 'Your name, as the committee will see it', placeholder: 'e.g. Amina from Leeds' }] : []),
      ],
      confirm: 'Join',
      validate: (v) => {
        const reading = readInvite(v.link ?? '')
        return reading.ok ? null : reading.reason
      },
    })
    if (values === null) return
    if (askName && values.name?.trim()) await this.setName(values.name)
    await this.openInviteLink(values.link ?? '', 'prompt')
  }

  /**
   * The one door for an invite link: from the system (a plank:// link), the address bar
   * or the Join prompt. What the link's source leaves unasked is asked first
   * (invite-prompt.ts); nothing changes on this device unless the member agrees.
   */
  async openInviteLink(text: string, source: InviteSource = 'system'): Promise<void> {
    const reading = readInvite(text)
    // A link that cannot be used says why, instead of quietly opening the last draft.
    if (!reading.ok) return void showToast({ kind: 'error', message: `This invite could not be opened. ${reading.reason}` })
    await this.acceptInvite(reading.invite, source)
  }

  private async acceptInvite(invite: Invite, source: InviteSource): Promise<void> {
    const decision = await askAboutInvite(invite, this.entries.find((e) => e.id === invite.draftId), source)
    if (decision) await this.join(decision.invite, decision.adoptKey)
  }

  /**
   * Bring a draft to this device from an invite: same id, its relays, no seeding. For a
   * draft already here the link's key becomes current only when the member agreed.
   */
  private async join(invite: Invite, adoptLinkKey: boolean): Promise<void> {
    const existing = this.entries.find((e) => e.id === invite.draftId)
    if (existing) {
      const relays = [...(existing.relays ?? [])]
      for (const r of invite.relays) {
        const at = relays.findIndex((x) => x.url === r.url)
        if (at < 0) relays.push(r)
        // A meeting host's address again, in a later hosting session: its new certificate pin and token.
        else if (r.pin !== undefined && relays[at]!.pin !== r.pin) relays[at] = r
      }
      // A link whose key was not taken is not trusted with its invitation either.
      const keyTaken = !invite.key || invite.key === existing.roomKey || adoptLinkKey
      // A new key (the draft's key was changed): use it, keep the old ones to read older blobs.
      await this.workspace.update(existing.id, {
        relays,
        ...(invite.key && adoptLinkKey ? adoptKey(existing, invite.key) : {}),
        ...(invite.invitation && keyTaken ? { pendingInvitation: invite.invitation } : {}),
        // The founder an older draft's link names is trusted like its invitation, and only if none is pinned yet.
        ...(invite.root && keyTaken && !existing.root ? { root: invite.root } : {}),
      })
    } else {
      const now = Date.now()
      await this.workspace.put({
        id: invite.draftId, title: invite.title, created: now, updated: now, relays: invite.relays, awaitingFirstSync: true,
        ...(invite.key ? { roomKey: invite.key } : {}),
        ...(invite.invitation ? { pendingInvitation: invite.invitation } : {}),
        ...(invite.root ? { root: invite.root } : {}),
      })
    }
    this.entries = await this.workspace.drafts()
    await this.open(invite.draftId)
    this.askName()
  }

  private setSaveState(state: SaveState): void {
    if (this.saveState === 'failed' && state !== 'failed') return
    this.saveState = state
    this.renderStatus()
  }

  private showBanner(message: string, kind: 'warning' | 'error', action?: { label: string; run: () => void }): void {
    this.bannerEl.replaceChildren(message, ...(action ? [' ', h('button', { type: 'button', class: 'pk-link-button', onclick: action.run }, action.label)] : []))
    this.bannerEl.className = `pk-banner pk-draft-banner pk-banner-${kind}`
    this.bannerEl.hidden = false
  }

  private hideBanner(): void {
    this.bannerEl.hidden = true
  }

  private render(): void {
    const hasDraft = this.session !== null
    this.mainEl.hidden = !hasDraft
    this.emptyEl.hidden = hasDraft
    this.renderDrafts()
    this.renderPresence()
    this.renderTitle()
    this.renderStatus()
    this.renderOutlineSoon()
    this.toolbar.update()
  }

  private draftsSignature = ''
  /** Re-render only when what the list shows changed, so an open menu is not torn away. */
  private renderDrafts(): void {
    const signature = JSON.stringify([this.session?.id ?? null, this.entries.map((e) => [e.id, e.title, relativeTime(e.updated)])])
    if (signature === this.draftsSignature) return
    this.draftsSignature = signature
    // A private host nearby is named only when its draft is here: that may just have changed.
    this.meeting.refresh()
    this.draftsEl.replaceChildren(renderDraftsList(this.entries, this.session?.id ?? null, {
      open: (id) => void this.open(id),
      rename: (id) => void this.rename(id),
      duplicate: (id) => void this.duplicate(id),
      startChapter: (id) => void startChapter(this.ctx, id),
      remove: (id) => void this.remove(id),
    }))
  }

  private renderTitle(): void {
    const s = this.session
    // Until a joined draft arrives, the title its invite carried.
    const title = s ? (s.received ? readTitle(s.doc) : readTitle(s.doc) || (this.entries.find((e) => e.id === s.id)?.title ?? '')) : ''
    this.titleEl.textContent = title || UNTITLED
    this.titleEl.classList.toggle('pk-untitled', title === '')
    document.title = this.session ? `${title || UNTITLED} — Plank` : 'Plank'
  }

  private renderStatus(): void {
    const s = this.session
    let text = ''
    let kind = 'ok'
    if (s?.readOnlyReason) { text = 'Read-only'; kind = 'warn' }
    else if (this.saveState === 'failed') { text = 'Not saved'; kind = 'error' }
    else if (this.saveState === 'saving') { text = 'Saving…'; kind = 'busy' }
    else if (s) text = 'Saved on this device'
    this.statusEl.textContent = text
    this.statusEl.dataset.kind = kind
  }
}
