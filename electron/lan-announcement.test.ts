import { describe, expect, it } from 'vitest'
import { announcementFor } from './lan-announcement.ts'
import { readAnnouncement } from './lan-discovery.ts'
import { UNTITLED } from '../crdt/title.ts'

/**
 * What a meeting host tells everyone on the network. The session and tag are
 * crdt/meeting-session.test.ts's vector, which the page matches with.
 */
const VECTOR = {
  pin: 'sha256/qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq=',
  session: '7a33c60be2e6a0c5bc2644d8ad7c101a',
  /** recognitionKey('k' × 43, 'draft-0123456789') */
  recognitionKey: 'rlp_OcLxP7_wAtjIF5v8T_ieQB0nopmqO9q6fcGOK7k',
  tag: 'zI7MZkVV-ZwIfQAfwvp-0A',
}

const hosted = { draftId: 'draft-0123456789', title: 'Rent and housing', member: 'Ana Oyelaran', port: 41234, pin: VECTOR.pin }
/** Everything an announcement puts on the network, as one string. */
const onTheWire = (a: ReturnType<typeof announcementFor>) => JSON.stringify([a.name, a.host, a.port, a.txt])

describe('the announcement of a meeting host', () => {
  it('for a private draft names neither the draft, nor its title, nor the member, nor the laptop', () => {
    const a = announcementFor({ ...hosted, private: true, recognitionKey: VECTOR.recognitionKey })
    expect(a.txt).toEqual({ v: '2', s: VECTOR.session, private: '1', tag: VECTOR.tag })
    expect(a.name).toBe(`Plank meeting ${VECTOR.session.slice(0, 8)}`)
    expect(a.host).toBe(`plank-${VECTOR.session.slice(0, 12)}.local`)
    for (const secret of ['draft-0123456789', 'Rent', 'housing', 'Ana', 'Oyelaran']) expect(onTheWire(a)).not.toContain(secret)
    // The tag is the session's, under a key only room-key holders can derive: another session, another tag.
    const later = announcementFor({ ...hosted, pin: `sha256/${'r'.repeat(43)}=`, private: true, recognitionKey: VECTOR.recognitionKey })
    expect(later.txt.tag).not.toBe(a.txt.tag)
    expect(later.txt.s).not.toBe(a.txt.s)
  })

  it('for an open draft shows its title and whose laptop, with the same session to match', () => {
    const a = announcementFor({ ...hosted, private: false })
    expect(a.txt).toEqual({ v: '2', s: VECTOR.session, private: '0', draft: 'draft-0123456789', title: 'Rent and housing', member: 'Ana Oyelaran' })
    expect(a.name).toBe('Ana Oyelaran · Rent and housing · 41234')
    expect(a.host).toBe(`plank-${VECTOR.session.slice(0, 12)}.local`)
  })

  it('is read back by a joiner as it was meant, and anything else is dropped', () => {
    const service = (txt: Record<string, string>, over: object = {}) => ({ name: 'x', port: 41234, addresses: ['10.0.0.2', 'fe80::1'], txt, ...over }) as never
    const priv = announcementFor({ ...hosted, private: true, recognitionKey: VECTOR.recognitionKey })
    expect(readAnnouncement(service(priv.txt))).toEqual({ id: 'x', session: VECTOR.session, port: 41234, addresses: ['wss://10.0.0.2:41234'], private: true, tag: VECTOR.tag })
    const open = announcementFor({ ...hosted, private: false })
    expect(readAnnouncement(service(open.txt))).toEqual({ id: 'x', session: VECTOR.session, port: 41234, addresses: ['wss://10.0.0.2:41234'], private: false, member: 'Ana Oyelaran', title: 'Rent and housing', draftId: 'draft-0123456789' })
    // An older Plank's plain ws:// announcement cannot be joined safely: not listed.
    expect(readAnnouncement(service({ v: '1', draft: 'd1', title: 'T', member: 'Ana', private: '0' }))).toBeNull()
    expect(readAnnouncement(service({ ...open.txt, s: 'not-hex' }))).toBeNull()
    expect(readAnnouncement(service({ ...open.txt, draft: '../x' }))).toBeNull()
    expect(readAnnouncement(service(open.txt, { port: 70000 }))).toBeNull()
    expect(readAnnouncement(service(open.txt, { addresses: ['fe80::1'] }))).toBeNull()
    expect(readAnnouncement(service({ ...open.txt, member: 'x'.repeat(500), title: '' }))).toMatchObject({ member: 'x'.repeat(60), title: UNTITLED })
    // A tag of the wrong shape is dropped; the host is still listed, unrecognised.
    expect(readAnnouncement(service({ ...priv.txt, tag: '<script>' }))).toEqual({ id: 'x', session: VECTOR.session, port: 41234, addresses: ['wss://10.0.0.2:41234'], private: true })
    // Whatever is not "0" is private: an announcement cannot make a host look open by mistake.
    expect(readAnnouncement(service({ ...open.txt, private: 'maybe' }))).toMatchObject({ private: true })
  })
})
