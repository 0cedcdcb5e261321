import { parseArgs } from 'node:util'

/** Relay settings: flags first, then PLANK_RELAY_* environment variables, then defaults. */
export interface RelayConfig {
  host: string
  port: number
  /** Directory for the on-disk store; undefined keeps rooms in memory only. */
  dataDir: string | undefined
  /** Serve the built app from here too (npm start's browser mode). */
  appDir: string | undefined
}

export const HELP = `plank-relay — a sync relay for Plank drafts (y-websocket protocol)

Usage: plank-relay [options]

Options (each also settable as an environment variable):
  --port <n>        port to listen on                     PLANK_RELAY_PORT  (default 1234)
  --host <addr>     address to bind                        PLANK_RELAY_HOST  (default 0.0.0.0)
  --data <dir>      keep rooms on disk in <dir>            PLANK_RELAY_DATA  (default: memory only)
  --app <dir>       also serve the built Plank app         PLANK_RELAY_APP
  -h, --help        show this help

Endpoints: ws://host:port/<room> (sync), /healthz, /metrics.
`

export class ConfigError extends Error {}

export const parseConfig = (argv: string[], env: NodeJS.ProcessEnv): RelayConfig | 'help' => {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        app: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    })
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\nRun plank-relay --help for the options.`)
  }
  const v = parsed.values
  if (v.help) return 'help'
  const portText = v.port ?? env.PLANK_RELAY_PORT ?? '1234'
  const port = Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be a number from 0 to 65535, not "${portText}"`)
  return {
    host: v.host ?? env.PLANK_RELAY_HOST ?? '0.0.0.0',
    port,
    dataDir: v.data ?? env.PLANK_RELAY_DATA ?? undefined,
    appDir: v.app ?? env.PLANK_RELAY_APP ?? undefined,
  }
}
