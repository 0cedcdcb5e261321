import { parseArgs } from 'node:util'
import type { RelayLimits } from './relay-core.ts'

/** Relay settings: flags first, then PLANK_RELAY_* environment variables, then defaults. */
export interface RelayConfig {
  host: string
  port: number
  /** Directory for the on-disk store; undefined keeps rooms in memory only. */
  dataDir: string | undefined
  /** Serve the built app from here too (npm start's browser mode). */
  appDir: string | undefined
  /** With a secret, each room needs its token (see access.ts). */
  secret?: string | undefined
  limits?: Partial<RelayLimits>
}

export const HELP = `plank-relay — a sync relay for Plank drafts (y-websocket protocol)

Usage: plank-relay [options]

Options (each also settable as an environment variable):
  --port <n>        port to listen on                     PLANK_RELAY_PORT  (default 1234)
  --host <addr>     address to bind                        PLANK_RELAY_HOST  (default 0.0.0.0)
  --data <dir>      keep rooms on disk in <dir>            PLANK_RELAY_DATA  (default: memory only)
  --app <dir>       also serve the built Plank app         PLANK_RELAY_APP
  --secret <s>      require a token per room               PLANK_RELAY_SECRET
                    (print one with: plank-relay token <room> --secret <s>)
  --max-message <bytes>    largest message accepted (close 1009)   (default 2097152)
  --room-quota <bytes>     largest a room may grow (close 4507)   (default 67108864)
  --rate <n>               messages per second per connection; faster
                           senders are slowed down, not closed    (default 300)
  --idle-evict <seconds>   keep an empty room in memory this long (default 30)
  -h, --help        show this help

Endpoints: ws://host:port/<room> (sync; any room name up to 512 bytes of UTF-8,
percent-encoded as clients send it), /healthz, /metrics.
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
        secret: { type: 'string' },
        'max-message': { type: 'string' },
        'room-quota': { type: 'string' },
        rate: { type: 'string' },
        'idle-evict': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    })
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\nRun plank-relay --help for the options.`)
  }
  const v = parsed.values
  if (v.help) return 'help'
  if (parsed.positionals.length > 0) throw new ConfigError(`unexpected argument "${parsed.positionals[0]}"\nRun plank-relay --help for the options.`)
  const portText = v.port ?? env.PLANK_RELAY_PORT ?? '1234'
  const port = Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be a number from 0 to 65535, not "${portText}"`)
  const positive = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined
    const n = Number(text)
    if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`--${flag} must be a positive number, not "${text}"`)
    return n
  }
  const limits: Partial<RelayLimits> = {}
  const maxMessage = positive('max-message', v['max-message'])
  if (maxMessage) limits.maxMessageBytes = maxMessage
  const quota = positive('room-quota', v['room-quota'])
  if (quota) limits.roomQuotaBytes = quota
  const rate = positive('rate', v.rate)
  if (rate) Object.assign(limits, { messagesPerSecond: rate, messageBurst: Math.max(rate * 3, 50) })
  const idle = positive('idle-evict', v['idle-evict'])
  if (idle) limits.idleEvictMs = idle * 1000
  return {
    limits,
    host: v.host ?? env.PLANK_RELAY_HOST ?? '0.0.0.0',
    port,
    dataDir: v.data ?? env.PLANK_RELAY_DATA ?? undefined,
    appDir: v.app ?? env.PLANK_RELAY_APP ?? undefined,
    secret: v.secret ?? env.PLANK_RELAY_SECRET ?? undefined,
  }
}
