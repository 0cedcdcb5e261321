import { describe, expect, it } from 'vitest'
import { inviteLink, parseInvite, readInvite } from './invite.ts'
import { normaliseRelayUrl } from './relays.ts'

describe('invite links', () => {
  const invite = {
    draftId: '4f0c2a8e-9a51-4c43-8f43-1c2f0b5c9d11',
    relays: [{ url: 'wss://relay.example.org' }, { url: 'ws://192.168.1.20:1234', token: 'abc_-123' }],
    title: 'The People’s Platform — Leeds',
  }

  it('round-trips draft, relays, tokens and a non-ASCII title', () => {
    const link = inviteLink('http://127.0.0.1:4455/index.html#old', invite)
    expect(link.startsWith('http://127.0.0.1:4455/index.html#join=')).toBe(true)
    expect(parseInvite(link)).toEqual(invite)
    expect(parseInvite(`  ${link.slice(link.indexOf('#'))}  `)).toEqual(invite)
  })

  it('carries the founding entry an older draft’s link names, for a draft id that commits to none', () => {
    const withRoot = { ...invite, root: 'ab'.repeat(32) }
    expect(parseInvite(inviteLink('x', withRoot))).toEqual(withRoot)
  })

  it('rejects text that is not an invite, or one with no usable relay', () => {
    expect(parseInvite('https://example.org/')).toBeNull()
    expect(parseInvite('#join=not-base64-json')).toBeNull()
    expect(parseInvite(inviteLink('x', { ...invite, relays: [{ url: 'javascript:alert(1)' }] }))).toBeNull()
    expect(parseInvite(inviteLink('x', { ...invite, draftId: '../../etc' }))).toBeNull()
  })
})

describe('a meeting host’s certificate pin in an invite', () => {
  const PIN = `sha256/${'q'.repeat(43)}=`
  const meeting = {
    draftId: '4f0c2a8e-9a51-4c43-8f43-1c2f0b5c9d11', title: 'Platform',
    relays: [{ url: 'wss://192.168.1.20:41234', token: 'tok', pin: PIN }, { url: 'wss://relay.example.org' }],
  }
  const raw = (relays: unknown[]) => `#join=${btoa(JSON.stringify({ v: 1, d: meeting.draftId, r: relays, t: 'Platform' })).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`

  it('travels with its relay, and an invite without pins (a normal relay) reads as before', () => {
    expect(parseInvite(inviteLink('plank://join', meeting))).toEqual(meeting)
    expect(parseInvite(raw([{ url: 'wss://relay.example.org', token: 't' }]))).toEqual({ draftId: meeting.draftId, title: 'Platform', relays: [{ url: 'wss://relay.example.org', token: 't' }] })
  })

  it.each([
    ['a pin cut short', [{ url: 'wss://192.168.1.20:41234', pin: PIN.slice(0, -5) }]],
    ['a pin of another kind', [{ url: 'wss://192.168.1.20:41234', pin: PIN.replace('sha256', 'sha1') }]],
    ['a pin that is not text', [{ url: 'wss://192.168.1.20:41234', pin: 42 }]],
    ['a pin on a ws:// address (nothing to pin)', [{ url: 'ws://192.168.1.20:41234', pin: PIN }]],
    ['a damaged pin beside a good relay', [{ url: 'wss://relay.example.org' }, { url: 'wss://192.168.1.20:41234', pin: 'x' }]],
  ])('refuses the whole invite for %s, so no host is dialled unpinned', (_what, relays) => {
    const reading = readInvite(raw(relays))
    expect(reading.ok).toBe(false)
    expect(reading.ok ? '' : reading.reason).toMatch(/certificate fingerprint in this invite link is damaged/)
  })
})

describe('a link that cannot be used says why', () => {
  const link = inviteLink('http://127.0.0.1:4455/', { draftId: '4f0c2a8e-9a51-4c43-8f43-1c2f0b5c9d11', relays: [{ url: 'wss://relay.example.org' }], title: 'Platform', key: 'A'.repeat(43) })
  const reason = (text: string) => { const r = readInvite(text); return r.ok ? 'ok' : r.reason }

  it('reads a whole link', () => expect(reason(link)).toBe('ok'))
  it.each([
    ['a link cut short', link.slice(0, link.length - 30), /incomplete or damaged/],
    ['a link cut in the middle of its data', link.slice(0, link.indexOf('#join=') + 20), /incomplete or damaged/],
    ['an ordinary web address', 'https://example.org/', /not a Plank invite link/],
    ['nothing', '  ', /Paste the invite link/],
    ['a newer Plank', inviteLink('x', { draftId: '4f0c2a8e-9a51', relays: [], title: '' }).replace(/#join=.*/, `#join=${btoa(JSON.stringify({ v: 2, d: 'x' }))}`), /newer version of Plank/],
    ['no relay', inviteLink('x', { draftId: '4f0c2a8e-9a51', relays: [{ url: 'javascript:alert(1)' }], title: '' }), /names no relay/],
    ['a damaged key', inviteLink('x', { draftId: '4f0c2a8e-9a51', relays: [{ url: 'wss://r.example' }], title: '', key: 'short' }), /key in this invite link is damaged/],
    // Trusting a wrong founder would make the device refuse the draft's real one: refused, not ignored.
    ['a damaged founding entry', inviteLink('x', { draftId: '4f0c2a8e-9a51', relays: [{ url: 'wss://r.example' }], title: '', root: 'not-a-hash' }), /incomplete or damaged/],
  ])('%s', (_what, text, expected) => expect(reason(text)).toMatch(expected))
})

describe('normaliseRelayUrl', () => {
  it.each([
    ['relay.example.org', 'wss://relay.example.org'],
    ['https://relay.example.org/', 'wss://relay.example.org'],
    ['http://127.0.0.1:4455', 'ws://127.0.0.1:4455'],
    ['ws://10.0.0.5:1234/plank', 'ws://10.0.0.5:1234/plank'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseRelayUrl(input)).toBe(expected)
  })

  it.each(['', 'ftp://x', 'wss://user:pw@relay.example.org', 'javascript:alert(1)'])('refuses %s', (input) => {
    expect(normaliseRelayUrl(input)).toBeNull()
  })
})
