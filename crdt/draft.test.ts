import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import {
  ORIGIN, ROOT, SCHEMA_VERSION, META, NODE,
  applyStoredUpdates, compatibility, content, createDraftDoc, meta, readMeta, readTitle, renameDraft, seedDraft,
} from './index.ts'
import { sync } from './testing.ts'


describe('draft document', () => {
  it('keeps history (gc off) so versions can read deleted text', () => {
    const doc = createDraftDoc()
    expect(doc.gc).toBe(false)
  })

  it('exposes every root type under its file-format name', () => {
    const doc = createDraftDoc()
    seedDraft(doc, { title: 'The People’s Platform' })
    expect([...doc.share.keys()].sort()).toEqual([ROOT.content, ROOT.meta].sort())
    expect(content(doc)).toBe(doc.getXmlFragment('content'))
  })

  it('seeds title, preamble paragraph and planks, with the schema version', () => {
    const doc = createDraftDoc()
    seedDraft(doc, { title: 'Platform', chapter: 'Leeds', planks: ['Housing', 'Work'], now: 42 })
    const names = content(doc).toArray().map((n) => (n as Y.XmlElement).nodeName)
    expect(names).toEqual([NODE.title, NODE.paragraph, NODE.heading, NODE.paragraph, NODE.heading, NODE.paragraph])
    expect(readMeta(doc)).toEqual({ schemaVersion: SCHEMA_VERSION, chapter: 'Leeds', created: 42 })
    expect(readTitle(doc)).toBe('Platform')
  })

  it('refuses to seed a draft twice, which would duplicate text on merge', () => {
    const doc = createDraftDoc()
    seedDraft(doc, { title: 'A' })
    expect(() => seedDraft(doc, { title: 'A' })).toThrow(/already has content/)
  })

  it('names the seed origin on the seeding transaction', () => {
    const doc = createDraftDoc()
    const origins: unknown[] = []
    doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin))
    seedDraft(doc, { title: 'A' })
    expect(origins).toEqual([ORIGIN.seed])
  })

  it('renames by editing the title text, and a concurrent rename converges', () => {
    const a = createDraftDoc()
    seedDraft(a, { title: 'Draft' })
    const b = createDraftDoc()
    sync(a, b)
    renameDraft(a, 'Housing first')
    renameDraft(b, 'Jobs first')
    sync(a, b)
    expect(readTitle(a)).toBe(readTitle(b))
    expect(content(a).toJSON()).toBe(content(b).toJSON())
  })

  it('reports a draft from a newer schema so it opens read-only', () => {
    const doc = createDraftDoc()
    seedDraft(doc, { title: 'A' })
    expect(compatibility(doc)).toEqual({ kind: 'ok' })
    meta(doc).set(META.schemaVersion, SCHEMA_VERSION + 1)
    expect(compatibility(doc)).toEqual({ kind: 'newer', schemaVersion: SCHEMA_VERSION + 1 })
    expect(compatibility(createDraftDoc())).toEqual({ kind: 'empty' })
  })
})

describe('applyStoredUpdates', () => {
  const storedUpdates = () => {
    const doc = createDraftDoc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    seedDraft(doc, { title: 'Stored' })
    renameDraft(doc, 'Stored and renamed')
    return updates
  }

  it('loads a healthy store', () => {
    const doc = createDraftDoc()
    const result = applyStoredUpdates(doc, storedUpdates(), 'storage')
    expect(result).toEqual({ ok: true, applied: 2 })
    expect(readTitle(doc)).toBe('Stored and renamed')
  })

  it('reports an unreadable update and keeps what came before it', () => {
    const updates = storedUpdates()
    const doc = createDraftDoc()
    const result = applyStoredUpdates(doc, [updates[0]!, new Uint8Array([255, 255, 255, 255, 1, 2, 3])], 'storage')
    expect(result.ok).toBe(false)
    expect(result.applied).toBe(1)
    expect(readTitle(doc)).toBe('Stored')
  })

  it('reports a store whose updates refer to missing content', () => {
    const updates = storedUpdates()
    const doc = createDraftDoc()
    const result = applyStoredUpdates(doc, [updates[1]!], 'storage')
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) })
  })
})
