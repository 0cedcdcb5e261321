import type { Author, Roster, Tally, Thread } from '../../../crdt/index.ts'

/**
 * Names come from member keys: a record's author id is a public key, and the name a
 * draft shows for it is the one that member signed onto the roster, not whatever name
 * the record itself carries (which anyone could write). Non-members keep theirs, marked.
 */
export const namedByRoster = (roster: Roster) => {
  const byId = new Map(roster.members.map((m) => [m.id, m.name]))
  const author = (a: Author): Author => {
    const name = byId.get(a.id)
    return name !== undefined ? { ...a, name } : roster.established ? { ...a, name: `${a.name} (not a member)` } : a
  }
  return {
    author,
    name: (id: string, fallback = 'A member'): string => byId.get(id) ?? fallback,
    thread: (t: Thread): Thread => ({ ...t, author: author(t.author), replies: t.replies.map((r) => ({ ...r, author: author(r.author) })) }),
    tally: (t: Tally): Tally => ({
      ...t,
      positions: t.positions.map((p) => ({ ...p, member: author(p.member) })),
      decision: t.decision ? { ...t.decision, member: author(t.decision.member) } : null,
      conflict: t.conflict ? t.conflict.map((d) => ({ ...d, member: author(d.member) })) : null,
    }),
  }
}
