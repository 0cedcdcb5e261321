// Bundles the main and preload scripts to CommonJS for Electron (the sandboxed preload
// may only require 'electron'). esbuild: fast, and already what Vite builds with.
// classic-level (the hosted relay's LevelDB) is native, so it is loaded from node_modules;
// so is electron-updater, a runtime dependency the packaged app carries as published.
import { build } from 'esbuild'

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['electron', 'classic-level', 'electron-updater'], sourcemap: true, logLevel: 'warning' }

await Promise.all([
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'electron/dist/main.cjs' }),
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'electron/dist/preload.cjs' }),
])
