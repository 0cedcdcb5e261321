/**
 * Can this browser keep drafts at all? Private windows and disabled storage fail
 * here, before any draft is touched, so the member hears it at once.
 */
export const probeStorage = async (): Promise<string | null> => {
  if (typeof indexedDB === 'undefined') return 'This browser has no IndexedDB, so Plank cannot keep drafts on this device.'
  try {
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open('plank-storage-probe')
      request.onsuccess = () => { request.result.close(); resolve() }
      request.onerror = () => reject(request.error ?? new Error('open failed'))
      request.onblocked = () => reject(new Error('blocked by another window'))
    })
    return null
  } catch (err) {
    return `This device's storage is not available to Plank (${err instanceof Error ? err.message : String(err)}). In a private window or with site data disabled, drafts cannot be kept.`
  }
}

/**
 * Ask the browser not to evict Plank's data under storage pressure. Electron grants it;
 * a browser may refuse, in which case the member is told where to look.
 */
export const requestPersistentStorage = async (): Promise<boolean> => {
  if (!navigator.storage?.persist) return false
  if (await navigator.storage.persisted()) return true
  return navigator.storage.persist()
}
