import type { Transaction } from 'prosemirror-state'
import { ySyncPluginKey } from 'y-prosemirror'

/** Meta on transactions propose mode produced, so nothing rewrites them again. */
export const PROPOSAL_META = 'plank-proposal'

/**
 * A change the member made in this editor just now: not a remote update, undo or
 * redo applied by y-prosemirror (accept and reject arrive that way too), nor an
 * already-made proposal.
 * Only these may be turned into proposals (the trap of prosemirror-suggest-changes
 * issue 12: remote edits must never become suggestions).
 */
export const isLocalEdit = (tr: Transaction): boolean => {
  if (!tr.docChanged) return false
  const y = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean; isUndoRedoOperation?: boolean } | undefined
  return !y?.isChangeOrigin && !y?.isUndoRedoOperation && !tr.getMeta(PROPOSAL_META)
}
