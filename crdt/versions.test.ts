import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { content, createDraftDoc, versions } from './draft.ts'
import { ORIGIN } from './origins.ts'
import { contentHash } from './canonical.ts'
import { checkpointDue, readVersions, saveVersion, verifyVersion } from './versions.ts'
import { sync } from './testing.ts'

const ana = { id: 'ana', name: 'Ana', color: '#0f6b63' }
const write = (doc: Y.Doc, text: string) => {
  const frag = content(doc)
  if (frag.length === 0) {
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText()])
    frag.insert(0, [p])
  }
  const t = (frag.get(0) as Y.XmlElement).get(0) as Y.XmlText
  t.insert(t.length, text)
}

describe('named versions', () => {
  it('appear on every peer with the same hash, which each peer re-derives itself', async () => {
    const [a, b] = [createDraftDoc(), createDraftDoc()]
    write(a, 'Draft one text.')
    const v = await saveVersion(a, { name: ' Draft 1 ', author: ana, now: 5 }, ORIGIN.local)
    expect(v.hash).toBe(await contentHash(a))
    write(a, ' Edited after.')
    sync(a, b)
    expect(readVersions(b)).toEqual(readVersions(a))
    expect(readVersions(b)[0]!.name).toBe('Draft 1')
    for (const doc of [a, b]) {
      const check = await verifyVersion(doc, readVersions(doc)[0]!)
      expect(check.ok).toBe(true)
      expect(check.hash).toBe(v.hash)
      expect(check.text).toBe('paragraph|Draft one text.\n')
    }
    expect(await contentHash(b)).not.toBe(v.hash)
  })

  it('detect a tampered version record', async () => {
    const doc = createDraftDoc()
    write(doc, 'Ratify this.')
    const v = await saveVersion(doc, { name: 'Final', author: ana, now: 1 }, ORIGIN.local)
    versions(doc).set(v.id, { ...v, hash: v.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) })
    expect((await verifyVersion(doc, readVersions(doc)[0]!)).ok).toBe(false)
    await expect(saveVersion(doc, { name: '  ', author: ana, now: 2 }, ORIGIN.local)).rejects.toThrow(/name/)
  })
})

describe('daily checkpoints', () => {
  const day = Date.UTC(2026, 10, 29, 9)
  it('are due once a day, only when the text changed since the newest version', async () => {
    const a = createDraftDoc()
    expect(await checkpointDue(a, day)).toBe(false) // nothing written yet
    write(a, 'Text.')
    expect(await checkpointDue(a, day)).toBe(true)
    const v = await saveVersion(a, { name: 'Checkpoint', author: ana, now: day, kind: 'checkpoint' }, ORIGIN.local)
    expect(v.id).toBe('checkpoint-2026-11-29')
    write(a, ' More.')
    expect(await checkpointDue(a, day + 3_600_000)).toBe(false) // same day
    expect(await checkpointDue(a, day + 86_400_000)).toBe(true)
    await saveVersion(a, { name: 'Draft 2', author: ana, now: day + 86_000_000 }, ORIGIN.local)
    expect(await checkpointDue(a, day + 86_400_000)).toBe(false) // unchanged since Draft 2
  })

  it('made on two peers at once leave one checkpoint for the day', async () => {
    const [a, b] = [createDraftDoc(), createDraftDoc()]
    write(a, 'Text.')
    sync(a, b)
    await saveVersion(a, { name: 'Checkpoint', author: ana, now: day, kind: 'checkpoint' }, ORIGIN.local)
    await saveVersion(b, { name: 'Checkpoint', author: { ...ana, id: 'ben' }, now: day + 5, kind: 'checkpoint' }, ORIGIN.local)
    sync(a, b)
    expect(readVersions(a)).toEqual(readVersions(b))
    expect(readVersions(a).map((v) => v.kind)).toEqual(['checkpoint'])
  })
})
