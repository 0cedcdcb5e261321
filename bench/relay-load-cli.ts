import { relayLoad, type RelayKind } from './relay-load.ts'

/** One relay load run in a fresh process, so one run's garbage never slows the next. */
const [kind, clients, rooms] = process.argv.slice(2)
const result = await relayLoad(kind as RelayKind, Number(clients), Number(rooms))
process.stdout.write(`${JSON.stringify(result)}\n`)
process.exit(0)
