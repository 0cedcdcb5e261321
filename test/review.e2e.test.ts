import { describe, expect, it } from 'vitest'
import type { Device } from './support/chromium.ts'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import type { TcpProxy } from './support/tcp-proxy.ts'
import { editor, newDraft, openApp, screenshot, waitSaved } from './support/editor-page.ts'
import { converged, draftText, joinWith, shareThrough, viaRelays, waitSynced } from './support/sync-page.ts'
import {
  amendmentCard, caretAfterWords, commentOn, decide, editorHTML, replaceWords, selectWords, showAmendments,
  setName, showComments, startProposing, stopProposing,
} from './support/review-page.ts'

const app = useApp()
const fleet = useFleet()
const device = () => fleet.device()
const viaRelay = (link: string, relayUrl: string) => viaRelays(link, [relayUrl])

/** A platform with formatting, typed as a member would. */
const writePlatform = async (page: Device['page']) => {
  await openApp(page, app.url)
  await newDraft(page)
  const kb = page.keyboard
  await kb.type('People’s Platform')
  await kb.press('ArrowDown')
  await kb.type('## Health')
  await kb.press('Enter')
  await kb.type('Healthcare shall be ')
  await kb.press('Control+b')
  await kb.type('free')
  await kb.press('Control+b')
  await kb.type(' for all, paid from ')
  await kb.press('Control+i')
  await kb.type('progressive taxes')
  await kb.press('Control+i')
  await kb.type('.')
  await kb.press('Enter')
  await kb.type('Every town keeps clean water in public hands.')
  await waitSaved(page)
}

describe('review on one device', () => {
  it('proposes an amendment shown inline, and rejecting it restores the exact original, formatting included', async () => {
    const { page } = await device()
    await writePlatform(page)
    const original = await editorHTML(page)
    await startProposing(page, 'Universal healthcare', 'Free is vague; universal says who.')
    await replaceWords(page, 'free', 'universal')
    await caretAfterWords(page, 'public hands.')
    await page.keyboard.press('Enter')
    await page.keyboard.type('Rivers too.')
    await selectWords(page, 'progressive ')
    await page.keyboard.press('Backspace')
    await expect.poll(() => editor(page).locator('del.pk-del').allInnerTexts()).toEqual(['free', 'progressive '])
    expect(await editor(page).locator('ins.pk-ins').allInnerTexts()).toEqual(['universal', 'Rivers too.'])
    await stopProposing(page)
    await showAmendments(page)
    const card = amendmentCard(page, 'Universal healthcare')
    await expect.poll(() => card.locator('.pk-change').innerText()).toContain('universal')
    await page.locator('.pk-toast .pk-icon-button').click() // the one-time storage notice
    await screenshot(page, 'amendment-proposed')
    await decide(page, 'Universal healthcare', 'Reject')
    expect(await editorHTML(page)).toBe(original)
    await expect.poll(() => card.locator('.pk-status-line').innerText()).toMatch(/Rejected by/)
    await screenshot(page, 'amendment-rejected')
  })

  it('proposes formatting and a heading level; they show in the text, and accepting makes them', async () => {
    const { page } = await device()
    await writePlatform(page)
    await startProposing(page, 'Stress water', 'Water deserves bold, and Health is a subsection.')
    await selectWords(page, 'clean water')
    await page.keyboard.press('Control+b')
    await caretAfterWords(page, 'Heal')
    await page.keyboard.press('Control+Shift+3')
    await stopProposing(page)
    // Nothing changed in the accepted text: the proposals sit beside it.
    await expect.poll(() => editor(page).locator('.pk-fmt.pk-fmt-strong').allInnerTexts()).toEqual(['clean water'])
    expect(await editor(page).locator('strong').allInnerTexts()).toEqual(['free'])
    await editor(page).locator('h2[data-proposed-form="a subsection heading"]', { hasText: 'Health' }).waitFor()
    await showAmendments(page)
    const card = amendmentCard(page, 'Stress water')
    await expect.poll(() => card.locator('.pk-change').innerText()).toContain('clean water → bold')
    expect(await card.locator('.pk-change').innerText()).toContain('“Health” becomes a subsection heading')
    while (await page.locator('.pk-toast .pk-icon-button').count() > 0) await page.locator('.pk-toast .pk-icon-button').first().click()
    await screenshot(page, 'formatting-proposed')
    await decide(page, 'Stress water', 'Accept')
    await expect.poll(() => editor(page).locator('strong').allInnerTexts()).toEqual(['free', 'clean water'])
    await editor(page).locator('h3', { hasText: 'Health' }).waitFor()
    expect(await editor(page).locator('.pk-fmt, [data-proposed-form]').count()).toBe(0)
    // Decided, its card still says what it changed: the formatting and the new heading level.
    await expect.poll(() => card.locator('.pk-change-decided').innerText()).toContain('clean water → bold')
    expect(await card.locator('.pk-change-decided').innerText()).toContain('“Health” becomes a subsection heading')
  })

  it('a comment follows its words when accepting an amendment joins their paragraph to the one before', async () => {
    const { page } = await device()
    await writePlatform(page)
    await commentOn(page, 'clean water', 'Drinking water?')
    await startProposing(page, 'One paragraph')
    await caretAfterWords(page, 'progressive taxes.')
    await page.keyboard.press('Delete')
    await stopProposing(page)
    await editor(page).locator('p[data-proposed-join]').waitFor()
    await decide(page, 'One paragraph', 'Accept')
    await expect.poll(() => editor(page).locator('p').count()).toBe(1)
    await showComments(page)
    await expect.poll(() => editor(page).locator('.pk-commented').allInnerTexts()).toEqual(['clean water'])
    expect(await page.locator('.pk-orphan').count()).toBe(0)
  })

  it('comments on words, replies, edits and resolves', async () => {
    const { page } = await device()
    await writePlatform(page)
    await commentOn(page, 'clean water', 'Should we say drinking water?')
    const thread = page.locator('.pk-thread').first()
    await thread.locator('.pk-comment-body', { hasText: 'drinking water?' }).waitFor()
    await expect.poll(() => editor(page).locator('.pk-commented').allInnerTexts()).toEqual(['clean water'])
    await thread.getByRole('textbox', { name: 'Reply…' }).fill('Yes, and rivers.')
    await thread.getByRole('button', { name: 'Reply', exact: true }).click()
    await thread.locator('.pk-comment-body', { hasText: 'Yes, and rivers.' }).waitFor()
    await screenshot(page, 'comment-thread')
    await thread.getByRole('button', { name: 'Edit' }).first().click()
    await thread.getByRole('textbox', { name: 'Edit your comment' }).fill('Should we say safe drinking water?')
    await thread.getByRole('button', { name: 'Save' }).click()
    await page.locator('.pk-thread .pk-comment-body', { hasText: 'safe drinking water?' }).waitFor()
    await page.locator('.pk-thread', { hasText: 'safe drinking' }).getByRole('button', { name: 'Resolve' }).click()
    await page.locator('.pk-review-empty', { hasText: 'No open comments' }).waitFor()
    await expect.poll(() => editor(page).locator('.pk-commented').count()).toBe(0)
  })
})

const convergedText = async (pages: Array<Device['page']>) => (await converged(pages)).text

describe('review between three members through a relay', () => {
  it('A proposes offline; B and C see it after A reconnects; B comments; C accepts; all agree', async () => {
    const r = await fleet.relay()
    // A reaches the relay through a line the test can cut; B and C connect directly.
    const line = await fleet.line(r.port)
    const [a, b, c] = [await device(), await device(), await device()]
    await writePlatform(a.page)
    const link = viaRelay(await shareThrough(a.page, line.url), r.url)
    await waitSynced(a.page)
    await joinWith(b.page, link)
    await joinWith(c.page, link)
    for (const [d, name] of [[a, 'Ana'], [b, 'Ben'], [c, 'Cleo']] as const) await setName(d.page, name)

    await line.cut()
    await a.page.locator('.pk-sync', { hasText: 'Offline' }).waitFor({ timeout: 15_000 })
    await startProposing(a.page, 'Universal healthcare', 'Free is vague; universal says who.')
    await replaceWords(a.page, 'free', 'universal')
    await stopProposing(a.page)
    await a.page.waitForTimeout(300)
    expect(await b.page.locator('.pk-amendment').count()).toBe(0)

    await a.page.locator('.pk-sync', { hasText: /edits? not yet on any relay/ }).waitFor()
    await line.restore()
    await waitSynced(a.page, 20_000)
    for (const p of [b.page, c.page]) {
      await showAmendments(p)
      await amendmentCard(p, 'Universal healthcare').waitFor({ timeout: 15_000 })
      await editor(p).locator('ins.pk-ins', { hasText: 'universal' }).waitFor()
    }
    const cardB = amendmentCard(b.page, 'Universal healthcare')
    await cardB.getByRole('textbox', { name: 'Comment…' }).fill('Universal also covers migrants. Support.')
    await cardB.getByRole('button', { name: 'Comment', exact: true }).click()
    await cardB.getByRole('button', { name: 'Support', exact: true }).click()
    const cardC = amendmentCard(c.page, 'Universal healthcare')
    await cardC.locator('.pk-comment-body', { hasText: 'covers migrants' }).waitFor()
    await expect.poll(() => cardC.locator('.pk-tally-item[data-position="support"]').innerText()).toBe('1 support')
    await decide(c.page, 'Universal healthcare', 'Accept')

    const text = await convergedText([a.page, b.page, c.page])
    expect(text).toContain('Healthcare shall be universal for all')
    expect(text).not.toContain('free')
    for (const p of [a.page, b.page, c.page]) {
      await showAmendments(p)
      const card = amendmentCard(p, 'Universal healthcare')
      await expect.poll(() => card.locator('.pk-status-line').innerText()).toMatch(/Accepted by Cleo/)
      expect(await editor(p).locator('ins.pk-ins, del.pk-del').count()).toBe(0)
    }
    await screenshot(b.page, 'amendment-accepted')
  })
})

/** A relay, a shared platform written by the first member, and everyone joined, each on a line the test can cut. */
const sharedPlatform = async (count: number) => {
  const r = await fleet.relay()
  const lines = await Promise.all(Array.from({ length: count }, () => fleet.line(r.port)))
  const members = await Promise.all(lines.map(() => device()))
  await writePlatform(members[0]!.page)
  const link = await shareThrough(members[0]!.page, lines[0]!.url)
  await waitSynced(members[0]!.page)
  for (let i = 1; i < count; i++) await joinWith(members[i]!.page, viaRelay(link, lines[i]!.url))
  const names = ['Ana', 'Ben', 'Cleo']
  for (let i = 0; i < count; i++) await setName(members[i]!.page, names[i]!)
  return { members: members.map((m) => m.page), lines }
}

const offline = async (page: Device['page'], line: TcpProxy) => {
  await line.cut()
  await page.locator('.pk-sync', { hasText: 'Offline' }).waitFor({ timeout: 15_000 })
}
const online = async (page: Device['page'], line: TcpProxy) => {
  await line.restore()
  await waitSynced(page, 20_000)
}

describe('review under concurrent edits', () => {
  it('a comment stays on its words when a member edits inside and before them at the same time', async () => {
    const { members: [a, b], lines } = await sharedPlatform(2)
    await offline(b!, lines[1]!)
    await commentOn(a!, 'clean water', 'Say who owns the pipes.')
    await caretAfterWords(b!, 'clean')
    await b!.keyboard.type(' drinking')
    await caretAfterWords(b!, 'Every town')
    await b!.keyboard.type(' and village')
    await online(b!, lines[1]!)
    await convergedText([a!, b!])
    for (const p of [a!, b!]) {
      await expect.poll(() => editor(p).locator('.pk-commented').allInnerTexts()).toEqual(['clean drinking water'])
      await p.locator('.pk-thread .pk-quote', { hasText: 'clean water' }).waitFor()
    }
    expect(await draftText(a!)).toContain('Every town and village keeps clean drinking water')
    // The commented words deleted: the thread says so and keeps the quote.
    await replaceWords(a!, 'clean drinking water', 'water')
    await a!.locator('.pk-orphan', { hasText: 'have been deleted' }).waitFor()
    await b!.locator('.pk-orphan', { hasText: 'have been deleted' }).waitFor()
    await screenshot(b!, 'comment-orphaned')
  })

  it('two amendments to the same words, accepted at once by different members, converge everywhere', async () => {
    const { members: [a, b, c], lines } = await sharedPlatform(3)
    await offline(b!, lines[1]!)
    await startProposing(a!, 'A right of all')
    await replaceWords(a!, 'free for all', 'a right of all')
    await stopProposing(a!)
    await startProposing(b!, 'Universal')
    await replaceWords(b!, 'free', 'universal')
    await stopProposing(b!)
    await online(b!, lines[1]!)
    for (const p of [a!, b!, c!]) {
      await showAmendments(p)
      await amendmentCard(p, 'A right of all').waitFor()
      await amendmentCard(p, 'Universal').waitFor()
    }
    await convergedText([a!, b!, c!])
    // Ben's "universal" was typed inside the words Ana proposes to delete: it carries her deletion too.
    await editor(c!).locator('del.pk-del', { hasText: 'universal' }).first().waitFor()
    await screenshot(c!, 'two-amendments')
    // Ben accepts Ana's while Cleo accepts Ben's, neither seeing the other's decision.
    await offline(b!, lines[1]!)
    await offline(c!, lines[2]!)
    await decide(b!, 'A right of all', 'Accept')
    await decide(c!, 'Universal', 'Accept')
    await online(b!, lines[1]!)
    await online(c!, lines[2]!)
    // Accepting Ana's removes the whole phrase, Ben's insertion within it included, on every peer.
    const text = await convergedText([a!, b!, c!])
    expect(text).toContain('Healthcare shall be a right of all, paid from progressive taxes.')
    for (const p of [a!, b!, c!]) {
      await expect.poll(() => editor(p).locator('ins.pk-ins, del.pk-del').count()).toBe(0)
      for (const [title, by] of [['A right of all', 'Ben'], ['Universal', 'Cleo']]) {
        await expect.poll(() => amendmentCard(p, title!).locator('.pk-status-line').innerText()).toContain(`Accepted by ${by}`)
      }
    }
  })
})
