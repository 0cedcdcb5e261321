import * as Y from 'yjs'
import { amendments } from './draft.ts'
import { type Amendment, proposeAmendment, readAmendments } from './amendments.ts'
import { type Author, readAuthor } from './author.ts'
import { type Position, POSITIONS, recordDecision, tally } from './decisions.ts'
import type { Identity } from './identity.ts'
import type { Ledger } from './ledger.ts'
import { settleInContent } from './settle.ts'
import { readSource } from './propose-back-log.ts'
import type { Origin } from './origins.ts'

/**
 * Composite amendments: the committee merges overlapping amendments (typically the
 * same plank proposed by several chapters) into one, to debate and decide once.
 *
 * A composite is an amendment of its own whose record lists its sources: for each,
 * its title, author, chapter and the positions taken on it when it was composited;
 * and the chapters supporting the whole. The sources keep their edits in the text
 * (nothing is re-written or lost): the composite's own edits, made by the committee in
 * propose mode, reconcile them — striking what one chapter proposed in favour of
 * another's. Deciding the composite decides its sources with it (accepting accepts
 * every source and the composite's own edits; rejecting rejects them all), so the
 * text and every source's status stay consistent.
 *
 * A source shows as "composited into …" and takes no decision of its own. Composite
 * records are immutable once written; if two members composite the same source at
 * once, it belongs to the first composite in the amendments' order (by creation time,
 * the same on every device) and the other composite shows it as taken.
 */
export interface CompositeSource {
  id: string
  title: string
  author: Author
  chapter: string
  /** The positions that counted on the source when it was composited. */
  positions: Array<{ member: Author; position: Position; reason: string }>
}

export interface Composite {
  sources: CompositeSource[]
  /** Chapters whose amendments were composited, in the order of the sources. */
  chapters: string[]
}

const KEY = 'composite'
const MAX_SOURCES = 200

const readComposite = (value: unknown): Composite | null => {
  if (typeof value !== 'object' || value === null) return null
  const v = value as { sources?: unknown; chapters?: unknown }
  if (!Array.isArray(v.sources) || v.sources.length > MAX_SOURCES) return null
  const sources: CompositeSource[] = []
  for (const s of v.sources as Array<Record<string, unknown>>) {
    const author = readAuthor(s?.author)
    if (!s || typeof s.id !== 'string' || typeof s.title !== 'string' || !author) return null
    const positions = Array.isArray(s.positions) ? (s.positions as Array<Record<string, unknown>>).flatMap((p) => {
      const member = readAuthor(p?.member)
      return member && POSITIONS.includes(p.position as Position) ? [{ member, position: p.position as Position, reason: typeof p.reason === 'string' ? p.reason.slice(0, 2000) : '' }] : []
    }) : []
    sources.push({ id: s.id, title: s.title.slice(0, 200), author, chapter: typeof s.chapter === 'string' ? s.chapter.slice(0, 200) : '', positions })
  }
  const chapters = Array.isArray(v.chapters) ? v.chapters.filter((c): c is string => typeof c === 'string').map((c) => c.slice(0, 200)) : []
  return { sources, chapters }
}

/** Every composite amendment's record, by the composite's id. */
export const readComposites = (doc: Y.Doc): Map<string, Composite> => {
  const out = new Map<string, Composite>()
  amendments(doc).forEach((value, id) => {
    if (!(value instanceof Y.Map)) return
    const c = readComposite(value.get(KEY))
    if (c) out.set(id, c)
  })
  return out
}

/**
 * For each composited source, the composite it belongs to: the first composite, in
 * amendment order, that lists it and was not withdrawn (withdrawing a composite gives
 * its sources back to the committee).
 */
export const compositedSources = (ledger: Ledger): Map<string, string> => {
  const composites = readComposites(ledger.doc)
  const out = new Map<string, string>()
  for (const a of readAmendments(ledger.doc)) {
    const c = composites.get(a.id)
    if (!c || tally(ledger, a.id).status === 'withdrawn') continue
    for (const s of c.sources) if (!out.has(s.id) && s.id !== a.id) out.set(s.id, a.id)
  }
  return out
}

export const compositedInto = (ledger: Ledger, amendment: string): string | null => compositedSources(ledger).get(amendment) ?? null

/**
 * Merge open amendments into a new composite amendment. Each source's positions and
 * chapter are copied into the record, so they stay with the composite as it is debated.
 */
export const compositeAmendments = (
  ledger: Ledger,
  p: { title: string; rationale: string; author: Author; now: number; sources: string[]; id?: string },
  origin: Origin,
): Amendment => {
  const doc = ledger.doc
  const all = new Map(readAmendments(doc).map((a) => [a.id, a]))
  const taken = compositedSources(ledger)
  const ids = [...new Set(p.sources)]
  if (ids.length < 2) throw new Error('A composite merges at least two amendments.')
  const sources: CompositeSource[] = ids.map((id) => {
    const a = all.get(id)
    if (!a) throw new Error('One of the amendments to composite is no longer there.')
    const t = tally(ledger, id)
    if (t.status !== 'open') throw new Error(`“${a.title}” is already decided.`)
    if (taken.has(id)) throw new Error(`“${a.title}” is already part of a composite.`)
    return {
      id, title: a.title, author: { ...a.author }, chapter: readSource(doc, id)?.chapter ?? '',
      positions: t.positions.map((x) => ({ member: { ...x.member }, position: x.position, reason: x.reason })),
    }
  })
  const chapters = [...new Set(sources.map((s) => s.chapter).filter((c) => c !== ''))]
  let made: Amendment | null = null
  doc.transact(() => {
    made = proposeAmendment(doc, { title: p.title, rationale: p.rationale, author: p.author, now: p.now, ...(p.id ? { id: p.id } : {}) }, origin)
    const record = amendments(doc).get(made.id) as Y.Map<unknown>
    record.set(KEY, { sources, chapters })
  }, origin)
  return made!
}

/**
 * Decide a composite: its own edits and every source's, the same way, with a decision
 * recorded on each (so a chapter looking at its amendment sees what became of it).
 * Sources decided meanwhile (a concurrent decision) keep their own decision.
 */
export const decideComposite = (
  ledger: Ledger,
  p: { composite: string; outcome: 'accepted' | 'rejected'; member: Author; now: number; identity: Identity },
  origin: Origin,
): string[] => {
  const doc = ledger.doc
  const c = readComposites(doc).get(p.composite)
  if (!c) throw new Error('This amendment is not a composite.')
  const how = p.outcome === 'accepted' ? 'accept' : 'reject'
  const open = new Set(c.sources.map((s) => s.id).filter((id) => tally(ledger, id).status === 'open'))
  const decided: string[] = []
  doc.transact(() => {
    for (const id of [...c.sources.map((s) => s.id), p.composite]) {
      if (id !== p.composite && !open.has(id)) continue
      settleInContent(doc, id, how, origin)
      recordDecision(ledger, { question: id, member: p.member, outcome: p.outcome, now: p.now, identity: p.identity }, origin)
      decided.push(id)
    }
  }, origin)
  return decided
}
