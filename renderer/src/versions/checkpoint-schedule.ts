import { type Author, type Identity, type Ledger, ORIGIN, checkpointDue, saveVersion } from '../../../crdt/index.ts'

/** How often an open, editable draft checks whether today's checkpoint is due. */
export const CHECKPOINT_INTERVAL_MS = 30 * 60_000
/** The first check waits for the draft to settle after opening (storage, first sync). */
export const FIRST_CHECK_MS = 20_000

const checkpointName = (now: number) =>
  `Daily checkpoint, ${new Date(now).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })}`

/**
 * Automatic daily checkpoints: while a draft is open and editable, at most one per
 * (UTC) day, and only when the text changed since the newest version.
 */
export interface CheckpointSchedule {
  stop(): void
  /** Resolves when the check under way (if any) has finished. */
  settled(): Promise<void>
}

export const scheduleCheckpoints = (ledger: Ledger, me: () => { author: Author; identity: Identity }, canEdit: () => boolean, now: () => number = Date.now): CheckpointSchedule => {
  let stopped = false
  let running: Promise<void> = Promise.resolve()
  const check = async () => {
    if (stopped || !canEdit()) return
    const at = now()
    if (await checkpointDue(ledger, at) && !stopped) {
      const { author, identity } = me()
      await saveVersion(ledger, identity, { name: checkpointName(at), author, now: at, kind: 'checkpoint' }, ORIGIN.local)
    }
  }
  const run = () => { running = running.then(check, check) }
  const first = setTimeout(run, FIRST_CHECK_MS)
  const every = setInterval(run, CHECKPOINT_INTERVAL_MS)
  return {
    stop() {
      stopped = true
      clearTimeout(first)
      clearInterval(every)
    },
    settled: () => running,
  }
}
