import { describe, expect, it, vi } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CHECK_EVERY_MS, Updates, type Question, type Updater } from './updates.ts'

/** electron-updater's autoUpdater, replaced: a feed that has `latest` (or nothing newer, or fails). */
const fakeUpdater = (feed: { latest?: string; checkFails?: string; downloadFails?: string } = {}) => {
  const updater = {
    autoDownload: true,
    autoInstallOnAppQuit: true,
    allowDowngrade: true,
    allowPrerelease: true,
    disableWebInstaller: false,
    // What Plank must never touch: the Windows publisher check, the dev feed.
    verifyUpdateCodeSignature: 'electron-updater’s own check',
    forceDevUpdateConfig: false,
    checkForUpdates: vi.fn(async () => {
      if (feed.checkFails) throw new Error(feed.checkFails)
      return { isUpdateAvailable: !!feed.latest, updateInfo: { version: feed.latest ?? '0.1.0' } }
    }),
    downloadUpdate: vi.fn(async () => {
      if (feed.downloadFails) throw new Error(feed.downloadFails)
      return ['/tmp/Plank-0.2.0.AppImage']
    }),
    quitAndInstall: vi.fn(),
    on: vi.fn(),
  }
  return updater as typeof updater & Updater
}

const setup = (opts: { updater?: Updater | null; answers?: number[]; settings?: string } = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'plank-updates-'))
  const settingsFile = join(dir, 'settings.json')
  if (opts.settings !== undefined) writeFileSync(settingsFile, opts.settings)
  const asked: Question[] = []
  const answers = [...(opts.answers ?? [])]
  let tick: (() => void) | null = null
  const stopTicking = vi.fn(() => { tick = null })
  const log = vi.fn()
  const make = () => new Updates({
    updater: opts.updater === undefined ? fakeUpdater() : opts.updater,
    settingsFile,
    currentVersion: '0.1.0',
    ask: async (q) => { asked.push(q); return answers.shift() ?? q.cancelId },
    log,
    every: (ms, fn) => { expect(ms).toBe(CHECK_EVERY_MS); tick = fn; return stopTicking },
  })
  return { make, asked, settingsFile, stopTicking, log, tick: () => tick?.() }
}

const settled = () => new Promise((r) => setTimeout(r, 0))

describe('updates', () => {
  it('by default checks at start and every few hours, downloads, and offers once to restart (Later is the default)', async () => {
    const updater = fakeUpdater({ latest: '0.2.0' })
    const { make, asked, tick } = setup({ updater, answers: [1] })
    const updates = make()
    expect(updates.automatic).toBe(true)
    // The updater's own checks stay on; Plank only says when to download.
    expect(updater).toMatchObject({ autoDownload: false, autoInstallOnAppQuit: true, allowDowngrade: false, allowPrerelease: false, disableWebInstaller: true })
    updates.start()
    await vi.waitFor(() => expect(asked).toHaveLength(1))
    expect(updater.downloadUpdate).toHaveBeenCalledTimes(1)
    expect(asked[0]).toMatchObject({ message: 'Plank 0.2.0 is ready', buttons: ['Restart now', 'Later'], defaultId: 1, cancelId: 1 })
    expect(updater.quitAndInstall).not.toHaveBeenCalled()
    expect(updater.autoInstallOnAppQuit).toBe(true)
    // The next scheduled check finds it waiting and downloads nothing again, nor asks again.
    tick()
    await settled()
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1)
    expect(asked).toHaveLength(1)
    expect(updater.verifyUpdateCodeSignature).toBe('electron-updater’s own check')
    expect(updater.forceDevUpdateConfig).toBe(false)
  })

  it('restarts into the update when the member says so', async () => {
    const updater = fakeUpdater({ latest: '0.2.0' })
    const { make } = setup({ updater, answers: [0] })
    make().start()
    await vi.waitFor(() => expect(updater.quitAndInstall).toHaveBeenCalledTimes(1))
  })

  it('turned off: kept across launches, nothing fetched, nothing installed on quit', async () => {
    const updater = fakeUpdater({ latest: '0.2.0' })
    const { make, settingsFile, stopTicking } = setup({ updater })
    const first = make()
    first.start()
    await settled()
    first.setAutomatic(false)
    expect(stopTicking).toHaveBeenCalled()
    expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toEqual({ automaticUpdates: false })
    updater.checkForUpdates.mockClear()
    updater.downloadUpdate.mockClear()
    // The next launch.
    const next = make()
    expect(next.automatic).toBe(false)
    expect(updater.autoInstallOnAppQuit).toBe(false)
    next.start()
    await settled()
    expect(updater.checkForUpdates).not.toHaveBeenCalled()
    expect(updater.downloadUpdate).not.toHaveBeenCalled()
  })

  it('turned off, Check for Updates… asks before downloading', async () => {
    const updater = fakeUpdater({ latest: '0.2.0' })
    const { make, asked } = setup({ updater, settings: '{"automaticUpdates":false}', answers: [1] })
    await make().checkNow()
    expect(asked.map((q) => q.message)).toEqual(['Plank 0.2.0 is available'])
    expect(updater.downloadUpdate).not.toHaveBeenCalled()
    const yes = setup({ updater, settings: '{"automaticUpdates":false}', answers: [0, 1] })
    await yes.make().checkNow()
    expect(yes.asked.map((q) => q.message)).toEqual(['Plank 0.2.0 is available', 'Plank 0.2.0 is ready'])
    expect(updater.downloadUpdate).toHaveBeenCalledTimes(1)
    // Downloaded because the member asked: it installs when they quit.
    expect(updater.autoInstallOnAppQuit).toBe(true)
  })

  it('says every outcome of a check the member asked for', async () => {
    const newest = setup({ updater: fakeUpdater() })
    await newest.make().checkNow()
    expect(newest.asked.map((q) => [q.message, q.detail])).toEqual([['You have the newest Plank', 'Version 0.1.0.']])
    const offline = setup({ updater: fakeUpdater({ checkFails: 'net::ERR_INTERNET_DISCONNECTED' }) })
    await offline.make().checkNow()
    expect(offline.asked[0]!.message).toBe('Plank could not check for updates')
    expect(offline.asked[0]!.detail).toContain('net::ERR_INTERNET_DISCONNECTED')
    const bad = setup({ updater: fakeUpdater({ latest: '0.2.0', downloadFails: 'sha512 checksum mismatch' }) })
    await bad.make().checkNow()
    expect(bad.asked.map((q) => q.message)).toEqual(['Plank 0.2.0 could not be downloaded'])
    expect(bad.asked[0]!.detail).toContain('sha512 checksum mismatch')
    const checkout = setup({ updater: null })
    await checkout.make().checkNow()
    expect(checkout.asked[0]!.message).toBe('Updates come with the installed app')
  })

  it('a failed background check or download is logged, never shown', async () => {
    for (const feed of [{ checkFails: 'getaddrinfo ENOTFOUND' }, { latest: '0.2.0', downloadFails: 'sha512 checksum mismatch' }]) {
      const { make, asked, log } = setup({ updater: fakeUpdater(feed) })
      make().start()
      await vi.waitFor(() => expect(log).toHaveBeenCalledWith(expect.stringMatching(/^update (check|download) failed: /)))
      expect(asked).toEqual([])
    }
  })

  it('a damaged settings file means the defaults', () => {
    expect(setup({ settings: '{"automaticUpdates":' }).make().automatic).toBe(true)
    expect(setup({ settings: '{"automaticUpdates":"no"}' }).make().automatic).toBe(true)
  })

  it('one check at a time: a member’s check during a background one still gets its answer', async () => {
    const updater = fakeUpdater()
    let release: () => void = () => {}
    updater.checkForUpdates.mockImplementationOnce(() => new Promise((resolve) => { release = () => resolve({ isUpdateAvailable: false, updateInfo: { version: '0.1.0' } }) }))
    const { make, asked } = setup({ updater })
    const updates = make()
    updates.start()
    const member = updates.checkNow()
    await settled()
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1)
    release()
    await member
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(2)
    expect(asked.map((q) => q.message)).toEqual(['You have the newest Plank'])
  })
})
