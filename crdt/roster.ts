import type * as Y from 'yjs'
import { members } from './draft.ts'
import { type Identity, decodeBytes, encodeBytes, identityFromSecret, isMemberKey, newIdentity, sign, verify } from './identity.ts'
import { DOMAIN, makeRecord } from './signed-record.ts'
import type { GraphNode, RecordGraph } from './record-graph.ts'
import type { Entry, Ledger } from './ledger.ts'
import type { Origin } from './origins.ts'
import { safeName } from './author.ts'

/** Append to a list in a map of lists. */
const pushTo = <K, V>(map: Map<K, V[]>, key: K, value: V): void => { const list = map.get(key); if (list) list.push(value); else map.set(key, [value]) }

/**
 * Who belongs to a draft: signed roster entries in the draft's causal graph of records
 * (see SIGNED-RECORDS.md), which every device verifies and resolves for itself.
 *
 * - `found`: the draft's creator, its first admin: the graph's one root. A new draft's
 *   id is derived from it (`draftIdOf`), so no second founder can ever be its root.
 * - `invite`: an admin puts an invitation's public key on the roster; its secret
 *   travels in the invite link (next to the room key).
 * - `accept`: the invitee joins with their own key and a proof made with the
 *   invitation's secret, over the draft id and their key. No admin needs to be online;
 *   an invitation admits at most `max` members.
 * - `revoke`: an admin voids an invitation.
 * - `role`, `remove`: an admin changes a member's role or removes them.
 * - `rename`: a member changes the name others see.
 *
 * The entries are applied in one order every device computes alike: a topological
 * order of the graph where, among entries ready at once, removals, demotions and
 * revocations come first, then by their author's seniority, then by id. An entry
 * counts only if its author may make it at that point. Then, following
 * local-first-web/auth's membership rules:
 *   - anything a member does concurrently with their removal is ignored,
 *   - an admin-only action concurrent with its author's demotion is ignored,
 *   - a member removed by one admin cannot be re-admitted concurrently by another,
 *   - in mutual removals the more senior member prevails,
 *   - a join concurrent with its invitation's revocation does not count.
 * And removal locks out:
 *   - a removal voids every invitation made before it (in its past), whoever made it
 *     and on whatever device: old links admit nobody after a removal;
 *   - a removed member rejoins only through an invitation made after their removal.
 */
export type Role = 'admin' | 'member'

export interface Member { id: string; name: string; role: Role; founder: boolean; since: number }
export interface Flagged { hash: string; by: string; why: string; /** An attempt to do what its author may not (not an honest race). */ alarm: boolean }
export interface Roster {
  /** Current members, in order of joining. */
  members: Member[]
  has(id: string): boolean
  role(id: string): Role | null
  /** Entries that did not count, and why (shown in the members panel). */
  flagged: Flagged[]
  /** True when the draft has a root: tallies then count only members' signed records. */
  established: boolean
  /** Whether an invitation (its public key) would still admit someone new. */
  invitationOpen(invitationKey: string): boolean
  /** The name a member, current or past, last signed onto the roster. */
  nameOf(id: string): string | null
}

const MAX_NAME = 60
const MAX_INVITES = 100_000
const ROLES: readonly Role[] = ['admin', 'member']
/** What an invitation's secret signs when a member accepts it (format 2: bound to the draft). */
export const invitationProof = (draft: string, member: string, invitation: string): string => `plank-invitation/2\n${draft}\n${member}\n${invitation}`

/** The id of a draft founded by `foundId` (the id of its `found` record). */
export const draftIdOf = (foundId: string): string => `pk-${foundId.slice(0, 40)}`
/** Whether a draft id commits to its root (drafts made before signed records have random ids). */
export const isRootedDraftId = (draftId: string): boolean => /^pk-[0-9a-f]{40}$/.test(draftId)

const str = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length <= max

/** Whether the kind-specific fields of a roster entry (either format) are well formed. */
export const rosterFieldsOk = (r: Record<string, unknown>): boolean => {
  switch (r.t) {
    case 'found': return str(r.name, MAX_NAME) && (r.v === 1 || str(r.nonce, 64))
    case 'rename': return str(r.name, MAX_NAME)
    case 'invite': return isMemberKey(r.invite) && ROLES.includes(r.role as Role) && Number.isInteger(r.max) && (r.max as number) > 0 && (r.max as number) <= MAX_INVITES
    case 'accept': return isMemberKey(r.invite) && str(r.name, MAX_NAME) && str(r.proof, 100)
    case 'role': return isMemberKey(r.subject) && ROLES.includes(r.role as Role)
    case 'remove': return isMemberKey(r.subject)
    case 'revoke': return isMemberKey(r.invite)
    default: return false
  }
}

/** A format-1 roster entry (drafts made before signed records named their draft). */
export const readLegacyRosterEntry = (value: unknown): Record<string, unknown> | null => {
  const r = value as Record<string, unknown> | null
  if (!r || typeof r !== 'object' || r.v !== 1 || !isMemberKey(r.by) || typeof r.at !== 'number' || !Number.isFinite(r.at) || !str(r.sig, 100)) return null
  if (!Array.isArray(r.prev) || r.prev.length > 64 || !r.prev.every((p) => typeof p === 'string' && /^[0-9a-f]{64}$/.test(p))) return null
  return rosterFieldsOk(r) ? r : null
}

type Node = GraphNode<Entry>
type Fields = Record<string, unknown> & { t: string }
const fieldsOf = (n: Node) => n.entry.record as Fields
const subjectOf = (n: Node) => fieldsOf(n).subject as string
const isLowering = (n: Node) => { const f = fieldsOf(n); return f.t === 'remove' || f.t === 'revoke' || (f.t === 'role' && f.role === 'member') }
const isAdminOnly = (n: Node) => ['invite', 'role', 'remove', 'revoke'].includes(fieldsOf(n).t)

interface Invitation { node: Node; role: Role; max: number; used: number; by: string; revoked: boolean; voidedBy: string | null }
interface State { members: Map<string, Member>; invites: Map<string, Invitation>; removals: Map<string, Node[]>; order: number; /** The last name each member ever admitted signed. */ names: Map<string, string> }

/** A member's applied roster events, in replay order: their role from then on (null: removed). */
export interface MemberEvent { node: Node; role: Role | null }

export interface RosterResult {
  roster: Roster
  applied: Set<string>
  /** Per member: admissions, role changes and removals that counted, in the order applied. */
  history: Map<string, MemberEvent[]>
  /** Per member: removals and demotions of them that counted (not their own leaving). */
  lowerings: Map<string, Node[]>
  /** Everyone ever admitted. */
  everMembers: Set<string>
  /** The replay itself, kept to extend it when new entries simply follow everything. */
  replay: {
    state: State
    applied: Applied[]
    refused: Map<string, { why: string; alarm: boolean }>
    excluded: Map<string, string>
    established: boolean
    derived?: { history: Map<string, MemberEvent[]>; lowerings: Map<string, Node[]>; everMembers: Set<string>; applied: Set<string>; upTo: number }
  }
}

/**
 * Who the roster's graph says belongs, and everything that decided it. `established`:
 * the draft has a roster (its root has arrived, or its id commits to one that will),
 * so only members' signed records count.
 */
export const evaluateRoster = (graph: RecordGraph<Entry>, established: boolean, draftId: string): RosterResult => {
  const rosterNodes = graph.rosterNodes
  const excluded = new Map<string, string>()
  let result = replay(graph, rosterNodes, new Set(), draftId)
  // Reach the fixed point: ignoring an entry can change what else counts.
  for (let round = 0; round < rosterNodes.length + 1; round++) {
    const broken = [...violations(graph, result.applied)].filter(([id]) => !excluded.has(id))
    if (broken.length === 0) break
    for (const [id, why] of broken) excluded.set(id, why)
    result = replay(graph, rosterNodes, new Set(excluded.keys()), draftId)
  }
  return resultOf(graph, { ...result, excluded, established })
}

/**
 * The same result with `fresh` entries added, when each follows every roster entry
 * before it (the usual case: one device, or devices in sync): such an entry is
 * concurrent with nothing, so it is applied last and changes no concurrency rule.
 * Null when that does not hold (then the roster is resolved again from scratch).
 */
export const extendRoster = (prev: RosterResult, fresh: readonly Node[], graph: RecordGraph<Entry>, draftId: string): RosterResult | null => {
  if (!prev.replay.established) return null
  for (const n of fresh) if (!followsAllBefore(n)) return null
  const r = prev.replay
  for (const node of fresh) {
    const out = apply(r.state, node, graph, draftId)
    if ('why' in out) r.refused.set(node.id, out)
    else r.applied.push({ node, events: out })
  }
  return resultOf(graph, r)
}

/** Whether every roster entry that joined before `n` is in its past. */
const followsAllBefore = (n: Node): boolean => {
  const full = n.rosterIndex >>> 5
  const bits = n.rosterPast
  for (let w = 0; w < full; w++) if (bits[w] !== 0xffffffff) return false
  const rest = n.rosterIndex & 31
  return rest === 0 || ((bits[full] ?? 0) & ((1 << rest) - 1)) === ((1 << rest) - 1)
}

const resultOf = (graph: RecordGraph<Entry>, r: RosterResult['replay']): RosterResult => {
  const flagged: Flagged[] = []
  for (const [id, why] of r.excluded) flagged.push({ hash: id, by: graph.get(id)!.entry.by, why, alarm: false })
  for (const [id, x] of r.refused) flagged.push({ hash: id, by: graph.get(id)!.entry.by, why: x.why, alarm: x.alarm })
  const members = new Map([...r.state.members].map(([k, m]) => [k, { ...m }]))
  const invites = new Map([...r.state.invites].map(([k, i]) => [k, { ...i }]))
  const list = [...members.values()].sort((a, b) => a.since - b.since)
  const names = new Map(r.state.names)
  // What was applied, by member: built once, then extended with what each extension applied.
  const d = r.derived ??= { history: new Map(), lowerings: new Map(), everMembers: new Set(), applied: new Set(), upTo: 0 }
  for (; d.upTo < r.applied.length; d.upTo++) {
    const { node, events } = r.applied[d.upTo]!
    d.applied.add(node.id)
    for (const e of events) {
      d.everMembers.add(e.member)
      pushTo(d.history, e.member, { node, role: e.role })
    }
    const f = fieldsOf(node)
    if ((f.t === 'remove' || (f.t === 'role' && f.role === 'member')) && subjectOf(node) !== node.entry.by) pushTo(d.lowerings, subjectOf(node), node)
  }
  return {
    roster: {
      members: list,
      has: (id) => members.has(id),
      role: (id) => members.get(id)?.role ?? null,
      flagged,
      established: r.established,
      invitationOpen: (key) => { const i = invites.get(key); return !!i && !i.revoked && i.used < i.max && members.get(i.by)?.role === 'admin' },
      nameOf: (id) => names.get(id) ?? null,
    },
    applied: d.applied,
    history: d.history,
    lowerings: d.lowerings,
    everMembers: d.everMembers,
    replay: r,
  }
}

interface Applied { node: Node; events: Array<{ member: string; role: Role | null }> }

/** Apply the roster entries in the deterministic order, skipping `excluded`. */
const replay = (graph: RecordGraph<Entry>, nodes: readonly Node[], excluded: Set<string>, draftId: string) => {
  const state: State = { members: new Map(), invites: new Map(), removals: new Map(), order: 0, names: new Map() }
  const applied: Applied[] = []
  const refused = new Map<string, { why: string; alarm: boolean }>()
  const seniority = (id: string) => {
    const m = state.members.get(id)
    return m ? (m.founder ? -1 : m.since) : Number.MAX_SAFE_INTEGER
  }
  // Kahn's algorithm over roster entries, the ready ones in a heap.
  const waiting = new Map<Node, number>()
  const dependents = new Map<Node, Node[]>()
  for (const n of nodes) {
    waiting.set(n, n.rosterParents.length)
    for (const p of n.rosterParents) {
      const d = dependents.get(p) ?? []
      d.push(n)
      dependents.set(p, d)
    }
  }
  const heap = new Heap<{ node: Node; key: [number, number, string] }>((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || (a.key[2] < b.key[2] ? -1 : a.key[2] > b.key[2] ? 1 : 0))
  const push = (n: Node) => heap.push({ node: n, key: [isLowering(n) ? 0 : 1, seniority(n.entry.by), n.id] })
  for (const n of nodes) if (n.rosterParents.length === 0) push(n)
  while (heap.size > 0) {
    const { node } = heap.pop()!
    if (!excluded.has(node.id)) {
      const out = apply(state, node, graph, draftId)
      if (typeof out === 'object' && 'why' in out) refused.set(node.id, out)
      else applied.push({ node, events: out })
    }
    for (const d of dependents.get(node) ?? []) {
      const left = waiting.get(d)! - 1
      waiting.set(d, left)
      if (left === 0) push(d)
    }
  }
  return { state, applied, refused }
}

type Outcome = Array<{ member: string; role: Role | null }> | { why: string; alarm: boolean }
const no = (why: string, alarm = true): Outcome => ({ why, alarm })

/** Apply one entry if its author may make it now; otherwise say why not. */
const apply = (s: State, node: Node, graph: RecordGraph<Entry>, draftId: string): Outcome => {
  const e = fieldsOf(node)
  const by = node.entry.by
  const author = s.members.get(by)
  switch (e.t) {
    case 'found':
      if (s.members.size > 0 || node.parents.length > 0) return no('the draft already has a founder')
      s.members.set(by, { id: by, name: safeName(e.name), role: 'admin', founder: true, since: s.order++ })
      s.names.set(by, safeName(e.name))
      return [{ member: by, role: 'admin' }]
    case 'invite': {
      if (author?.role !== 'admin') return no('only an admin can invite')
      const key = e.invite as string
      if (!s.invites.has(key)) s.invites.set(key, { node, role: e.role as Role, max: e.max as number, used: 0, by, revoked: false, voidedBy: null })
      return []
    }
    case 'accept': {
      const invite = s.invites.get(e.invite as string)
      const wasRemoved = s.removals.get(by) ?? []
      if (!invite) return no('no such invitation')
      if (invite.revoked) return no(invite.voidedBy ? `the invitation was voided when ${invite.voidedBy} was removed` : 'the invitation was revoked', wasRemoved.length > 0)
      if (s.members.get(invite.by)?.role !== 'admin') return no('the invitation’s author is no longer an admin', wasRemoved.length > 0)
      if (invite.used >= invite.max) return no('the invitation is used up', false)
      const proofOk = node.entry.v === 1
        ? verify(e.invite as string, `${by}|${e.invite as string}`, e.proof)
        : verify(e.invite as string, invitationProof(draftId, by, e.invite as string), e.proof)
      if (!proofOk) return no('the invitation proof does not verify')
      if (s.members.has(by)) return []
      if (wasRemoved.some((r) => !graph.isAncestor(r, invite.node))) return no('a removed member rejoins only with an invitation made after their removal')
      invite.used++
      s.members.set(by, { id: by, name: safeName(e.name), role: invite.role, founder: false, since: s.order++ })
      s.names.set(by, safeName(e.name))
      return [{ member: by, role: invite.role }]
    }
    case 'role': {
      if (author?.role !== 'admin') return no('only an admin can change roles')
      const subject = s.members.get(e.subject as string)
      if (!subject) return no('not a member')
      if (subject.founder && e.role !== 'admin') return no('the founder stays an admin')
      subject.role = e.role as Role
      return [{ member: subject.id, role: subject.role }]
    }
    case 'remove': {
      if (author?.role !== 'admin') return no('only an admin can remove members')
      const subject = s.members.get(e.subject as string)
      if (!subject) return no('not a member')
      if (subject.founder && by !== subject.id) return no('the founder can only leave, not be removed')
      s.members.delete(subject.id)
      const removals = s.removals.get(subject.id) ?? []
      removals.push(node)
      s.removals.set(subject.id, removals)
      // Removal locks out: every invitation made before it is void, on every device.
      for (const invite of s.invites.values()) {
        if (!invite.revoked && graph.isAncestor(invite.node, node)) { invite.revoked = true; invite.voidedBy = subject.name }
      }
      return [{ member: subject.id, role: null }]
    }
    case 'rename':
      if (!author) return no('not a member')
      author.name = safeName(e.name)
      s.names.set(by, author.name)
      return []
    case 'revoke': {
      if (author?.role !== 'admin') return no('only an admin can revoke an invitation')
      const invite = s.invites.get(e.invite as string)
      if (!invite) return no('no such invitation')
      invite.revoked = true
      return []
    }
    default:
      return no('unknown roster entry')
  }
}

/** Entries that break a concurrency rule, given what was applied. */
const violations = (graph: RecordGraph<Entry>, applied: Applied[]): Map<string, string> => {
  const out = new Map<string, string>()
  const lowerings = new Map<string, Node[]>()
  const revocations = new Map<string, Node[]>()
  for (const { node: n } of applied) {
    const f = fieldsOf(n)
    if (f.t === 'revoke') pushTo(revocations, f.invite as string, n)
    else if (isLowering(n) && subjectOf(n) !== n.entry.by) pushTo(lowerings, subjectOf(n), n)
  }
  for (const { node: n } of applied) {
    const f = fieldsOf(n)
    if (f.t === 'accept' && (revocations.get(f.invite as string) ?? []).some((r) => graph.concurrent(n, r))) out.set(n.id, 'joined concurrently with the invitation’s revocation')
    for (const l of lowerings.get(n.entry.by) ?? []) {
      if (!graph.concurrent(n, l)) continue
      const removal = fieldsOf(l).t === 'remove'
      if (removal && f.t === 'accept') out.set(n.id, 'joined concurrently with a removal')
      else if (removal || isAdminOnly(n)) out.set(n.id, removal ? 'made concurrently with its author’s removal' : 'an admin action concurrent with its author’s demotion')
    }
  }
  return out
}

/** A binary min-heap (the replay's ready entries). */
class Heap<T> {
  private readonly items: T[] = []
  constructor(private readonly less: (a: T, b: T) => number) {}
  get size() { return this.items.length }
  push(item: T) {
    const a = this.items
    a.push(item)
    let i = a.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (this.less(a[i]!, a[p]!) >= 0) break
      ;[a[i], a[p]] = [a[p]!, a[i]!]
      i = p
    }
  }
  pop(): T | undefined {
    const a = this.items
    const top = a[0]
    const last = a.pop()
    if (a.length > 0 && last !== undefined) {
      a[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < a.length && this.less(a[l]!, a[m]!) < 0) m = l
        if (r < a.length && this.less(a[r]!, a[m]!) < 0) m = r
        if (m === i) break
        ;[a[i], a[m]] = [a[m]!, a[i]!]
        i = m
      }
    }
    return top
  }
}

// Writing

/** The draft's roster as this device reads it. */
export const readRoster = (ledger: Ledger): Roster => ledger.roster()

/**
 * Found a new draft: its root entry, and the id the draft will have (derived from the
 * entry, so the id itself names its one founder). Call once, on the new draft's doc.
 */
export const foundDraft = (doc: Y.Doc, founder: Identity, name: string, now: number, origin: Origin): string => {
  const nonce = encodeBytes(crypto.getRandomValues(new Uint8Array(16)))
  const { record, id } = makeRecord(founder, { dom: DOMAIN.roster, draft: '', prev: [] }, { t: 'found', name: name.slice(0, MAX_NAME), nonce, at: now })
  doc.transact(() => members(doc).push([record]), origin)
  return draftIdOf(id)
}

/** Start the roster of a draft made before members existed (its id does not commit to a root). */
export const startRoster = (ledger: Ledger, founder: Identity, name: string, now: number, origin: Origin) =>
  ledger.append(founder, 'members', { t: 'found', name: name.slice(0, MAX_NAME), nonce: encodeBytes(crypto.getRandomValues(new Uint8Array(16))), at: now }, origin, { prev: [] })

/**
 * A copy of another draft becomes a new draft (a duplicate or a chapter): the copied
 * logs belong to the other draft's committee, so they are cleared before this draft's
 * own root is made. Nothing has been verified for the new id yet, so this is no tampering.
 */
export const clearRecordLogs = (doc: Y.Doc, origin: Origin): void => {
  doc.transact(() => {
    for (const name of ['members', 'questions', 'votes'] as const) {
      const log = doc.getArray(name)
      if (log.length > 0) log.delete(0, log.length)
    }
  }, origin)
}

/** An invitation: its entry on the roster, and the secret for the invite link. */
export const inviteMembers = (ledger: Ledger, admin: Identity, p: { role: Role; max: number; now: number }, origin: Origin): string => {
  const invitation = newIdentity()
  ledger.append(admin, 'members', { t: 'invite', invite: invitation.id, role: p.role, max: Math.min(MAX_INVITES, Math.max(1, Math.trunc(p.max))), at: p.now }, origin)
  return encodeBytes(invitation.secretKey)
}

/** The public key of an invitation, from its secret (as carried in a link); null when damaged. */
export const invitationKeyOf = (secret: string): string | null => {
  const bytes = decodeBytes(secret)
  return bytes && bytes.length === 32 ? identityFromSecret(bytes).id : null
}

/** Join with an invitation's secret (from the invite link). */
export const acceptInvitation = (ledger: Ledger, member: Identity, p: { secret: string; name: string; now: number }, origin: Origin) => {
  const bytes = decodeBytes(p.secret)
  if (!bytes || bytes.length !== 32) throw new Error('That invitation is damaged.')
  const invitation = identityFromSecret(bytes)
  const proof = sign(invitation, invitationProof(ledger.draftId, member.id, invitation.id))
  return ledger.append(member, 'members', { t: 'accept', invite: invitation.id, name: p.name.slice(0, MAX_NAME), proof, at: p.now }, origin)
}

/** Void an invitation (its secret, from the link) so old links admit nobody new. */
export const revokeInvitation = (ledger: Ledger, admin: Identity, secret: string, now: number, origin: Origin) => {
  const key = invitationKeyOf(secret)
  return key ? ledger.append(admin, 'members', { t: 'revoke', invite: key, at: now }, origin) : null
}

export const changeRole = (ledger: Ledger, admin: Identity, subject: string, role: Role, now: number, origin: Origin) =>
  ledger.append(admin, 'members', { t: 'role', subject, role, at: now }, origin)

export const removeMember = (ledger: Ledger, admin: Identity, subject: string, now: number, origin: Origin) =>
  ledger.append(admin, 'members', { t: 'remove', subject, at: now }, origin)

export const renameMember = (ledger: Ledger, member: Identity, name: string, now: number, origin: Origin) =>
  ledger.append(member, 'members', { t: 'rename', name: name.slice(0, MAX_NAME), at: now }, origin)

