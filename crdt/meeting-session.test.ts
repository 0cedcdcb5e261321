import { describe, expect, it } from 'vitest'
import { createHash, createHmac } from 'node:crypto'
import { meetingTag, recognitionKey, sessionOfPin } from './meeting-session.ts'

/**
 * The values a host announces and a page matches, fixed: announcements already on a
 * meeting's network must keep matching. Node's own crypto recomputes each, so the
 * formulas are what their comments say.
 */
const VECTOR = {
  pin: 'sha256/qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq=',
  session: '7a33c60be2e6a0c5bc2644d8ad7c101a',
  roomKey: 'k'.repeat(43),
  draftId: 'draft-0123456789',
  recognitionKey: 'rlp_OcLxP7_wAtjIF5v8T_ieQB0nopmqO9q6fcGOK7k',
  tag: 'zI7MZkVV-ZwIfQAfwvp-0A',
}

describe('a meeting session’s id, recognition key and tag', () => {
  it('give the fixed vector, and what Node’s crypto computes from their definitions', () => {
    expect(sessionOfPin(VECTOR.pin)).toBe(VECTOR.session)
    expect(createHash('sha256').update(`plank meeting session v1\n${VECTOR.pin}`).digest('hex').slice(0, 32)).toBe(VECTOR.session)
    expect(recognitionKey(VECTOR.roomKey, VECTOR.draftId)).toBe(VECTOR.recognitionKey)
    expect(createHmac('sha256', Buffer.from(VECTOR.roomKey, 'base64url')).update(`plank meeting recognition v1\n${VECTOR.draftId}`).digest('base64url')).toBe(VECTOR.recognitionKey)
    expect(meetingTag(VECTOR.recognitionKey, VECTOR.session)).toBe(VECTOR.tag)
    expect(createHmac('sha256', Buffer.from(VECTOR.recognitionKey, 'base64url')).update(`plank meeting tag v1\n${VECTOR.session}`).digest().subarray(0, 16).toString('base64url')).toBe(VECTOR.tag)
  })

  it('another session has another tag; a key that does not read gives none', () => {
    expect(meetingTag(VECTOR.recognitionKey, sessionOfPin(`sha256/${'r'.repeat(43)}=`))).not.toBe(VECTOR.tag)
    expect(recognitionKey('damaged', VECTOR.draftId)).toBeNull()
    expect(recognitionKey(`${'k'.repeat(42)}*`, VECTOR.draftId)).toBeNull()
    expect(meetingTag('k'.repeat(44), VECTOR.session)).toBeNull()
  })
})
