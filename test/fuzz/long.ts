import { runConvergence } from './convergence.ts'

/**
 * npm run fuzz: the convergence fuzzer for as long as it is given
 * (PLANK_FUZZ_SECONDS, default 300), from PLANK_FUZZ_SEED (default: time-based, printed).
 * A failing seed is printed with the command that reruns it; pin it in convergence.test.ts.
 */
const seconds = Number(process.env.PLANK_FUZZ_SECONDS ?? 300)
let seed = Number(process.env.PLANK_FUZZ_SEED ?? (Date.now() % 1_000_000_000))
const steps = Number(process.env.PLANK_FUZZ_STEPS ?? 400)
const first = seed
const deadline = Date.now() + seconds * 1000
const totals = { seeds: 0, edits: 0, reviewActs: 0, delivered: 0, dropped: 0, duplicated: 0, partitions: 0 }
console.log(`fuzz: from seed ${first}, ${steps} steps per seed, for ${seconds} s`)
while (Date.now() < deadline) {
  try {
    const r = runConvergence(seed, steps)
    totals.seeds++
    totals.edits += r.edits
    totals.reviewActs += r.reviewActs
    totals.delivered += r.delivered
    totals.dropped += r.dropped
    totals.duplicated += r.duplicated
    totals.partitions += r.partitions
  } catch (err) {
    console.error(`FAILED at seed ${seed}: ${(err as Error).message}`)
    console.error(`rerun: PLANK_FUZZ_SEED=${seed} PLANK_FUZZ_STEPS=${steps} PLANK_FUZZ_SECONDS=1 npm run fuzz`)
    process.exit(1)
  }
  seed++
}
console.log(`fuzz: seeds ${first}..${seed - 1}, all converged`, totals)
