import { describe, expect, it } from 'vitest'
import { inviteLink, parseInvite } from './invite.ts'
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

  it('rejects text that is not an invite, or one with no usable relay', () => {
    expect(parseInvite('https://example.org/')).toBeNull()
    expect(parseInvite('#join=not-base64-json')).toBeNull()
    expect(parseInvite(inviteLink('x', { ...invite, relays: [{ url: 'javascript:alert(1)' }] }))).toBeNull()
    expect(parseInvite(inviteLink('x', { ...invite, draftId: '../../etc' }))).toBeNull()
  })
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
