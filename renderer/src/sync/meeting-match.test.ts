import { describe, expect, it } from 'vitest'
import { inviteMismatch, recognise, type Announced } from './meeting-match.ts'
import type { Invite } from './invite.ts'

/** crdt/meeting-session.test.ts's vector: what a host announces for this pin and room key. */
const VECTOR = {
  pin: 'sha256/qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq=',
  session: '7a33c60be2e6a0c5bc2644d8ad7c101a',
  roomKey: 'k'.repeat(43),
  draftId: 'draft-0123456789',
  recognitionKey: 'rlp_OcLxP7_wAtjIF5v8T_ieQB0nopmqO9q6fcGOK7k',
  tag: 'zI7MZkVV-ZwIfQAfwvp-0A',
}
const OTHER_PIN = `sha256/${'r'.repeat(43)}=`

const invite = (over: Partial<Invite> = {}): Invite => ({
  draftId: VECTOR.draftId, title: 'Rent and housing', key: VECTOR.roomKey,
  relays: [{ url: 'wss://192.168.1.20:41234', token: 'tok', pin: VECTOR.pin }, { url: 'wss://relay.example.org' }],
  ...over,
})
const privateHost: Announced = { session: VECTOR.session, private: true, tag: VECTOR.tag }
const openHost: Announced = { session: VECTOR.session, private: false, draftId: VECTOR.draftId }

describe('matching an announced meeting host', () => {
  it('recognises a private draft only with its room key', () => {
    const mine = { id: VECTOR.draftId, title: 'Rent and housing', roomKey: VECTOR.roomKey }
    const another = { id: 'draft-9999999999', title: 'Transport', roomKey: 'm'.repeat(43) }
    expect(recognise(privateHost, [another, mine])).toBe(mine)
    expect(recognise(privateHost, [another])).toBeNull()
    // The same draft id under another key (a crafted copy) is not it.
    expect(recognise(privateHost, [{ ...mine, roomKey: 'm'.repeat(43) }])).toBeNull()
    expect(recognise({ ...privateHost, tag: undefined }, [mine])).toBeNull()
    // An open draft is recognised by its announced id, and never as one of the private drafts here.
    expect(recognise(openHost, [mine])).toBeNull()
    expect(recognise(openHost, [{ id: VECTOR.draftId, title: 'Open copy' }])).toEqual({ id: VECTOR.draftId, title: 'Open copy' })
  })

  it('takes an invite only when one of its relays is pinned to the announced session', () => {
    expect(inviteMismatch(invite(), privateHost)).toBeNull()
    expect(inviteMismatch(invite({ key: undefined }), openHost)).toBeNull()
    expect(inviteMismatch(invite({ relays: [{ url: 'wss://192.168.1.20:41234', token: 'tok', pin: OTHER_PIN }] }), privateHost)).toMatch(/another meeting host, or an earlier hosting session/)
    expect(inviteMismatch(invite({ relays: [{ url: 'wss://relay.example.org' }] }), privateHost)).toMatch(/names no meeting host/)
    // An open host's announced draft must be the invite's too (an announcement may lie about it; the invite decides where to connect).
    expect(inviteMismatch(invite(), { ...openHost, draftId: 'draft-other-0000' })).toBe('That invite is for another draft.')
  })
})
