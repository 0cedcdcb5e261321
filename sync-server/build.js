// Bundles the relay for plain Node (the CLI and an embeddable module); npm packages stay
// external and come from node_modules.
import { build } from 'esbuild'

const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', sourcemap: true, logLevel: 'warning' }

await Promise.all([
  build({ ...common, entryPoints: ['sync-server/src/cli.ts'], outfile: 'sync-server/dist/plank-relay.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['sync-server/index.ts'], outfile: 'sync-server/dist/index.js' }),
])
