/**
 * What main does when something goes wrong that nothing expected: an uncaught exception
 * or an unhandled rejection in main (the hosted relay runs here), or the page's process
 * dying. The error is logged with its stack and the member is told in plain words;
 * hosting is stopped cleanly (the relay flushes its store, the page stops syncing
 * through it) rather than left serving the room from a process in an unknown state;
 * and a window whose page died is reloaded, not left blank, unless it keeps dying.
 */
export interface CrashGuardDeps {
  log: (message: string) => void
  /** Stop hosting if this app hosts a draft; resolves to whether it was hosting. */
  stopHosting: () => Promise<boolean>
  /** Tell the page hosting stopped, so its status and relays follow. */
  hostingStopped: () => void
  /** Show the member a message (a native message box); resolves when it is dismissed. */
  tell: (message: string, detail: string) => Promise<void>
  /** How long stopping the relay may take before the member is told anyway. */
  stopTimeoutMs?: number
  now?: () => number
}

/** A page that dies this often within a minute is not reloaded again (it would only die again). */
export const MAX_RELOADS_PER_MINUTE = 3

export interface GoneDetails { reason: string; exitCode?: number }

export interface WatchedContents {
  on(event: 'render-process-gone', listener: (event: unknown, details: GoneDetails) => void): unknown
  reload(): void
}

const describe = (error: unknown): { text: string; stack: string } => {
  if (error instanceof Error) return { text: error.message.split('\n')[0]!.slice(0, 300) || error.name, stack: error.stack ?? error.message }
  const text = String(error).slice(0, 300)
  return { text, stack: text }
}

const withTimeout = <T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(fallback), ms)
    timer.unref?.()
    promise.then((value) => { clearTimeout(timer); resolve(value) }, (err: unknown) => { clearTimeout(timer); reject(err) })
  })

export class CrashGuard {
  /** One message box at a time: an error repeating in a loop must not bury the member in dialogs. */
  private telling = false
  private untold = 0
  private reloads: number[] = []

  constructor(private readonly deps: CrashGuardDeps) {}

  /** Listen on the main process (`process`). */
  install(proc: { on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown }): void {
    proc.on('uncaughtException', (error) => void this.failed('uncaught exception', error))
    proc.on('unhandledRejection', (reason) => void this.failed('unhandled rejection', reason))
  }

  /** An error nothing caught: log it, stop hosting, tell the member. Never throws. */
  async failed(kind: string, error: unknown): Promise<void> {
    const { text, stack } = describe(error)
    this.deps.log(`${kind} in the main process: ${stack}`)
    let stopped: boolean
    try {
      stopped = await withTimeout(this.deps.stopHosting(), this.deps.stopTimeoutMs ?? 5000, true)
    } catch (err) {
      stopped = true
      this.deps.log(`stopping hosting after the error failed too: ${describe(err).stack}`)
    }
    if (stopped) {
      this.deps.log('hosting stopped after an unexpected error')
      this.deps.hostingStopped()
    }
    await this.tell('Something went wrong in Plank', [
      `${text}.`,
      stopped ? 'Hosting on this network was stopped so that nobody syncs through it in an unknown state; you can host again.' : '',
      'Your drafts are saved on this device and you can keep working.',
    ].filter(Boolean).join(' '))
  }

  /** Reload a window whose page died (crashed, killed, out of memory), unless it keeps dying. */
  watchWindow(contents: WatchedContents): void {
    contents.on('render-process-gone', (_event, details) => {
      if (details.reason === 'clean-exit') return
      this.deps.log(`the window's page stopped: ${details.reason}${details.exitCode === undefined ? '' : ` (exit code ${details.exitCode})`}`)
      const now = (this.deps.now ?? Date.now)()
      this.reloads = this.reloads.filter((t) => now - t < 60_000)
      if (this.reloads.length >= MAX_RELOADS_PER_MINUTE) {
        void this.tell('The Plank window keeps stopping', `Its page stopped again (${details.reason}). Quit Plank and open it again. Your drafts are saved on this device.`)
        return
      }
      this.reloads.push(now)
      contents.reload()
      void this.tell('The Plank window stopped and was reopened', `Its page stopped unexpectedly (${details.reason}). Your drafts are as they were last saved on this device.`)
    })
  }

  private async tell(message: string, detail: string): Promise<void> {
    if (this.telling) {
      this.untold++
      return
    }
    this.telling = true
    try {
      await this.deps.tell(message, detail)
    } catch (err) {
      this.deps.log(`could not show a message: ${describe(err).text}`)
    } finally {
      this.telling = false
      if (this.untold > 0) this.deps.log(`${this.untold} more errors while the message was shown (logged above)`)
      this.untold = 0
    }
  }
}
