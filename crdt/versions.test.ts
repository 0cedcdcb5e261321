import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { content, createDraftDoc, versions } from './draft.ts'
import { newIdentity } from './identity.ts'
import { contentHash } from './canonical.ts'
import { checkpointDue, derivedVersionHash, readVersions, saveVersion, verifyVersion } from './versions.ts'
import { L, device, newDraft, sync, type Device } from './devices.testing.ts'

const ana = newIdentity()
const author = { id: ana.id, name: 'Ana', color: '#0f6b63' }
const write = (d: Device, text: string) => {
  const frag = content(d.doc)
  if (frag.length === 0) {
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText()])
    frag.insert(0, [p])
  }
  const t = (frag.get(0) as Y.XmlElement).get(0) as Y.XmlText
  t.insert(t.length, text)
}

describe('named versions', () => {
  it('appear on every device with the same hash, which each device re-derives itself', async () => {
    const { devices: [a, b] } = newDraft(ana, 'Ana', 1)
    write(a!, 'Draft one text.')
    const v = await saveVersion(a!.ledger, ana, { name: ' Draft 1 ', author, now: 5 }, L)
    expect(v.hash).toBe(await contentHash(a!.doc))
    write(a!, ' Edited after.')
    sync(a!, b!)
    expect(readVersions(b!.ledger)).toEqual(readVersions(a!.ledger))
    expect(readVersions(b!.ledger)[0]).toMatchObject({ name: 'Draft 1', signed: true, foreign: false, author: { name: 'Ana' } })
    for (const d of [a!, b!]) {
      const check = await verifyVersion(d.ledger, readVersions(d.ledger)[0]!)
      expect(check.ok).toBe(true)
      expect(check.hash).toBe(v.hash)
      expect(check.text).toBe('paragraph|Draft one text.\n')
      expect(derivedVersionHash(d.ledger, v.id)).toEqual({ state: 'ok', hash: v.hash })
    }
    expect(await contentHash(b!.doc)).not.toBe(v.hash)
  })

  it('a rewritten version record is refused and the signed one kept (and put back where this device may write)', async () => {
    const { devices: [a] } = newDraft(ana, 'Ana')
    const reader = device(a!.ledger.draftId, 'read-only', { repair: false })
    write(a!, 'Ratify this.')
    const v = await saveVersion(a!.ledger, ana, { name: 'Final', author, now: 1 }, L)
    sync(a!, reader)
    expect(readVersions(reader.ledger).map((x) => x.hash)).toEqual([v.hash])
    const stored = versions(reader.doc).get(v.id) as { record: Record<string, unknown>; snapshot: Uint8Array }
    versions(reader.doc).set(v.id, { ...stored, record: { ...stored.record, hash: 'f'.repeat(64) } })
    expect(readVersions(reader.ledger).map((x) => x.hash)).toEqual([v.hash])
    expect(reader.ledger.problems().map((p) => p.why).sort()).toEqual(['deleted from the shared document', 'its signature does not verify'])
    sync(reader, a!)
    expect(readVersions(a!.ledger).map((x) => x.hash)).toEqual([v.hash])
    expect((versions(a!.doc).get(v.id) as { record: { hash: string } }).record.hash).toBe(v.hash)
    await expect(saveVersion(a!.ledger, ana, { name: '  ', author, now: 2 }, L)).rejects.toThrow(/name/)
  })

  it('versions from before signing are shown as unsigned, with their format-1 hash still verifiable', async () => {
    const doc = createDraftDoc()
    const old = device('4f0c2a8e-9a51-4c43-8f43-1c2f0b5c9d11', 'old', {}, doc)
    write(old, 'Old text.')
    const snapshot = Y.encodeSnapshot(Y.snapshot(doc))
    const hash = await contentHash(doc, 1)
    versions(doc).set('v-old', { id: 'v-old', kind: 'named', name: 'Draft 1', author, created: 3, snapshot, hash, format: 1 })
    const [v] = readVersions(old.ledger)
    expect(v).toMatchObject({ id: 'v-old', signed: false, format: 1 })
    expect((await verifyVersion(old.ledger, v!)).ok).toBe(true)
    expect(derivedVersionHash(old.ledger, 'v-old')).toEqual({ state: 'ok', hash })
  })
})

describe('daily checkpoints', () => {
  const day = Date.UTC(2026, 10, 29, 9)
  it('are due once a day, only when the text changed since the newest version', async () => {
    const { devices: [a] } = newDraft(ana, 'Ana')
    expect(await checkpointDue(a!.ledger, day)).toBe(false) // nothing written yet
    write(a!, 'Text.')
    expect(await checkpointDue(a!.ledger, day)).toBe(true)
    await saveVersion(a!.ledger, ana, { name: 'Checkpoint', author, now: day, kind: 'checkpoint' }, L)
    write(a!, ' More.')
    expect(await checkpointDue(a!.ledger, day + 3_600_000)).toBe(false) // same day
    expect(await checkpointDue(a!.ledger, day + 86_400_000)).toBe(true)
    await saveVersion(a!.ledger, ana, { name: 'Draft 2', author, now: day + 86_000_000 }, L)
    expect(await checkpointDue(a!.ledger, day + 86_400_000)).toBe(false) // unchanged since Draft 2
  })

  it('made on two devices at once: every device shows the same one for the day', async () => {
    const ben = newIdentity()
    const { devices: [a, b] } = newDraft(ana, 'Ana', 1)
    write(a!, 'Text.')
    sync(a!, b!)
    await saveVersion(a!.ledger, ana, { name: 'Checkpoint', author, now: day, kind: 'checkpoint' }, L)
    await saveVersion(b!.ledger, ben, { name: 'Checkpoint', author: { ...author, id: ben.id }, now: day + 5, kind: 'checkpoint' }, L)
    sync(a!, b!)
    expect(readVersions(a!.ledger)).toEqual(readVersions(b!.ledger))
    expect(readVersions(a!.ledger).map((v) => v.kind)).toEqual(['checkpoint'])
  })
})
