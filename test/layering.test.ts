import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import ts from 'typescript'

/**
 * The layers hold: renderer/, electron/ and sync-server/ side by side above crdt/, and
 * crdt/contracts/ below everything. Each import below is written into a file of the
 * folder named, as a member of the team might, and must be refused twice: by the lint
 * rule (eslint.config.js, named in the editor as it is typed) and by the TypeScript
 * build (`tsc -b`: each folder is a project that references only the layers it may use).
 * The allowed imports next to them show the refusal is about the direction, not the file.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url))

interface Probe {
  /** A file that would hold the import, in the folder whose rules apply. */
  at: string
  /** That folder's TypeScript project. */
  project: string
  source: string
}

const forbidden: Array<[string, Probe]> = [
  ['the renderer importing electron/', { at: 'renderer/src/probe.ts', project: 'renderer/tsconfig.json', source: "import { buildMenuTemplate } from '../../electron/menu.ts'" }],
  ['the renderer importing sync-server/', { at: 'renderer/src/sync/probe.ts', project: 'renderer/tsconfig.json', source: "import { roomToken } from '../../../sync-server/src/access.ts'" }],
  ['electron/ importing the renderer', { at: 'electron/probe.ts', project: 'electron/tsconfig.json', source: "import { inviteLink } from '../renderer/src/sync/invite.ts'" }],
  ['sync-server/ importing the renderer', { at: 'sync-server/src/probe.ts', project: 'sync-server/tsconfig.json', source: "import { host } from '../../renderer/src/platform.ts'" }],
  ['sync-server/ importing electron/', { at: 'sync-server/src/probe.ts', project: 'sync-server/tsconfig.json', source: "import { LanHost } from '../../electron/lan-host.ts'" }],
  ['crdt/ importing the renderer', { at: 'crdt/probe.ts', project: 'crdt/tsconfig.json', source: "import { schema } from '../renderer/src/editor/schema.ts'" }],
  ['crdt/ importing sync-server/', { at: 'crdt/probe.ts', project: 'crdt/tsconfig.json', source: "import { Room } from '../sync-server/src/room.ts'" }],
  ['a contract importing the rest of crdt/', { at: 'crdt/contracts/probe.ts', project: 'crdt/contracts/tsconfig.json', source: "import { UNTITLED } from '../title.ts'" }],
]

const allowed: Array<[string, Probe]> = [
  ['the renderer importing crdt/', { at: 'renderer/src/probe.ts', project: 'renderer/tsconfig.json', source: "import { UNTITLED } from '../../crdt/title.ts'" }],
  ['electron/ importing sync-server/', { at: 'electron/probe.ts', project: 'electron/tsconfig.json', source: "import { roomToken } from '../sync-server/src/access.ts'" }],
  ['sync-server/ importing a contract', { at: 'sync-server/src/probe.ts', project: 'sync-server/tsconfig.json', source: "import { CLOSE } from '../../crdt/contracts/wire-protocol.ts'" }],
  ['crdt/ importing a contract', { at: 'crdt/probe.ts', project: 'crdt/tsconfig.json', source: "import { CLOSE } from './contracts/wire-protocol.ts'" }],
]

/** The lint rules of the real configuration, on the probe (type-aware rules, which need the file on disk, left out). */
const lintRefusals = async ({ at, source }: Probe): Promise<string[]> => {
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  })
  const [result] = await eslint.lintText(`${source}\n`, { filePath: join(ROOT, at) })
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`)
}

/**
 * What `tsc -b` says about the probe as a file of its folder's project: a composite
 * project may only read files it includes or a project it references builds (TS6307).
 */
const buildRefusals = ({ at, project, source }: Probe): string[] => {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, project), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)) } })!
  const file = join(ROOT, at)
  const host = ts.createCompilerHost(config.options)
  const { getSourceFile, fileExists } = host
  host.getSourceFile = (name, ...rest) => (name === file ? ts.createSourceFile(name, `${source}\n`, ts.ScriptTarget.ES2022) : getSourceFile.call(host, name, ...rest))
  host.fileExists = (name) => name === file || fileExists.call(host, name)
  const program = ts.createProgram({ rootNames: [file], options: config.options, projectReferences: config.projectReferences, host })
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file))
    .filter((d) => d.code === 6307)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]!)
}

describe('layers', () => {
  it.each(forbidden)('refuse %s, in lint and in the build', async (_what, probe) => {
    expect(await lintRefusals(probe)).toEqual([expect.stringMatching(/^no-restricted-imports: .* import is restricted/)])
    expect(buildRefusals(probe)).toEqual([expect.stringContaining(`is not listed within the file list of project '${join(ROOT, probe.project)}'`)])
  }, 30_000)

  it.each(allowed)('allow %s', async (_what, probe) => {
    expect(await lintRefusals(probe)).toEqual([])
    expect(buildRefusals(probe)).toEqual([])
  }, 30_000)
})
