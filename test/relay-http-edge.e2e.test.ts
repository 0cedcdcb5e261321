import { describe, expect, it } from 'vitest'
import type { RelayProcess } from './support/relay-process.ts'
import { useFleet } from './support/fleet.ts'
import { twoClientsSync } from './support/yjs-client.ts'
import { rawUpgrade } from './support/raw-websocket.ts'
import { roomToken } from '../sync-server/src/access.ts'
import { describeFigures } from './fuzz/http-edge.ts'
import { runHttpEdgeRound } from './fuzz/http-edge-round.ts'
import { CLOSE } from '../crdt/contracts/wire-protocol.ts'

/**
 * The relay's HTTP edge against input no client would send. One request used to stop
 * the relay: `decodeURIComponent` threw on `/100%` before the token check. Now the
 * relay must never exit, with or without --secret, and keep serving a normal client.
 * The fuzz run is seeded (PLANK_HTTP_FUZZ_SEED reruns it); `npm run fuzz` runs it
 * for longer.
 */
const SEED = Number(process.env.PLANK_HTTP_FUZZ_SEED ?? Date.now() % 1_000_000)
const SECRET = 'edge-secret'

const fleet = useFleet()
const start = (args: string[] = []) => fleet.relay(args)

/** A normal client still syncs in a room of its own, and /healthz answers. */
const stillServes = async (relay: RelayProcess, secret?: string) => {
  const room = `after-${relay.logs.length}`
  await twoClientsSync(relay.url, room, { params: secret ? { token: roomToken(secret, room) } : {}, what: 'a normal client to sync after the attack' })
  expect((await relay.health()).ok).toBe(true)
  expect(relay.proc.exitCode).toBe(null)
}

const HOSTILE_TARGETS = ['/100%', '/%', '/%%41', '/%FF', '/%ED%A0%80', '/%E0%A4%A', '//', '///', '*', 'http://x/100%', '//evil/room', '/?token=%', '/100%?token=%ZZ', '/%00', `/${'a'.repeat(600)}`, '']

describe("the relay's HTTP edge", () => {
  for (const secret of [undefined, SECRET]) {
    it(`answers /100% and other hostile paths without exiting (${secret ? 'with' : 'without'} --secret)`, async () => {
      const relay = await start(secret ? ['--secret', secret] : [])
      const answers: Record<string, unknown> = {}
      for (const target of HOSTILE_TARGETS) {
        const { status, closeCode } = await rawUpgrade(relay.port, target, 200)
        answers[target] = closeCode ?? status
        expect(relay.proc.exitCode, `relay alive after ${JSON.stringify(target)}`).toBe(null)
      }
      if (secret) {
        // Every target is refused before any room is touched: no token (4401), a name too long or
        // empty (4404), or a request the HTTP parser turns away (400).
        expect(answers['/100%']).toBe(CLOSE.tokenRequired.code)
        expect(answers['/%']).toBe(CLOSE.tokenRequired.code)
        expect(answers[`/${'a'.repeat(600)}`]).toBe(CLOSE.badRoom.code)
        expect(Object.values(answers).every((a) => a === CLOSE.tokenRequired.code || a === CLOSE.tokenRejected.code || a === CLOSE.badRoom.code || a === 400)).toBe(true)
      } else {
        // Names a stock client could send are rooms like any other; only an empty or overlong name is refused.
        expect(answers['/100%']).toBe(101)
        expect(answers['/%FF']).toBe(101)
        expect(answers[`/${'a'.repeat(600)}`]).toBe(CLOSE.badRoom.code)
      }
      await stillServes(relay, secret)
    })
  }

  it('syncs stock clients in the room "100%", the name that used to stop it', async () => {
    for (const secret of [undefined, SECRET]) {
      const relay = await start(secret ? ['--secret', secret] : [])
      await twoClientsSync(relay.url, '100%', { params: secret ? { token: roomToken(secret, '100%') } : {}, text: 'one hundred percent' })
      expect(relay.logs.some((l) => l.event === 'connection-refused')).toBe(false)
    }
  })

  for (const secret of [undefined, SECRET]) {
    it(`survives a seeded HTTP-edge fuzz run, ${secret ? 'with' : 'without'} --secret, then serves a normal client (seed ${SEED})`, async () => {
      console.log(`HTTP-edge fuzz seed ${SEED} (rerun: PLANK_HTTP_FUZZ_SEED=${SEED})`)
      const figures = await runHttpEdgeRound({ seed: SEED, attacks: 500, secret })
      console.log(`HTTP-edge fuzz, ${secret ? 'with' : 'without'} --secret: ${describeFigures(figures)}`)
      expect(figures.crashes).toBe(0)
      expect(figures.connections).toBe(500)
      expect(figures.refused).toBeGreaterThan(0)
    })
  }
})
