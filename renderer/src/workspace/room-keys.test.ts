import { describe, expect, it } from 'vitest'
import { adoptKey, newRoomKey, roomKeysOf } from './room-keys.ts'

const entry = (roomKey?: string, previousRoomKeys?: string[]) => ({ id: 'd', title: '', created: 0, updated: 0, roomKey, previousRoomKeys })

describe('room keys on this device', () => {
  it('adopt a new key as current and keep the old ones, without duplicates', () => {
    const [k1, k2, k3] = [newRoomKey(), newRoomKey(), newRoomKey()]
    expect(adoptKey(entry(k1), k2)).toEqual({ roomKey: k2, previousRoomKeys: [k1] })
    expect(adoptKey(entry(k2, [k1]), k3)).toEqual({ roomKey: k3, previousRoomKeys: [k2, k1] })
    expect(adoptKey(entry(k2, [k1]), k1)).toEqual({ roomKey: k1, previousRoomKeys: [k2] })
    expect(adoptKey(entry(k1, []), k1)).toEqual({ roomKey: k1, previousRoomKeys: [] })
    // An open draft given a key by an invite becomes private.
    expect(adoptKey(entry(undefined), k1)).toEqual({ roomKey: k1, previousRoomKeys: [] })
  })

  it('read the keys current first, skipping any that do not decode; none for an open draft', async () => {
    const [k1, k2] = [newRoomKey(), newRoomKey()]
    const keys = await roomKeysOf(entry(k2, [k1, 'not-a-key']))
    expect(keys).toHaveLength(2)
    expect(keys[0]!.id).not.toBe(keys[1]!.id)
    expect(await roomKeysOf(entry(undefined))).toEqual([])
  })
})
