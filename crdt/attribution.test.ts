import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { content, createDraftDoc } from './draft.ts'
import { ORIGIN } from './origins.ts'
import { ROOT } from './format.ts'
import { flushAttribution, personOf, readAttribution, recordAttribution } from './attribution.ts'
import { sync } from './testing.ts'

const ana = { id: 'ana', name: 'Ana', color: '#0f6b63' }
const ben = { id: 'ben', name: 'Ben', color: '#9d174d' }
const textOf = (doc: Y.Doc): Y.XmlText => {
  const frag = content(doc)
  if (frag.length === 0) {
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText()])
    frag.insert(0, [p])
  }
  return (frag.get(0) as Y.XmlElement).get(0) as Y.XmlText
}
const copyOf = (doc: Y.Doc) => {
  const copy = createDraftDoc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/** The changes between two snapshots as "+word(member)" / "-word(member)" runs, as the compare view reads them. */
const changes = (doc: Y.Doc, from: Y.Snapshot, to: Y.Snapshot): string[] => {
  const copy = copyOf(doc)
  const pud = readAttribution(copy)
  const delta = textOf(copy).toDelta(to, from, (type: 'added' | 'removed', id: Y.ID) => ({
    type, user: type === 'added' ? pud.getUserByClientId(id.client) : pud.getUserByDeletedId(id),
  })) as Array<{ insert: string; attributes?: { ychange?: { type: string; user: string | null } } }>
  return delta.filter((d) => d.attributes?.ychange).map((d) => `${d.attributes!.ychange!.type === 'added' ? '+' : '-'}${d.insert}(${d.attributes!.ychange!.user})`)
}

describe('attribution', () => {
  it('names who added and who deleted each word between two snapshots, on every peer', () => {
    const [a, b] = [createDraftDoc(), createDraftDoc()]
    const recA = recordAttribution(a, ana, ORIGIN.local)
    const recB = recordAttribution(b, ben, ORIGIN.local)
    textOf(a).insert(0, 'Housing for all.')
    sync(a, b)
    const before = Y.snapshot(a)
    textOf(b).delete(8, 4) // Ben deletes "for "
    textOf(b).insert(8, 'is a right for ')
    textOf(a).insert(16, ' Now.')
    recA.flush(); recB.flush()
    sync(a, b)
    for (const doc of [a, b]) {
      expect(changes(doc, before, Y.snapshot(doc))).toEqual(['-for (ben)', '+is a right for (ben)', '+ Now.(ana)'])
    }
    expect(personOf(b, 'ana')).toEqual(ana)
    recA.stop(); recB.stop()
  })

  it('records nothing for remote transactions, and a renamed member keeps one history', () => {
    const [a, b] = [createDraftDoc(), createDraftDoc()]
    const rec = recordAttribution(a, ana, ORIGIN.local)
    textOf(a).insert(0, 'Free transit.')
    sync(a, b)
    const before = Y.snapshot(a)
    textOf(a).delete(0, 5)
    rec.flush()
    sync(a, b)
    // Ben's device applied Ana's deletion but it is hers, not his.
    const users = b.getMap(ROOT.users)
    expect([...users.keys()]).toEqual(['ana'])
    recordAttribution(b, { ...ana, name: 'Ana María' }, ORIGIN.local)
    expect(personOf(b, 'ana')?.name).toBe('Ana María')
    expect(changes(b, before, Y.snapshot(b))).toEqual(['-Free (ana)'])
  })

  it('gathers a burst of deletions into one entry, written when the batch window closes', async () => {
    const a = createDraftDoc()
    const rec = recordAttribution(a, ana, ORIGIN.local, 20)
    textOf(a).insert(0, 'abcdef')
    const before = Y.snapshot(a)
    for (let i = 0; i < 5; i++) textOf(a).delete(0, 1)
    const ds = () => ((a.getMap(ROOT.users).get('ana') as Y.Map<unknown>).get('ds') as Y.Array<unknown>).length
    expect(ds()).toBe(0)
    await new Promise((r) => setTimeout(r, 60))
    expect(ds()).toBe(1)
    expect(changes(a, before, Y.snapshot(a))).toEqual(['-abcde(ana)'])
    rec.stop()
  })

  it('reads around malformed entries a hostile peer wrote', () => {
    const a = createDraftDoc()
    recordAttribution(a, ana, ORIGIN.local)
    const before = Y.snapshot(a)
    textOf(a).insert(0, 'Text.')
    a.getMap(ROOT.users).set('mallory', 'not a record')
    const junk = new Y.Map<unknown>()
    a.getMap(ROOT.users).set('eve', junk)
    junk.set('ids', new Y.Array())
    junk.set('ds', Y.Array.from([new Uint8Array([255, 255, 255]), 'x']))
    expect(changes(a, before, Y.snapshot(a))).toEqual(['+Text.(ana)'])
  })

  it('a deletion compared within the batch window is credited once the draft is flushed (flushAttribution)', () => {
    const doc = createDraftDoc()
    const recorder = recordAttribution(doc, ana, ORIGIN.local, 60_000)
    doc.transact(() => textOf(doc).insert(0, 'keep drop'), 'typing')
    const before = Y.snapshot(doc)
    doc.transact(() => textOf(doc).delete(5, 4), 'typing')
    const after = Y.snapshot(doc)
    // Still gathering: nobody is on record for the deletion.
    expect(changes(doc, before, after)).toEqual(['-drop(null)'])
    flushAttribution(doc)
    expect(changes(doc, before, after)).toEqual(['-drop(ana)'])
    recorder.stop()
  })

})
