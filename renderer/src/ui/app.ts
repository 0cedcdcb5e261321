import * as Y from 'yjs'
import type { EditorView } from 'prosemirror-view'
import { keymap } from 'prosemirror-keymap'
import { ORIGIN, content, createDraftDoc, readMeta, readTitle, renameDraft, seedDraft, applyStoredUpdates } from '../../../crdt/index.ts'
import { createEditor } from '../editor/editor.ts'
import { schema } from '../editor/schema.ts'
import { findUnrenderable, guardFragment } from '../editor/schema-guard.ts'
import { Toolbar } from '../editor/toolbar.ts'
import { countWords } from '../editor/outline.ts'
import { type OpenedDraft, type SaveState, type DraftStorage, deleteDraftStorage, openDraft, readStoredUpdates, storeNewDraft } from '../storage/draft-storage.ts'
import { type DraftEntry, Workspace, newDraftId } from '../workspace/workspace.ts'
import { host, hosting, type HostedDraft, type MenuAction, type NearbyHost } from '../platform.ts'
import { hostDialog } from './host-dialog.ts'
import { renderNearbyHosts } from './nearby-hosts.ts'
import { h, icon } from './h.ts'
import { confirmDialog, promptDialog } from './dialog.ts'
import { showToast } from './toast.ts'
import { relativeTime, renderDraftsList } from './drafts-list.ts'
import { renderOutline } from './outline-panel.ts'
import { yCursorPlugin } from 'y-prosemirror'
import { DraftSync, describeSync, type SyncStatus } from '../sync/draft-sync.ts'
import { inviteLink, parseInvite, type Invite } from '../sync/invite.ts'
import { sameOriginRelay, type RelayEndpoint } from '../sync/relays.ts'
import { defaultProfile, displayName, loadProfile, type Profile } from '../sync/profile.ts'
import { type Identity, decodeBytes, identityFromSecret } from '../../../crdt/identity.ts'
import { acceptInvitation, foundRoster, inviteMembers, readRoster, renameMember } from '../../../crdt/roster.ts'
import { members as membersRoot } from '../../../crdt/draft.ts'
import { pickTextFile } from './pick-file.ts'
import { membersDialog } from '../members/members-dialog.ts'
import { exportIdentity, importIdentity, MIN_PASSPHRASE } from '../members/identity-file.ts'
import { formDialog } from './dialog.ts'
import { peersOf, renderPresence } from './presence-bar.ts'
import { shareDialog } from './share-dialog.ts'
import { profileDialog } from './profile-dialog.ts'
import { ReviewController } from '../review/review-controller.ts'
import type { Author } from '../../../crdt/author.ts'
import { decodeKey, importRoomKey } from '../../../crdt/envelope.ts'
import { adoptKey, newRoomKey, roomKeysOf, roomWarningMessage } from '../workspace/room-keys.ts'
import type { RoomWarning } from '../../../crdt/private-room.ts'
import { recordAttribution } from '../../../crdt/attribution.ts'
import { proposeBack, readForkPoint, startChapterDraft } from '../../../crdt/fork.ts'
import { VersionsController } from '../versions/versions-controller.ts'
import { chooseImport, exportDraft } from '../publish/publish-actions.ts'
import { draftFromProseMirror } from '../publish/import-draft.ts'

const unrenderableMessage = (problem: string) =>
  `This draft now contains ${problem}, which this version of Plank cannot show (a member may use a newer Plank). It is read-only here so nothing is lost; it keeps syncing, and updating Plank lets you edit it again.`

const LAST_OPENED = 'lastOpenedDraft'
const PROFILE = 'profile'
/** How long a deleted draft can be brought back before it is removed from the device. */
export const UNDO_DELETE_MS = 8000

interface Session {
  id: string
  doc: Y.Doc
  view: EditorView
  storage: DraftStorage | null
  readOnlyReason: string | null
  titleTimer: ReturnType<typeof setTimeout> | null
  sync: DraftSync
  /** False while a joined draft waits for its first sync (nothing to edit yet). */
  received: boolean
  /** Set when the draft holds content this version cannot show: the editor shows a read-only copy. */
  unrenderable: string | null
  unguard: () => void
  /** Stops recording this session's edits as this member's (see crdt/attribution.ts). */
  stopAttribution: () => void
}

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
  private readonly review = new ReviewController(() => this.author(), () => this.identity, () => this.manageMembers())

  private readonly draftsEl = h('nav', { class: 'pk-sidebar-section', 'aria-label': 'Drafts' })
  private readonly nearbyEl = h('div', { class: 'pk-nearby-wrap' })
  /** The relay this app hosts for the room, while it does (see host-dialog.ts). */
  private hosted: HostedDraft | null = null
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
  private readonly pageEl = h('article', { class: 'pk-page' })
  private readonly versions = new VersionsController({ me: () => this.author(), identity: () => this.identity, pageEl: this.pageEl, proposing: () => this.review.proposing, showVotes: () => this.showVotes() })
  private readonly proposeBackButton = h('button', { class: 'pk-button', hidden: true, title: 'Turn this chapter’s changes into amendments on the draft it came from' }, 'Propose back…')
  private readonly versionsButton = h('button', { class: 'pk-button', 'aria-pressed': 'false', title: 'Saved versions: open, compare, restore' }, 'Versions')
  private readonly emptyEl: HTMLElement
  private readonly mainEl: HTMLElement

  constructor(private readonly root: HTMLElement, private readonly workspace: Workspace) {
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
      this.versions.pastBar,
      h('div', { class: 'pk-workarea' }, h('div', { class: 'pk-scroller' }, this.pageEl, this.versions.pastPage), this.review.panel.el, this.versions.panel),
    )
    this.versionsButton.addEventListener('click', () => this.toggleVersions())
    this.proposeBackButton.addEventListener('click', () => void this.proposeBack())
    this.toolbar.el.append(this.review.toolbarEl)
    root.replaceChildren(
      h('aside', { class: 'pk-sidebar' },
        h('div', { class: 'pk-brand' }, h('span', { class: 'pk-logo', 'aria-hidden': 'true' }), 'Plank'),
        h('button', { class: 'pk-button pk-primary pk-new', onclick: () => void this.newDraft() }, icon('plus'), 'New draft'),
        h('button', { class: 'pk-button pk-join', onclick: () => void this.joinFromPrompt() }, 'Join with invite…'),
        h('button', { class: 'pk-button pk-join', onclick: () => void this.importDraft(), title: 'Make a new draft from a Markdown or plain-text file' }, 'Import…'),
        this.nearbyEl,
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
    if (hosting) {
      hosting.onNearby((hosts) => this.showNearby(hosts))
      void hosting.nearby().then((hosts) => this.showNearby(hosts))
      void hosting.state().then((hosted) => { this.hosted = hosted })
    }
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
    const id = newDraftId()
    const doc = createDraftDoc()
    seedDraft(doc, { title: '' })
    // Its creator founds its roster: the first admin, who invites the others.
    foundRoster(doc, this.identity, displayName(this.profile), Date.now(), ORIGIN.seed)
    await storeNewDraft(id, doc)
    doc.destroy()
    const now = Date.now()
    // Private by default: the room key is made with the draft and travels only in invites.
    await this.workspace.put({ id, title: '', created: now, updated: now, roomKey: newRoomKey() })
    this.entries = await this.workspace.drafts()
    await this.open(id)
    this.session?.view.focus()
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
    const keys = await roomKeysOf(entry)
    const privacy = keys.length > 0 ? { keys, onWarning: (w: RoomWarning) => this.showBanner(roomWarningMessage(w), 'warning') } : null
    const sync = new DraftSync(opened.doc, id, readOnlyReason === null ? (entry?.relays ?? []) : [], entry?.pending ?? 0, (status) => this.onSyncStatus(status), privacy)
    sync.awareness.setLocalStateField('user', { name: displayName(this.profile), color: this.profile.color })
    sync.awareness.on('change', () => this.renderPresence())
    const session: Session = {
      id, doc: opened.doc, view: null as unknown as EditorView, storage, readOnlyReason, titleTimer: null, sync,
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
    this.review.bind(opened.doc)
    this.versions.bind(opened.doc, () => this.canEdit(session))
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
    // Joined with an invitation: accept it as soon as the roster with it has arrived.
    membersRoot(opened.doc).observe(() => this.acceptPendingInvitation(session))
    this.acceptPendingInvitation(session)
    this.syncRosterName(session)
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
      const copy = createDraftDoc()
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(session.doc))
      fragment = content(copy)
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
    s.stopAttribution()
    s.sync.destroy()
    s.view.destroy()
    await s.storage?.close()
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
    const copyId = newDraftId()
    const title = `Copy of ${readTitle(source) || 'Untitled platform'}`
    renameDraft(source, title, ORIGIN.copy)
    await storeNewDraft(copyId, source)
    source.destroy()
    const now = Date.now()
    await this.workspace.put({ id: copyId, title, created: now, updated: now, roomKey: newRoomKey() })
    this.entries = await this.workspace.drafts()
    await this.open(copyId)
    showToast({ message: `Made “${title}”.` })
  }

  /** A chapter draft: the whole history of `id`, a new id and key, and the fork point to propose back from. */
  async startChapter(id: string): Promise<void> {
    const parentTitle = this.entries.find((e) => e.id === id)?.title || 'Untitled platform'
    const chapter = await promptDialog({
      title: 'Start a chapter draft',
      label: 'Chapter (for example “Riverside chapter”)',
      value: '',
      confirm: 'Start chapter draft',
      validate: (v) => (v.trim() === '' ? 'Name the chapter whose draft this is.' : null),
    })
    if (chapter === null) return
    const parent = createDraftDoc()
    const load = applyStoredUpdates(parent, await readStoredUpdates(id), ORIGIN.copy)
    if (!load.ok) {
      showToast({ kind: 'error', message: `A chapter draft cannot be made from this draft: ${load.reason}.` })
      return
    }
    const title = `${readTitle(parent) || parentTitle} — ${chapter.trim()}`
    const fork = startChapterDraft(parent, { parentId: id, parentTitle: readTitle(parent) || parentTitle, chapter: chapter.trim(), title, now: Date.now(), founder: { identity: this.identity, name: displayName(this.profile) } })
    parent.destroy()
    const forkId = newDraftId()
    await storeNewDraft(forkId, fork)
    fork.destroy()
    const now = Date.now()
    await this.workspace.put({ id: forkId, title, created: now, updated: now, roomKey: newRoomKey() })
    this.entries = await this.workspace.drafts()
    await this.open(forkId)
    showToast({ message: `Started “${title}”. Edit freely; “Propose back…” sends the changes to “${parentTitle}” as amendments.` })
  }

  /** Send a chapter draft's changes since its fork point to its parent as amendments. */
  private async proposeBack(): Promise<void> {
    const s = this.session
    const point = s ? readForkPoint(s.doc) : null
    if (!s || !point) return
    const parentEntry = this.entries.find((e) => e.id === point.parentId)
    if (!parentEntry) {
      showToast({ kind: 'error', message: `“${point.parentTitle || 'The parent draft'}” is not on this device. Join it with its invite link first, then propose back.` })
      return
    }
    const chapter = readMeta(s.doc).chapter || 'Chapter'
    const ok = await confirmDialog({
      title: `Propose back to “${parentEntry.title || 'Untitled platform'}”?`,
      message: `Every change this chapter made since ${new Date(point.at).toLocaleDateString()} becomes an amendment on “${parentEntry.title || 'Untitled platform'}”, one per changed section, for its committee to decide.${point.proposedBack ? ` You already proposed back on ${new Date(point.proposedBack).toLocaleDateString()}; doing it again proposes all the changes again.` : ''}`,
      confirm: 'Propose back',
    })
    if (!ok || this.session !== s) return
    let result: ReturnType<typeof proposeBack> | null = null
    try {
      await this.withDoc(parentEntry.id, (parent) => {
        result = proposeBack(s.doc, parent, { author: this.author(), now: Date.now(), chapter, forkTitle: readTitle(s.doc) })
      })
    } catch (err) {
      showToast({ kind: 'error', message: err instanceof Error ? err.message : String(err) })
      return
    }
    const done = result as ReturnType<typeof proposeBack> | null
    if (!done) return
    const count = done.amendments.length
    showToast({
      message: count === 0 ? 'This chapter has no changes to propose back.' : `Proposed ${count} ${count === 1 ? 'amendment' : 'amendments'} on “${parentEntry.title || 'Untitled platform'}”.`,
      ...(count > 0 ? { action: { label: 'Open it', run: () => void this.open(parentEntry.id) } } : {}),
      duration: 10_000,
    })
    if (done.unplaced > 0) showToast({ kind: 'error', message: `${done.unplaced} characters the chapter wrote are in text the parent has since deleted, so they could not be proposed.` })
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
    if (this.session) await exportDraft(this.session.doc)
  }

  /** A new draft from a Markdown or plain-text file. */
  async importDraft(): Promise<void> {
    const picked = await chooseImport()
    if (!picked) return
    const id = newDraftId()
    const doc = draftFromProseMirror(picked.doc)
    foundRoster(doc, this.identity, displayName(this.profile), Date.now(), ORIGIN.seed)
    const title = readTitle(doc)
    await storeNewDraft(id, doc)
    doc.destroy()
    const now = Date.now()
    await this.workspace.put({ id, title, created: now, updated: now, roomKey: newRoomKey() })
    this.entries = await this.workspace.drafts()
    await this.open(id)
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
      this.acceptPendingInvitation(s)
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
      this.syncRosterName(this.session)
    }
    this.renderPresence()
  }

  share(): void {
    const s = this.session
    if (!s) return
    if (s.readOnlyReason !== null) {
      showToast({ kind: 'error', message: 'A read-only draft cannot be shared from this device.' })
      return
    }
    const entry = this.invitingEntry(s)
    shareDialog({
      relays: entry?.relays ?? [],
      states: s.sync.status.relays,
      suggestion: sameOriginRelay(window.location),
      inviteFor: (relays) => this.inviteFor(s, relays),
      onMembers: () => this.manageMembers(),
      onChange: (relays) => void this.setRelays(s.id, relays),
      private: !!entry?.roomKey,
      onPrivacy: (makePrivate) => void this.setPrivacy(s.id, makePrivate),
      onRotateKey: () => void this.rotateKey(s.id),
      onHost: () => void this.hostHere(),
    })
  }

  /**
   * The draft's entry, with an invitation for its links when this member is an admin
   * (made once per draft and device, and put on the roster, so links shared later
   * admit members too). Anyone else's links bring people to the draft but not onto its
   * roster.
   */
  private invitingEntry(s: Session): DraftEntry | undefined {
    const entry = this.entries.find((e) => e.id === s.id)
    if (!entry || entry.invitation || !this.canEdit(s) || readRoster(s.doc).role(this.identity.id) !== 'admin') return entry
    entry.invitation = inviteMembers(s.doc, this.identity, { role: 'member', max: 500, now: Date.now() }, ORIGIN.local)
    void this.workspace.update(s.id, { invitation: entry.invitation })
    return entry
  }

  private inviteFor(s: Session, relays: RelayEndpoint[]): string {
    const entry = this.entries.find((e) => e.id === s.id)
    return inviteLink(host.kind === 'browser' ? window.location.href : 'plank://join', {
      draftId: s.id, relays, title: readTitle(s.doc),
      ...(entry?.roomKey ? { key: entry.roomKey } : {}),
      ...(entry?.invitation ? { invitation: entry.invitation } : {}),
    })
  }

  /**
   * Joined with an invitation: once the roster has arrived with the invitation on it,
   * put this member on it (their key, a proof made with the invitation's secret).
   */
  private acceptPendingInvitation(s: Session): void {
    const entry = this.entries.find((e) => e.id === s.id)
    const secret = entry?.pendingInvitation
    if (!entry || !secret || !this.canEdit(s)) return
    const roster = readRoster(s.doc)
    if (roster.has(this.identity.id)) {
      entry.pendingInvitation = undefined
      void this.workspace.update(s.id, { pendingInvitation: undefined })
      return
    }
    if (!roster.established) return
    const invitationKey = identityFromSecret(decodeBytes(secret) ?? new Uint8Array(32)).id
    const invited = membersRoot(s.doc).toArray().some((e: unknown) => (e as { t?: unknown; invite?: unknown } | null)?.t === 'invite' && (e as { invite: unknown }).invite === invitationKey)
    if (!invited) return // not arrived yet: tried again on the next change
    try {
      acceptInvitation(s.doc, this.identity, { secret, name: displayName(this.profile), now: Date.now() }, ORIGIN.local)
    } catch (err) {
      showToast({ kind: 'error', message: `The invitation in your link could not be used: ${err instanceof Error ? err.message : String(err)}` })
    }
    entry.pendingInvitation = undefined
    void this.workspace.update(s.id, { pendingInvitation: undefined })
  }

  /** The name on the roster follows the member's profile (a signed rename, only when it differs). */
  private syncRosterName(s: Session): void {
    if (!this.canEdit(s)) return
    const me = readRoster(s.doc).members.find((m) => m.id === this.identity.id)
    const name = displayName(this.profile)
    if (me && me.name !== name) renameMember(s.doc, this.identity, name, Date.now(), ORIGIN.local)
  }

  manageMembers(): void {
    const s = this.session
    if (!s) return
    membersDialog({
      doc: s.doc, identity: this.identity, myName: displayName(this.profile), canEdit: this.canEdit(s),
      exportIdentity: () => void this.exportIdentity(),
      importIdentity: () => void this.importIdentity(),
    })
  }

  private async exportIdentity(): Promise<void> {
    const values = await formDialog({
      title: 'Export your identity',
      intro: 'The file holds your member key, encrypted with this passphrase. With both, anyone can act as you: keep them apart and safe.',
      fields: [{ name: 'pass', label: 'Passphrase', secret: true }, { name: 'again', label: 'The same passphrase again', secret: true }],
      confirm: 'Export',
      validate: (v) => (v.pass!.length < MIN_PASSPHRASE ? `Use a passphrase of at least ${MIN_PASSPHRASE} characters.` : v.pass !== v.again ? 'The two passphrases differ.' : null),
    })
    if (!values) return
    const content = await exportIdentity({ secretKey: this.profile.secretKey, name: this.profile.name, color: this.profile.color }, values.pass!)
    if (await host.saveFile({ suggestedName: 'plank-identity.json', content, mimeType: 'application/json' })) showToast({ message: 'Identity exported.' })
  }

  private async importIdentity(): Promise<void> {
    const text = await pickTextFile('.json,application/json')
    if (text === null) return
    const values = await formDialog({
      title: 'Use an identity from another device',
      intro: 'This device will then sign as that member. Drafts you joined here under your current identity keep it on their rosters.',
      fields: [{ name: 'pass', label: 'Passphrase', secret: true }],
      confirm: 'Use this identity',
    })
    if (!values) return
    try {
      const contents = await importIdentity(text, values.pass!)
      const loaded = loadProfile({ ...this.profile, secretKey: contents.secretKey, name: contents.name || this.profile.name, color: contents.color || this.profile.color })
      this.profile = loaded.profile
      this.identity = loaded.identity
      await this.workspace.setSetting(PROFILE, this.profile)
      if (this.session) await this.open(this.session.id)
      showToast({ message: `This device now signs as ${displayName(this.profile)}.` })
    } catch (err) {
      showToast({ kind: 'error', message: err instanceof Error ? err.message : String(err) })
    }
  }

  /** "Meet on this network": host the open draft from this laptop (desktop only). */
  private async hostHere(): Promise<void> {
    const s = this.session
    if (!s) return
    const entry = this.invitingEntry(s)
    await hostDialog({
      hosting,
      draft: { id: s.id, title: readTitle(s.doc) || 'Untitled platform', private: !!entry?.roomKey },
      member: displayName(this.profile),
      inviteFor: (relays) => this.inviteFor(s, relays),
      onHosting: (hosted) => void this.onHosting(hosted),
    })
  }

  /** This app syncs the hosted draft through its own relay while it hosts it. */
  private async onHosting(hosted: HostedDraft | null): Promise<void> {
    const previous = this.hosted
    this.hosted = hosted
    for (const [draft, add] of [[previous, false], [hosted, true]] as const) {
      if (!draft) continue
      const entry = this.entries.find((e) => e.id === draft.draftId)
      if (!entry) continue
      const others = (entry.relays ?? []).filter((r) => r.url !== draft.local)
      await this.setRelays(entry.id, add ? [...others, { url: draft.local, token: draft.token }] : others)
    }
  }

  private showNearby(hosts: NearbyHost[]): void {
    this.nearbyEl.replaceChildren(...[renderNearbyHosts(hosts, (h) => void this.joinNearby(h))].filter((x) => x !== null))
  }

  /** Join a host found on this network, with the token (or the invite link) its member shows. */
  private async joinNearby(near: NearbyHost): Promise<void> {
    const text = await promptDialog({
      title: `Join “${near.title}”`,
      label: near.private ? `The invite link ${near.member} shows (it holds the draft’s key)` : `The invite link or the access token ${near.member} shows`,
      value: '',
      confirm: 'Join',
      validate: (v) => {
        const invite = parseInvite(v)
        if (invite) return invite.draftId === near.draftId ? null : 'That invite is for another draft.'
        if (near.private) return 'This draft is private: paste the whole invite link, which holds its key.'
        return /^[A-Za-z0-9_-]{20,}$/.test(v.trim()) ? null : 'Paste the invite link, or the access token.'
      },
    })
    if (text === null) return
    const invite = parseInvite(text)
    const relays = near.addresses.map((url) => ({ url, token: invite?.relays.find((r) => r.token)?.token ?? text.trim() }))
    await this.join(invite ? { ...invite, relays: [...relays, ...invite.relays.filter((r) => !relays.some((x) => x.url === r.url))] } : { draftId: near.draftId, title: near.title, relays })
  }

  /** A new room key for a private draft; what the relays hold is sealed again with it. */
  private async rotateKey(id: string): Promise<void> {
    const s = this.session
    const entry = this.entries.find((e) => e.id === id)
    if (s?.id !== id || !entry?.roomKey) return
    const ok = await confirmDialog({
      title: 'Change this draft’s key?',
      message: 'Do this when a member leaves. Everything on the relays is sealed again with a new key; members need the new invite link, and the old link cannot read anything written from now on.',
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
      await this.workspace.update(existing.id, { relays, ...(invite.key ? adoptKey(existing, invite.key) : {}), ...(invite.invitation ? { pendingInvitation: invite.invitation } : {}) })
    } else {
      const now = Date.now()
      await this.workspace.put({
        id: invite.draftId, title: invite.title, created: now, updated: now, relays: invite.relays, awaitingFirstSync: true,
        ...(invite.key ? { roomKey: invite.key } : {}),
        ...(invite.invitation ? { pendingInvitation: invite.invitation } : {}),
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
      startChapter: (id) => void this.startChapter(id),
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
