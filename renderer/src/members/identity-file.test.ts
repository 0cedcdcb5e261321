import { describe, expect, it } from 'vitest'
import { decodeBytes, encodeBytes, identityFromSecret, newIdentity } from '../../../crdt/identity.ts'
import { exportIdentity, importIdentity } from './identity-file.ts'

describe('identity export and import', () => {
  it('brings the same key to a second device with the passphrase, and nothing without it', async () => {
    const me = newIdentity()
    const file = await exportIdentity({ secretKey: encodeBytes(me.secretKey), name: 'Ana', color: '#0f6b63' }, 'correct horse battery')
    expect(file).not.toContain(encodeBytes(me.secretKey))
    expect(JSON.parse(file).member).toBe(me.id)
    const back = await importIdentity(file, 'correct horse battery')
    expect(identityFromSecret(decodeBytes(back.secretKey)!).id).toBe(me.id)
    expect(back).toMatchObject({ name: 'Ana', color: '#0f6b63' })
    await expect(importIdentity(file, 'wrong horse battery')).rejects.toThrow('Wrong passphrase')
    const tampered = JSON.stringify({ ...JSON.parse(file), data: JSON.parse(file).data.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A')) })
    await expect(importIdentity(tampered, 'correct horse battery')).rejects.toThrow('Wrong passphrase, or the file is damaged')
    await expect(importIdentity('{"kind":"other"}', 'x')).rejects.toThrow('not a Plank identity file')
    await expect(exportIdentity({ secretKey: encodeBytes(me.secretKey), name: '', color: '' }, 'short')).rejects.toThrow('at least 10')
  }, 20_000)
})
