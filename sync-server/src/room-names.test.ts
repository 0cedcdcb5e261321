import { describe, expect, it } from 'vitest'
import * as prng from 'lib0/prng'
import { MAX_ROOM_NAME_BYTES, parseUpgradeTarget, roomNameProblem } from './room-names.ts'
import { decodePercent } from './request-target.ts'

const roomOf = (target: string | undefined) => parseUpgradeTarget(target).room

describe('room names from upgrade targets', () => {
  it('reads the names stock clients send, as y-websocket and the URL parser put them in the path', () => {
    expect(roomOf('/test-@y/websocket')).toBe('test-@y/websocket')
    expect(roomOf('/my%20draft')).toBe('my draft')
    expect(roomOf('/Gr%C3%BC%C3%9Fe-%E2%82%AC')).toBe('Grüße-€')
    expect(roomOf('/100%')).toBe('100%')
    expect(roomOf('/draft-2f9c?token=abc')).toBe('draft-2f9c')
  })

  it('keeps escapes that are not valid UTF-8 as written, instead of throwing', () => {
    expect(roomOf('/%FF')).toBe('%FF')
    expect(roomOf('/%ED%A0%80')).toBe('%ED%A0%80') // an encoded surrogate
    expect(roomOf('/%E2%82')).toBe('%E2%82') // a character cut short
    expect(roomOf('/%C3%BC%FF%C3%9F')).toBe('ü%FFß')
    expect(roomOf('/%C0%AF')).toBe('%C0%AF') // an overlong '/'
    expect(roomOf('/%zz%')).toBe('%zz%')
    expect(roomOf('/%%41')).toBe('%A')
  })

  it('reads odd request targets without throwing', () => {
    expect(roomOf('//')).toBe('/')
    expect(roomOf('*')).toBe('*')
    expect(roomOf('')).toBe('')
    expect(roomOf(undefined)).toBe('')
    expect(parseUpgradeTarget('ws://relay.example:1234/room?token=t')).toEqual({ room: 'room', token: 't' })
    expect(parseUpgradeTarget('//evil/room')).toEqual({ room: '/evil/room', token: null })
    expect(parseUpgradeTarget('/room?token=%')).toEqual({ room: 'room', token: '%' })
    expect(parseUpgradeTarget('/room?token=%ZZ&token=second')).toEqual({ room: 'room', token: '%ZZ' })
  })

  it(`accepts 1 to ${MAX_ROOM_NAME_BYTES} bytes of UTF-8`, () => {
    expect(roomNameProblem('')).toBe('empty')
    expect(roomNameProblem('x')).toBeNull()
    expect(roomNameProblem(`${'€'.repeat(170)}xx`)).toBeNull() // 512 bytes
    expect(roomNameProblem('€'.repeat(171))).toBe('too long') // 513 bytes
    // A 16 KiB target is cut before decoding, and still too long.
    expect(roomNameProblem(roomOf(`/${'%E2%82%AC'.repeat(1800)}`))).toBe('too long')
  })

  const SEED = Number(process.env.PLANK_ROOM_NAME_SEED ?? Date.now() % 1_000_000)
  it(`round-trips any name a client percent-encodes, and never throws on any text (seed ${SEED})`, () => {
    console.log(`room names seed ${SEED} (rerun: PLANK_ROOM_NAME_SEED=${SEED})`)
    const gen = prng.create(SEED)
    const char = () => prng.oneOf(gen, [
      () => String.fromCodePoint(prng.int32(gen, 0x20, 0x7e)),
      () => String.fromCodePoint(prng.int32(gen, 0xa0, 0xd7ff)),
      () => String.fromCodePoint(prng.int32(gen, 0x10000, 0x10ffff)),
      () => prng.oneOf(gen, ['%', '%2', '%FF', '/', '?', ' ']),
    ])()
    for (let i = 0; i < 2000; i++) {
      const name = Array.from({ length: prng.int32(gen, 1, 30) }, char).join('')
      // A client that encodes the whole name (as the URL parser does for spaces and non-ASCII) gets it back exactly.
      expect(roomOf(`/${encodeURIComponent(name)}`)).toBe(name)
      expect(() => decodePercent(name)).not.toThrow()
      let strict: string | null
      try { strict = decodeURIComponent(name) } catch { strict = null }
      if (strict !== null) expect(decodePercent(name)).toBe(strict)
    }
  })
})
