// Lint: recommended JS + typed TypeScript rules. Type-aware rules catch the
// floating promises that would otherwise turn a failed write into silence.
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * The layers (README "Architecture"): renderer/, electron/ and sync-server/ sit side by
 * side above crdt/, and crdt/contracts/ sits below everything. Each folder's imports
 * are checked here as well as by the TypeScript build (each folder is a project that
 * references only the layers it may use: tsconfig.json), so a wrong import is named in
 * the editor as it is typed. test/layering.test.ts shows both refusing one.
 */
const through = (...folders) => `^\\.{1,2}/(?:.*/)?(?:${folders.join('|')})/`
const NODE = `^(?:node:.*|${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`
const layer = (files, ignores, patterns) => ({ files, ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } })
const noNode = (why) => ({ regex: NODE, message: `${why}: no Node modules.` })
const noElectron = (where) => ({ regex: '^electron$', message: `${where} never imports Electron: the desktop host reaches the page through crdt/contracts/host-api.ts.` })

const layers = [
  layer(['crdt/**/*.ts'], ['crdt/contracts/**', '**/*.test.ts'], [
    { regex: through('renderer', 'electron', 'sync-server', 'test', 'bench'), message: 'crdt/ is the bottom layer: it imports no other folder.' },
    noNode('crdt/ runs in the app and in the relay alike (crdt/platform-globals.d.ts says what it may use)'), noElectron('crdt/'),
  ]),
  layer(['crdt/contracts/**/*.ts'], ['**/*.test.ts'], [
    { regex: '^(?!\\./)', message: 'A contract is dependency-free: it imports only other contracts (./).' },
  ]),
  layer(['crdt/**/*.test.ts'], [], [
    { regex: through('renderer', 'electron', 'sync-server', 'bench'), message: 'crdt/ is the bottom layer: its tests import no layer above it.' },
  ]),
  layer(['renderer/src/**/*.ts'], ['**/*.test.ts'], [
    { regex: through('electron', 'sync-server', 'test', 'bench'), message: 'The renderer imports crdt/ and the contracts, never electron/ or sync-server/.' },
    noNode('The renderer is a web page'), noElectron('The renderer'),
  ]),
  layer(['renderer/src/**/*.test.ts'], [], [
    { regex: through('electron', 'sync-server', 'bench'), message: 'The renderer imports crdt/ and the contracts, never electron/ or sync-server/.' },
  ]),
  layer(['sync-server/**/*.ts'], [], [
    { regex: through('renderer', 'electron', 'bench'), message: 'The relay imports crdt/ and the contracts, never the renderer or electron/.' },
  ]),
  layer(['electron/**/*.ts'], [], [
    { regex: through('renderer', 'bench'), message: 'electron/ embeds sync-server/ and shares crdt/ and the contracts; it never imports the renderer.' },
  ]),
]

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', 'release/**', 'test-results/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layers,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', require: 'readonly', __dirname: 'readonly', module: 'writable' } },
  },
)
