import { afterEach, describe, expect, it } from 'vitest'
import { messagesBeforeClose } from './support/raw-websocket.ts'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { openApp, screenshot, writeDraft } from './support/editor-page.ts'
import { caretAfter, converged, joinWith, shareThrough, viaRelays } from './support/sync-page.ts'
import { setName } from './support/review-page.ts'
import { desktopHosting } from './support/hosting-bridge.ts'
import { CLOSE } from '../crdt/contracts/wire-protocol.ts'

const app = useApp()
const fleet = useFleet()
const bridges: Array<{ dispose(): Promise<void> }> = []
afterEach(async () => { for (const b of bridges.splice(0)) await b.dispose() })

const refusedBeforeAnyByte = messagesBeforeClose

describe('a meeting without internet', () => {
  it('one laptop hosts, a neighbour finds it and joins, they edit together, and afterwards everything merges with a member who was elsewhere', async () => {
    const r = await fleet.relay()
    const [lineA, lineB, lineC] = [await fleet.line(r.port), await fleet.line(r.port), await fleet.line(r.port)]
    const [a, b, c] = [await fleet.device(), await fleet.device(), await fleet.device()]
    // Ana and Ben run the desktop app (its hosting module, electron replaced at the boundary); Cleo the browser build.
    const hostingA = await desktopHosting(a.page)
    bridges.push(hostingA, await desktopHosting(b.page))
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
    await host.getByRole('button', { name: 'Host this draft on this network' }).click()
    await host.getByText('Hosting “Platform” on this network').waitFor()
    const invite = await host.getByRole('textbox', { name: 'Invite link for this meeting' }).inputValue()
    await screenshot(a.page, 'meeting-host')
    await host.getByRole('button', { name: 'Close' }).click()

    // A wrong or missing token is refused before any document byte is sent.
    const hosted = hostingA.lanHost.current!
    expect(await refusedBeforeAnyByte(`${hosted.local}/${hosted.draftId}`)).toEqual({ code: CLOSE.tokenRequired.code, messages: 0 })
    expect(await refusedBeforeAnyByte(`${hosted.local}/${hosted.draftId}?token=nope`)).toEqual({ code: CLOSE.tokenRejected.code, messages: 0 })

    // Ben's app lists Ana's laptop under "Hosts near you" and joins it with the invite.
    const near = b.page.locator('.pk-nearby-host', { hasText: 'Platform' })
    await near.waitFor({ timeout: 20_000 })
    expect(await near.innerText()).toContain('Ana’s laptop')
    await screenshot(b.page, 'meeting-nearby')
    await near.getByRole('button', { name: 'Join' }).click()
    await b.page.getByRole('dialog').getByRole('textbox').fill(invite)
    await b.page.getByRole('dialog').getByRole('button', { name: 'Join' }).click()

    await caretAfter(a.page, 'capped.')
    await a.page.keyboard.type(' Decided in the basement.')
    await caretAfter(b.page, 'Platform')
    await b.page.keyboard.press('End')
    await b.page.keyboard.type(' of the People')
    const meeting = await converged([a.page, b.page], 15_000)
    expect(meeting.text).toBe('Platform of the People\nRent shall be capped. Decided in the basement.')
    // Meanwhile Cleo, elsewhere, works through the relay as usual.
    await caretAfter(c.page, 'capped.')
    await c.page.keyboard.type(' From the train.')

    // The browser build cannot host, and says so.
    await c.page.getByRole('button', { name: 'Share', exact: true }).click()
    await c.page.getByRole('dialog').getByRole('button', { name: 'Host on this network…' }).click()
    await c.page.getByRole('dialog', { name: 'Meet on this network' }).getByText('Hosting needs the Plank desktop app').waitFor()
    await c.page.getByRole('dialog', { name: 'Meet on this network' }).getByRole('button', { name: 'Close' }).click()

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
})
