import { afterEach, describe, expect, it } from 'vitest'
import { startRelayProcess, type RelayProcess } from './support/relay-process.ts'
import { stockClient, waitUntil } from './support/yjs-client.ts'
import { mountSmallDisk } from './support/small-disk.ts'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c() })

describe('relay with a full disk', () => {
  it('says so clearly, keeps syncing live, and its store still opens afterwards', async () => {
    const disk = mountSmallDisk(24)
    cleanups.push(() => disk.unmount())
    const data = `${disk.dir}/relay-data`
    const relay: RelayProcess = await startRelayProcess(['--data', data])
    cleanups.push(async () => { await relay.kill('SIGKILL') })
    const a = stockClient(relay.url, 'room')
    const b = stockClient(relay.url, 'room')
    cleanups.push(() => { a.destroy(); b.destroy() })
    await Promise.all([a.synced(), b.synced()])
    a.type('Stored before the disk filled. ')
    await waitUntil(() => b.text().includes('Stored before'))
    await new Promise((r) => setTimeout(r, 300))

    disk.fill()
    for (let i = 0; i < 200; i++) a.type(`Line ${i} written while the disk is full. `.repeat(5))
    await relay.waitForLog((l) => l.event === 'store-write-failed', 15_000)
    const health = await relay.health()
    expect(health.ok).toBe(false)
    expect(Number(health.storageErrors)).toBeGreaterThan(0)
    // Live sync carries on: peers keep their own full copies.
    await waitUntil(() => b.text() === a.text(), 5000, 'live sync to continue')
    expect(relay.proc.exitCode).toBe(null)

    // Space freed and the relay restarted: the store opens and holds what it had written.
    await relay.kill('SIGKILL')
    disk.free()
    const again = await startRelayProcess(['--data', data])
    cleanups.push(async () => { await again.kill('SIGKILL') })
    const c = stockClient(again.url, 'room')
    cleanups.push(() => c.destroy())
    await c.synced()
    await waitUntil(() => c.text().startsWith('Stored before the disk filled.'), 5000, 'the stored text after restart')
  })
})
