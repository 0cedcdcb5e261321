import { ConfigError, HELP, parseConfig } from './config.ts'
import { startRelay } from './relay-server.ts'
import { roomToken } from './access.ts'
import { jsonLogger } from './log.ts'

/** `plank-relay`: parse flags and environment, start, stop cleanly on SIGTERM/SIGINT. */
const main = async () => {
  const argv = process.argv.slice(2)
  if (argv[0] === 'token') return printToken(argv.slice(1))
  let config
  try {
    config = parseConfig(argv, process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`plank-relay: ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }
  if (config === 'help') {
    process.stdout.write(HELP)
    return
  }
  const log = jsonLogger()
  const relay = await startRelay({ ...config, log })
  log('info', 'listening', { url: relay.wsUrl, store: config.dataDir ?? 'memory', access: config.secret ? 'token' : 'open' })
  const stop = (signal: string) => {
    log('info', 'shutdown', { signal })
    relay.close().then(() => {
      log('info', 'stopped', {})
      process.exit(0)
    }, (err: unknown) => {
      log('error', 'shutdown-failed', { error: String(err) })
      process.exit(1)
    })
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
}

/** `plank-relay token <room> --secret <s>`: the token a chapter needs for one room. */
const printToken = (args: string[]) => {
  const room = args.find((a) => !a.startsWith('--'))
  const i = args.indexOf('--secret')
  const secret = (i >= 0 ? args[i + 1] : undefined) ?? process.env.PLANK_RELAY_SECRET
  if (!room || !secret) {
    process.stderr.write('usage: plank-relay token <room> --secret <secret>\n')
    process.exit(2)
  }
  process.stdout.write(`${roomToken(secret, room)}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`plank-relay: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
