import { runConvergence } from './convergence.ts'
import { runRelayRound } from './relay-round.ts'
import { runHttpEdgeRound } from './http-edge-round.ts'
import { describeFigures } from './http-edge.ts'
import { runAdversary } from './adversary.ts'

/**
 * npm run fuzz: the fuzzers for as long as they are given (PLANK_FUZZ_SECONDS, default
 * 300), from PLANK_FUZZ_SEED (default: time-based, printed). The rounds below take turns,
 * each for its share of the time, with the next seed each run: in-memory seeds (many,
 * exact replays) and rounds through a real relay process (PLANK_FUZZ_RELAY_SECONDS each,
 * default 10; open and private drafts in turn; needs npm run build). Every in-memory seed
 * also runs the adversarial fuzzer of the signed logs (adversary.ts: a hostile writer
 * against three honest devices). A failing seed is printed with the command that reruns
 * it; pin it in convergence.test.ts or adversary.test.ts. The process exits 0 when every
 * run passed, 1 on the first failure.
 *
 * HTTP-edge rounds (PLANK_FUZZ_HTTP_SECONDS each, default 10; with and without --secret in
 * turn) throw malformed requests, handshakes, slow and half-open sockets and hostile frames
 * at a fresh relay process, which must then still answer /healthz and sync a normal client
 * (see http-edge.ts).
 */
interface Round {
  name: string
  /** Seconds of each turn: runs one after another until it is over. */
  turnSeconds: number
  /** Seconds one run takes: a run that would end after the deadline is not started. */
  runSeconds: number
  /** One run; throws with a report (seed, rerun command, what failed) if it fails. Returns counts to add up. */
  run(seed: number): Promise<Record<string, number>>
}

const seconds = Number(process.env.PLANK_FUZZ_SECONDS ?? 300)
const relaySeconds = Number(process.env.PLANK_FUZZ_RELAY_SECONDS ?? 10)
const httpSeconds = Number(process.env.PLANK_FUZZ_HTTP_SECONDS ?? 10)
const steps = Number(process.env.PLANK_FUZZ_STEPS ?? 400)
let relayRuns = 0
let httpRuns = 0

const ROUNDS: Round[] = [
  {
    name: 'in memory',
    turnSeconds: relaySeconds > 0 ? relaySeconds * 2 : seconds, // two thirds of the time in memory, one third through the relay
    runSeconds: 0,
    run: async (seed) => {
      const { seed: _seed, steps: _steps, ...counts } = runConvergence(seed, steps)
      const adversarySteps = Math.max(60, Math.round(steps / 2))
      let hostile
      try {
        hostile = runAdversary(seed, adversarySteps)
      } catch (err) {
        throw new Error(`the signed logs against a hostile writer, seed ${seed}: ${(err as Error).message}\nrerun: PLANK_ADVERSARY_SEED=${seed} PLANK_ADVERSARY_STEPS=${adversarySteps} npx vitest run --config vitest.config.ts test/fuzz/adversary.test.ts`, { cause: err })
      }
      return { ...counts, 'hostile: honest acts': hostile.honestActs, 'hostile: attacks': hostile.attacks, 'hostile: refused': hostile.refused, 'hostile: tampered': hostile.tampered }
    },
  },
  {
    name: 'through a relay',
    turnSeconds: relaySeconds,
    runSeconds: relaySeconds,
    run: async (seed) => {
      const { seed: _seed, mode: _mode, convergeMs: _ms, ...counts } = await runRelayRound(seed, relayRuns++ % 2 === 0 ? 'open' : 'private', relaySeconds)
      return counts
    },
  },
  {
    name: 'HTTP edge',
    turnSeconds: httpSeconds,
    runSeconds: httpSeconds,
    run: async (seed) => {
      const secret = httpRuns++ % 2 === 0 ? undefined : 'fuzz-secret'
      let f
      try {
        f = await runHttpEdgeRound({ seed, attacks: Number.MAX_SAFE_INTEGER, seconds: httpSeconds, secret })
      } catch (err) {
        throw new Error(`${(err as Error).message}\nrerun: PLANK_HTTP_FUZZ_SEED=${seed} npx vitest run --config test/vitest.e2e.config.ts test/relay-http-edge.e2e.test.ts`, { cause: err })
      }
      console.log(`HTTP edge, ${secret ? 'with' : 'without'} --secret: ${describeFigures(f)}`)
      return { connections: f.connections, bytesSent: f.bytesSent, refused: f.refused, acceptedOpen: f.acceptedOpen, crashes: f.crashes }
    },
  },
]
const rounds = ROUNDS.filter((r) => r.turnSeconds > 0) // PLANK_FUZZ_RELAY_SECONDS=0: in memory only

const first = Number(process.env.PLANK_FUZZ_SEED ?? (Date.now() % 1_000_000_000))
const deadline = Date.now() + seconds * 1000
const totals = new Map<string, Record<string, number>>(rounds.map((r) => [r.name, { runs: 0 }]))
console.log(`fuzz: from seed ${first}, ${steps} steps per in-memory seed, for ${seconds} s, relay rounds of ${relaySeconds} s`)

const fuzz = async (): Promise<number> => {
  let seed = first
  while (Date.now() < deadline) {
    for (const round of rounds) {
      const turnEnds = Math.min(deadline, Date.now() + round.turnSeconds * 1000)
      do {
        if (Date.now() + round.runSeconds * 1000 > deadline) break
        try {
          const counts = await round.run(seed)
          const sum = totals.get(round.name)!
          for (const [k, n] of Object.entries({ runs: 1, ...counts })) sum[k] = (sum[k] ?? 0) + n
        } catch (err) {
          console.error(`fuzz: FAILED ${round.name}:`)
          console.error(err instanceof Error ? err.message : err)
          return 1
        }
        seed++
      } while (Date.now() < turnEnds)
    }
  }
  console.log(`fuzz: seeds ${first}..${seed - 1}, all converged`, Object.fromEntries(totals))
  return 0
}

process.exitCode = await fuzz()
// Everything a round opens it closes, so the process ends by itself; if it does not,
// name what is still open (a leak to fix) rather than hang after the summary.
setTimeout(() => {
  console.error(`fuzz: still running 5 s after finishing; open (besides this timer): ${process.getActiveResourcesInfo().join(', ')}`)
  process.exit()
}, 5000).unref()
