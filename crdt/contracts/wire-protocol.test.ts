import { describe, expect, it } from 'vitest'
import { CLOSE, LEGACY_CLOSE, isFinalClose } from './wire-protocol.ts'

/** What y-websocket 3.1 does after a server's close (its defaultShouldReconnect, not exported). */
const yWebsocketReconnects = (code: number) => !(code >= 4400 && code < 4500)

describe('close codes', () => {
  it('are final exactly where y-websocket gives up, for every code the relay sends', () => {
    for (const { code } of Object.values(CLOSE)) expect(isFinalClose(code), String(code)).toBe(!yWebsocketReconnects(code))
  })

  it('leave a client connected through anything it must survive: a full room, a busy or stopping relay, an error', () => {
    for (const { code } of [CLOSE.roomFull, CLOSE.tryAgainLater, CLOSE.goingAway, CLOSE.internal, CLOSE.tooBig]) {
      expect(yWebsocketReconnects(code), String(code)).toBe(true)
    }
    for (const { code } of [CLOSE.tokenRequired, CLOSE.tokenRejected, CLOSE.badRoom, CLOSE.badMessage]) expect(isFinalClose(code)).toBe(true)
  })

  it("retry the 4413 and 4429 older Plank relays sent for 'full' and 'too fast'", () => {
    expect([LEGACY_CLOSE.roomFull, LEGACY_CLOSE.tooFast]).toEqual([4413, 4429])
    expect(isFinalClose(LEGACY_CLOSE.roomFull)).toBe(false)
    expect(isFinalClose(LEGACY_CLOSE.tooFast)).toBe(false)
  })

  it('have reasons that fit a close frame (ws throws on more than 123 bytes, and the socket would stay open)', () => {
    for (const { reason } of Object.values(CLOSE)) expect(new TextEncoder().encode(reason).length).toBeLessThanOrEqual(123)
  })
})
