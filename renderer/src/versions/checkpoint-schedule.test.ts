import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { Ledger, content, createDraftDoc, foundDraft, newIdentity, readVersions, ORIGIN } from '../../../crdt/index.ts'
import { CHECKPOINT_INTERVAL_MS, FIRST_CHECK_MS, scheduleCheckpoints } from './checkpoint-schedule.ts'

const identity = newIdentity()
const ana = { id: identity.id, name: 'Ana', color: '#0f6b63' }
const day = (t: number) => new Date(t).toISOString().slice(0, 10)
const write = (doc: Y.Doc, text: string) => {
  const p = new Y.XmlElement('paragraph')
  p.insert(0, [new Y.XmlText(text)])
  content(doc).insert(content(doc).length, [p])
}

describe('daily checkpoints while a draft is open', () => {
  afterEach(() => { vi.useRealTimers() })

  it('saves one a day on days the text changed, and none while the draft cannot be edited', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] })
    let now = Date.UTC(2026, 10, 29, 8)
    const doc = createDraftDoc()
    const ledger = new Ledger(doc, foundDraft(doc, identity, 'Ana', now, ORIGIN.local))
    write(doc, 'Housing.')
    let editable = false
    const schedule = scheduleCheckpoints(ledger, () => ({ author: ana, identity }), () => editable, () => now)
    /** Let the timers fire, then the check they started (hashing is async) finish. */
    const advance = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms)
      await schedule.settled()
    }
    await advance(FIRST_CHECK_MS)
    expect(readVersions(ledger)).toEqual([])
    editable = true
    await advance(CHECKPOINT_INTERVAL_MS)
    expect(readVersions(ledger).map((v) => [day(v.created), v.kind])).toEqual([['2026-11-29', 'checkpoint']])
    write(doc, 'Health.')
    await advance(CHECKPOINT_INTERVAL_MS)
    expect(readVersions(ledger)).toHaveLength(1) // the same day
    now += 86_400_000
    await advance(CHECKPOINT_INTERVAL_MS)
    expect(readVersions(ledger).map((v) => day(v.created))).toEqual(['2026-11-29', '2026-11-30'])
    now += 86_400_000
    await advance(CHECKPOINT_INTERVAL_MS)
    expect(readVersions(ledger)).toHaveLength(2) // nothing changed that day
    schedule.stop()
  })
})
