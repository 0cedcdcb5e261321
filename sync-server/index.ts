/** The relay's public entry points, for embedding (npm start's browser mode, the desktop app). */
export { startRelay, type RunningRelay } from './src/relay-server.ts'
export { parseConfig, type RelayConfig } from './src/config.ts'
