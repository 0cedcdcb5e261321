import type * as Y from 'yjs'
import { members } from './draft.ts'
import { type Identity, identityFromSecret, isMemberKey, newIdentity, recordHash, sign, verify, verifyRecord, signRecord, encodeBytes, decodeBytes } from './identity.ts'
import type { Origin } from './origins.ts'
import { safeName } from './author.ts'

/**
 * Who belongs to a draft: a signed, hash-chained membership log that every peer
 * verifies for itself. Each entry is signed by its author's key and names the entries
 * its author had seen (`prev`, their hashes), so the log is a graph of who knew what.
 *
 * - `found`: the draft's creator, its first admin.
 * - `invite`: an admin invites, by putting an invitation's public key on the log; the
 *   invitation's secret travels in the invite link (next to the room key).
 * - `accept`: the invitee joins: their own key, and a proof made with the invitation's
 *   secret. No admin needs to be online; an invitation admits at most `max` members.
 * - `revoke`: an admin voids an invitation (old links then admit nobody new).
 * - `role`, `remove`: an admin changes a member's role or removes them.
 * - `rename`: a member changes the name others see.
 *
 * Concurrent changes are resolved the same way on every peer, following the rules of
 * local-first-web/auth's membership resolver: the graph is read in a deterministic
 * order (removals and demotions first, then by seniority, then by hash), each entry
 * counts only if its author may make it at that point, and then:
 *   - anything a member does concurrently with their removal is ignored,
 *   - an admin-only action concurrent with its author's demotion is ignored,
 *   - a member removed by one admin cannot be re-admitted concurrently by another,
 *   - in mutual removals the more senior member prevails.
 * An entry whose signature does not verify, or that is malformed, never counts.
 */
export type Role = 'admin' | 'member'
type Base = { v: 1; by: string; at: number; prev: string[]; sig: string }
export type RosterEntry =
  | (Base & { t: 'found'; name: string })
  | (Base & { t: 'invite'; invite: string; role: Role; max: number })
  | (Base & { t: 'accept'; invite: string; name: string; proof: string })
  | (Base & { t: 'role'; subject: string; role: Role })
  | (Base & { t: 'remove'; subject: string })
  | (Base & { t: 'rename'; name: string })
  | (Base & { t: 'revoke'; invite: string })

export interface Member { id: string; name: string; role: Role; founder: boolean; since: number }
export interface Flagged { hash: string; by: string; why: string }
export interface Roster {
  /** Current members, in order of joining. */
  members: Member[]
  has(id: string): boolean
  role(id: string): Role | null
  /** Entries that did not count, and why (shown in the members panel). */
  flagged: Flagged[]
  /** True when the draft has a founder: tallies then count only members' signed records. */
  established: boolean
}

const MAX_NAME = 60
const ROLES: readonly Role[] = ['admin', 'member']

const str = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length <= max
const readEntry = (value: unknown): RosterEntry | null => {
  const r = value as Record<string, unknown> | null
  if (!r || typeof r !== 'object' || r.v !== 1 || !isMemberKey(r.by) || typeof r.at !== 'number' || !Number.isFinite(r.at) || !str(r.sig, 200)) return null
  if (!Array.isArray(r.prev) || r.prev.length > 64 || !r.prev.every((p) => str(p, 64))) return null
  switch (r.t) {
    case 'found': case 'rename': return str(r.name, MAX_NAME) ? r as RosterEntry : null
    case 'invite': return isMemberKey(r.invite) && ROLES.includes(r.role as Role) && Number.isInteger(r.max) && (r.max as number) > 0 ? r as RosterEntry : null
    case 'accept': return isMemberKey(r.invite) && str(r.name, MAX_NAME) && str(r.proof, 200) ? r as RosterEntry : null
    case 'role': return isMemberKey(r.subject) && ROLES.includes(r.role as Role) ? r as RosterEntry : null
    case 'remove': return isMemberKey(r.subject) ? r as RosterEntry : null
    case 'revoke': return isMemberKey(r.invite) ? r as RosterEntry : null
    default: return null
  }
}

interface Node { hash: string; entry: RosterEntry; ancestors: Set<string> }

/** Every well-formed, validly signed entry, with its hash and its ancestors in the graph. */
const graph = (raw: unknown[], flagged: Flagged[]): Map<string, Node> => {
  const nodes = new Map<string, Node>()
  for (const value of raw) {
    const entry = readEntry(value)
    if (!entry) { flagged.push({ hash: '', by: '', why: 'malformed entry' }); continue }
    const hash = recordHash(entry)
    if (nodes.has(hash)) continue
    if (!verifyRecord(entry.by, entry)) { flagged.push({ hash, by: entry.by, why: 'signature does not verify' }); continue }
    nodes.set(hash, { hash, entry, ancestors: new Set() })
  }
  // Ancestors through prev links (entries whose predecessors are missing still count, as
  // if their unknown predecessors were not there: a peer may not have them yet).
  const memo = new Map<string, Set<string>>()
  const ancestorsOf = (hash: string, seen: Set<string>): Set<string> => {
    const known = memo.get(hash)
    if (known) return known
    const out = new Set<string>()
    if (seen.has(hash)) return out // a cycle cannot come from honest hashes; break it
    seen.add(hash)
    for (const p of nodes.get(hash)?.entry.prev ?? []) {
      if (!nodes.has(p)) continue
      out.add(p)
      for (const a of ancestorsOf(p, seen)) out.add(a)
    }
    memo.set(hash, out)
    return out
  }
  for (const node of nodes.values()) node.ancestors = ancestorsOf(node.hash, new Set())
  return nodes
}

/** Entries that take a right away: read first among concurrent ones (a revocation beats a concurrent use). */
const isLowering = (e: RosterEntry) => e.t === 'remove' || e.t === 'revoke' || (e.t === 'role' && e.role === 'member')
const concurrent = (a: Node, b: Node) => a.hash !== b.hash && !a.ancestors.has(b.hash) && !b.ancestors.has(a.hash)

interface State { members: Map<string, Member>; invites: Map<string, { role: Role; max: number; used: number; by: string; revoked: boolean }>; order: number }

/** Apply the graph in the deterministic order, skipping `excluded`; returns the state and what was applied. */
const replay = (nodes: Map<string, Node>, excluded: Set<string>): { state: State; applied: Node[]; refused: Map<string, string> } => {
  const state: State = { members: new Map(), invites: new Map(), order: 0 }
  const applied: Node[] = []
  const refused = new Map<string, string>()
  const done = new Set<string>()
  const pending = [...nodes.values()].filter((n) => !excluded.has(n.hash))
  const seniority = (id: string) => {
    const m = state.members.get(id)
    return m ? (m.founder ? -1 : m.since) : Number.MAX_SAFE_INTEGER
  }
  while (pending.length > 0) {
    const ready = pending.filter((n) => n.entry.prev.every((p) => !nodes.has(p) || done.has(p) || excluded.has(p)))
    const pool = ready.length > 0 ? ready : pending // a broken graph still resolves
    pool.sort((a, b) => Number(isLowering(b.entry)) - Number(isLowering(a.entry)) || seniority(a.entry.by) - seniority(b.entry.by) || (a.hash < b.hash ? -1 : 1))
    const node = pool[0]!
    pending.splice(pending.indexOf(node), 1)
    done.add(node.hash)
    const why = apply(state, node)
    if (why) refused.set(node.hash, why)
    else applied.push(node)
  }
  return { state, applied, refused }
}

/** Apply one entry if its author may make it now; otherwise say why not. */
const apply = (s: State, node: Node): string | null => {
  const e = node.entry
  const author = s.members.get(e.by)
  switch (e.t) {
    case 'found':
      if (s.members.size > 0) return 'the draft already has a founder'
      s.members.set(e.by, { id: e.by, name: safeName(e.name), role: 'admin', founder: true, since: s.order++ })
      return null
    case 'invite':
      if (author?.role !== 'admin') return 'only an admin can invite'
      if (!s.invites.has(e.invite)) s.invites.set(e.invite, { role: e.role, max: e.max, used: 0, by: e.by, revoked: false })
      return null
    case 'accept': {
      const invite = s.invites.get(e.invite)
      if (!invite) return 'no such invitation'
      if (invite.revoked) return 'the invitation was revoked'
      if (s.members.get(invite.by)?.role !== 'admin') return 'the invitation’s author is no longer an admin'
      if (invite.used >= invite.max) return 'the invitation is used up'
      if (!verify(e.invite, `${e.by}|${e.invite}`, e.proof)) return 'the invitation proof does not verify'
      if (s.members.has(e.by)) return null
      invite.used++
      s.members.set(e.by, { id: e.by, name: safeName(e.name), role: invite.role, founder: false, since: s.order++ })
      return null
    }
    case 'role': {
      if (author?.role !== 'admin') return 'only an admin can change roles'
      const subject = s.members.get(e.subject)
      if (!subject) return 'not a member'
      if (subject.founder && e.role !== 'admin') return 'the founder stays an admin'
      subject.role = e.role
      return null
    }
    case 'remove': {
      if (author?.role !== 'admin') return 'only an admin can remove members'
      const subject = s.members.get(e.subject)
      if (!subject) return 'not a member'
      if (subject.founder && e.by !== e.subject) return 'the founder can only leave, not be removed'
      s.members.delete(e.subject)
      return null
    }
    case 'rename':
      if (!author) return 'not a member'
      author.name = safeName(e.name)
      return null
    case 'revoke': {
      if (author?.role !== 'admin') return 'only an admin can revoke an invitation'
      const invite = s.invites.get(e.invite)
      if (!invite) return 'no such invitation'
      invite.revoked = true
      return null
    }
  }
}

/** Entries that break a concurrency rule, given what was applied. */
const violations = (applied: Node[], state: State): Map<string, string> => {
  const out = new Map<string, string>()
  const lowerings = applied.filter((n) => isLowering(n.entry) && n.entry.t !== 'revoke') as Array<Node & { entry: { subject: string } }>
  const revocations = applied.filter((n) => n.entry.t === 'revoke') as Array<Node & { entry: { invite: string } }>
  for (const n of applied) {
    if (n.entry.t === 'accept') {
      const invite = n.entry.invite
      if (revocations.some((r) => r.entry.invite === invite && concurrent(n, r))) out.set(n.hash, 'joined concurrently with the invitation’s revocation')
    }
    for (const l of lowerings) {
      if (!concurrent(n, l) || l.entry.subject === l.entry.by) continue
      const removal = l.entry.t === 'remove'
      if (n.entry.by === l.entry.subject && (removal || isAdminOnly(n.entry))) {
        out.set(n.hash, removal ? 'made concurrently with its author’s removal' : 'an admin action concurrent with its author’s demotion')
      }
      if (removal && n.entry.t === 'accept' && n.entry.by === l.entry.subject) out.set(n.hash, 'joined concurrently with a removal')
    }
  }
  void state
  return out
}
const isAdminOnly = (e: RosterEntry) => e.t === 'invite' || e.t === 'role' || e.t === 'remove' || e.t === 'revoke'

/** The roster as this peer reads the log. */
export const readRoster = (doc: Y.Doc): Roster => rosterFrom(members(doc).toArray())

export const rosterFrom = (raw: unknown[]): Roster => {
  const flagged: Flagged[] = []
  const nodes = graph(raw, flagged)
  const excluded = new Map<string, string>()
  let result = replay(nodes, new Set())
  // Reach the fixed point: ignoring an entry can change what else counts.
  for (let round = 0; round < nodes.size + 1; round++) {
    const broken = [...violations(result.applied, result.state)].filter(([h]) => !excluded.has(h))
    if (broken.length === 0) break
    for (const [h, why] of broken) excluded.set(h, why)
    result = replay(nodes, new Set(excluded.keys()))
  }
  for (const [hash, why] of [...excluded, ...result.refused]) flagged.push({ hash, by: nodes.get(hash)?.entry.by ?? '', why })
  const list = [...result.state.members.values()].sort((a, b) => a.since - b.since)
  return {
    members: list,
    has: (id) => result.state.members.has(id),
    role: (id) => result.state.members.get(id)?.role ?? null,
    flagged,
    established: list.length > 0 || [...nodes.values()].some((n) => n.entry.t === 'found'),
  }
}

/** The entries no other entry names as seen: what a new entry follows. */
const heads = (doc: Y.Doc): string[] => {
  const all = members(doc).toArray().map(readEntry).filter((e): e is RosterEntry => e !== null)
  const hashes = all.map((e) => recordHash(e))
  const named = new Set(all.flatMap((e) => e.prev))
  return [...new Set(hashes.filter((h) => !named.has(h)))].sort()
}

type Unsigned<T> = T extends RosterEntry ? Omit<T, 'v' | 'by' | 'prev' | 'sig'> : never
const append = (doc: Y.Doc, identity: Identity, body: Unsigned<RosterEntry>, origin: Origin): RosterEntry => {
  const entry = signRecord(identity, { v: 1, by: identity.id, prev: heads(doc), ...body, sig: '' }) as RosterEntry
  doc.transact(() => members(doc).push([entry]), origin)
  return entry
}

export const foundRoster = (doc: Y.Doc, founder: Identity, name: string, now: number, origin: Origin) =>
  append(doc, founder, { t: 'found', name: name.slice(0, MAX_NAME), at: now }, origin)

/** An invitation: its entry on the log, and the secret for the invite link. */
export const inviteMembers = (doc: Y.Doc, admin: Identity, p: { role: Role; max: number; now: number }, origin: Origin): string => {
  const invitation = newIdentity()
  append(doc, admin, { t: 'invite', invite: invitation.id, role: p.role, max: p.max, at: p.now }, origin)
  return encodeBytes(invitation.secretKey)
}

/** Join with an invitation's secret (from the invite link). */
export const acceptInvitation = (doc: Y.Doc, member: Identity, p: { secret: string; name: string; now: number }, origin: Origin): RosterEntry => {
  const bytes = decodeBytes(p.secret)
  if (!bytes || bytes.length !== 32) throw new Error('That invitation is damaged.')
  const invitation = identityFromSecret(bytes)
  return append(doc, member, { t: 'accept', invite: invitation.id, name: p.name.slice(0, MAX_NAME), proof: sign(invitation, `${member.id}|${invitation.id}`), at: p.now }, origin)
}

/** Void an invitation (its secret, from the link) so old links admit nobody new. */
export const revokeInvitation = (doc: Y.Doc, admin: Identity, secret: string, now: number, origin: Origin): RosterEntry | null => {
  const bytes = decodeBytes(secret)
  if (!bytes || bytes.length !== 32) return null
  return append(doc, admin, { t: 'revoke', invite: identityFromSecret(bytes).id, at: now }, origin)
}

export const changeRole = (doc: Y.Doc, admin: Identity, subject: string, role: Role, now: number, origin: Origin) =>
  append(doc, admin, { t: 'role', subject, role, at: now }, origin)

export const removeMember = (doc: Y.Doc, admin: Identity, subject: string, now: number, origin: Origin) =>
  append(doc, admin, { t: 'remove', subject, at: now }, origin)

export const renameMember = (doc: Y.Doc, member: Identity, name: string, now: number, origin: Origin) =>
  append(doc, member, { t: 'rename', name: name.slice(0, MAX_NAME), at: now }, origin)
