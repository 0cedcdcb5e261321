import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Debian's Chromium, driven by playwright-core (never a downloaded browser). Each
 * "device" is a persistent context with its own profile directory, so IndexedDB
 * survives a reload and even a browser restart, as on a member's machine.
 */
export const CHROMIUM = process.env.PLANK_CHROMIUM ?? '/usr/bin/chromium'

const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
]

export interface Device {
  context: BrowserContext
  page: Page
  profileDir: string
  /** Close the browser, keeping the profile (to relaunch it later). */
  close(): Promise<void>
  /** Close and delete the profile. */
  dispose(): Promise<void>
}

/** `args`: extra Chromium switches (a meeting test trusts one certificate's key with --ignore-certificate-errors-spki-list). */
export const launchDevice = async (opts: { profileDir?: string; offline?: boolean; args?: string[] } = {}): Promise<Device> => {
  const profileDir = opts.profileDir ?? (await mkdtemp(join(tmpdir(), 'plank-profile-')))
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, ...(opts.args ?? [])],
    viewport: { width: 1280, height: 820 },
    offline: opts.offline ?? false,
  })
  const page = context.pages()[0] ?? (await context.newPage())
  // A script error in the app is a bug worth seeing in the test output.
  page.on("pageerror", (err) => console.error(`[page error] ${err.stack ?? err.message}`))
  const close = () => context.close()
  return {
    context, page, profileDir, close,
    async dispose() {
      await close().catch(() => {})
      await rm(profileDir, { recursive: true, force: true })
    },
  }
}
