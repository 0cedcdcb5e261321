import { describe, expect, it } from 'vitest'
import * as prng from 'lib0/prng'
import { fromBase64, fromBase64Url, toBase64, toBase64Url } from './base64.ts'

describe('bytes as base64url and base64', () => {
  it('round-trip every length and byte, and agree with Node’s own encoders', () => {
    const gen = prng.create(22)
    for (let length = 0; length < 70; length++) {
      const bytes = prng.uint8Array(gen, length)
      expect(toBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'))
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'))
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes)
      expect(fromBase64(toBase64(bytes))).toEqual(bytes)
    }
  })

  // lib0 decodes with Node's Buffer here, which skips what it cannot read: a damaged key
  // would come back as other bytes instead of being refused, as a browser's atob refuses it.
  it.each([
    ['a character outside the alphabet', 'AAAA*AAA'],
    ['white space', 'AAAA AAA'],
    ['standard base64 characters', 'AA+/AAAA'],
    ['padding', 'AAAAAA=='],
    ['a length no encoding has', 'AAAAA'],
  ])('refuse base64url with %s', (_what, text) => {
    expect(fromBase64Url(text)).toBeNull()
  })

  it('read base64 padded or not, and refuse what is not base64', () => {
    expect(fromBase64('AAE=')).toEqual(Uint8Array.from([0, 1]))
    expect(fromBase64('AAE')).toEqual(Uint8Array.from([0, 1]))
    expect(fromBase64('AA-_')).toBeNull()
    expect(fromBase64('AAE==x')).toBeNull()
  })
})
