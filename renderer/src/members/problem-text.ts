import { type Problem, type Roster, safeName } from '../../../crdt/index.ts'

/**
 * What a refused or tampered-with record was, and whose, in words: for the banner and
 * the members dialog. Names come from the roster (current or past members); anyone
 * else is shown by the start of their key, so two strangers are never confused.
 */
const WHAT: Record<string, string> = {
  found: 'a founding entry', invite: 'an invitation', accept: 'a join', role: 'a role change', remove: 'a removal', rename: 'a name change',
  revoke: 'a revocation', open: 'a vote', ballot: 'a ballot', close: 'a close of a vote', report: 'a minority report', ratify: 'a ratification',
  position: 'a position', decision: 'a decision', version: 'a version',
}

export const whoIs = (roster: Roster, id: string): string => {
  if (!id) return 'someone unknown'
  const name = roster.nameOf(id)
  // A key a forged record claims is any string its writer chose: shown as plain text, like a name.
  if (name === null) return `someone not on the roster (key ${safeName(id.slice(0, 8), '?')}…)`
  return roster.has(id) ? name : `${name} (no longer a member)`
}
const what = (p: Problem) => WHAT[p.t] ?? 'a record'

export const problemText = (p: Problem, roster: Roster): string => {
  const who = whoIs(roster, p.by)
  switch (p.kind) {
    case 'forged': return `${what(p)} in ${who}’s name whose signature does not verify`
    case 'foreign': return `${what(p)} by ${who} signed for another draft`
    case 'second-root': return p.by ? `a second founding entry, by ${who}` : p.why
    case 'tampered': return `${who}’s ${what(p).replace(/^an? /, '')}, deleted from the shared document (this device kept it${p.noticed ? `; noticed ${new Date(p.noticed).toLocaleString()}` : ''})`
    case 'malformed': return `a damaged or malformed record${p.by ? ` claiming to be by ${who}` : ''} (${p.why})`
    case 'held': return `${what(p)} by ${who}, waiting for records it follows`
    default: return `${what(p)} by ${who}: ${p.why}`
  }
}

/** The people a set of problems names, for a one-line summary. */
export const namesIn = (problems: Problem[], roster: Roster): string[] =>
  [...new Set(problems.filter((p) => p.by).map((p) => whoIs(roster, p.by)))]
