import { runConvergence } from './convergence.ts'
import { runRelayRound } from './relay-round.ts'
import { runAdversary } from './adversary.ts'

/**
 * npm run fuzz: the convergence fuzzer for as long as it is given
 * (PLANK_FUZZ_SECONDS, default 300), from PLANK_FUZZ_SEED (default: time-based, printed).
 * It alternates in-memory seeds (many, exact replays) with rounds through a real relay
 * process (PLANK_FUZZ_RELAY_SECONDS each, default 10; open and private drafts in turn;
 * needs npm run build). Every in-memory seed also runs the adversarial fuzzer of the
 * signed logs (adversary.ts: a hostile writer against three honest devices). A failing
 * seed is printed with the command that reruns it; pin it in convergence.test.ts or
 * adversary.test.ts.
 */
const seconds = Number(process.env.PLANK_FUZZ_SECONDS ?? 300)
const relaySeconds = Number(process.env.PLANK_FUZZ_RELAY_SECONDS ?? 10)
let seed = Number(process.env.PLANK_FUZZ_SEED ?? (Date.now() % 1_000_000_000))
const steps = Number(process.env.PLANK_FUZZ_STEPS ?? 400)
const first = seed
const deadline = Date.now() + seconds * 1000
const totals = { seeds: 0, edits: 0, reviewActs: 0, delivered: 0, dropped: 0, duplicated: 0, partitions: 0 }
const adversary = { seeds: 0, honestActs: 0, attacks: 0, refused: 0, tampered: 0 }
const relayTotals = { rounds: 0, edits: 0, reviewActs: 0, cuts: 0, relayKills: 0 }
console.log(`fuzz: from seed ${first}, ${steps} steps per seed, for ${seconds} s, relay rounds of ${relaySeconds} s`)

const fail = (err: unknown, rerun: string): never => {
  console.error(`FAILED at seed ${seed}: ${(err as Error).message}`)
  console.error(`rerun: ${rerun}`)
  process.exit(1)
}

while (Date.now() < deadline) {
  // Two thirds of the time in memory, one third through the relay.
  const memoryUntil = Date.now() + (relaySeconds * 2000)
  while (Date.now() < Math.min(memoryUntil, deadline)) {
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
      fail(err, `PLANK_FUZZ_SEED=${seed} PLANK_FUZZ_STEPS=${steps} PLANK_FUZZ_SECONDS=1 npm run fuzz`)
    }
    const adversarySteps = Math.max(60, Math.round(steps / 2))
    try {
      const r = runAdversary(seed, adversarySteps)
      adversary.seeds++
      adversary.honestActs += r.honestActs
      adversary.attacks += r.attacks
      adversary.refused += r.refused
      adversary.tampered += r.tampered
    } catch (err) {
      fail(err, `PLANK_ADVERSARY_SEED=${seed} PLANK_ADVERSARY_SEEDS=1 PLANK_ADVERSARY_STEPS=${adversarySteps} npx vitest run --config vitest.config.ts test/fuzz/adversary.test.ts`)
    }
    seed++
  }
  if (relaySeconds <= 0 || Date.now() + relaySeconds * 1000 > deadline) continue
  const mode = relayTotals.rounds % 2 === 0 ? 'open' : 'private'
  try {
    const r = await runRelayRound(seed, mode, relaySeconds)
    relayTotals.rounds++
    relayTotals.edits += r.edits
    relayTotals.reviewActs += r.reviewActs
    relayTotals.cuts += r.cuts
    relayTotals.relayKills += r.relayKills
  } catch (err) {
    fail(err, `PLANK_FUZZ_SEED=${seed} npx vitest run --config test/vitest.e2e.config.ts test/relay-fuzz.e2e.test.ts`)
  }
  seed++
}
console.log(`fuzz: seeds ${first}..${seed - 1}, all converged`, totals, 'through a relay:', relayTotals, 'against a hostile writer:', adversary)
