import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { messagesBeforeClose, rawUpgrade } from '../test/support/raw-websocket.ts'
import { describeFigures, runHttpEdgeFuzz } from '../test/fuzz/http-edge.ts'
import { startRelay } from '../sync-server/src/relay-server.ts'
import { LanHost, type Announcer } from './lan-host.ts'
import { stockClient, waitUntil } from '../test/support/yjs-client.ts'
import { CLOSE } from '../crdt/contracts/wire-protocol.ts'

/** Records what would be announced on the network (the real announcer is tested in test/lan-discovery). */
const recordingAnnouncer = () => {
  const live = new Set<{ name: string; port: number; txt: Record<string, string> }>()
  const announcer: Announcer = {
    announce(info) {
      live.add(info)
      return { stop: async () => { live.delete(info) } }
    },
  }
  return { announcer, live }
}

const tryConnect = messagesBeforeClose

const hosts: LanHost[] = []
afterEach(async () => { for (const h of hosts.splice(0)) await h.stop() })

const newHost = (dataDir = mkdtempSync(join(tmpdir(), 'plank-host-'))) => {
  const { announcer, live } = recordingAnnouncer()
  const host = new LanHost({ startRelay, dataDir, announcer, lanAddresses: () => ['192.168.1.20'], bindHost: '127.0.0.1' })
  hosts.push(host)
  return { host, live, dataDir }
}

describe('hosting a draft on the local network', () => {
  it('serves the draft with a per-session token, announced with whose laptop and which draft', async () => {
    const { host, live } = newHost()
    const hosted = await host.start({ draftId: 'draft-1', title: 'Platform', member: 'Ana', private: true })
    expect(hosted.addresses).toEqual([`ws://192.168.1.20:${hosted.port}`])
    expect(hosted.local).toBe(`ws://127.0.0.1:${hosted.port}`)
    expect([...live]).toEqual([{ name: `Ana · Platform · ${hosted.port}`, port: hosted.port, txt: { v: '1', draft: 'draft-1', title: 'Platform', member: 'Ana', private: '1' } }])

    const a = stockClient(hosted.local, 'draft-1', { token: hosted.token })
    const b = stockClient(hosted.local, 'draft-1', { token: hosted.token })
    await Promise.all([a.synced(), b.synced()])
    a.type('From the basement.')
    await waitUntil(() => b.text() === 'From the basement.', 5000, 'b to receive a’s edit')
    a.destroy(); b.destroy()
  })

  it('refuses a missing or wrong token before sending a single document byte', async () => {
    const { host } = newHost()
    const hosted = await host.start({ draftId: 'draft-1', title: 'Platform', member: 'Ana', private: false })
    expect(await tryConnect(`${hosted.local}/draft-1`)).toEqual({ code: CLOSE.tokenRequired.code, messages: 0 })
    expect(await tryConnect(`${hosted.local}/draft-1?token=${hosted.token.slice(0, -2)}xx`)).toEqual({ code: CLOSE.tokenRejected.code, messages: 0 })
    // A token is for one draft only.
    expect(await tryConnect(`${hosted.local}/other-draft?token=${hosted.token}`)).toEqual({ code: CLOSE.tokenRejected.code, messages: 0 })
  })

  it('survives /100% and other hostile requests before any token check, and the meeting carries on', async () => {
    // The relay runs inside the app's main process here: a throw on this path would end the app.
    const { host } = newHost()
    const hosted = await host.start({ draftId: 'draft-1', title: 'Platform', member: 'Ana', private: true })
    const a = stockClient(hosted.local, 'draft-1', { token: hosted.token })
    await a.synced()
    for (const target of ['/100%', '/%', '/%FF', '/%ED%A0%80', '//', '*', 'http://x/100%', '/draft-1?token=%', '/100%?token=%ZZ', '']) {
      const { status, closeCode } = await rawUpgrade(hosted.port, target, 200)
      expect([CLOSE.tokenRequired.code, CLOSE.tokenRejected.code, CLOSE.badRoom.code, 400], `answer to ${JSON.stringify(target)}`).toContain(closeCode ?? status)
    }
    const seed = Number(process.env.PLANK_HTTP_FUZZ_SEED ?? Date.now() % 1_000_000)
    const figures = await runHttpEdgeFuzz({ port: hosted.port, seed, attacks: 150, rooms: ['draft-1', 'draft-2'], tokenFor: () => hosted.token })
    console.log(`meeting host, HTTP-edge fuzz (rerun: PLANK_HTTP_FUZZ_SEED=${seed}): ${describeFigures(figures)}`)
    expect(figures.refused).toBeGreaterThan(0)
    expect(figures.rssAfter).not.toBeNull() // /metrics still answers

    const b = stockClient(hosted.local, 'draft-1', { token: hosted.token })
    await b.synced()
    a.type('Still meeting.')
    await waitUntil(() => b.text() === 'Still meeting.', 5000, 'the meeting to carry on')
    a.destroy(); b.destroy()
  }, 20_000)

  it('stops cleanly: the announcement is withdrawn, the port closed, and the data kept for the next session under a new token', async () => {
    const { host, live, dataDir } = newHost()
    const first = await host.start({ draftId: 'draft-1', title: 'Platform', member: 'Ana', private: false })
    const a = stockClient(first.local, 'draft-1', { token: first.token })
    await a.synced()
    a.type('Kept on the host.')
    await new Promise((r) => setTimeout(r, 300)) // the edit reaches the relay
    a.destroy()
    await host.stop()
    expect(live.size).toBe(0)
    expect(host.current).toBeNull()
    expect((await tryConnect(`${first.local}/draft-1?token=${first.token}`)).code).toBe(1006)

    const again = newHost(dataDir)
    const second = await again.host.start({ draftId: 'draft-1', title: 'Platform', member: 'Ana', private: false })
    expect(second.token).not.toBe(first.token)
    expect((await tryConnect(`${second.local}/draft-1?token=${first.token}`)).code).toBe(CLOSE.tokenRejected.code)
    const b = stockClient(second.local, 'draft-1', { token: second.token })
    await b.synced()
    expect(b.text()).toBe('Kept on the host.')
    b.destroy()
  })

  it('hosts one draft at a time: hosting another stops the first', async () => {
    const { host, live } = newHost()
    const one = await host.start({ draftId: 'draft-1', title: 'One', member: 'Ana', private: false })
    expect(await host.start({ draftId: 'draft-1', title: 'One', member: 'Ana', private: false })).toBe(one)
    const two = await host.start({ draftId: 'draft-2', title: 'Two', member: 'Ana', private: false })
    expect([...live].map((l) => l.txt.draft)).toEqual(['draft-2'])
    expect((await tryConnect(`${one.local}/draft-1?token=${one.token}`)).code).toBe(1006)
    expect(two.port).not.toBe(one.port)
    await expect(host.start({ draftId: '../etc', title: 'x', member: 'y', private: false })).rejects.toThrow('not a draft id')
  })
})
