import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { messagesBeforeClose, rawUpgrade } from '../test/support/raw-websocket.ts'
import { describeFigures, runHttpEdgeFuzz } from '../test/fuzz/http-edge.ts'
import { startRelay } from '../sync-server/src/relay-server.ts'
import { LanHost, type Announcer } from './lan-host.ts'
import { makeMeetingCertificate, spkiPin, type MeetingCertificate } from './meeting-certificate.ts'
import { sessionOfPin } from '../crdt/meeting-session.ts'
import { stockClient, waitUntil } from '../test/support/yjs-client.ts'
import { CLOSE, NO_CLOSE_FRAME } from '../crdt/contracts/wire-protocol.ts'

/** Records what would be announced on the network (the real announcer is tested in test/lan-discovery). */
const recordingAnnouncer = () => {
  const live = new Set<Parameters<Announcer['announce']>[0]>()
  const announcer: Announcer = {
    announce(info) {
      live.add(info)
      return { stop: async () => { live.delete(info) } }
    },
  }
  return { announcer, live }
}

const hosts: LanHost[] = []
afterEach(async () => { for (const h of hosts.splice(0)) await h.stop() })

const newHost = (dataDir = mkdtempSync(join(tmpdir(), 'plank-host-'))) => {
  const { announcer, live } = recordingAnnouncer()
  // The certificates the host made, so these clients can trust exactly them (as a pin does in the app).
  const certificates: MeetingCertificate[] = []
  const makeCertificate = async (ips: string[]) => {
    const made = await makeMeetingCertificate(ips)
    certificates.push(made)
    return made
  }
  const host = new LanHost({ startRelay, dataDir, announcer, lanAddresses: () => ['192.168.1.20'], bindHost: '127.0.0.1', makeCertificate })
  hosts.push(host)
  /** ws options trusting only the latest session's certificate. */
  const trust = () => ({ ca: certificates[certificates.length - 1]!.cert })
  return { host, live, dataDir, trust, certificates }
}

describe('hosting a draft on the local network', () => {
  it('serves the draft over wss:// with a certificate made for the session; a private draft is announced without naming it', async () => {
    const { host, live, trust, certificates } = newHost()
    const hosted = await host.start({ draftId: 'draft-1', title: 'Platform', member: 'Ana', private: true, recognitionKey: 'r'.repeat(43) })
    expect(hosted.addresses).toEqual([`wss://192.168.1.20:${hosted.port}`])
    expect(hosted.local).toBe(`wss://127.0.0.1:${hosted.port}`)
    expect(hosted.pin).toBe(spkiPin(certificates[0]!.cert))
    expect(hosted.session).toBe(sessionOfPin(hosted.pin))
    const [announced] = [...live]
    expect(announced!.port).toBe(hosted.port)
    expect(announced!.txt).toEqual({ v: '2', s: hosted.session, private: '1', tag: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) as string })
    for (const named of ['draft-1', 'Platform', 'Ana']) expect(JSON.stringify(announced)).not.toContain(named)

    const a = stockClient(hosted.local, 'draft-1', { token: hosted.token }, trust())
    const b = stockClient(hosted.local, 'draft-1', { token: hosted.token }, trust())
    await Promise.all([a.synced(), b.synced()])
    a.type('From the basement.')
    await waitUntil(() => b.text() === 'From the basement.', 5000, 'b to receive a’s edit')
    a.destroy(); b.destroy()
  })

  it('an open draft is announced with its title and whose laptop', async () => {
    const { host, live } = newHost()
    const hosted = await host.start({ draftId: 'draft-1', title: 'Platform', member: 'Ana', private: false })
    expect([...live].map((l) => [l.name, l.txt])).toEqual([[`Ana · Platform · ${hosted.port}`, { v: '2', s: hosted.session, private: '0', draft: 'draft-1', title: 'Platform', member: 'Ana' }]])
  })

  it('speaks nothing but TLS: a plain client and a client that does not trust the certificate get no document byte', async () => {
    const { host, trust } = newHost()
    const hosted = await host.start({ draftId: 'draft-1', title: 'Platform', member: 'Ana', private: false })
    // What an older Plank (ws://) or a plain HTTP client sends: no answer it can read.
    const plain = await rawUpgrade(hosted.port, `/draft-1?token=${hosted.token}`, 300)
    expect(plain.status).toBeNull()
    expect(plain.open).toBe(false)
    // A client trusting only another certificate (its pin) refuses this host before sending anything.
    const other = await makeMeetingCertificate([])
    expect(await messagesBeforeClose(`${hosted.local}/draft-1?token=${hosted.token}`, { ca: other.cert })).toEqual({ code: NO_CLOSE_FRAME, messages: 0 })
    expect(await messagesBeforeClose(`${hosted.local}/draft-1?token=${hosted.token}`)).toEqual({ code: NO_CLOSE_FRAME, messages: 0 })
    // The host still serves the ones who hold the invite.
    const a = stockClient(hosted.local, 'draft-1', { token: hosted.token }, trust())
    await a.synced()
    a.destroy()
  })

  it('refuses a missing or wrong token before sending a single document byte', async () => {
    const { host, trust } = newHost()
    const hosted = await host.start({ draftId: 'draft-1', title: 'Platform', member: 'Ana', private: false })
    expect(await messagesBeforeClose(`${hosted.local}/draft-1`, trust())).toEqual({ code: CLOSE.tokenRequired.code, messages: 0 })
    expect(await messagesBeforeClose(`${hosted.local}/draft-1?token=${hosted.token.slice(0, -2)}xx`, trust())).toEqual({ code: CLOSE.tokenRejected.code, messages: 0 })
    // A token is for one draft only.
    expect(await messagesBeforeClose(`${hosted.local}/other-draft?token=${hosted.token}`, trust())).toEqual({ code: CLOSE.tokenRejected.code, messages: 0 })
  })

  it('survives /100% and other hostile requests inside TLS, junk outside it, and the meeting carries on', async () => {
    // The relay runs inside the app's main process here: a throw on this path would end the app.
    const { host, trust } = newHost()
    const hosted = await host.start({ draftId: 'draft-1', title: 'Platform', member: 'Ana', private: true })
    const a = stockClient(hosted.local, 'draft-1', { token: hosted.token }, trust())
    await a.synced()
    for (const target of ['/100%', '/%', '/%FF', '/%ED%A0%80', '//', '*', 'http://x/100%', '/draft-1?token=%', '/100%?token=%ZZ', '']) {
      const { status, closeCode } = await rawUpgrade(hosted.port, target, 200, true)
      expect([CLOSE.tokenRequired.code, CLOSE.tokenRejected.code, CLOSE.badRoom.code, 400], `answer to ${JSON.stringify(target)}`).toContain(closeCode ?? status)
    }
    const seed = Number(process.env.PLANK_HTTP_FUZZ_SEED ?? Date.now() % 1_000_000)
    const figures = await runHttpEdgeFuzz({ port: hosted.port, seed, attacks: 150, rooms: ['draft-1', 'draft-2'], tokenFor: () => hosted.token, tls: true })
    console.log(`meeting host, HTTP-edge fuzz inside TLS (rerun: PLANK_HTTP_FUZZ_SEED=${seed}): ${describeFigures(figures)}`)
    expect(figures.refused).toBeGreaterThan(0)
    expect(figures.rssAfter).not.toBeNull() // /metrics still answers
    // The same attacks without TLS: each is dropped at the handshake.
    const plain = await runHttpEdgeFuzz({ port: hosted.port, seed, attacks: 40, rooms: ['draft-1'], tokenFor: () => hosted.token })
    expect(plain.httpStatus).toEqual({ none: plain.connections })

    const b = stockClient(hosted.local, 'draft-1', { token: hosted.token }, trust())
    await b.synced()
    a.type('Still meeting.')
    await waitUntil(() => b.text() === 'Still meeting.', 5000, 'the meeting to carry on')
    a.destroy(); b.destroy()
  }, 20_000)

  it('stops cleanly: the announcement is withdrawn, the port closed, and the data kept for the next session under a new token and certificate', async () => {
    const { host, live, dataDir, trust } = newHost()
    const first = await host.start({ draftId: 'draft-1', title: 'Platform', member: 'Ana', private: false })
    const firstTrust = trust()
    const a = stockClient(first.local, 'draft-1', { token: first.token }, firstTrust)
    await a.synced()
    a.type('Kept on the host.')
    await new Promise((r) => setTimeout(r, 300)) // the edit reaches the relay
    a.destroy()
    await host.stop()
    expect(live.size).toBe(0)
    expect(host.current).toBeNull()
    expect((await messagesBeforeClose(`${first.local}/draft-1?token=${first.token}`, firstTrust)).code).toBe(NO_CLOSE_FRAME)

    const again = newHost(dataDir)
    const second = await again.host.start({ draftId: 'draft-1', title: 'Platform', member: 'Ana', private: false })
    expect(second.token).not.toBe(first.token)
    expect(second.pin).not.toBe(first.pin)
    expect(second.session).not.toBe(first.session)
    expect((await messagesBeforeClose(`${second.local}/draft-1?token=${first.token}`, again.trust())).code).toBe(CLOSE.tokenRejected.code)
    // The first session's pin does not fit the second session's certificate.
    expect((await messagesBeforeClose(`${second.local}/draft-1?token=${second.token}`, firstTrust)).code).toBe(NO_CLOSE_FRAME)
    const b = stockClient(second.local, 'draft-1', { token: second.token }, again.trust())
    await b.synced()
    expect(b.text()).toBe('Kept on the host.')
    b.destroy()
  })

  it('hosts one draft at a time: hosting another stops the first', async () => {
    const { host, live, trust } = newHost()
    const one = await host.start({ draftId: 'draft-1', title: 'One', member: 'Ana', private: false })
    const oneTrust = trust()
    expect(await host.start({ draftId: 'draft-1', title: 'One', member: 'Ana', private: false })).toBe(one)
    const two = await host.start({ draftId: 'draft-2', title: 'Two', member: 'Ana', private: false })
    expect([...live].map((l) => l.txt.draft)).toEqual(['draft-2'])
    expect((await messagesBeforeClose(`${one.local}/draft-1?token=${one.token}`, oneTrust)).code).toBe(NO_CLOSE_FRAME)
    expect(two.port).not.toBe(one.port)
    await expect(host.start({ draftId: '../etc', title: 'x', member: 'y', private: false })).rejects.toThrow('not a draft id')
    await expect(host.start({ draftId: 'draft-3', title: 'x', member: 'y', private: true, recognitionKey: 'short' })).rejects.toThrow('not a recognition key')
  })
})
