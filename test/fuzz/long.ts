import { runConvergence } from './convergence.ts'
import { runRelayRound } from './relay-round.ts'
import { runHttpEdgeRound } from './http-edge-round.ts'
import { describeFigures } from './http-edge.ts'

/**
 * npm run fuzz: the convergence fuzzer for as long as it is given
 * (PLANK_FUZZ_SECONDS, default 300), from PLANK_FUZZ_SEED (default: time-based, printed).
 * It alternates in-memory seeds (many, exact replays) with rounds through a real relay
 * process (PLANK_FUZZ_RELAY_SECONDS each, default 10; open and private drafts in turn;
 * needs npm run build). A failing seed is printed with the command that reruns it;
 * pin it in convergence.test.ts.
 *
 * After each relay round comes an HTTP-edge round (PLANK_FUZZ_HTTP_SECONDS each,
 * default 10; with and without --secret in turn): malformed requests, handshakes,
 * slow and half-open sockets and hostile frames against a fresh relay process, which
 * must then still answer /healthz and sync a normal client (see http-edge.ts).
 */
const seconds = Number(process.env.PLANK_FUZZ_SECONDS ?? 300)
const relaySeconds = Number(process.env.PLANK_FUZZ_RELAY_SECONDS ?? 10)
const httpSeconds = Number(process.env.PLANK_FUZZ_HTTP_SECONDS ?? 10)
let seed = Number(process.env.PLANK_FUZZ_SEED ?? (Date.now() % 1_000_000_000))
const steps = Number(process.env.PLANK_FUZZ_STEPS ?? 400)
const first = seed
const deadline = Date.now() + seconds * 1000
const totals = { seeds: 0, edits: 0, reviewActs: 0, delivered: 0, dropped: 0, duplicated: 0, partitions: 0 }
const relayTotals = { rounds: 0, edits: 0, reviewActs: 0, cuts: 0, relayKills: 0 }
const httpTotals = { rounds: 0, connections: 0, bytesSent: 0, refused: 0, acceptedOpen: 0, crashes: 0, rss: [] as string[] }
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
  if (httpSeconds <= 0 || Date.now() + httpSeconds * 1000 > deadline) continue
  const secret = httpTotals.rounds % 2 === 0 ? undefined : 'fuzz-secret'
  try {
    const f = await runHttpEdgeRound({ seed, attacks: Number.MAX_SAFE_INTEGER, seconds: httpSeconds, secret })
    console.log(`HTTP edge, ${secret ? 'with' : 'without'} --secret: ${describeFigures(f)}`)
    httpTotals.rounds++
    httpTotals.connections += f.connections
    httpTotals.bytesSent += f.bytesSent
    httpTotals.refused += f.refused
    httpTotals.acceptedOpen += f.acceptedOpen
    httpTotals.crashes += f.crashes
    httpTotals.rss.push(`${((f.rssBefore ?? 0) / 1e6).toFixed(1)}→${((f.rssAfter ?? 0) / 1e6).toFixed(1)} MB`)
  } catch (err) {
    fail(err, `PLANK_HTTP_FUZZ_SEED=${seed} npx vitest run --config test/vitest.e2e.config.ts test/relay-http-edge.e2e.test.ts`)
  }
  seed++
}
console.log(`fuzz: seeds ${first}..${seed - 1}, all converged`, totals, 'through a relay:', relayTotals, 'HTTP edge:', httpTotals)
