import * as Y from 'yjs'
import { createDraftDoc } from './draft.ts'
import { ORIGIN } from './origins.ts'
import { type Identity, newIdentity } from './identity.ts'
import { Ledger, type LedgerOptions } from './ledger.ts'
import { MemoryRecordStore } from './record-store.ts'
import { acceptInvitation, foundDraft, inviteMembers } from './roster.ts'

/**
 * For tests of the signed logs: devices (a draft doc, and a ledger with its own store,
 * as each member's app has) that sync whole states with each other.
 */
export interface Device { doc: Y.Doc; ledger: Ledger; store: MemoryRecordStore; name: string }

export const L = ORIGIN.local

export const device = (draftId: string, name = 'device', opts: LedgerOptions = {}, doc: Y.Doc = createDraftDoc()): Device => {
  const store = (opts.store as MemoryRecordStore | undefined) ?? new MemoryRecordStore()
  return { doc, ledger: new Ledger(doc, draftId, { repair: true, ...opts, store }), store, name }
}

/** Exchange everything between every pair, as relays eventually do. */
export const sync = (...devices: Array<{ doc: Y.Doc }>): void => {
  for (const a of devices) for (const b of devices) if (a !== b) Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)))
  // Repairs made while reading may have written: pass them on too.
  for (const d of devices) (d as Partial<Device>).ledger?.refresh()
  for (const a of devices) for (const b of devices) if (a !== b) Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)))
}

/** A new draft founded on one device; the same draft opened on `more` other devices. */
export const newDraft = (founder: Identity, founderName: string, more = 0, now = 1) => {
  const doc = createDraftDoc()
  const draftId = foundDraft(doc, founder, founderName, now, L)
  const first = device(draftId, 'device 0', {}, doc)
  const others = Array.from({ length: more }, (_, i) => device(draftId, `device ${i + 1}`))
  sync(first, ...others)
  return { draftId, devices: [first, ...others] }
}

/** Ana founds; the others join with one invitation, on the first device. */
export const committee = (names: string[], more = 2) => {
  const people = names.map(() => newIdentity())
  const { draftId, devices } = newDraft(people[0]!, names[0]!, 0)
  const first = devices[0]!
  const secret = inviteMembers(first.ledger, people[0]!, { role: 'member', max: 100, now: 2 }, L)
  people.slice(1).forEach((p, i) => acceptInvitation(first.ledger, p, { secret, name: names[i + 1]!, now: 3 + i }, L))
  const others = Array.from({ length: more }, (_, i) => device(draftId, `device ${i + 1}`))
  sync(first, ...others)
  return { draftId, people, secret, devices: [first, ...others] }
}

export const names = (d: Device) => d.ledger.roster().members.map((m) => `${m.name}:${m.role}`)

const ledgers = new WeakMap<Y.Doc, Ledger>()
/**
 * The one ledger of a plain doc, for tests of amendments and chapters that need signed
 * decisions but no roster (a draft without one, where every signed record counts).
 */
export const ledgerOf = (doc: Y.Doc, draftId = 'test-draft-without-roster'): Ledger => {
  let ledger = ledgers.get(doc)
  if (!ledger) ledgers.set(doc, (ledger = new Ledger(doc, draftId)))
  return ledger
}
