import { type Author, type Ledger, type Roster, type Tally, type Thread, memberOfClient, personOf } from '../../../crdt/index.ts'

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

/**
 * Who wrote with a Yjs client id, as far as this draft can tell: the member who claimed
 * the client id (crdt/attribution.ts), by the name they last signed onto the roster, else the
 * name their app recorded. A claim, not a proof. Plank claims every session it edits
 * in, so an unclaimed id is most likely another app. `short` is for labels.
 */
export const writerOf = (ledger: Ledger, client: number | null, short = false): string => {
  const doc = ledger.doc
  if (client === doc.clientID) return 'this device'
  const id = client === null ? null : memberOfClient(doc, client)
  if (id === null) return short || client === null ? 'another app' : `another app (Yjs client ${client}, not claimed by any member)`
  return ledger.roster().nameOf(id) ?? personOf(doc, id)?.name ?? 'a member'
}
