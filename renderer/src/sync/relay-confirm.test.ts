import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { holds } from './relay-confirm.ts'

/** The relay's answer to our confirmation question, from the relay's copy. */
const answer = (relay: Y.Doc, ours: Y.Doc) => {
  const short = new Map([...Y.decodeStateVector(Y.encodeStateVector(ours))].map(([c, clock]) => [c, clock - 1]))
  return Y.encodeStateAsUpdate(relay, Y.encodeStateVector(short))
}
const check = (relay: Y.Doc, ours: Y.Doc) =>
  holds(answer(relay, ours), Y.decodeStateVector(Y.encodeStateVector(ours)), Y.createDeleteSetFromStructStore(ours.store))

describe('does the relay hold our changes?', () => {
  it('yes when it has every unit and every deletion; no when it lacks our last typing, or only our deletion', () => {
    const ours = new Y.Doc()
    const relay = new Y.Doc({ gc: true })
    const text = ours.getText('t')
    text.insert(0, 'Rent shall be capped.')
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(ours))
    expect(check(relay, ours)).toBe(true)
    // Typed since: not on the relay yet.
    text.insert(text.length, ' At 3%.')
    expect(check(relay, ours)).toBe(false)
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(ours, Y.encodeStateVector(relay)))
    expect(check(relay, ours)).toBe(true)
    // A deletion adds no clock: only the delete set shows whether the relay has it.
    text.delete(0, 5)
    expect(check(relay, ours)).toBe(false)
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(ours, Y.encodeStateVector(relay)))
    expect(check(relay, ours)).toBe(true)
  })

  it('also counts what we received from other members through another relay', () => {
    const [ours, other, relay] = [new Y.Doc(), new Y.Doc(), new Y.Doc()]
    other.getText('t').insert(0, 'From another relay.')
    Y.applyUpdate(ours, Y.encodeStateAsUpdate(other))
    expect(check(relay, ours)).toBe(false)
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(ours))
    expect(check(relay, ours)).toBe(true)
  })

  it('an answer that is not an update is no proof', () => {
    const ours = new Y.Doc()
    ours.getText('t').insert(0, 'x')
    expect(holds(new Uint8Array([255, 255, 255]), Y.decodeStateVector(Y.encodeStateVector(ours)), Y.createDeleteSetFromStructStore(ours.store))).toBe(false)
  })
})
