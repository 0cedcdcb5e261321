import * as Y from 'yjs'
import type { EditorView } from 'prosemirror-view'
import { keymap } from 'prosemirror-keymap'
import { ORIGIN, content, copyDraft, createDraftDoc, readTitle, renameDraft, seedDraft, applyStoredUpdates } from '../../../crdt/index.ts'
import { createEditor } from '../editor/editor.ts'
import { schema } from '../editor/schema.ts'
import { findUnrenderable, guardFragment } from '../editor/schema-guard.ts'
import { Toolbar } from '../editor/toolbar.ts'
import { countWords } from '../editor/outline.ts'
import { type OpenedDraft, type SaveState, deleteDraftStorage, openDraft, readStoredUpdates, storeNewDraft } from '../storage/draft-storage.ts'
import { type DraftEntry, Workspace } from '../workspace/workspace.ts'
import { host, type MenuAction } from '../platform.ts'
import type { AppContext, Session } from './session.ts'
import { Membership } from '../members/membership.ts'
import { Meeting } from './meeting.ts'
import { proposeBackToParent, startChapter } from './chapter-actions.ts'
import type { IdentityContents } from '../members/identity-file.ts'
import { h, icon } from './h.ts'
import { confirmDialog, promptDialog } from './dialog.ts'
import { showToast } from './toast.ts'
import { relativeTime, renderDraftsList } from './drafts-list.ts'
import { renderOutline } from './outline-panel.ts'
import { yCursorPlugin } from 'y-prosemirror'
import { DraftSync, describeSync, type SyncStatus } from '../sync/draft-sync.ts'
import { parseInvite, type Invite } from '../sync/invite.ts'
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
import { draftFromProseMirror } from '../publish/import-draft.ts'

const unrenderableMessage = (problem: string) =>
  `This draft now contains ${problem}, which this version of Plank cannot show (a member may use a newer Plank). It is read-only here so nothing is lost; it keeps syncing, and updating Plank lets you edit it again.`

const LAST_OPENED = 'lastOpenedDraft'
const PROFILE = 'profile'
/** How long a deleted draft can be brought back before it is removed from the device. */
export const UNDO_DELETE_MS = 8000

/**
 * The app shell: drafts on the left, the open draft on the right. Owns the open
 * session (doc + editor + storage) and is the one place that switches drafts.
 */
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
  private readonly bannerEl = h('div', { class: 'pk-banner', role: 'alert', hidden: true })
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
      canEdit: (s) => this.canEdit(s),
      author: () => this.author(),
      identity: () => this.identity,
      memberName: () => displayName(this.profile),
      open: (id) => this.open(id),
      join: (invite) => this.join(invite),
      setRelays: (id, relays) => this.setRelays(id, relays),
      withDoc: (id, change) => this.withDoc(id, change),
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
          this.statusEl,
          this.wordsEl,
          this.proposeBackButton,
          this.versionsButton,
          h('button', { class: 'pk-button', onclick: () => void this.exportDraft(), title: 'Publish the accepted text as PDF, HTML, Markdown or plain text' }, 'Export…'),
          h('button', { class: 'pk-button pk-primary', onclick: () => this.share(), title: 'Sync through relays and invite members' }, 'Share'),
        ),
      ),
      this.toolbar.el,
      this.bannerEl,
      this.trust.el,
      this.versions.pastBar,
      h('div', { class: 'pk-workarea' }, h('div', { class: 'pk-scroller' }, this.pageEl, this.versions.pastPage), this.review.panel.el, this.versions.panel),
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
    const sync = new DraftSync(opened.doc, id, readOnlyReason === null ? (entry?.relays ?? []) : [], entry?.pending ?? 0, (status) => this.onSyncStatus(status), privacy)
    sync.awareness.setLocalStateField('user', { name: displayName(this.profile), color: this.profile.color })
    sync.awareness.on('change', () => this.renderPresence())
    const session: Session = {
      id, doc: opened.doc, ledger, recordStore: store, view: null as unknown as EditorView, storage, readOnlyReason, titleTimer: null, sync,
      received: !entry?.awaitingFirstSync,
      unrenderable: readOnlyReason === null ? findUnrenderable(schema, content(opened.doc)) : null,
      unguard: () => {},
      stopAttribution: () => {},
    }
    // Registered before the editor binds, so it runs before y-prosemirror could delete
    // what it cannot build (see schema-guard.ts).
    if (session.unrenderable === null && readOnlyReason === null) {
      session.unguard = guardFragment(schema, content(opened.doc), (problem) => this.onUnrenderable(session, problem))
    }
    this.review.bind(opened.doc, ledger)
    this.versions.bind(opened.doc, ledger, () => this.canEdit(session))
    this.trust.bind(ledger, () => this.membership.manage())
    if (readOnlyReason === null && session.unrenderable === null && session.received) this.startAttribution(session)
    const view = this.mountEditor(session)
    session.view = view
    this.session = session
    opened.doc.on('update', this.onDocUpdate)
    this.toolbar.bind(view)
    this.setSaveState('saved')
    if (readOnlyReason !== null) this.showBanner(readOnlyReason, 'warning')
    else if (session.unrenderable !== null) this.showBanner(unrenderableMessage(session.unrenderable), 'warning')
    else if (!session.received) this.showBanner('Waiting for this draft to arrive from a relay… It opens for editing as soon as it has synced once.', 'warning')
    else this.hideBanner()
    this.onSyncStatus(sync.status)
    this.proposeBackButton.hidden = readForkPoint(opened.doc) === null || readOnlyReason !== null
    this.membership.attach(session)
    await this.workspace.setSetting(LAST_OPENED, id)
    this.render()
  }

  /**
   * The editor for a session: bound to the draft itself, or, when the draft holds
   * content this version cannot show, to a detached read-only copy (y-prosemirror may
   * drop what it cannot build from the copy; the draft, its storage and its sync keep it).
   */
  private mountEditor(session: Session): EditorView {
    const mount = h('div')
    this.pageEl.replaceChildren(mount)
    let fragment = content(session.doc)
    if (session.unrenderable !== null) {
      fragment = content(copyDraft(session.doc))
    }
    const view = createEditor(mount, fragment, {
      editable: () => session.readOnlyReason === null && session.unrenderable === null && session.received,
      openExternal: (url) => host.openExternal(url),
      onState: () => this.onEditorState(),
      transform: this.review.transform,
      plugins: [
        keymap({ 'Mod-k': () => { void this.toolbar.editLink(); return true } }),
        ...this.review.plugins(),
        ...(session.unrenderable === null ? [yCursorPlugin(session.sync.awareness)] : []),
      ],
    })
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
    const recorder = recordAttribution(session.doc, this.author(), ORIGIN.local)
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

  /** Runs inside the Yjs observer: stop the live editor now, before it deletes anything. */
  private onUnrenderable(session: Session, problem: string): void {
    if (session.unrenderable !== null) return
    session.unrenderable = problem
    session.unguard()
    session.view.destroy()
    setTimeout(() => {
      if (this.session !== session) return
      session.view = this.mountEditor(session)
      this.toolbar.bind(session.view)
      this.showBanner(unrenderableMessage(problem), 'warning')
    })
  }

  private async closeSession(): Promise<void> {
    const s = this.session
    if (!s) return
    this.session = null
    if (s.titleTimer) clearTimeout(s.titleTimer)
    this.syncTitleToList(s)
    s.doc.off('update', this.onDocUpdate)
    s.unguard()
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
  private readonly onDocUpdate = (): void => {
    const s = this.session
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
  }

  async duplicate(id: string): Promise<void> {
    const source = createDraftDoc()
    const load = applyStoredUpdates(source, await readStoredUpdates(id), ORIGIN.copy)
    if (!load.ok) {
      showToast({ kind: 'error', message: `This draft cannot be duplicated: ${load.reason}.` })
      return
    }
    const title = `Copy of ${readTitle(source) || 'Untitled platform'}`
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
      message: `“${entry.title || 'Untitled platform'}” will be removed from this device. Copies that other members or relays hold are not affected.`,
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
      message: `Deleted “${entry.title || 'Untitled platform'}”.`,
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
    if (opened.mode === 'editable') {
      change(opened.doc)
      await opened.storage.flushed()
      await opened.storage.close()
    } else {
      showToast({ kind: 'error', message: opened.reason })
    }
    opened.doc.destroy()
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
    const { text, kind } = describeSync(status)
    this.syncEl.textContent = text
    this.syncEl.dataset.kind = kind
    this.syncEl.title = (status.private ? 'Private: relays see only encrypted data\n' : 'Open: relays can read this draft\n') + (status.relays.length === 0
      ? 'Not syncing: add a relay to share this draft'
      : status.relays.map((r) => `${r.url}: ${r.state === 'refused' ? `refused (${r.reason})` : r.state}${r.state !== 'refused' && r.withheld ? `, holding back ${r.withheld} changes other members sent` : ''}`).join('\n'))
    if (!s.received && s.sync.syncedWithAny) {
      s.received = true
      void this.workspace.update(s.id, { awaitingFirstSync: false })
      const entry = this.entries.find((e) => e.id === s.id)
      if (entry) entry.awaitingFirstSync = false
      s.view.setProps({})
      if (this.canEdit(s)) this.startAttribution(s)
      this.membership.acceptPendingInvitation(s)
      this.hideBanner()
      this.toolbar.update()
    }
    // Remember unsent changes across restarts (debounced: this fires per keystroke offline).
    if (this.pendingTimer) clearTimeout(this.pendingTimer)
    this.pendingTimer = setTimeout(() => void this.workspace.update(s.id, { pending: status.pending }), 300)
  }

  private renderPresence(): void {
    const s = this.session
    if (!s) return this.presenceEl.replaceChildren()
    this.presenceEl.replaceChildren(renderPresence(peersOf(s.sync.awareness), { name: displayName(this.profile), color: this.profile.color }, () => void this.editProfile()))
  }

  async editProfile(): Promise<void> {
    const next = await profileDialog(this.profile)
    if (!next) return
    this.profile = next
    await this.workspace.setSetting(PROFILE, next)
    this.session?.sync.awareness.setLocalStateField('user', { name: displayName(next), color: next.color })
    if (this.session && this.canEdit(this.session)) {
      this.startAttribution(this.session)
      this.membership.syncRosterName(this.session)
    }
    this.renderPresence()
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
    const text = await promptDialog({
      title: 'Join a draft',
      label: 'Paste the invite link a member sent you',
      value: '',
      confirm: 'Join',
      validate: (v) => (parseInvite(v) ? null : 'That is not a Plank invite link (it should contain #join=).'),
    })
    const invite = text === null ? null : parseInvite(text)
    if (invite) await this.join(invite)
  }

  /** Bring a draft to this device from an invite: same id, its relays, no seeding. */
  async join(invite: Invite): Promise<void> {
    const existing = this.entries.find((e) => e.id === invite.draftId)
    if (existing) {
      const relays = [...(existing.relays ?? [])]
      for (const r of invite.relays) if (!relays.some((x) => x.url === r.url)) relays.push(r)
      // A new key (the draft's key was changed): use it, keep the old ones to read older blobs.
      await this.workspace.update(existing.id, { relays, ...(invite.key ? adoptKey(existing, invite.key) : {}), ...(invite.invitation ? { pendingInvitation: invite.invitation } : {}), ...(invite.root && !existing.root ? { root: invite.root } : {}) })
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
  }

  private setSaveState(state: SaveState): void {
    if (this.saveState === 'failed' && state !== 'failed') return
    this.saveState = state
    this.renderStatus()
  }

  private showBanner(message: string, kind: 'warning' | 'error'): void {
    this.bannerEl.textContent = message
    this.bannerEl.className = `pk-banner pk-banner-${kind}`
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
    this.draftsEl.replaceChildren(renderDraftsList(this.entries, this.session?.id ?? null, {
      open: (id) => void this.open(id),
      rename: (id) => void this.rename(id),
      duplicate: (id) => void this.duplicate(id),
      startChapter: (id) => void startChapter(this.ctx, id),
      remove: (id) => void this.remove(id),
    }))
  }

  private renderTitle(): void {
    const title = this.session ? readTitle(this.session.doc) : ''
    this.titleEl.textContent = title || 'Untitled platform'
    this.titleEl.classList.toggle('pk-untitled', title === '')
    document.title = this.session ? `${title || 'Untitled platform'} — Plank` : 'Plank'
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
