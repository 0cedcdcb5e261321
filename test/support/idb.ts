import type { Page } from 'playwright-core'

/** Read and write a draft's raw IndexedDB store from the page, as corruption would. */
export const currentDraftDb = async (page: Page): Promise<string> => {
  const id = await page.locator('.pk-draft.pk-current').getAttribute('data-draft-id')
  if (!id) throw new Error('no draft is open')
  return `plank-draft-${id}`
}

export const readUpdates = (page: Page, dbName: string): Promise<number[][]> =>
  page.evaluate((name) => new Promise<number[][]>((resolve, reject) => {
    const req = indexedDB.open(name)
    req.onerror = () => reject(req.error)
    req.onsuccess = () => {
      const db = req.result
      const all = db.transaction('updates', 'readonly').objectStore('updates').getAll()
      all.onsuccess = () => { db.close(); resolve((all.result as Uint8Array[]).map((u) => [...u])) }
      all.onerror = () => reject(all.error)
    }
  }), dbName)

export const appendUpdate = (page: Page, dbName: string, bytes: number[]): Promise<void> =>
  page.evaluate(([name, data]) => new Promise<void>((resolve, reject) => {
    const req = indexedDB.open(name as string)
    req.onerror = () => reject(req.error)
    req.onsuccess = () => {
      const db = req.result
      const tx = db.transaction('updates', 'readwrite')
      tx.objectStore('updates').add(new Uint8Array(data as number[]))
      tx.oncomplete = () => { db.close(); resolve() }
      tx.onerror = () => reject(tx.error)
    }
  }), [dbName, bytes] as const)
