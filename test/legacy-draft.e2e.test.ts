import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Page } from 'playwright-core'
import { useApp } from './support/app-server.ts'
import { useFleet } from './support/fleet.ts'
import { openApp, screenshot } from './support/editor-page.ts'
import { showVotes, voteCard } from './support/votes-page.ts'
import { showVersions, versionItem } from './support/versions-page.ts'
import { parseInvite } from '../renderer/src/sync/invite.ts'
import { contentHash, createDraftDoc, encodeBytes, identityFromSecret, newIdentity, recordHash, seedDraft, sign, signRecord } from '../crdt/index.ts'

/**
 * A draft made before signed records named their draft (format 1: a random id, a
 * roster whose founding entry is not bound to it, votes keyed by random question ids,
 * unsigned versions) still opens, and shows its roster, vote, ratification and version
 * as they were, marked for what they cannot prove; its invite links name the founder
 * this device trusts, so a device joining with one refuses any other.
 */
const app = useApp()
const fleet = useFleet()

/** The draft as the previous Plank wrote it, all in format 1. */
const formatOneDraft = async () => {
  const [ana, ben] = [newIdentity(), newIdentity()]
  const doc = createDraftDoc()
  seedDraft(doc, { title: 'People’s Platform', now: 1 })
  const para = (doc.getXmlFragment('content').get(1) as Y.XmlElement).get(0) as Y.XmlText
  para.insert(0, 'Rent shall be capped.')
  const log = doc.getArray('members')
  const push = (arr: Y.Array<unknown>, r: Record<string, unknown>) => { arr.push([r]); return recordHash(r) }
  const found = push(log, signRecord(ana, { v: 1, t: 'found', name: 'Ana', by: ana.id, at: 1, prev: [], sig: '' }))
  const invitation = newIdentity()
  const invite = push(log, signRecord(ana, { v: 1, t: 'invite', invite: invitation.id, role: 'member', max: 10, by: ana.id, at: 2, prev: [found], sig: '' }))
  push(log, signRecord(ben, { v: 1, t: 'accept', invite: invitation.id, name: 'Ben', proof: sign(invitation, `${ben.id}|${invitation.id}`), by: ben.id, at: 3, prev: [invite], sig: '' }))
  const snapshot = Y.encodeSnapshot(Y.snapshot(doc))
  const hash = await contentHash(doc, 1)
  doc.getMap('versions').set('v-old', { id: 'v-old', kind: 'named', name: 'Draft 1', author: { id: ana.id, name: 'Ana', color: '#0f6b63' }, created: 4, snapshot, hash, format: 1 })
  const q = doc.getArray('questions')
  push(q, signRecord(ana, { v: 1, t: 'open', id: 'q-old', text: 'Ratify “Draft 1”?', subject: { kind: 'ratify', version: 'v-old', hash }, rule: 'majority', quorum: 2, by: ana.id, at: 5, sig: '' }))
  const ballots = [push(q, signRecord(ana, { v: 1, t: 'ballot', question: 'q-old', choice: 'yes', by: ana.id, at: 6, sig: '' })), push(q, signRecord(ben, { v: 1, t: 'ballot', question: 'q-old', choice: 'yes', by: ben.id, at: 6, sig: '' }))]
  const close = push(q, signRecord(ana, { v: 1, t: 'close', question: 'q-old', ballots, by: ana.id, at: 7, sig: '' }))
  push(q, signRecord(ana, { v: 1, t: 'ratify', question: 'q-old', version: 'v-old', hash, result: 'passed', counts: { yes: 2, no: 0, abstain: 0, block: 0 }, close, by: ana.id, at: 8, sig: '' }))
  return { update: [...Y.encodeStateAsUpdate(doc)], ana, found }
}

/** Put a draft on this device's storage as the previous Plank left it, signed in as `secretKey`'s member. */
const plant = (page: Page, p: { id: string; update: number[]; secretKey: string; memberId: string }) => page.evaluate((x) => new Promise<void>((resolve, reject) => {
  const open = (name: string, stores: Array<[string, IDBObjectStoreParameters?]>) => new Promise<IDBDatabase>((res, rej) => {
    const req = indexedDB.open(name)
    req.onupgradeneeded = () => { for (const [s, o] of stores) req.result.createObjectStore(s, o) }
    req.onsuccess = () => res(req.result)
    req.onerror = () => rej(req.error)
  })
  void (async () => {
    const draft = await open(`plank-draft-${x.id}`, [['updates', { autoIncrement: true }], ['custom']])
    const t1 = draft.transaction('updates', 'readwrite')
    t1.objectStore('updates').add(new Uint8Array(x.update))
    await new Promise((r) => { t1.oncomplete = r })
    draft.close()
    const ws = await open('plank-workspace', [['drafts', { keyPath: 'id' }], ['settings']])
    const t2 = ws.transaction(['drafts', 'settings'], 'readwrite')
    t2.objectStore('drafts').put({ id: x.id, title: 'People’s Platform', created: 1, updated: Date.now() })
    t2.objectStore('settings').put({ id: x.memberId, name: 'Ana', color: '#0f6b63', secretKey: x.secretKey }, 'profile')
    t2.objectStore('settings').put(x.id, 'lastOpenedDraft')
    await new Promise((r) => { t2.oncomplete = r })
    ws.close()
  })().then(resolve, reject)
}), p)

describe('a draft from before signed records named their draft', () => {
  it('opens with its roster, vote, ratification and version as they were, marked for what they cannot prove; its links name the trusted founder', async () => {
    const { update, ana, found } = await formatOneDraft()
    const id = '4f0c2a8e-9a51-4c43-8f43-1c2f0b5c9d11'
    const a = await fleet.device()
    await openApp(a.page, app.url)
    await plant(a.page, { id, update, secretKey: encodeBytes(ana.secretKey), memberId: identityFromSecret(ana.secretKey).id })
    await a.page.reload()
    await a.page.locator('#app[data-ready="true"]').waitFor()
    await a.page.locator('.pk-editor', { hasText: 'Rent shall be capped.' }).waitFor()

    await showVotes(a.page)
    const card = voteCard(a.page, 'Ratify “Draft 1”?')
    await card.locator('.pk-chip', { hasText: 'Passed' }).waitFor()
    await card.locator('.pk-ratified').waitFor()
    await card.locator('.pk-legacy', { hasText: 'Recorded by an earlier Plank' }).waitFor()
    expect((await card.locator('.pk-vote-tally').innerText()).replace(/\s+/g, ' ')).toBe('2 yes 0 no 0 abstain 0 block')
    expect(await a.page.locator('.pk-banner-trust').isHidden()).toBe(true)
    await screenshot(a.page, 'legacy-vote')

    await showVersions(a.page)
    const v = versionItem(a.page, 'Draft 1')
    await v.locator('.pk-version-unsigned').waitFor()
    await v.locator('.pk-version-check', { hasText: 'verified' }).waitFor()
    await v.locator('.pk-ratification-ratified', { hasText: 'Ratified 2–0' }).waitFor()
    await screenshot(a.page, 'legacy-version')

    await a.page.getByRole('button', { name: 'Share', exact: true }).click()
    await a.page.getByRole('dialog').getByRole('button', { name: 'Members…' }).click()
    const members = a.page.getByRole('dialog', { name: 'Members' })
    expect(await members.locator('.pk-member-name').allInnerTexts()).toEqual(['Ana (you)', 'Ben'])
    await members.locator('.pk-root-note', { hasText: 'trusts the founder it first saw' }).waitFor()
    await members.getByRole('button', { name: 'Close' }).click()
    // The invite link names the founding entry this device pinned.
    await a.page.getByRole('button', { name: 'Share', exact: true }).click()
    const dialog = a.page.getByRole('dialog')
    await dialog.getByLabel('Relay address').fill('ws://127.0.0.1:9')
    await dialog.getByRole('button', { name: 'Add relay' }).click()
    const link = await dialog.getByLabel('Invite link').inputValue()
    expect(parseInvite(link)).toMatchObject({ draftId: id, root: found })
  })
})
