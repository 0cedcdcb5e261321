import { loadSettings, saveSettings, type AppSettings } from './app-settings.ts'

/**
 * Updating the installed app from a generic HTTPS feed (electron-updater): the files
 * `npm run dist` writes (latest.yml, latest-mac.yml, latest-linux.yml, the installers
 * and their blockmaps), served by anyone, at the address the package was built with
 * (electron-builder.yml `publish`). The updater keeps its checks: the download must
 * match the feed's SHA-512, and on Windows and macOS the new version must be signed by
 * the same publisher as the installed one.
 *
 * Automatic (the default): check at start and every few hours, download in the
 * background, install when the member quits, and offer once to restart now.
 * Off: nothing is fetched until the member chooses Check for Updates…, which asks
 * before downloading. The choice is kept in main's settings (app-settings.ts).
 */

/** The part of electron-updater's `autoUpdater` Plank uses (replaced in tests). */
export interface Updater {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  allowDowngrade: boolean
  allowPrerelease: boolean
  disableWebInstaller: boolean
  checkForUpdates(): Promise<{ isUpdateAvailable: boolean; updateInfo: { version: string } } | null>
  downloadUpdate(): Promise<unknown>
  quitAndInstall(): void
  on(event: 'error', listener: (error: Error) => void): unknown
}

/** A question in a native message box; the answer is the index of the button pressed. */
export interface Question {
  message: string
  detail: string
  buttons: string[]
  defaultId: number
  cancelId: number
}

export interface UpdatesDeps {
  /** electron-updater's autoUpdater, or null when the app runs from a checkout (no package, no feed). */
  updater: Updater | null
  settingsFile: string
  currentVersion: string
  ask: (question: Question) => Promise<number>
  log: (message: string) => void
  /** Run `fn` every `ms` until the returned function is called (setInterval; replaced in tests). */
  every?: (ms: number, fn: () => void) => () => void
}

export const CHECK_EVERY_MS = 6 * 60 * 60 * 1000

const everyWithTimer = (ms: number, fn: () => void): (() => void) => {
  const timer = setInterval(fn, ms)
  timer.unref?.()
  return () => clearInterval(timer)
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300)

export class Updates {
  private settings: AppSettings
  private stopSchedule: (() => void) | null = null
  private running: Promise<void> | null = null
  /** The version downloaded and waiting to be installed, if any. */
  private ready: string | null = null
  /** The member downloaded the waiting version themselves (so it installs on quit even with automatic updates off). */
  private askedFor = false

  constructor(private readonly deps: UpdatesDeps) {
    this.settings = loadSettings(deps.settingsFile)
    const updater = deps.updater
    if (updater) {
      // Plank decides when to download: at once when automatic, after asking when not.
      updater.autoDownload = false
      updater.autoInstallOnAppQuit = this.settings.automaticUpdates
      updater.allowDowngrade = false
      updater.allowPrerelease = false
      // Web installers may skip signature checks; Plank's installers are never web installers.
      updater.disableWebInstaller = true
      updater.on('error', (err) => deps.log(`update: ${errorText(err)}`))
    }
  }

  get automatic(): boolean {
    return this.settings.automaticUpdates
  }

  /** Begin background checks, when updates are automatic and there is a feed. */
  start(): void {
    if (!this.deps.updater || !this.automatic || this.stopSchedule) return
    this.stopSchedule = (this.deps.every ?? everyWithTimer)(CHECK_EVERY_MS, () => void this.check('background'))
    void this.check('background')
  }

  stop(): void {
    this.stopSchedule?.()
    this.stopSchedule = null
  }

  /** The member's choice, kept across launches. Turning it off stops every check at once. */
  setAutomatic(on: boolean): void {
    this.settings = { ...this.settings, automaticUpdates: on }
    saveSettings(this.deps.settingsFile, this.settings)
    this.deps.log(`automatic updates ${on ? 'on' : 'off'}`)
    if (this.deps.updater) this.deps.updater.autoInstallOnAppQuit = on || (this.ready !== null && this.askedFor)
    if (on) this.start()
    else this.stop()
  }

  /** Check for Updates…: the member asked, so every outcome is said. */
  checkNow(): Promise<void> {
    return this.check('member')
  }

  private check(who: 'background' | 'member'): Promise<void> {
    // One check at a time; a member's check waits for a background one rather than being dropped.
    const next = (this.running ?? Promise.resolve())
      .then(() => this.run(who))
      .catch((err: unknown) => this.deps.log(`update: ${errorText(err)}`))
    this.running = next
    void next.then(() => { if (this.running === next) this.running = null })
    return next
  }

  private async run(who: 'background' | 'member'): Promise<void> {
    const { updater, ask, currentVersion, log } = this.deps
    const member = who === 'member'
    if (who === 'background' && !this.automatic) return
    if (!updater) {
      if (member) await ask(this.notice('Updates come with the installed app', 'This copy of Plank runs from a checkout: update it with git pull.'))
      return
    }
    if (this.ready) {
      if (member) await this.offerRestart(this.ready)
      return
    }
    let result: Awaited<ReturnType<Updater['checkForUpdates']>>
    try {
      result = await updater.checkForUpdates()
    } catch (err) {
      log(`update check failed: ${errorText(err)}`)
      if (member) await ask(this.notice('Plank could not check for updates', `${errorText(err)}. Your drafts are not affected; try again later.`))
      return
    }
    if (!result?.isUpdateAvailable) {
      if (member) await ask(this.notice('You have the newest Plank', `Version ${currentVersion}.`))
      return
    }
    const version = result.updateInfo.version
    if (member && !this.automatic) {
      const answer = await ask({
        message: `Plank ${version} is available`,
        detail: `You have ${currentVersion}. Download it now? It is installed when you quit Plank, or at once if you restart.`,
        buttons: ['Download', 'Not now'],
        defaultId: 0,
        cancelId: 1,
      })
      if (answer !== 0) return
    }
    try {
      await updater.downloadUpdate()
    } catch (err) {
      log(`update download failed: ${errorText(err)}`)
      if (member) await ask(this.notice(`Plank ${version} could not be downloaded`, `${errorText(err)}. Nothing was changed; try again later.`))
      return
    }
    log(`update ${version} downloaded`)
    this.ready = version
    this.askedFor = member
    updater.autoInstallOnAppQuit = true
    await this.offerRestart(version)
  }

  private async offerRestart(version: string): Promise<void> {
    const answer = await this.deps.ask({
      message: `Plank ${version} is ready`,
      detail: 'It will be installed when you quit Plank. Restart now to use it at once; your drafts are saved.',
      buttons: ['Restart now', 'Later'],
      defaultId: 1,
      cancelId: 1,
    })
    if (answer === 0) this.deps.updater?.quitAndInstall()
  }

  private notice(message: string, detail: string): Question {
    return { message, detail, buttons: ['OK'], defaultId: 0, cancelId: 0 }
  }
}
