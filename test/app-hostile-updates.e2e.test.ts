import { afterEach, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import * as prng from 'lib0/prng'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { launchDevice, type Device } from './support/chromium.ts'
import { useApp } from './support/app-server.ts'
import { editor, openApp, writeDraft } from './support/editor-page.ts'
import { caretAfter, shareThrough, waitSynced } from './support/sync-page.ts'
import { parseInvite } from '../renderer/src/sync/invite.ts'

/**
 * The stock relay forwards client bytes as they are, so the app must survive whatever a
 * hostile peer sends: random bytes, junk sync messages, the yjs#687 bytes. It must keep
 * responding to the member's typing and keep its draft.
 */
const app = useApp()
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c() })

const ISSUE_687 = Buffer.from('00010000000001000100010200001602000001fdffffffff7f0000', 'hex')
const SEED = Number(process.env.PLANK_HOSTILE_SEED ?? 687)

const stockRelay = async (): Promise<{ url: string; proc: ChildProcess }> => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)) })
  })
  const proc = spawn(process.execPath, [fileURLToPath(new URL('../node_modules/@y/websocket-server/src/server.js', import.meta.url))], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) }, stdio: 'pipe',
  })
  await new Promise<void>((resolve) => proc.stdout!.once('data', () => resolve()))
  return { url: `ws://127.0.0.1:${port}`, proc }
}

describe('hostile updates reaching the app', () => {
  it(`do not freeze it or cost it its draft (seed ${SEED})`, async () => {
    const relay = await stockRelay()
    cleanups.push(() => { relay.proc.kill('SIGKILL') })
    const device: Device = await launchDevice()
    cleanups.push(() => device.dispose())
    const { page } = device
    await openApp(page, app.url)
    await writeDraft(page, 'Under attack', 'Every word stays.')
    const link = await shareThrough(page, relay.url, undefined, { open: true })
    await waitSynced(page)

    const gen = prng.create(SEED)
    const ws = new WebSocket(`${relay.url}/${parseInvite(link)!.draftId}`)
    cleanups.push(() => ws.terminate())
    await new Promise((resolve) => ws.once('open', resolve))
    const messages: Uint8Array[] = [ISSUE_687]
    for (let i = 0; i < 150; i++) {
      const e = encoding.createEncoder()
      const kind = prng.int32(gen, 0, 3)
      if (kind === 0) messages.push(prng.uint8Array(gen, prng.int32(gen, 0, 120)))
      else {
        encoding.writeVarUint(e, kind === 3 ? 1 : 0)
        if (kind !== 3) encoding.writeVarUint(e, prng.oneOf(gen, [1, 2]))
        encoding.writeVarUint8Array(e, prng.oneOf(gen, [ISSUE_687, prng.uint8Array(gen, prng.int32(gen, 0, 120))]))
        messages.push(encoding.toUint8Array(e))
      }
    }
    for (const m of messages) ws.send(m)

    // The member keeps typing; every keystroke lands, promptly.
    await caretAfter(page, 'Every word stays.')
    const start = Date.now()
    await page.keyboard.type(' Still typing.')
    await editor(page).locator('p', { hasText: 'Every word stays. Still typing.' }).waitFor({ timeout: 5000 })
    expect(Date.now() - start).toBeLessThan(5000)
    expect(await editor(page).locator('.pk-title').innerText()).toBe('Under attack')
  })
})
