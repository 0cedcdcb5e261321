import * as Y from 'yjs'
import { ROOT } from './format.ts'
import { type Identity, recordHash, sha256HexOfBytes, verifyRecord } from './identity.ts'
import { DOMAIN, type Domain, type RecordFields, makeRecord, readEnvelope, recordIdOf, verifySigned } from './signed-record.ts'
import { type LogName, MemoryRecordStore, type RecordStore, type StoredRecord, type TamperNote } from './record-store.ts'
import { type GraphNode, RecordGraph } from './record-graph.ts'
import { type Role, type Roster, type RosterResult, draftIdOf, evaluateRoster, extendRoster, isRootedDraftId, readLegacyRosterEntry, rosterFieldsOk } from './roster.ts'
import { questionFieldsOk, readLegacyQuestionEntry } from './question-fields.ts'
import { decisionFieldsOk, readLegacyDecision } from './decision-fields.ts'
import { versionFieldsOk } from './version-fields.ts'
import { ORIGIN, type Origin } from './origins.ts'

/**
 * A draft's ledger on this device: every signed record it holds for the draft
 * (roster, questions, decisions, versions), verified once, kept in the device's own
 * grow-only store, and arranged in their causal graph. It is what every tally, roster
 * and ratification on this device is computed from — never the shared document
 * directly, which any writer can change. See SIGNED-RECORDS.md.
 *
 * It reads the document lazily: the logs' observers only mark it stale, and the next
 * read brings it up to date with the records that arrived (verifying only those), and
 * notices verified records that vanished (shown as tampering, and put back when this
 * device may write).
 */
export interface Entry {
  /** Format 2: the hash of the signed bytes; format 1: the old record hash. */
  id: string
  log: LogName
  v: 1 | 2
  t: string
  /** The signer ('' for an unsigned format-1 position). */
  by: string
  at: number
  prev: string[]
  record: Record<string, unknown>
  snapshot?: Uint8Array
}
export type Node = GraphNode<Entry>

export type ProblemKind = 'forged' | 'malformed' | 'foreign' | 'legacy' | 'second-root' | 'unrooted' | 'held' | 'tampered' | 'refused' | 'concurrent' | 'conflict' | 'omitted' | 'invalid'
export interface Problem {
  /** Stable across reads (what a dismissal remembers). */
  key: string
  kind: ProblemKind
  /** An attempt to do what its author may not, or tampering — not an honest race. */
  alarm: boolean
  log: LogName
  id: string
  /** The signer, or whose name a forged record claims ('' unknown). */
  by: string
  t: string
  why: string
  /** For tampering: when this device noticed. */
  noticed?: number
  /** The question or amendment a vote record names, if any. */
  about?: string
}

export type RootState =
  | { kind: 'rooted'; id: string }
  | { kind: 'pinned'; id: string; from: 'first sight' | 'invite' }
  | { kind: 'waiting'; id: string | null }
  | { kind: 'contested'; candidates: string[] }
  | { kind: 'none' }

export interface LedgerOptions {
  store?: RecordStore
  /** Put verified records that someone deleted from the shared document back (a device that may write does). */
  repair?: boolean
  /** The founding entry an invite link named, for a draft whose id does not commit to one. */
  root?: string
  /** This device's member: of several founders of an old draft, it trusts its own. */
  me?: string
  now?: () => number
}

const LOGS: readonly LogName[] = ['members', 'questions', 'votes', 'versions']
const DOMAIN_OF: Record<LogName, Domain> = { members: DOMAIN.roster, questions: DOMAIN.question, votes: DOMAIN.decision, versions: DOMAIN.version }
const FIELDS_OK: Record<LogName, (r: Record<string, unknown>) => boolean> = { members: rosterFieldsOk, questions: questionFieldsOk, votes: decisionFieldsOk, versions: versionFieldsOk }
const ROOT_OF: Record<LogName, string> = { members: ROOT.members, questions: ROOT.questions, votes: ROOT.votes, versions: ROOT.versions }

type Parsed =
  | { entry: Entry; signed: boolean; verified: boolean }
  | { problem: Omit<Problem, 'key'> }

export class Ledger {
  readonly store: RecordStore
  private readonly opts: LedgerOptions
  private readonly now: () => number
  private dirty = true
  /** Bumped whenever what the ledger holds changes (for callers' caches). */
  revision = 0
  private readonly parsed = new WeakMap<object, Parsed>()
  /** Verified (or, format 1, unsigned) records for this draft, by id. */
  private readonly entries = new Map<string, Entry>()
  private readonly signedIds = new Set<string>()
  /** How many values in the document carry each verified record. */
  private readonly present = new Map<string, number>()
  private readonly valueProblems = new Map<string, { problem: Problem; count: number }>()
  private readonly unsignedCounts = new Map<Entry, number>()
  private scanned = false
  private pending: Array<{ log: LogName; key: string | number; value: unknown; delta: 1 | -1 }> = []
  private readonly graph = new RecordGraph<Entry>((e) => e.log === 'members')
  private readonly waiting = new Map<string, Entry[]>()
  private readonly held = new Map<string, Entry>()
  private readonly refusedStructurally = new Map<string, Problem>()
  private readonly legacyEntries: Entry[] = []
  private readonly legacySet = new Set<Entry>()
  /** Entries not yet placed in the graph (or among the old-format ones, or refused). */
  private readonly unplaced = new Set<Entry>()
  private readonly childless = new Set<Node>()
  private readonly byLog = new Map<LogName, Node[]>()
  private rootId: string | null = null
  private rootState: RootState = { kind: 'none' }
  private rosterResult: RosterResult | null = null
  private rosterAt = 0
  private countedCache: { revision: number; counted: Map<Node, boolean>; heads: string[] } | null = null
  private readonly unobserve: () => void
  private repairing = false
  private readonly authorized = new WeakMap<Node, { state: RosterResult; member: string | null | undefined; admin: string | null | undefined }>()
  private problemCache: { revision: number; list: Problem[] } | null = null

  constructor(readonly doc: Y.Doc, readonly draftId: string, opts: LedgerOptions = {}) {
    this.opts = opts
    this.store = opts.store ?? new MemoryRecordStore()
    this.now = opts.now ?? Date.now
    for (const r of this.store.all()) this.remember(r)
    const observers = LOGS.map((log) => {
      const type = (log === 'versions' ? doc.getMap(ROOT.versions) : doc.getArray(ROOT_OF[log])) as unknown as Y.AbstractType<Y.YEvent<never>>
      const observe = (event: Y.YEvent<never>) => { this.collect(log, event); this.dirty = true; this.revision++ }
      type.observe(observe)
      return () => type.unobserve(observe)
    })
    this.unobserve = () => { for (const stop of observers) stop() }
  }

  destroy(): void { this.unobserve() }

  /** Whether this draft's id commits to its root (drafts made before signed records do not). */
  get rooted(): boolean { return isRootedDraftId(this.draftId) }

  private remember(r: StoredRecord): void {
    if (this.entries.has(r.id)) return
    const e = toEntry(r.id, r.log, r.record, r.snapshot)
    if (!e) return
    this.entries.set(r.id, e)
    this.signedIds.add(r.id)
    this.unplaced.add(e)
  }

  /** Bring the ledger up to date with the shared document. */
  refresh(): void {
    if (!this.dirty) return
    this.dirty = false
    const fresh: StoredRecord[] = []
    const dropped = new Set<string>()
    if (!this.scanned) {
      // The first read: everything the document holds; later ones: only what changed.
      this.scanned = true
      this.pending = []
      for (const log of LOGS) for (const [key, value] of this.values(log)) this.count(log, key, value, 1, fresh, dropped)
      for (const id of this.signedIds) dropped.add(id)
    } else {
      const changes = this.pending
      this.pending = []
      for (const c of changes) this.count(c.log, c.key, c.value, c.delta, fresh, dropped)
    }
    if (fresh.length > 0) this.store.add(fresh)
    this.noticeDeletions([...dropped].filter((id) => this.signedIds.has(id) && !(this.present.get(id)! > 0)))
    this.admitAll()
  }

  /** A log's change, as its observer saw it: values added (+1) and removed (-1). */
  private collect(log: LogName, event: Y.YEvent<never>): void {
    if (!this.scanned) return
    if (log === 'versions') {
      const map = event.target as unknown as Y.Map<unknown>
      for (const [key, change] of event.changes.keys) {
        if (change.action !== 'add') this.pending.push({ log, key, value: change.oldValue, delta: -1 })
        if (change.action !== 'delete') this.pending.push({ log, key, value: map.get(key), delta: 1 })
      }
      return
    }
    for (const item of event.changes.added) for (const value of item.content.getContent()) this.pending.push({ log, key: '', value, delta: 1 })
    for (const item of event.changes.deleted) for (const value of item.content.getContent()) this.pending.push({ log, key: '', value, delta: -1 })
  }

  /** Count one value in (or out of) the document: a record (verified once), or why it does not count. */
  private count(log: LogName, key: string | number, value: unknown, delta: 1 | -1, fresh: StoredRecord[], dropped: Set<string>): void {
    const tally = <K>(map: Map<K, { problem: Problem; count: number }>, k: K, make: () => Problem) => {
      const known = map.get(k)
      const count = (known?.count ?? 0) + delta
      if (count > 0) map.set(k, { problem: known?.problem ?? make(), count })
      else map.delete(k)
    }
    if (typeof value !== 'object' || value === null) {
      const k = `${log}:${String(value).slice(0, 40)}`
      tally(this.valueProblems, k, () => problem({ kind: 'malformed', alarm: true, log, id: '', by: '', t: '', why: 'not a record' }, `malformed:${k}`))
      return
    }
    let p = this.parsed.get(value)
    if (!p) {
      p = this.parse(log, value, key)
      this.parsed.set(value, p)
    }
    if ('problem' in p) {
      const found = p.problem
      if (found.kind === 'legacy' && log === 'versions') return
      const k = found.id === '' ? malformedKey(log, value) : `${found.kind}:${log}:${found.id}`
      tally(this.valueProblems, k, () => problem(found, k))
      return
    }
    const { entry } = p
    if (!p.signed) {
      if (this.rooted) tally(this.valueProblems, `legacy:${log}:${entry.id}`, () => problem({ kind: 'legacy', alarm: true, log, id: entry.id, by: entry.by, t: entry.t, why: 'unsigned: it does not count in a draft with a roster', ...(typeof entry.record.question === 'string' ? { about: entry.record.question } : {}) }))
      else {
        const count = (this.unsignedCounts.get(entry) ?? 0) + delta
        if (count > 0) this.unsignedCounts.set(entry, count)
        else this.unsignedCounts.delete(entry)
      }
      return
    }
    const count = (this.present.get(entry.id) ?? 0) + delta
    this.present.set(entry.id, count)
    if (count <= 0) dropped.add(entry.id)
    if (delta > 0 && !this.entries.has(entry.id)) {
      this.entries.set(entry.id, entry)
      this.signedIds.add(entry.id)
      this.unplaced.add(entry)
      fresh.push({ id: entry.id, log, record: entry.record, ...(entry.snapshot ? { snapshot: entry.snapshot } : {}), seen: this.now() })
    }
  }

  /** [key, value] of every value a log holds now. */
  private *values(log: LogName): Iterable<[string | number, unknown]> {
    if (log === 'versions') {
      for (const [k, v] of this.doc.getMap(ROOT.versions).entries()) yield [k, v]
    } else {
      const arr = this.doc.getArray(ROOT_OF[log]).toArray()
      for (let i = 0; i < arr.length; i++) yield [i, arr[i]]
    }
  }

  /** Read one value of a log: a record of this draft (verified), or why it does not count. */
  private parse(log: LogName, value: object, key: string | number): Parsed {
    const raw = (log === 'versions' ? (value as { record?: unknown }).record : value) as Record<string, unknown> | undefined
    const claimed = typeof raw?.by === 'string' ? raw.by : typeof (raw?.member as { id?: unknown } | undefined)?.id === 'string' ? (raw!.member as { id: string }).id : ''
    const kind = typeof raw?.t === 'string' ? raw.t : typeof raw?.kind === 'string' ? raw.kind : ''
    const base = { log, id: '', by: claimed.slice(0, 64), t: kind.slice(0, 32), ...(typeof raw?.question === 'string' ? { about: raw.question.slice(0, 200) } : {}) }
    if (raw?.v === 2) {
      const r = readEnvelope(raw)
      if (!r || r.dom !== DOMAIN_OF[log] || !FIELDS_OK[log](r)) return { problem: { ...base, kind: 'malformed', alarm: true, why: r && r.dom !== DOMAIN_OF[log] ? `a ${r.dom} record in the ${log} log` : isNonCanonicalKey(raw.by) ? 'its author key is not written the one canonical way' : 'malformed record' } }
      const id = recordIdOf(r)
      const rootCandidate = log === 'members' && r.t === 'found' && r.draft === ''
      if (r.draft !== this.draftId && !rootCandidate) {
        // Not verified: it cannot count here whoever signed it (nor be stored).
        return { problem: { ...base, id, kind: 'foreign', alarm: log !== 'versions', why: 'signed for another draft' } }
      }
      const stored = this.store.get(id)
      const verified = stored !== undefined && stored.record.sig === r.sig ? true : verifySigned(r)
      if (!verified) return { problem: { ...base, id, kind: 'forged', alarm: true, why: 'its signature does not verify' } }
      const snapshot = log === 'versions' ? (value as { snapshot?: unknown }).snapshot : undefined
      if (log === 'versions' && (!(snapshot instanceof Uint8Array) || key !== id || snapshotHash(snapshot) !== r.snap)) {
        return { problem: { ...base, id, kind: 'malformed', alarm: true, why: 'the version’s snapshot is not the one it signs' } }
      }
      return { entry: toEntry(id, log, r, snapshot as Uint8Array | undefined)!, signed: true, verified: true }
    }
    // Format 1: drafts made before signed records named their draft.
    if (log === 'versions') return { problem: { ...base, kind: 'legacy', alarm: false, why: 'an unsigned version' } }
    const legacy = log === 'members' ? readLegacyRosterEntry(raw) : log === 'questions' ? readLegacyQuestionEntry(raw) : readLegacyDecision(raw)
    if (!legacy) return { problem: { ...base, kind: 'malformed', alarm: true, why: isNonCanonicalKey(raw?.by) || isNonCanonicalKey((raw?.member as { id?: unknown } | undefined)?.id) ? 'its author key is not written the one canonical way' : 'malformed record' } }
    const signed = typeof legacy.sig === 'string'
    const id = recordHash(legacy)
    const by = log === 'votes' ? (legacy.member as { id: string }).id : legacy.by as string
    if (signed) {
      const stored = this.store.get(id)
      if (!(stored && stored.record.sig === legacy.sig) && !verifyRecord(by, legacy)) return { problem: { ...base, by, id, kind: 'forged', alarm: true, why: 'its signature does not verify' } }
    }
    return { entry: toEntry(id, log, legacy)!, signed, verified: signed }
  }

  /** Verified records no longer in the document: tampering, noted once, put back when this device writes. */
  private noticeDeletions(ids: string[]): void {
    const missing = ids.map((id) => this.store.get(id)).filter((r): r is StoredRecord => r !== undefined)
    if (missing.length === 0) return
    const known = new Set(this.store.tampered().map((n) => n.id))
    const notes: TamperNote[] = missing.filter((m) => !known.has(m.id)).map((m) => ({ id: m.id, log: m.log, claimedBy: null, noticed: this.now() }))
    if (notes.length > 0) this.store.noteTampered(notes)
    if (this.opts.repair) this.putBack(missing)
  }

  private putBack(records: StoredRecord[]): void {
    if (this.repairing) return
    const run = () => {
      this.repairing = true
      try {
        this.doc.transact(() => {
          for (const r of records) {
            if (r.log === 'versions') this.doc.getMap(ROOT.versions).set(r.id, { record: r.record, snapshot: r.snapshot })
            else this.doc.getArray(ROOT_OF[r.log]).push([r.record])
          }
        }, ORIGIN.restore)
      } finally {
        this.repairing = false
      }
    }
    // Never inside another transaction (a read may happen while one is open).
    if ((this.doc as unknown as { _transaction: unknown })._transaction === null) run()
    else queueMicrotask(run)
  }

  // The causal graph

  private resolveRoot(): void {
    if (this.rootId !== null && this.rootState.kind !== 'waiting') return
    const founds = [...this.entries.values()].filter((e) => e.log === 'members' && e.t === 'found' && e.prev.length === 0)
    if (this.rooted) {
      const root = founds.find((e) => e.v === 2 && e.record.draft === '' && draftIdOf(e.id) === this.draftId)
      this.rootId = root?.id ?? null
      this.rootState = root ? { kind: 'rooted', id: root.id } : { kind: 'waiting', id: null }
      return
    }
    // A draft from before: the root this device pinned, or the one its invite named, or the one it first saw.
    const candidates = founds.filter((e) => e.v === 1 || e.record.draft === this.draftId)
    const pinned = this.store.root() ?? this.opts.root ?? null
    if (pinned !== null) {
      this.store.pinRoot(pinned)
      this.rootId = pinned
      this.rootState = this.entries.has(pinned) ? { kind: 'pinned', id: pinned, from: this.opts.root === pinned ? 'invite' : 'first sight' } : { kind: 'waiting', id: pinned }
      return
    }
    const own = candidates.filter((e) => e.by === this.opts.me)
    const chosen = candidates.length === 1 ? candidates[0]! : own.length === 1 ? own[0]! : null
    if (chosen) {
      this.store.pinRoot(chosen.id)
      this.rootId = chosen.id
      this.rootState = { kind: 'pinned', id: chosen.id, from: 'first sight' }
    } else {
      this.rootState = candidates.length > 1 ? { kind: 'contested', candidates: candidates.map((c) => c.id).sort() } : { kind: 'none' }
    }
  }

  private admitAll(): void {
    const rootBefore = this.rootId
    this.resolveRoot()
    if (this.rootId !== rootBefore) for (const e of this.waiting.get(FOUNDING) ?? []) this.unplaced.add(e)
    if (this.rootId !== rootBefore) this.waiting.delete(FOUNDING)
    const batch = [...this.unplaced]
    this.unplaced.clear()
    for (const e of batch) if (!this.graph.has(e.id) && !this.refusedStructurally.has(e.id) && !this.legacySet.has(e)) this.admit(e)
    this.updateRoster()
  }

  /** Re-resolve the roster when roster entries joined: on top of the last result when they simply follow everything, else from scratch. */
  private updateRoster(): void {
    const count = this.graph.rosterNodes.length
    if (this.rosterResult && count === this.rosterAt) return
    const fresh = this.graph.rosterNodes.slice(Math.max(0, this.rosterAt))
    const extended = this.rosterResult && this.rosterAt > 0 ? extendRoster(this.rosterResult, fresh, this.graph, this.draftId) : null
    // A draft whose id commits to a root has a roster even before the root arrives: nothing unsigned counts meanwhile.
    const established = this.rooted || (this.rootId !== null && this.graph.has(this.rootId))
    this.rosterResult = extended ?? evaluateRoster(this.graph, established, this.draftId)
    this.rosterAt = count
  }

  private admit(e: Entry): void {
    const graphed = e.v === 2 || e.log === 'members'
    if (!graphed) {
      if (this.rooted) return this.refuse(e, 'legacy', 'made by an earlier Plank or copied from another draft: it does not name this draft')
      this.legacySet.add(e)
      this.legacyEntries.push(e)
      return
    }
    if (e.v === 1 && this.rooted) return this.refuse(e, 'legacy', 'made by an earlier Plank or copied from another draft: it does not name this draft')
    if (e.prev.length === 0) {
      if (e.id === this.rootId) return this.join(e)
      const undecided = this.rootId === null && this.rootState.kind !== 'contested'
      if (e.log === 'members' && e.t === 'found') {
        if (undecided) return this.hold(e, FOUNDING)
        return this.refuse(e, 'second-root', 'a second founding entry: this draft has one founder')
      }
      if (this.rootState.kind === 'none' && e.log !== 'members') return this.join(e) // a draft with no roster at all
      if (undecided) return this.hold(e, FOUNDING)
      return this.refuse(e, 'unrooted', 'it follows none of this draft’s records')
    }
    const missing = e.prev.filter((p) => !this.graph.has(p))
    if (missing.some((p) => this.refusedStructurally.has(p))) return this.refuse(e, 'unrooted', 'it follows a record that was refused')
    if (missing.length > 0) return this.hold(e, missing[0]!)
    this.join(e)
  }

  private join(e: Entry): void {
    this.held.delete(e.id)
    const node = this.graph.add(e.id, e, e.prev)
    for (const p of node.parents) this.childless.delete(p)
    this.childless.add(node)
    const list = this.byLog.get(e.log) ?? []
    list.push(node)
    this.byLog.set(e.log, list)
    const woken = this.waiting.get(e.id) ?? []
    this.waiting.delete(e.id)
    for (const w of woken) if (!this.graph.has(w.id) && !this.refusedStructurally.has(w.id)) this.admit(w)
  }

  private hold(e: Entry, on: string): void {
    this.held.set(e.id, e)
    const list = this.waiting.get(on) ?? []
    if (!list.includes(e)) list.push(e)
    this.waiting.set(on, list)
  }

  private refuse(e: Entry, kind: ProblemKind, why: string): void {
    this.held.delete(e.id)
    this.refusedStructurally.set(e.id, problem({ kind, alarm: true, log: e.log, id: e.id, by: e.by, t: e.t, why }))
    const woken = this.waiting.get(e.id) ?? []
    this.waiting.delete(e.id)
    for (const w of woken) this.refuse(w, 'unrooted', 'it follows a record that was refused')
  }

  // What the rest of crdt/ reads

  /** The roster as this device resolves it now. */
  roster(): Roster { return this.rosterState().roster }

  rosterState(): RosterResult {
    this.refresh()
    this.updateRoster()
    return this.rosterResult!
  }

  root(): RootState { this.refresh(); return this.rootState }

  /** Records of a log in the graph, in the order they joined it (a causal order). */
  nodes(log: LogName): readonly Node[] { this.refresh(); return this.byLog.get(log) ?? [] }
  node(id: string): Node | undefined { this.refresh(); return this.graph.get(id) }
  /** Format-1 records of a log that stay outside the graph (an old draft's questions and positions). */
  legacy(log: LogName): Entry[] { this.refresh(); return this.legacyEntries.filter((e) => e.log === log) }
  /** Format-1 positions and decisions without a signature (counted only in drafts without a roster). */
  unsignedVotes(): Entry[] { this.refresh(); return [...this.unsignedCounts.keys()] }
  isAncestor(a: Node, b: Node): boolean { return this.graph.isAncestor(a, b) }
  concurrent(a: Node, b: Node): boolean { return this.graph.concurrent(a, b) }
  /** Every node in `node`'s past, as a test. */
  inPast(node: Node): (other: Node) => boolean {
    const past = this.graph.pastOf(node)
    return (other) => other.index < node.index && ((past[other.index >>> 5] ?? 0) >>> (other.index & 31) & 1) === 1
  }
  /** Every node in `node`'s future, as a test (what follows a question's opening, say). */
  inFuture(node: Node): (other: Node) => boolean {
    const future = this.graph.futureOf(node)
    return (other) => other.index > node.index && ((future[other.index >>> 5] ?? 0) >>> (other.index & 31) & 1) === 1
  }

  /** A member's role as of a record's past (null: not a member then). */
  roleAt(member: string, node: Node): Role | null {
    let role: Role | null = null
    for (const ev of this.rosterState().history.get(member) ?? []) if (this.graph.isAncestor(ev.node, node)) role = ev.role
    return role
  }

  /** How many members the roster had as of a record's past. */
  membersAt(node: Node): number {
    let n = 0
    for (const member of this.rosterState().history.keys()) if (this.roleAt(member, node) !== null) n++
    return n
  }

  /**
   * Whether a record's author could make it: a member (or admin) as of its own past,
   * and not concurrently with their removal (or, for an admin's act, demotion). Null
   * when it may count; otherwise why not.
   */
  authorize(node: Node, need: 'member' | 'admin'): string | null {
    const state = this.rosterState()
    let cached = this.authorized.get(node)
    if (cached?.state !== state) {
      cached = { state, member: undefined, admin: undefined }
      this.authorized.set(node, cached)
    }
    const known = cached[need]
    if (known !== undefined) return known
    const why = this.judge(node, need, state)
    cached[need] = why
    return why
  }

  private judge(node: Node, need: 'member' | 'admin', state: RosterResult): string | null {
    if (!state.roster.established) return node.entry.log === 'votes' ? null : 'this draft has no roster'
    const by = node.entry.by
    const role = this.roleAt(by, node)
    if (role === null) return state.everMembers.has(by) ? 'its author was not a member when it was made' : 'not a member'
    for (const l of state.lowerings.get(by) ?? []) {
      const removal = (l.entry.record as { t: string }).t === 'remove'
      if (!removal && need !== 'admin') continue
      if (this.graph.concurrent(l, node)) return removal ? 'made concurrently with its author’s removal' : 'an admin’s act concurrent with their demotion'
    }
    if (need === 'admin' && role !== 'admin') return 'its author was not an admin'
    return null
  }

  /** Whether a record counts for its own sake (what the next record may follow). */
  private counted(n: Node, cache: Map<Node, boolean>): boolean {
    let c = cache.get(n)
    if (c === undefined) {
      c = n.rosterIndex >= 0 ? this.rosterState().applied.has(n.id) : this.authorize(n, 'member') === null
      cache.set(n, c)
    }
    return c
  }

  /** The records a new record follows: those that count and that nothing counted follows yet. */
  heads(): string[] {
    this.refresh()
    if (this.countedCache?.revision === this.revision) return this.countedCache.heads
    const counted = new Map<Node, boolean>()
    const heads = new Set<string>()
    const seen = new Set<Node>()
    const stack = [...this.childless]
    while (stack.length > 0) {
      const n = stack.pop()!
      if (seen.has(n)) continue
      seen.add(n)
      if (this.counted(n, counted)) {
        if (n.children.every((c) => !this.counted(c, counted))) heads.add(n.id)
      } else {
        for (const p of n.parents) stack.push(p)
      }
    }
    const list = [...heads].sort()
    this.countedCache = { revision: this.revision, counted, heads: list }
    return list
  }

  /** Sign and write a record to its log; it is this device's own, so it is stored at once. */
  append(identity: Identity, log: LogName, fields: RecordFields, origin: Origin, extra: { prev?: string[]; snapshot?: Uint8Array } = {}): Entry {
    const prev = extra.prev ?? this.heads()
    const { record, id } = makeRecord(identity, { dom: DOMAIN_OF[log], draft: this.draftId, prev }, fields)
    const entry = toEntry(id, log, record, extra.snapshot)!
    this.store.add([{ id, log, record, ...(extra.snapshot ? { snapshot: extra.snapshot } : {}), seen: this.now() }])
    this.entries.set(id, entry)
    this.signedIds.add(id)
    this.unplaced.add(entry)
    const value = log === 'versions' ? { record, snapshot: extra.snapshot } : record
    this.parsed.set(value, { entry, signed: true, verified: true })
    this.doc.transact(() => {
      if (log === 'versions') this.doc.getMap(ROOT.versions).set(id, value)
      else this.doc.getArray(ROOT_OF[log]).push([value])
    }, origin)
    this.dirty = true
    this.revision++
    return entry
  }

  /** What did not count on this device, and why: refused, forged, foreign, held, tampered with. */
  problems(): Problem[] {
    this.refresh()
    if (this.problemCache?.revision === this.revision) return this.problemCache.list
    const out = [...[...this.valueProblems.values()].map((v) => v.problem), ...this.refusedStructurally.values()]
    for (const e of this.held.values()) out.push(problem({ kind: 'held', alarm: false, log: e.log, id: e.id, by: e.by, t: e.t, why: 'waiting for records it follows, which have not arrived' }))
    for (const n of this.store.tampered()) {
      const r = this.store.get(n.id)
      out.push(problem({ kind: 'tampered', alarm: true, log: n.log, id: n.id, by: (r?.record.by as string | undefined) ?? '', t: (r?.record.t as string | undefined) ?? '', why: 'deleted from the shared document', noticed: n.noticed }))
    }
    for (const f of this.roster().flagged) {
      const n = this.graph.get(f.hash)!
      out.push(problem({ kind: f.alarm ? 'refused' : 'concurrent', alarm: f.alarm, log: 'members', id: f.hash, by: f.by, t: n.entry.t, why: f.why }))
    }
    if (this.rootState.kind === 'contested') out.push(problem({ kind: 'second-root', alarm: true, log: 'members', id: this.rootState.candidates.join(','), by: '', t: 'found', why: `${this.rootState.candidates.length} founding entries, and this draft’s id names none of them` }))
    const list = dedupe(out)
    this.problemCache = { revision: this.revision, list }
    return list
  }
}

/** What entries wait on until the draft's root is known. */
const FOUNDING = '(the founding entry)'

const problem = (p: Omit<Problem, 'key'>, key?: string): Problem => ({ ...p, key: key ?? `${p.kind}:${p.log}:${p.id}` })
/** A malformed value has no record id: it is known by the hash of what it holds. */
const malformedKey = (log: LogName, value: unknown): string => {
  try {
    return `malformed:${log}:${recordHash(value as object)}`
  } catch {
    return `malformed:${log}:${String(value).slice(0, 60)}`
  }
}
const dedupe = (list: Problem[]): Problem[] => [...new Map(list.map((p) => [p.key, p])).values()]

const isNonCanonicalKey = (v: unknown): boolean => typeof v === 'string' && v.length === 43 && /^[A-Za-z0-9_-]+$/.test(v)

/** The hash a version record signs for its snapshot bytes. */
export const snapshotHash = (bytes: Uint8Array): string => sha256HexOfBytes(bytes)

const toEntry = (id: string, log: LogName, record: Record<string, unknown>, snapshot?: Uint8Array): Entry | null => {
  const by = log === 'votes' && record.v === 1 ? ((record.member as { id?: string } | undefined)?.id ?? '') : (record.by as string)
  return {
    id, log, v: record.v === 2 ? 2 : 1, t: (record.t ?? record.kind) as string, by, at: record.at as number,
    prev: Array.isArray(record.prev) ? record.prev as string[] : [], record,
    ...(snapshot ? { snapshot } : {}),
  }
}
