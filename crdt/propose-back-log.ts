import * as Y from 'yjs'
import { ROOT } from './format.ts'
import { amendments } from './draft.ts'

/**
 * What a chapter draft has proposed back, so the next time it proposes only what
 * changed since.
 *
 * Each propose-back is a round, appended to the chapter's own `proposalRounds` log:
 * the chapter's snapshot when it proposed, where each of its words and blocks landed
 * in the parent (proposals copy them, so the parent holds copies, not the chapter's
 * own items), and the amendment each plank's changes went into. The next round
 * diffs the chapter against all earlier rounds' snapshots merged, places its changes
 * beside those copies, and writes into a plank's amendment again while it is open.
 *
 * Two devices of the same chapter may propose at once, each unaware of the other:
 * both rounds land (the log is append-only, so neither is lost), the parent briefly
 * has the same changes twice, and the next round from either device merges both
 * rounds' snapshots and withdraws the duplicate amendments that are still open.
 *
 * In the parent, each amendment made this way carries its source (`proposedBack`
 * in its record: the chapter and its draft id, the plank), for the review panel and
 * for compositing.
 */
export type Segment = [number, number, number, number, number]

export interface ProposalRound {
  v: 1
  id: string
  /** The parent draft proposed to. */
  parent: string
  at: number
  /** Y.encodeSnapshot of the chapter draft when it proposed. */
  snapshot: Uint8Array
  /** Chapter characters client:clock … +n-1 and the parent characters they became. */
  chars: Segment[]
  /** Chapter elements and texts and the parent's copies of them. */
  types: Array<[number, number, number, number]>
  /** Plank key (its heading's id, or "opening") → the amendment its changes went into. */
  amendments: Record<string, string>
  /** Y.encodeStateVector of the parent just before this round wrote into it. */
  parentState: Uint8Array
}

export const roundsLog = (doc: Y.Doc): Y.Array<unknown> => doc.getArray(ROOT.proposalRounds)

const isNumbers = (v: unknown, n: number): boolean => Array.isArray(v) && v.length === n && v.every((x) => Number.isSafeInteger(x) && x >= 0)

const readRound = (v: unknown): ProposalRound | null => {
  if (typeof v !== 'object' || v === null) return null
  const r = v as Record<string, unknown>
  if (r.v !== 1 || typeof r.id !== 'string' || typeof r.parent !== 'string' || !(r.snapshot instanceof Uint8Array)) return null
  if (!Array.isArray(r.chars) || !r.chars.every((s) => isNumbers(s, 5))) return null
  if (!Array.isArray(r.types) || !r.types.every((s) => isNumbers(s, 4))) return null
  if (typeof r.amendments !== 'object' || r.amendments === null || !Object.values(r.amendments).every((a) => typeof a === 'string')) return null
  if (!(r.parentState instanceof Uint8Array)) return null
  return {
    v: 1, id: r.id, parent: r.parent, at: typeof r.at === 'number' ? r.at : 0, snapshot: r.snapshot,
    chars: r.chars as Segment[], types: r.types as ProposalRound['types'], amendments: r.amendments as Record<string, string>,
    parentState: r.parentState,
  }
}

/** This chapter's rounds proposed to `parentId`, oldest first (the log's order, the same on every device). */
export const readRounds = (chapter: Y.Doc, parentId: string): ProposalRound[] =>
  roundsLog(chapter).toArray().map(readRound).filter((r): r is ProposalRound => r !== null && r.parent === parentId)

/** What the chapter has proposed so far: every round's snapshot merged (or the fork point before any round). */
export const proposedSoFar = (rounds: ProposalRound[], forkPoint: Uint8Array): Y.Snapshot => {
  if (rounds.length === 0) return Y.decodeSnapshot(forkPoint)
  const snaps = rounds.map((r) => Y.decodeSnapshot(r.snapshot))
  const sv = new Map<number, number>()
  for (const s of snaps) for (const [client, clock] of s.sv) sv.set(client, Math.max(clock, sv.get(client) ?? 0))
  return new Y.Snapshot(Y.mergeDeleteSets(snaps.map((s) => s.ds)), sv)
}

export const recordRound = (chapter: Y.Doc, round: ProposalRound, origin: unknown): void => {
  chapter.transact(() => roundsLog(chapter).push([round]), origin)
}

/** Where a proposed-back amendment in the parent came from. */
export interface ProposedBackSource {
  chapter: string
  /** The chapter draft's id (may be empty for chapters from before rounds). */
  draft: string
  /** The plank key in the chapter's rounds. */
  plank: string
}

const SOURCE_KEY = 'proposedBack'

export const setSource = (parent: Y.Doc, amendment: string, source: ProposedBackSource): void => {
  const record = amendments(parent).get(amendment)
  if (record instanceof Y.Map) record.set(SOURCE_KEY, { ...source })
}

export const readSource = (parent: Y.Doc, amendment: string): ProposedBackSource | null => {
  const record = amendments(parent).get(amendment)
  const v = record instanceof Y.Map ? record.get(SOURCE_KEY) as Partial<ProposedBackSource> | undefined : undefined
  if (!v || typeof v.chapter !== 'string') return null
  return { chapter: v.chapter.slice(0, 200), draft: typeof v.draft === 'string' ? v.draft : '', plank: typeof v.plank === 'string' ? v.plank : '' }
}
