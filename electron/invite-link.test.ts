import { describe, expect, it } from 'vitest'
import { MAX_INVITE_LINK_LENGTH, linksInArgv, readInviteLink } from './invite-link.ts'
// The format's owner: the link the desktop app writes must be the link main accepts.
import { inviteLink } from '../crdt/invite-format.ts'

const KEY = 'k'.repeat(43)
const PIN = `sha256/${'q'.repeat(43)}=`
const payload = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const link = (value: unknown) => `plank://join#join=${payload(value)}`
const invite = { v: 1, d: 'draft-0123456789', r: [{ url: 'wss://relay.example.org', token: 'tok' }], t: 'Our platform', k: KEY }

describe('reading a plank:// invite link', () => {
  it('accepts the link the desktop app writes, in its canonical form', () => {
    const written = inviteLink('plank://join', { draftId: 'draft-0123456789', relays: [{ url: 'wss://relay.example.org' }, { url: 'ws://10.0.0.2:4455', token: 't' }, { url: 'wss://10.0.0.3:41234', token: 't', pin: PIN }], title: 'Platform « 2025 » — ünïcode', key: KEY, invitation: 'i'.repeat(43), root: 'ab'.repeat(32) })
    expect(readInviteLink(written)).toEqual({ ok: true, link: written })
  })

  it('tolerates a trailing slash and a capitalised scheme, and hands on only the canonical link', () => {
    const p = payload(invite)
    expect(readInviteLink(`plank://join/#join=${p}`)).toEqual({ ok: true, link: `plank://join#join=${p}` })
    expect(readInviteLink(`PLANK://join#join=${p}`)).toEqual({ ok: true, link: `plank://join#join=${p}` })
  })

  it.each([
    ['not text', 42, 'it is not text'],
    ['too long', `plank://join#join=${'A'.repeat(MAX_INVITE_LINK_LENGTH)}`, 'it is too long'],
    ['with a space', `plank://join#join=${payload(invite)} --inspect`, 'it contains characters an invite never has'],
    ['with a newline', `plank://join#join=${payload(invite)}\n`, 'it contains characters an invite never has'],
    ['with non-ASCII', `plank://join#join=${payload(invite)}é`, 'it contains characters an invite never has'],
    ['another scheme', `https://evil.example/#join=${payload(invite)}`, 'it is not a plank:// link'],
    ['the app itself', 'plank://app/index.html', 'it is not an invite link'],
    ['another host', `plank://joinx#join=${payload(invite)}`, 'it is not an invite link'],
    ['a login', `plank://user:pw@join#join=${payload(invite)}`, 'it is not an invite link'],
    ['a port', `plank://join:80#join=${payload(invite)}`, 'it is not an invite link'],
    ['a path', `plank://join/../etc#join=${payload(invite)}`, 'it is not an invite link'],
    ['a query', `plank://join?open=file#join=${payload(invite)}`, 'it is not an invite link'],
    ['no invite', 'plank://join', 'it holds no invite'],
    ['another fragment', 'plank://join#open=x', 'it holds no invite'],
    ['base64 with padding', `plank://join#join=${payload(invite)}==`, 'its invite is damaged'],
    ['not JSON', `plank://join#join=${Buffer.from('{nope').toString('base64url')}`, 'its invite cannot be read'],
    ['a JSON array', link([1, 2]), 'its invite cannot be read'],
    ['another version', link({ ...invite, v: 2 }), 'it is an invite of another version'],
    ['a bad draft id', link({ ...invite, d: '../../etc/passwd' }), 'it names no draft'],
    ['no relays', link({ ...invite, r: [] }), 'its relays are not relay addresses'],
    ['an http relay', link({ ...invite, r: [{ url: 'http://relay.example.org' }] }), 'its relays are not relay addresses'],
    ['a script relay', link({ ...invite, r: [{ url: 'javascript:alert(1)' }] }), 'its relays are not relay addresses'],
    ['too many relays', link({ ...invite, r: Array.from({ length: 21 }, (_, i) => ({ url: `wss://r${i}.example.org` })) }), 'its relays are not relay addresses'],
    ['a non-text token', link({ ...invite, r: [{ url: 'wss://relay.example.org', token: 5 }] }), 'its relays are not relay addresses'],
    ['a title that is not text', link({ ...invite, t: { x: 1 } }), 'its title is not text'],
    ['a damaged key', link({ ...invite, k: 'short' }), 'its key is damaged'],
    ['a damaged invitation', link({ ...invite, i: 'x/y' }), 'its invitation is damaged'],
    ['a damaged founding entry', link({ ...invite, o: 'not-a-hash' }), 'its founding entry is damaged'],
    ['a damaged certificate pin', link({ ...invite, r: [{ url: 'wss://10.0.0.3:41234', pin: 'sha256/short' }] }), 'the certificate fingerprint of its meeting host is damaged'],
    ['a pin that is not text', link({ ...invite, r: [{ url: 'wss://10.0.0.3:41234', pin: ['x'] }] }), 'the certificate fingerprint of its meeting host is damaged'],
    ['a pin on a ws:// relay', link({ ...invite, r: [{ url: 'ws://10.0.0.3:41234', pin: PIN }] }), 'the certificate fingerprint of its meeting host is damaged'],
  ])('refuses %s', (_name, raw, reason) => {
    expect(readInviteLink(raw)).toEqual({ ok: false, reason })
  })

  it('finds the links among a launch’s arguments, leaving switches and paths alone', () => {
    const l = link(invite)
    expect(linksInArgv(['/opt/Plank/plank', '--no-sandbox', l])).toEqual([l])
    expect(linksInArgv(['C:\\Plank\\Plank.exe', '--allow-file-access-from-files', 'PLANK://join#x'])).toEqual(['PLANK://join#x'])
    expect(linksInArgv(['/usr/bin/electron', '.', `--flag=${l}`])).toEqual([])
  })
})
