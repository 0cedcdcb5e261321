import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { build } from 'esbuild'
import type { Configuration } from 'electron-builder'
import { updateFeedProblem } from './check-update-feed.ts'

/**
 * The packages members install, as electron-builder.yml describes them: plank:// links
 * open the app, updates come from an HTTPS feed, the fuses lock the binary down, and each
 * system gets the files its members and its updater need. Checked without building
 * (Electron's binary cannot run here), but with electron-builder's own schema.
 */
const root = fileURLToPath(new URL('..', import.meta.url))
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Configuration
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> }

describe('electron-builder.yml', () => {
  it('is a configuration electron-builder accepts (its own schema, so a misspelt fuse fails here)', async () => {
    const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'))
    const { validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config.js') as { validateConfiguration: (c: Configuration, logger: unknown) => Promise<void> }
    await expect(validateConfiguration(structuredClone(config), { isEnabled: false, add() {} })).resolves.toBeUndefined()
    await expect(validateConfiguration({ ...structuredClone(config), electronFuses: { runAsNodee: false } } as never, { isEnabled: false, add() {} })).rejects.toThrow(/configuration.electronFuses/)
  }, 30_000) // loading app-builder-lib and compiling its schema takes seconds on a busy 2-core machine

  it('registers plank:// links (macOS URL type, Linux .desktop handler, Windows registry)', () => {
    expect(config.protocols).toEqual([{ name: 'Plank invite link', schemes: ['plank'] }])
  })

  it('locks the binary down with Electron’s fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    })
    // Only-from-asar needs an asar.
    expect(config.asar).toBe(true)
  })

  it('builds what members download and what the updater installs on each system', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.mac?.target).toEqual(['dmg', 'zip'])
    expect(config.win?.target).toEqual(['nsis'])
  })

  it('updates from a generic feed whose address is given at build time, with the signature checks left on', () => {
    expect(config.publish).toEqual([{ provider: 'generic', url: '${env.PLANK_UPDATE_FEED}' }])
    // electron-updater checks the Windows publisher unless told not to; nothing here tells it not to.
    expect(JSON.stringify(config)).not.toMatch(/verifyUpdateCodeSignature|forceCodeSigning":false|disableWebInstaller":false/)
    // npm run dist refuses a feed that is missing or not HTTPS before electron-builder runs.
    expect(pkg.scripts.dist).toMatch(/check-update-feed\.ts && electron-builder/)
  })
})

describe('the update feed address', () => {
  it.each([
    [undefined, /not set/], ['', /not set/], ['relay.example.org', /not an address/],
    ['http://relay.example.org/plank/', /must be an https/], ['file:///srv/plank/', /must be an https/],
    ['https://user:pw@relay.example.org/plank/', /plain folder address/], ['https://relay.example.org/plank/?x=1', /plain folder address/],
  ])('refuses %s', (value, problem) => {
    expect(updateFeedProblem(value)).toMatch(problem)
  })
  it('accepts an https folder', () => {
    expect(updateFeedProblem('https://relay.example.org/plank/')).toBeNull()
  })
})

describe('what the packaged app runs', () => {
  it('carries electron-updater as a runtime dependency', () => {
    expect(pkg.dependencies['electron-updater']).toBeTruthy()
    expect(pkg.devDependencies['electron-updater']).toBeUndefined()
  })

  it('needs no runAsNode: main (with the meeting relay inside it) starts no Node child processes', async () => {
    const result = await build({
      entryPoints: [join(root, 'electron/main.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs',
      external: ['electron', 'classic-level', 'electron-updater'], write: false, metafile: true, outfile: 'main.cjs', logLevel: 'silent',
    })
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs).toContain('sync-server/src/relay-server.ts')
    const spawning = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
      input.imports.filter((i) => /(^|:)(child_process|worker_threads|cluster)$/.test(i.path)).map((i) => `${file} imports ${i.path}`))
    expect(spawning).toEqual([])
    const text = result.outputFiles.map((f) => f.text).join('\n')
    expect(text).not.toMatch(/ELECTRON_RUN_AS_NODE|\.fork\(/)
    // electron-updater (loaded from node_modules) runs installers and system tools, never Electron as Node.
    const updaterDir = join(createRequire(import.meta.url).resolve('electron-updater'), '..')
    for (const file of readdirSync(updaterDir).filter((f) => f.endsWith('.js'))) {
      expect(readFileSync(join(updaterDir, file), 'utf8'), file).not.toMatch(/ELECTRON_RUN_AS_NODE|process\.execPath/)
    }
  })
})
