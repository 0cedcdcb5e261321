import { describe, expect, it } from 'vitest'
import { runAdversary } from './adversary.ts'

/**
 * Part of npm test: a short, fixed run of the adversarial fuzzer (the long run is
 * npm run fuzz). A seed that ever fails is pinned below by number, with what it found.
 */
const PINNED_SEEDS: Array<{ seed: number; found: string }> = []
const FIRST_SEED = Number(process.env.PLANK_ADVERSARY_SEED ?? 1)
const SEEDS = Number(process.env.PLANK_ADVERSARY_SEEDS ?? 12)
const STEPS = Number(process.env.PLANK_ADVERSARY_STEPS ?? 120)

describe('signed logs against a hostile writer', () => {
  it(`${SEEDS} seeds from ${FIRST_SEED}: honest devices agree with each other and with the honest records alone`, { timeout: 60_000 }, () => {
    const totals = { honestActs: 0, attacks: 0, refused: 0, tampered: 0 }
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
      let r
      try {
        r = runAdversary(seed, STEPS)
      } catch (err) {
        throw new Error(`adversary fuzz failed for seed ${seed} (rerun: PLANK_ADVERSARY_SEED=${seed} PLANK_ADVERSARY_SEEDS=1 PLANK_ADVERSARY_STEPS=${STEPS}): ${(err as Error).message}`, { cause: err })
      }
      for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += r[k]
    }
    console.log(`adversary fuzz: seeds ${FIRST_SEED}..${FIRST_SEED + SEEDS - 1}`, totals)
    expect(totals.attacks).toBeGreaterThan(SEEDS * 10)
    expect(totals.refused).toBeGreaterThan(0)
    expect(totals.tampered).toBeGreaterThan(0)
  })

  for (const { seed, found } of PINNED_SEEDS) it(`pinned seed ${seed}: ${found}`, () => { runAdversary(seed) })
})
