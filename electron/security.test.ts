import { describe, expect, it, vi } from 'vitest'
import type { IpcMainInvokeEvent, WebContents } from 'electron'
import { hardenContents, isAllowedExternal, isTrustedSender, secureWebPreferences } from './security.ts'

describe('isAllowedExternal', () => {
  it.each(['https://example.org/platform', 'http://example.org', 'mailto:chapter@example.org'])('opens %s', (url) => {
    expect(isAllowedExternal(url)).toBe(true)
  })
  it.each([
    'javascript:alert(1)', 'file:///etc/passwd', 'smb://host/share', 'ms-msdt:/id', 'data:text/html,x',
    'https://user:pass@example.org', 'not a url', '', 'plank://app/index.html',
  ])('refuses %s', (url) => {
    expect(isAllowedExternal(url)).toBe(false)
  })
})

const fakeEvent = (url: string, sameFrame = true) => {
  const mainFrame = { url }
  return { senderFrame: sameFrame ? mainFrame : { url }, sender: { mainFrame } } as unknown as IpcMainInvokeEvent
}

describe('isTrustedSender', () => {
  it('trusts only our own page in the main frame', () => {
    expect(isTrustedSender(fakeEvent('plank://app/index.html'))).toBe(true)
    expect(isTrustedSender(fakeEvent('https://evil.example/'))).toBe(false)
    expect(isTrustedSender(fakeEvent('plank://app/index.html', false))).toBe(false)
    expect(isTrustedSender({ senderFrame: null, sender: { mainFrame: {} } } as unknown as IpcMainInvokeEvent)).toBe(false)
  })
})

describe('hardenContents', () => {
  const setup = () => {
    const handlers: Record<string, (...args: unknown[]) => void> = {}
    let openHandler: ((d: { url: string }) => { action: string }) | undefined
    const contents = {
      on: (name: string, fn: (...args: unknown[]) => void) => { handlers[name] = fn },
      setWindowOpenHandler: (fn: typeof openHandler) => { openHandler = fn },
    } as unknown as WebContents
    const opened: string[] = []
    hardenContents(contents, (url) => opened.push(url))
    return { handlers, open: (url: string) => openHandler!({ url }), opened }
  }

  it('blocks navigation away from the app', () => {
    const { handlers } = setup()
    const away = { preventDefault: vi.fn() }
    handlers['will-navigate']!(away, 'https://example.org/')
    expect(away.preventDefault).toHaveBeenCalled()
    const inside = { preventDefault: vi.fn() }
    handlers['will-navigate']!(inside, 'plank://app/index.html')
    expect(inside.preventDefault).not.toHaveBeenCalled()
  })

  it('denies every new window, opening only allow-listed links in the system browser', () => {
    const { open, opened } = setup()
    expect(open('https://example.org/').action).toBe('deny')
    expect(open('javascript:alert(1)').action).toBe('deny')
    expect(open('file:///etc/passwd').action).toBe('deny')
    expect(opened).toEqual(['https://example.org/'])
  })

  it('refuses webviews', () => {
    const { handlers } = setup()
    const event = { preventDefault: vi.fn() }
    handlers['will-attach-webview']!(event)
    expect(event.preventDefault).toHaveBeenCalled()
  })
})

describe('secureWebPreferences', () => {
  it('follows the checklist: isolation, sandbox, no Node', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({
      preload: '/p.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false,
    })
  })
})
