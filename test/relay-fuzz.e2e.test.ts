import { describe, expect, it } from 'vitest'
import { runRelayRound } from './fuzz/relay-round.ts'

/**
 * The convergence fuzzer through a real relay process, with lines cut and the relay
 * SIGKILLed and restarted (a short round here; npm run fuzz runs them for as long as
 * it is given). The seed is printed; PLANK_FUZZ_SEED reruns the same actions.
 */
const SEED = Number(process.env.PLANK_FUZZ_SEED ?? Date.now() % 1_000_000)

describe(`convergence through a real relay (seed ${SEED})`, () => {
  for (const mode of ['open', 'private'] as const) {
    it(`${mode} draft: five peers, cut lines, a killed relay; all end equal`, async () => {
      const result = await runRelayRound(SEED, mode, 6)
      console.log('relay fuzz:', result)
      expect(result.edits).toBeGreaterThan(50)
      expect(result.relayKills + result.cuts).toBeGreaterThan(0)
    })
  }
})
