import { ConfigError, HELP, parseConfig } from './config.ts'
import { startRelay } from './relay-server.ts'

/** `plank-relay`: parse flags and environment, start, stop cleanly on SIGTERM/SIGINT. */
const main = async () => {
  let config
  try {
    config = parseConfig(process.argv.slice(2), process.env)
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
  const relay = await startRelay(config)
  const wsUrl = relay.url.replace(/^http/, 'ws')
  console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', event: 'listening', url: wsUrl, data: config.dataDir ?? null }))
  const stop = (signal: string) => {
    console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', event: 'shutdown', signal }))
    relay.close().then(() => process.exit(0), () => process.exit(1))
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
}

main().catch((err: unknown) => {
  process.stderr.write(`plank-relay: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
