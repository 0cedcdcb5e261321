/**
 * Named transaction origins. Every write to a draft names where it came from, and
 * every listener decides by origin (y-indexeddb skips its own writes, the relay
 * provider skips what it received, undo tracks only local edits).
 *
 * Local editor keystrokes use y-prosemirror's own origin (its sync plugin key); these
 * cover everything else.
 */
export interface Origin {
  readonly name: string
}

const origin = (name: string): Origin => Object.freeze({ name })

export const ORIGIN = {
  /** A new draft's initial content, written once by its creator. */
  seed: origin('seed'),
  /** A local change made outside the editor (rename, meta). */
  local: origin('local'),
  /** Copying another draft's history into a new one (duplicate, fork). */
  copy: origin('copy'),
  /** Updates read back from this device's storage during the load check. */
  storage: origin('storage'),
  /** Updates decrypted from a private room's envelope (never re-encrypted). */
  decrypt: origin('decrypt'),
  /** Concurrent edits to moved words, carried to where a decision moved them (moves.ts). */
  forward: origin('forward'),
  /** This member's own writes to a private room's envelope (sealed blobs). */
  seal: origin('seal'),
  /**
   * Records the app keeps on the member's behalf, not edits of theirs: who wrote and
   * deleted what (attribution.ts). Synced like any change, but not counted as an edit
   * waiting for a relay (opening a draft offline is not an edit).
   */
  bookkeeping: origin('bookkeeping'),
  /** A verified record put back after someone deleted it from the shared document (ledger.ts). */
  restore: origin('restore'),
} as const
