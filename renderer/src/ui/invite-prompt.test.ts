import { describe, expect, it } from 'vitest'
import { inviteChanges } from './invite-prompt.ts'
import type { DraftEntry } from '../workspace/workspace.ts'

const KEY = 'a'.repeat(43)
const OTHER = 'b'.repeat(43)
const entry = (over: Partial<DraftEntry> = {}): DraftEntry => ({ id: 'draft-0123456789', title: 'Platform', created: 0, updated: 0, relays: [{ url: 'wss://one.example' }], roomKey: KEY, ...over })
const invite = (over: object = {}) => ({ draftId: 'draft-0123456789', title: 'Platform', relays: [{ url: 'wss://one.example' }], key: KEY, ...over })

describe('what an invite link would change', () => {
  it('a draft not here is new, with all its relays', () => {
    expect(inviteChanges(invite(), undefined)).toEqual({ isNew: true, newRelays: [{ url: 'wss://one.example' }], otherKey: false })
  })

  it('the same link again changes nothing', () => {
    expect(inviteChanges(invite(), entry())).toEqual({ isNew: false, newRelays: [], otherKey: false })
    // A link without a key leaves a private draft's key alone.
    expect(inviteChanges(invite({ key: undefined }), entry())).toEqual({ isNew: false, newRelays: [], otherKey: false })
  })

  it('names the relays it would add and a key other than the one held', () => {
    expect(inviteChanges(invite({ relays: [{ url: 'wss://one.example' }, { url: 'wss://two.example' }] }), entry())).toEqual({ isNew: false, newRelays: [{ url: 'wss://two.example' }], otherKey: false })
    expect(inviteChanges(invite({ key: OTHER }), entry()).otherKey).toBe(true)
    // A key for an open draft would make it private under a key someone else chose.
    expect(inviteChanges(invite(), entry({ roomKey: undefined })).otherKey).toBe(true)
  })

  it('a meeting host’s address with another certificate pin (a later hosting session) is a relay it would change', () => {
    const PIN = `sha256/${'q'.repeat(43)}=`
    const LATER = `sha256/${'r'.repeat(43)}=`
    const host = { url: 'wss://192.168.1.20:41234', token: 't', pin: PIN }
    expect(inviteChanges(invite({ relays: [host] }), entry({ relays: [host] })).newRelays).toEqual([])
    expect(inviteChanges(invite({ relays: [{ ...host, pin: LATER }] }), entry({ relays: [host] })).newRelays).toEqual([{ ...host, pin: LATER }])
  })
})
