import * as Y from 'yjs'
import { META } from './format.ts'
import { copyDraft, meta } from './draft.ts'
import { clearRecordLogs } from './roster.ts'
import { renameDraft } from './title.ts'
import { ORIGIN } from './origins.ts'

/**
 * Chapter drafts. A chapter forks the platform to work on its own copy: a new draft
 * with the parent's whole history and the fork point (a snapshot of the parent) in
 * its meta. Later it "proposes back" (propose-back.ts): its changes become amendments
 * on the parent, one per changed plank, for the parent's committee — each time only
 * what changed since it last proposed (propose-back-log.ts).
 */
export interface ForkPoint {
  parentId: string
  parentTitle: string
  /** Y.encodeSnapshot of the parent when the chapter draft was made. */
  snapshot: Uint8Array
  at: number
  /** When this chapter last proposed its changes back, if ever. */
  proposedBack?: number
}

export const readForkPoint = (doc: Y.Doc): ForkPoint | null => {
  const v = meta(doc).get(META.forkedFrom) as Partial<ForkPoint> | undefined
  if (!v || typeof v.parentId !== 'string' || !(v.snapshot instanceof Uint8Array)) return null
  return {
    parentId: v.parentId,
    parentTitle: typeof v.parentTitle === 'string' ? v.parentTitle : '',
    snapshot: v.snapshot,
    at: typeof v.at === 'number' ? v.at : 0,
    ...(typeof v.proposedBack === 'number' ? { proposedBack: v.proposedBack } : {}),
  }
}

/**
 * A chapter draft of `parent`: its whole history, a new title and chapter, and the fork
 * point. The parent committee's roster and votes are not the chapter's: they are left
 * behind, and the chapter's creator founds its own roster (roster.ts `foundDraft`).
 */
export const startChapterDraft = (parent: Y.Doc, p: { parentId: string; parentTitle: string; chapter: string; title: string; now: number }): Y.Doc => {
  const fork = copyDraft(parent, ORIGIN.copy)
  const point: ForkPoint = { parentId: p.parentId, parentTitle: p.parentTitle, snapshot: Y.encodeSnapshot(Y.snapshot(fork)), at: p.now }
  fork.transact(() => {
    meta(fork).set(META.forkedFrom, point)
    meta(fork).set(META.chapter, p.chapter)
    renameDraft(fork, p.title, ORIGIN.copy)
    clearRecordLogs(fork, ORIGIN.copy)
  }, ORIGIN.copy)
  return fork
}
