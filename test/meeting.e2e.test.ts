import { afterEach, describe, expect, it } from 'vitest'
import { messagesBeforeClose } from './support/raw-websocket.ts'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { editor, openApp, screenshot, writeDraft } from './support/editor-page.ts'
import { caretAfter, converged, joinWith, shareThrough, viaRelays } from './support/sync-page.ts'
import { setName } from './support/review-page.ts'
import { desktopHosting } from './support/hosting-bridge.ts'
import { startImpostor } from './support/impostor-host.ts'
import { CLOSE } from '../crdt/contracts/wire-protocol.ts'
import { makeMeetingCertificate, type MeetingCertificate } from '../electron/meeting-certificate.ts'
import { announcementFor } from '../electron/lan-announcement.ts'
import { inviteLink, parseInvite } from '../renderer/src/sync/invite.ts'

/**
 * A meeting without internet, hosted from one laptop over wss://. Ana's and Ben's
 * pages run the desktop app's hosting module (electron replaced at the boundary:
 * support/hosting-bridge.ts). The certificate Ana's host serves is made first, and
 * both their Chromiums are launched trusting exactly its key with
 * --ignore-certificate-errors-spki-list: the stand-in for the desktop app's pinning
 * (electron/certificate-pins.ts, unit-tested with electron replaced). Cleo runs the
 * browser build, which cannot pin a certificate.
 */
const app = useApp()
const fleet = useFleet()
const bridges: Array<{ dispose(): Promise<void> }> = []
const impostors: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  for (const b of bridges.splice(0)) await b.dispose()
  for (const i of impostors.splice(0)) await i.close()
})

const refusedBeforeAnyByte = messagesBeforeClose

/** Chromium switches that trust exactly this certificate's key (what the desktop app's pin does). */
const trusting = (certificate: MeetingCertificate) => ({ args: [`--ignore-certificate-errors-spki-list=${certificate.pin.slice('sha256/'.length)}`] })

/** The same invite with its meeting host's address moved to `url` (a wire tap in front of it); token and pin kept. */
const throughTap = (link: string, url: string): string => {
  const invite = parseInvite(link)!
  return inviteLink(link.slice(0, link.indexOf('#')), { ...invite, relays: invite.relays.map((r) => (r.pin ? { ...r, url } : r)) })
}

/** How many whole TLS records (handshake, alert, application data) `bytes` are, or -1 if they are anything else. */
const tlsRecords = (bytes: Buffer): number => {
  let at = 0
  let records = 0
  while (at + 5 <= bytes.length) {
    const [type, major, minor] = [bytes[at]!, bytes[at + 1]!, bytes[at + 2]!]
    if (![20, 21, 22, 23].includes(type) || major !== 3 || minor > 4) return -1
    at += 5 + bytes.readUInt16BE(at + 3)
    records++
  }
  // A record still arriving when the tap was read is allowed; anything shorter than a header is not TLS.
  return at >= bytes.length ? records : -1
}

/** What a peer on the network saw on this line: only TLS, and none of these in the clear. */
const expectOnlyTls = (connections: Array<{ up: Buffer; down: Buffer }>, secrets: string[]) => {
  expect(connections.length).toBeGreaterThan(0)
  for (const { up, down } of connections) {
    // A client hello first, the server's hello back: the first bytes of a TLS connection.
    expect([...up.subarray(0, 3)]).toEqual([0x16, 0x03, 0x01])
    expect(tlsRecords(up)).toBeGreaterThan(0)
    if (down.length > 0) expect(tlsRecords(down)).toBeGreaterThan(0)
    for (const secret of secrets) {
      expect(up.includes(Buffer.from(secret)), `“${secret}” sent in the clear`).toBe(false)
      expect(down.includes(Buffer.from(secret)), `“${secret}” received in the clear`).toBe(false)
    }
  }
}

describe('a meeting without internet', () => {
  it('one laptop hosts over wss://, a neighbour finds it and joins through a wire tap that sees only TLS, and afterwards everything merges with a member who was elsewhere', async () => {
    const certificate = await makeMeetingCertificate(['127.0.0.1'])
    const r = await fleet.relay()
    const [lineA, lineB, lineC] = [await fleet.line(r.port), await fleet.line(r.port), await fleet.line(r.port)]
    const [a, b, c] = [await fleet.device(trusting(certificate)), await fleet.device(trusting(certificate)), await fleet.device()]
    // Ana and Ben run the desktop app (its hosting module, electron replaced at the boundary); Cleo the browser build.
    const hostingA = await desktopHosting(a.page, { certificate })
    const hostingB = await desktopHosting(b.page)
    bridges.push(hostingA, hostingB)
    await openApp(a.page, app.url)
    await writeDraft(a.page, 'Platform', 'Rent shall be capped.')
    const link = await shareThrough(a.page, lineA.url)
    await joinWith(b.page, viaRelays(link, [lineB.url]))
    await joinWith(c.page, viaRelays(link, [lineC.url]))
    for (const [d, name] of [[a, 'Ana'], [b, 'Ben'], [c, 'Cleo']] as const) await setName(d.page, name)
    await converged([a.page, b.page, c.page])

    // The internet goes down in the basement.
    await lineA.cut()
    await lineB.cut()
    await a.page.getByRole('button', { name: 'Share', exact: true }).click()
    await a.page.getByRole('dialog').getByRole('button', { name: 'Host on this network…' }).click()
    const host = a.page.getByRole('dialog', { name: 'Meet on this network' })
    await host.getByText('its title and your name are not announced').waitFor()
    await host.getByRole('button', { name: 'Host this draft on this network' }).click()
    await host.getByText('Hosting “Platform” on this network').waitFor()
    const invite = await host.getByRole('textbox', { name: 'Invite link for this meeting' }).inputValue()
    await screenshot(a.page, 'meeting-host')
    await host.getByRole('button', { name: 'Close' }).click()

    // The host serves wss:// with the session's certificate, and its invite pins it.
    const hosted = hostingA.lanHost.current!
    expect(hosted.local).toBe(`wss://127.0.0.1:${hosted.port}`)
    expect(parseInvite(invite)!.relays).toEqual([{ url: `wss://127.0.0.1:${hosted.port}`, token: hosted.token, pin: certificate.pin }])
    // Ana's own app syncs through it, pinned like any joiner.
    expect(hostingA.pinned).toContainEqual({ url: hosted.local, pin: certificate.pin })
    // A wrong or missing token is refused before any document byte is sent.
    expect(await refusedBeforeAnyByte(`${hosted.local}/${hosted.draftId}`, { ca: certificate.cert })).toEqual({ code: CLOSE.tokenRequired.code, messages: 0 })
    expect(await refusedBeforeAnyByte(`${hosted.local}/${hosted.draftId}?token=nope`, { ca: certificate.cert })).toEqual({ code: CLOSE.tokenRejected.code, messages: 0 })

    // Ben's app lists Ana's laptop under "Hosts near you": a private draft he holds the key of, so he
    // recognises it by its title here, though the network was told neither the title nor Ana's name.
    const near = b.page.locator('.pk-nearby-host', { hasText: 'Platform' })
    await near.waitFor({ timeout: 20_000 })
    expect(await near.innerText()).toContain('Private · a laptop nearby')
    expect(await near.innerText()).not.toContain('Ana')
    await screenshot(b.page, 'meeting-nearby')
    // Everything between Ben and the host passes a tap on the Wi-Fi (a TCP forwarder that keeps every byte).
    const tap = await fleet.line(hosted.port)
    await near.getByRole('button', { name: 'Join' }).click()
    const joinDialog = b.page.getByRole('dialog')
    // An invite for another hosting session is not taken.
    const otherSession = inviteLink('plank://join', { ...parseInvite(invite)!, relays: [{ url: `wss://127.0.0.1:${hosted.port}`, token: hosted.token, pin: `sha256/${'A'.repeat(43)}=` }] })
    await joinDialog.getByRole('textbox').fill(otherSession)
    await joinDialog.getByRole('button', { name: 'Join' }).click()
    await joinDialog.getByText('That invite is for another meeting host, or an earlier hosting session').waitFor()
    await joinDialog.getByRole('textbox').fill(throughTap(invite, `wss://127.0.0.1:${tap.port}`))
    await joinDialog.getByRole('button', { name: 'Join' }).click()
    // Ben's app asked main to pin the certificate from the invite before dialling.
    await expect.poll(() => hostingB.pinned).toContainEqual({ url: `wss://127.0.0.1:${tap.port}`, pin: certificate.pin })

    await caretAfter(a.page, 'capped.')
    await a.page.keyboard.type(' Decided in the basement.')
    await caretAfter(b.page, 'Platform')
    await b.page.keyboard.press('End')
    await b.page.keyboard.type(' of the People')
    const meeting = await converged([a.page, b.page], 15_000)
    expect(meeting.text).toBe('Platform of the People\nRent shall be capped. Decided in the basement.')
    // On the wire: TLS records only; the token and the draft's id never in the clear.
    expectOnlyTls(tap.connections(), [hosted.token, hosted.draftId, 'token='])
    // Meanwhile Cleo, elsewhere, works through the relay as usual.
    await caretAfter(c.page, 'capped.')
    await c.page.keyboard.type(' From the train.')

    // The browser build can neither host nor join a host, and says why.
    await c.page.getByRole('button', { name: 'Share', exact: true }).click()
    await c.page.getByRole('dialog').getByRole('button', { name: 'Host on this network…' }).click()
    await c.page.getByRole('dialog', { name: 'Meet on this network' }).getByText('Hosting and joining a host need the Plank desktop app').waitFor()
    await c.page.getByRole('dialog', { name: 'Meet on this network' }).getByRole('button', { name: 'Close' }).click()
    // Given the meeting's invite anyway, it keeps the host in the draft's relays but does not dial it.
    await c.page.getByRole('button', { name: 'Join with invite…' }).click()
    await c.page.getByRole('dialog', { name: 'Join a draft' }).getByLabel('Paste the invite link a member sent you').fill(invite)
    await c.page.getByRole('dialog', { name: 'Join a draft' }).getByRole('button', { name: 'Join' }).click()
    await c.page.getByRole('button', { name: 'Share', exact: true }).click()
    await c.page.getByRole('dialog', { name: 'Share this draft' }).getByText('only the Plank desktop app can check its certificate').waitFor()
    await screenshot(c.page, 'meeting-browser-cannot-join')
    await c.page.getByRole('dialog', { name: 'Share this draft' }).getByRole('button', { name: 'Done' }).click()

    // After the meeting: hosting stops, the internet is back, and all three converge.
    await a.page.getByRole('button', { name: 'Share', exact: true }).click()
    await a.page.getByRole('dialog').getByRole('button', { name: 'Host on this network…' }).click()
    await a.page.getByRole('dialog', { name: 'Meet on this network' }).getByRole('button', { name: 'Stop hosting' }).click()
    await a.page.getByRole('dialog', { name: 'Stop hosting?' }).getByRole('button', { name: 'Stop hosting' }).click()
    await a.page.getByRole('dialog', { name: 'Meet on this network' }).getByRole('button', { name: 'Host this draft on this network' }).waitFor()
    await a.page.getByRole('dialog', { name: 'Meet on this network' }).getByRole('button', { name: 'Close' }).click()
    await lineA.restore()
    await lineB.restore()
    const after = await converged([a.page, b.page, c.page], 20_000)
    expect(after.text.split('\n')[0]).toBe('Platform of the People')
    for (const words of ['Decided in the basement.', 'From the train.', 'Rent shall be capped.']) expect(after.text).toContain(words)
  })

  it('a spoofed announcement gets nothing, an impostor at the host’s address is refused before the token leaves, and the meeting syncs once the real host answers', async () => {
    const certificate = await makeMeetingCertificate(['127.0.0.1'])
    const [a, b] = [await fleet.device(trusting(certificate)), await fleet.device(trusting(certificate))]
    // Ana's own announcement never reaches Ben (lost, or not seen yet): the only one he sees is Mallory's copy.
    const hostingA = await desktopHosting(a.page, { certificate, announce: false })
    const hostingB = await desktopHosting(b.page)
    bridges.push(hostingA, hostingB)
    await openApp(a.page, app.url)
    await writeDraft(a.page, 'Platform', 'Transit shall be free.')
    // A name no other host on this machine's network has (other test runs may be announcing meetings too).
    const ana = `Ana ${Math.random().toString(36).slice(2, 8)}`
    await setName(a.page, ana)
    // An open draft: its text is what a peer on the Wi-Fi would read from a ws:// host.
    await a.page.getByRole('button', { name: 'Share', exact: true }).click()
    await a.page.getByRole('dialog').getByRole('button', { name: 'Make it open instead' }).click()
    await a.page.getByRole('dialog', { name: 'Make this draft open?' }).getByRole('button', { name: 'Make it open', exact: true }).click()
    await a.page.getByRole('dialog', { name: 'Share this draft' }).getByRole('button', { name: 'Host on this network…' }).click()
    const host = a.page.getByRole('dialog', { name: 'Meet on this network' })
    await host.getByText('with its title and your name').waitFor()
    await host.getByRole('button', { name: 'Host this draft on this network' }).click()
    await host.getByText('Hosting “Platform” on this network').waitFor()
    const invite = await host.getByRole('textbox', { name: 'Invite link for this meeting' }).inputValue()
    await host.getByRole('button', { name: 'Close' }).click()
    const hosted = hostingA.lanHost.current!

    // Mallory runs wss:// servers with a certificate of her own. One announces a copy of Ana's
    // announcement (same session, title and name) pointing at itself...
    const malloryCertificate = await makeMeetingCertificate(['127.0.0.1'])
    const spoofer = await startImpostor(malloryCertificate)
    impostors.push(spoofer)
    const real = announcementFor({ draftId: hosted.draftId, title: 'Platform', member: ana, private: false, port: hosted.port, pin: hosted.pin })
    spoofer.announce({ ...real, name: `${real.name} ·`, host: 'plank-mallory.local', port: spoofer.port })
    // ...and the other answers at the address the invite names (she took over the host's address on the Wi-Fi).
    const squatter = await startImpostor(malloryCertificate)
    impostors.push(squatter)
    const address = await fleet.line(squatter.port)

    await openApp(b.page, app.url)
    const near = b.page.locator('.pk-nearby-host', { hasText: `${ana}’s laptop` })
    await near.waitFor({ timeout: 20_000 })
    expect(await near.innerText()).toContain('Platform')
    await near.getByRole('button', { name: 'Join' }).click()
    const joinDialog = b.page.getByRole('dialog')
    // Without the invite there is nothing to join with: the token alone would not say which certificate to trust.
    await joinDialog.getByRole('textbox').fill(hosted.token)
    await joinDialog.getByRole('button', { name: 'Join' }).click()
    await joinDialog.getByText('That is not a Plank invite link').waitFor()
    await joinDialog.getByRole('textbox').fill(throughTap(invite, `wss://127.0.0.1:${address.port}`))
    await joinDialog.getByRole('button', { name: 'Join' }).click()

    // Ben's browser meets Mallory's certificate at the invite's address and ends the handshake.
    await expect.poll(() => squatter.refusedHandshakes.length, { timeout: 15_000 }).toBeGreaterThan(0)
    await new Promise((resolve) => setTimeout(resolve, 1500)) // and keeps refusing as it retries
    await b.page.locator('.pk-sync', { hasText: 'another machine answers there whose certificate is not the one in the invite' }).waitFor()
    await screenshot(b.page, 'meeting-impostor-refused')
    expect(squatter.requests).toEqual([])
    // The announcement he clicked led nowhere: the only address Ben's app pinned and dialled is the invite's.
    expect(new Set(hostingB.pinned.map((p) => p.url))).toEqual(new Set([`wss://127.0.0.1:${address.port}`]))
    expect(spoofer.requests).toEqual([])
    expect(address.connections().length).toBeGreaterThan(0)
    expectOnlyTls(address.connections(), [hosted.token, 'token=', hosted.draftId])
    const refusedSoFar = address.connections().length

    // Ana's laptop answers at that address again: Ben's app connects on its next try, and they write together.
    address.retarget(hosted.port)
    await editor(b.page).locator('.pk-title').waitFor({ timeout: 20_000 })
    await b.page.locator('.pk-editor[contenteditable="true"]').waitFor({ timeout: 20_000 })
    await caretAfter(b.page, 'free.')
    await b.page.keyboard.type(' For everyone.')
    await caretAfter(a.page, 'Platform')
    await a.page.keyboard.press('End')
    await a.page.keyboard.type(' of the People')
    const meeting = await converged([a.page, b.page], 15_000)
    expect(meeting.text).toBe('Platform of the People\nTransit shall be free. For everyone.')
    // Mallory got no request at all, through her announcement or at the address; the open draft's text crossed the Wi-Fi only inside TLS.
    expect(squatter.requests).toEqual([])
    expect(spoofer.requests).toEqual([])
    expect(new Set(hostingB.pinned.map((p) => p.url))).toEqual(new Set([`wss://127.0.0.1:${address.port}`]))
    expect(address.connections().length).toBeGreaterThan(refusedSoFar)
    expectOnlyTls(address.connections(), [hosted.token, 'token=', 'Transit shall be free', 'For everyone', 'of the People'])
  })
})
