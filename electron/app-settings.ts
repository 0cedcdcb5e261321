import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * The desktop app's own settings, kept by main in its data directory (settings.json).
 * Drafts and the member's preferences live in the page's IndexedDB; these are the few
 * things main decides before any page exists.
 */
export interface AppSettings {
  /** Check for, download and install updates without asking (on by default). */
  automaticUpdates: boolean
}

export const DEFAULT_SETTINGS: AppSettings = { automaticUpdates: true }

/** Read the settings; a missing or damaged file means the defaults (never a crash). */
export const loadSettings = (file: string): AppSettings => {
  try {
    const raw: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_SETTINGS }
    const r = raw as Record<string, unknown>
    return { automaticUpdates: typeof r.automaticUpdates === 'boolean' ? r.automaticUpdates : DEFAULT_SETTINGS.automaticUpdates }
  } catch {
    return { ...DEFAULT_SETTINGS }
  }
}

/** Write through a temporary file, so a crash mid-write leaves the old settings, not half of them. */
export const saveSettings = (file: string, settings: AppSettings): void => {
  mkdirSync(dirname(file), { recursive: true })
  const temporary = `${file}.tmp`
  writeFileSync(temporary, JSON.stringify(settings))
  renameSync(temporary, file)
}
