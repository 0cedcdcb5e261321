import type * as Y from 'yjs'
import type { EditorView } from 'prosemirror-view'
import type { Author } from '../../../crdt/author.ts'
import type { Identity } from '../../../crdt/identity.ts'
import type { Ledger } from '../../../crdt/ledger.ts'
import type { DraftStorage } from '../storage/draft-storage.ts'
import type { DraftSync } from '../sync/draft-sync.ts'
import type { DraftEntry, Workspace } from '../workspace/workspace.ts'
import type { Invite } from '../sync/invite.ts'
import type { Unrenderable } from '../editor/schema-guard.ts'
import type { RelayEndpoint } from '../sync/relays.ts'

/** The open draft: its document, editor, storage and sync. The app owns exactly one. */
export interface Session {
  id: string
  doc: Y.Doc
  /** The draft's signed records as this device verified them (roster, votes, versions). */
  ledger: Ledger
  /** Where the ledger keeps them on this device. */
  recordStore: { close(): void }
  view: EditorView
  storage: DraftStorage | null
  readOnlyReason: string | null
  titleTimer: ReturnType<typeof setTimeout> | null
  sync: DraftSync
  /** False while a joined draft waits for its first sync (nothing to edit yet). */
  received: boolean
  /** Set when the draft holds content this version cannot show: the editor shows a read-only copy. */
  unrenderable: Unrenderable | null
  /** How many top-level blocks the read-only view shows differently from how they were written. */
  unshownBlocks: number
  /** Stops the schema guard and the live binding (see editor/guarded-binding.ts). */
  unguard: () => void
  /** Pending refresh of the read-only view while `unrenderable` is set, and when the changes it waits for began. */
  refreshTimer: { timer: ReturnType<typeof setTimeout>; since: number } | null
  /** Stops recording this session's edits as this member's (see crdt/attribution.ts). */
  stopAttribution: () => void
  /** Stops carrying concurrent edits to words a decision moved (see crdt/moves.ts). */
  stopForwarding: () => void
}

/**
 * What the app's feature modules (membership, chapters, meetings) may use of the app
 * shell: the open session, the drafts on this device, and the shell's own actions.
 */
export interface AppContext {
  readonly workspace: Workspace
  session(): Session | null
  entry(id: string): DraftEntry | undefined
  /** The drafts on this device. */
  drafts(): DraftEntry[]
  /** Whether the member may change this session's draft now. */
  canEdit(s: Session): boolean
  author(): Author
  identity(): Identity
  /** The name this member shows. */
  memberName(): string
  open(id: string): Promise<void>
  join(invite: Invite): Promise<void>
  setRelays(id: string, relays: RelayEndpoint[]): Promise<void>
  /** Run a change on a draft whether or not it is the open one. */
  withDoc(id: string, change: (doc: Y.Doc) => void): Promise<void>
  /** Run a change that signs records on a draft (through this device's ledger for it), whether or not it is the open one. */
  withLedger(id: string, change: (ledger: Ledger) => void): Promise<void>
  /**
   * Send a draft's changes to its relays now, open or not: 'delivered' once a relay
   * confirms it holds them, 'local' when the draft has no relay, 'pending' when none
   * confirmed in time (they go when the draft next syncs).
   */
  deliver(id: string, timeoutMs?: number): Promise<'delivered' | 'local' | 'pending'>
  /**
   * Store a new draft made on this device (private, with a new room key) and open it.
   * The member founds it: its id is derived from the founding entry (crdt/roster.ts).
   */
  addDraft(doc: Y.Doc, title: string): Promise<string>
}
