import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Y.mergeUpdates / mergeUpdatesV2 can spin forever on 27 crafted bytes (yjs issue 687)
 * and are roughly quadratic besides. The relay only ever applies client bytes to a
 * Y.Doc (applyUpdate returns or throws on them). This keeps it that way.
 */
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [])

describe('the relay never merges untrusted bytes', () => {
  it('has no call to Y.mergeUpdates, mergeUpdatesV2, diffUpdate or the V2 decoders', () => {
    const code = (file: string) => readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
    const offenders = sources(join(import.meta.dirname)).filter((file) =>
      /\b(mergeUpdates(V2)?|diffUpdate(V2)?|applyUpdateV2|decodeUpdateV2)\s*\(/.test(code(file)))
    expect(offenders).toEqual([])
  })
})
