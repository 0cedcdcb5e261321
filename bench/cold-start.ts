import * as Y from 'yjs'
import { prosemirrorToYXmlFragment } from 'y-prosemirror'
import type { Page } from 'playwright-core'
import { schema } from '../renderer/src/editor/schema.ts'
import { content, createDraftDoc, seedDraft, NODE, PLANK_LEVEL } from '../crdt/index.ts'
import { launchDevice } from '../test/support/chromium.ts'
import { serveApp } from '../test/support/app-server.ts'

/**
 * Launch to editable, in Chromium, for drafts stored in IndexedDB exactly as the app
 * stores them (the y-indexeddb database and the workspace entry), against a one-line
 * draft measured the same way in the same run.
 */

/** A platform of `sections` planks, each a heading and three ~80-word paragraphs (~50 pages at 100). */
export const platformDoc = (sections: number): Y.Doc => {
  const doc = createDraftDoc()
  seedDraft(doc, { title: 'The People’s Platform' })
  const words = 'the members of every chapter agree that housing work health and democracy belong to all of us together'.split(' ')
  const paragraph = (seed: number) => schema.nodes.paragraph!.create(null, schema.text(Array.from({ length: 80 }, (_, i) => words[(seed * 7 + i * 3) % words.length]).join(' ') + '.'))
  const nodes = [schema.nodes.title!.create(null, schema.text('The People’s Platform')), paragraph(0)]
  for (let s = 1; s <= sections; s++) {
    nodes.push(schema.nodes.heading!.create({ level: PLANK_LEVEL }, schema.text(`Plank ${s}`)), paragraph(s), paragraph(s + 1), paragraph(s + 2))
  }
  const fragment = content(doc)
  doc.transact(() => fragment.delete(0, fragment.length))
  prosemirrorToYXmlFragment(schema.node(NODE.doc, null, nodes), fragment)
  return doc
}

/**
 * Write a draft the way the app stores it: its y-indexeddb database and its workspace
 * entry (marked last opened). A string script, so no build-tool helpers leak into it.
 */
const STORE_DRAFT = `async ({ id, title, updates }) => {
  const open = (name, init) => new Promise((resolve, reject) => {
    const req = indexedDB.open(name)
    req.onupgradeneeded = () => init && init(req.result)
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
  const done = (tx) => new Promise((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onerror = () => reject(tx.error) })
  const draft = await open('plank-draft-' + id, (db) => { db.createObjectStore('updates', { autoIncrement: true }); db.createObjectStore('custom') })
  const tx = draft.transaction('updates', 'readwrite')
  for (const b64 of updates) tx.objectStore('updates').add(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)))
  await done(tx)
  draft.close()
  const ws = await open('plank-workspace')
  const wtx = ws.transaction(['drafts', 'settings'], 'readwrite')
  wtx.objectStore('drafts').put({ id, title, created: Date.now(), updated: Date.now() })
  wtx.objectStore('settings').put(id, 'lastOpenedDraft')
  await done(wtx)
  ws.close()
}`

const storeDraft = async (page: Page, id: string, title: string, updates: string[]) => {
  await page.evaluate(`(${STORE_DRAFT})(${JSON.stringify({ id, title, updates })})`)
}

const timeToEditable = async (page: Page, url: string, expectText: string): Promise<number> => {
  await page.goto(url)
  await page.locator('.pk-editor[contenteditable="true"]', { hasText: expectText }).waitFor({ timeout: 120_000 })
  return page.evaluate("performance.getEntriesByName('plank-ready')[0].startTime") as Promise<number>
}

export interface ColdStartCase { name: string; updates: Uint8Array[]; lastText: string; storedBytes: number }

export const coldStart = async (cases: ColdStartCase[], runs = 3): Promise<Array<{ name: string; medianMs: number; storedKB: number; updates: number }>> => {
  const app = await serveApp()
  const results = []
  try {
    for (const c of cases) {
      const times: number[] = []
      const encoded = c.updates.map((u) => Buffer.from(u).toString('base64'))
      for (let r = 0; r < runs; r++) {
        const device = await launchDevice()
        try {
          await device.page.goto(app.url)
          await device.page.locator('#app[data-ready="true"]').waitFor()
          const id = crypto.randomUUID()
          for (let i = 0; i < encoded.length; i += 20_000) await storeDraft(device.page, id, c.name, encoded.slice(i, i + 20_000))
          // Restart the browser: a real launch, nothing warm in memory.
          await device.close()
          const again = await launchDevice({ profileDir: device.profileDir })
          try {
            times.push(await timeToEditable(again.page, app.url, c.lastText))
          } finally {
            await again.dispose()
          }
        } finally {
          await device.dispose()
        }
      }
      times.sort((a, b) => a - b)
      results.push({ name: c.name, medianMs: times[Math.floor(times.length / 2)]!, storedKB: c.storedBytes / 1024, updates: c.updates.length })
    }
  } finally {
    await app.close()
  }
  return results
}
