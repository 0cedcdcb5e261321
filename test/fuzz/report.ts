/**
 * What a failing fuzz run tells the person who has to fix it: the seed, the command
 * that reruns it, why it failed (a diff when peers disagree, the stack when something
 * threw) and the operations that led there.
 */

/** The last operations of a run, oldest first (a run may take thousands of steps). */
export class Trace {
  private readonly entries: string[] = []
  private count = 0

  constructor(private readonly keep = 40) {}

  add(entry: string): void {
    this.count++
    this.entries.push(entry)
    if (this.entries.length > this.keep) this.entries.shift()
  }

  /** The kept operations, with how many there were in all. */
  describe(): string {
    const skipped = this.count - this.entries.length
    const head = skipped > 0 ? `last ${this.entries.length} operations (${skipped} before them not shown):` : `all ${this.count} operations:`
    return [head, ...this.entries.map((e) => `  ${e}`)].join('\n')
  }
}

/** Peers that should hold the same thing do not; the message carries a diff. */
export class Divergence extends Error {
  override name = 'Divergence'
}

/** A fuzz seed that failed. Its message is the whole report. */
export class FuzzFailure extends Error {
  override name = 'FuzzFailure'

  constructor(readonly seed: number, readonly rerun: string, trace: Trace, reason: unknown) {
    // A divergence's message is the diff; anything else failed by throwing, so its stack says where.
    const why = reason instanceof Divergence ? reason.message : reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)
    super([`seed ${seed} failed. Rerun it with:`, `  ${rerun}`, why, trace.describe()].join('\n'), reason instanceof Divergence ? {} : { cause: reason })
  }
}
