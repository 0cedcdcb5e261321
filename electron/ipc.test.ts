import { describe, expect, it, vi } from 'vitest'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IpcMainInvokeEvent } from 'electron'
import { CHANNELS } from '../crdt/contracts/host-api.ts'
import { registerIpc, safeFileName, type IpcDeps } from './ipc.ts'

const event = (url: string) => {
  const mainFrame = { url }
  return { senderFrame: mainFrame, sender: { mainFrame } } as unknown as IpcMainInvokeEvent
}

const setup = (savePath?: string) => {
  const handlers = new Map<string, (e: IpcMainInvokeEvent, ...args: unknown[]) => unknown>()
  const deps: IpcDeps = {
    ipcMain: { handle: (channel: string, fn: (e: IpcMainInvokeEvent, ...args: unknown[]) => unknown) => { handlers.set(channel, fn) } } as IpcDeps['ipcMain'],
    openExternal: vi.fn(async () => {}),
    showSaveDialog: vi.fn(async () => (savePath ? { canceled: false, filePath: savePath } : { canceled: true })),
    windowOf: () => null,
    printToPdf: vi.fn(async (html: string) => new TextEncoder().encode(`%PDF-1.4 ${html.length}`)),
    log: vi.fn(),
  }
  registerIpc(deps)
  const call = (channel: string, e: IpcMainInvokeEvent, ...args: unknown[]) => handlers.get(channel)!(e, ...args)
  return { deps, call }
}

describe('IPC handlers', () => {
  it('opens allow-listed links from our own page only', async () => {
    const { deps, call } = setup()
    await call(CHANNELS.openExternal, event('plank://app/index.html'), 'https://example.org/')
    await call(CHANNELS.openExternal, event('plank://app/index.html'), 'file:///etc/passwd')
    await call(CHANNELS.openExternal, event('https://evil.example/'), 'https://example.org/')
    expect(deps.openExternal).toHaveBeenCalledTimes(1)
    expect(deps.openExternal).toHaveBeenCalledWith('https://example.org/')
    expect(deps.log).toHaveBeenCalledTimes(2)
  })

  it('saves an export where the member chose, through a native dialog', async () => {
    const target = join(mkdtempSync(join(tmpdir(), 'plank-ipc-')), 'out.md')
    const { deps, call } = setup(target)
    const ok = await call(CHANNELS.saveFile, event('plank://app/index.html'), { suggestedName: '../../etc/Platform.md', content: '# Platform\n', mimeType: 'text/markdown' })
    expect(ok).toBe(true)
    expect(readFileSync(target, 'utf8')).toBe('# Platform\n')
    expect(deps.showSaveDialog).toHaveBeenCalledWith(null, 'Platform.md')
  })

  it('reports a cancelled save and refuses foreign senders', async () => {
    const { call } = setup()
    expect(await call(CHANNELS.saveFile, event('plank://app/index.html'), { suggestedName: 'a.md', content: 'x' })).toBe(false)
    expect(await call(CHANNELS.saveFile, event('https://evil.example/'), { suggestedName: 'a.md', content: 'x' })).toBe(false)
  })

  it('prints standalone HTML to a PDF where the member chose, and refuses what it must not print', async () => {
    const target = join(mkdtempSync(join(tmpdir(), 'plank-ipc-')), 'out.pdf')
    const { deps, call } = setup(target)
    const html = '<!doctype html><h1>Platform</h1>'
    expect(await call(CHANNELS.savePdf, event('plank://app/index.html'), { suggestedName: 'Mr. Smith’s Platform.html', html })).toBe(true)
    expect(deps.showSaveDialog).toHaveBeenCalledWith(null, 'Mr. Smith’s Platform.pdf')
    expect(deps.printToPdf).toHaveBeenCalledWith(html)
    expect(readFileSync(target, 'utf8')).toBe(`%PDF-1.4 ${html.length}`)
    expect(await call(CHANNELS.savePdf, event('https://evil.example/'), { suggestedName: 'a', html })).toBe(false)
    expect(await call(CHANNELS.savePdf, event('plank://app/index.html'), { suggestedName: 'a', html: 42 })).toBe(false)
    expect(deps.printToPdf).toHaveBeenCalledTimes(1)
  })

  it('prints nothing when the member cancels the save dialog', async () => {
    const { deps, call } = setup()
    expect(await call(CHANNELS.savePdf, event('plank://app/index.html'), { suggestedName: 'a', html: '<p>x</p>' })).toBe(false)
    expect(deps.printToPdf).not.toHaveBeenCalled()
  })

  it('reduces suggested names to a safe base name', () => {
    expect(safeFileName('../../x/Our Platform.md')).toBe('Our Platform.md')
    expect(safeFileName('..\\..\\evil.md')).toBe('evil.md')
    expect(safeFileName('...')).toBe('platform.md')
    expect(safeFileName('a<b>:c|d?.md')).toBe('abcd.md')
  })
})
