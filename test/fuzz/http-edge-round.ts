import { startRelayProcess } from '../support/relay-process.ts'
import { twoClientsSync } from '../support/yjs-client.ts'
import { roomToken } from '../../sync-server/src/access.ts'
import { runHttpEdgeFuzz, type HttpEdgeFigures } from './http-edge.ts'

/**
 * One HTTP-edge fuzz round against a fresh relay process (npm run build first): the
 * attacks, then the checks that matter to a user. Throws if the relay died, if
 * /healthz does not answer, or if a normal client can no longer sync through it.
 */
export const runHttpEdgeRound = async (opts: { seed: number; attacks: number; seconds?: number; secret?: string }): Promise<HttpEdgeFigures> => {
  const { secret } = opts
  const relay = await startRelayProcess(secret ? ['--secret', secret] : [])
  try {
    const figures = await runHttpEdgeFuzz({
      port: relay.port,
      seed: opts.seed,
      attacks: opts.attacks,
      deadline: opts.seconds === undefined ? undefined : Date.now() + opts.seconds * 1000,
      tokenFor: secret ? (room) => roomToken(secret, room) : undefined,
      alive: () => relay.proc.exitCode === null && relay.proc.signalCode === null,
    })
    if (figures.crashes > 0) throw new Error(`the relay exited during the HTTP-edge fuzz (seed ${opts.seed})`)
    const health = await relay.health()
    if (health.ok !== true) throw new Error(`/healthz after the fuzz: ${JSON.stringify(health)}`)
    const room = 'after-the-fuzz'
    await twoClientsSync(relay.url, room, { params: secret ? { token: roomToken(secret, room) } : {}, what: `a normal client to sync after the HTTP-edge fuzz (seed ${opts.seed})` })
    if (relay.proc.exitCode !== null) throw new Error(`the relay exited after the HTTP-edge fuzz (seed ${opts.seed})`)
    return figures
  } finally {
    await relay.kill('SIGKILL')
  }
}
