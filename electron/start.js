// npm start: the desktop app where Electron can run; otherwise the very same app in a
// browser, served with a local relay, and the address printed. Electron's binary is
// fetched on first use by electron's own installer (it is not part of npm install).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Path to the Electron binary, or the reason there is none. */
const findElectron = () => {
  if (process.env.PLANK_BROWSER === '1') return { reason: 'PLANK_BROWSER=1 asks for the browser build' }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no graphical display (DISPLAY is not set)' }
  }
  // Requiring electron resolves its binary, downloading it on first use; do it in a child
  // so a failed download prints one line here instead of a stack trace.
  console.log('Checking for Electron (the first run downloads it)…')
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { cwd: root, encoding: 'utf8' })
  if (probe.status === 0 && probe.stdout && existsSync(probe.stdout)) return { path: probe.stdout }
  return { reason: 'its binary is not installed and could not be downloaded' }
}

const runElectron = (binary) =>
  new Promise((resolve) => {
    const child = spawn(binary, [root], { stdio: 'inherit' })
    child.on('exit', (code, signal) => resolve({ code, signal }))
    child.on('error', () => resolve({ code: 1 }))
  })

const runBrowserBuild = async (reason) => {
  const { startRelay } = await import('../sync-server/dist/index.js')
  const preferred = Number(process.env.PLANK_PORT ?? 4455)
  const appDir = `${root}renderer/dist`
  let relay
  try {
    relay = await startRelay({ host: '127.0.0.1', port: preferred, dataDir: `${root}relay-data`, appDir })
  } catch (err) {
    if (err?.code !== 'EADDRINUSE') throw err
    relay = await startRelay({ host: '127.0.0.1', port: 0, dataDir: `${root}relay-data`, appDir })
  }
  console.log('')
  console.log(`Electron is not available here: ${reason}.`)
  console.log('Plank is running as a web app instead, with a local relay:')
  console.log('')
  console.log(`    Open ${relay.url} in Chrome, Chromium, Edge or Firefox.`)
  console.log('')
  console.log('Drafts are kept in that browser. Press Ctrl+C to stop.')
  const stop = () => relay.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

const electron = findElectron()
if (electron.path) {
  const result = await runElectron(electron.path)
  if (result.code !== 0 && result.signal !== 'SIGINT' && result.signal !== 'SIGTERM') {
    await runBrowserBuild(`the desktop app exited with ${result.signal ?? `code ${result.code}`}`)
  }
} else {
  await runBrowserBuild(electron.reason)
}
