import { describe, expect, it } from 'vitest'
import { type Invite, INVITE_FRAGMENT, decodeInvite, inviteLink } from './invite-format.ts'

const payloadOf = (link: string) => link.slice(link.indexOf(INVITE_FRAGMENT) + INVITE_FRAGMENT.length)
const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const invite: Invite = {
  draftId: '4f0c2a8e-9a51-4c43-8f43-1c2f0b5c9d11', title: 'Platform « Leeds »',
  relays: [{ url: 'wss://relay.example.org' }, { url: 'ws://192.168.1.20:1234', token: 'abc_-123' }, { url: 'wss://192.168.1.20:41234', token: 't', pin: `sha256/${'q'.repeat(43)}=` }],
  key: 'k'.repeat(43), invitation: 'i'.repeat(43), root: 'ab'.repeat(32),
}
const written = { v: 1, d: invite.draftId, r: invite.relays, t: invite.title }

describe('the one invite decoder', () => {
  it('reads back every field the writer writes, pins and an older draft’s founding entry included', () => {
    expect(decodeInvite(payloadOf(inviteLink('plank://join', invite)))).toEqual({ ok: true, invite })
    const { key: _k, invitation: _i, root: _o, ...plain } = invite
    expect(decodeInvite(payloadOf(inviteLink('http://127.0.0.1:4455/#old', plain)))).toEqual({ ok: true, invite: plain })
  })

  it.each([
    ['bytes that are not base64url JSON', 'not*base64', 'unreadable'],
    ['a JSON array', raw([1, 2]), 'unreadable'],
    ['a later format', raw({ ...written, v: 2 }), 'newer'],
    ['no version', raw({ ...written, v: undefined }), 'version'],
    ['a draft id that is a path', raw({ ...written, d: '../../etc/passwd' }), 'draft'],
    ['no relays', raw({ ...written, r: [] }), 'relays'],
    ['relays that are not a list', raw({ ...written, r: 'wss://relay.example.org' }), 'relays'],
    ['a relay without an address', raw({ ...written, r: [{ token: 't' }] }), 'relays'],
    ['a token that is not text', raw({ ...written, r: [{ url: 'wss://relay.example.org', token: 5 }] }), 'relays'],
    // A pin that does not read refuses the invite: dropping it would dial the meeting host unpinned.
    ['a pin cut short', raw({ ...written, r: [{ url: 'wss://192.168.1.20:41234', pin: `sha256/${'q'.repeat(40)}=` }] }), 'pin'],
    ['a pin of another hash', raw({ ...written, r: [{ url: 'wss://192.168.1.20:41234', pin: `sha1/${'q'.repeat(43)}=` }] }), 'pin'],
    ['a pin on a ws:// address', raw({ ...written, r: [{ url: 'ws://192.168.1.20:41234', pin: `sha256/${'q'.repeat(43)}=` }] }), 'pin'],
    ['a damaged pin beside a good relay', raw({ ...written, r: [{ url: 'wss://relay.example.org' }, { url: 'wss://192.168.1.20:41234', pin: 42 }] }), 'pin'],
    ['a title that is not text', raw({ ...written, t: { x: 1 } }), 'title'],
    ['a key cut short', raw({ ...written, k: 'k'.repeat(42) }), 'key'],
    ['an invitation with a slash', raw({ ...written, i: `${'i'.repeat(41)}/x` }), 'invitation'],
    ['a founding entry that is no record id', raw({ ...written, o: 'AB'.repeat(32) }), 'root'],
  ])('refuses %s', (_what, payload, problem) => {
    expect(decodeInvite(payload)).toEqual({ ok: false, problem })
  })
})
