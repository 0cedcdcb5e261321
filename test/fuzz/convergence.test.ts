import { describe, expect, it } from 'vitest'
import { DEFAULT_STEPS, runConvergence } from './convergence.ts'

/**
 * Part of npm test: a fixed, time-bounded set of seeds, one test each (the long mode
 * is npm run fuzz). A failing seed's error names it, says how to rerun it, shows what
 * differs and the last operations. A seed that ever fails is pinned below by number,
 * with what it found.
 *
 * PLANK_FUZZ_SEED=n runs seed n alone; PLANK_FUZZ_SEEDS=300 runs 300 seeds (from 1, or
 * from PLANK_FUZZ_SEED); PLANK_FUZZ_STEPS sets the steps per seed.
 */
const PINNED_SEEDS: Array<{ seed: number; steps: number; found: string }> = [
  { seed: 816698779, steps: 400, found: 'concurrent deletions and joins empty the whole document; the editor must refill one paragraph, as the binding does' },
]

const ONE_SEED = process.env.PLANK_FUZZ_SEED
const FIRST_SEED = Number(ONE_SEED ?? 1)
const SEEDS = Number(process.env.PLANK_FUZZ_SEEDS ?? (ONE_SEED === undefined ? 40 : 1))
const STEPS = Number(process.env.PLANK_FUZZ_STEPS ?? DEFAULT_STEPS)
/**
 * A seed of 150 steps takes well under a second even on a busy core (400 steps about
 * three times that); the limit only turns a hung seed into a failure that names it.
 */
const SEED_TIMEOUT_MS = 15_000
/** About a third of the steps are edits: at least 40 in 150 over many seeds, or the fuzzer has stopped editing. */
const MIN_EDITS_PER_STEP = 40 / 150

describe(`convergence under partitions, reordering, duplication and loss (five peers, ${STEPS} steps a seed)`, () => {
  const totals = { seeds: 0, edits: 0, reviewActs: 0, delivered: 0, dropped: 0, duplicated: 0, partitions: 0 }
  for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
    it(`seed ${seed}`, { timeout: SEED_TIMEOUT_MS }, () => {
      const { seed: _seed, steps: _steps, ...counts } = runConvergence(seed, STEPS)
      totals.seeds++
      for (const key of Object.keys(counts) as Array<keyof typeof counts>) totals[key] += counts[key]
    })
  }

  // Too few seeds (one being rerun) say nothing about the mix of operations.
  it.runIf(SEEDS >= 10)(`the ${SEEDS} seeds edited in about a third of their steps`, () => {
    console.log(`fuzz: seeds ${FIRST_SEED}..${FIRST_SEED + SEEDS - 1}`, totals)
    expect(totals.edits).toBeGreaterThan(totals.seeds * STEPS * MIN_EDITS_PER_STEP)
  })

  // Left out while one seed is being rerun, so that its result stands alone.
  for (const { seed, steps, found } of PINNED_SEEDS) {
    it.skipIf(ONE_SEED !== undefined)(`pinned seed ${seed}: ${found}`, { timeout: SEED_TIMEOUT_MS }, () => {
      expect(runConvergence(seed, steps).edits).toBeGreaterThan(0)
    })
  }
})
