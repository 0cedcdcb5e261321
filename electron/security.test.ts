import { describe, expect, it, vi } from 'vitest'
import type { IpcMainInvokeEvent, WebContents } from 'electron'
import { hardenContents, isAllowedExternal, isTrustedSender, lockPermissions, mayGrant, secureWebPreferences } from './security.ts'

describe('isAllowedExternal', () => {
  it.each([
    'https://example.org/platform', 'http://example.org',
    'mailto:chapter@example.org', 'mailto:ana.b+platform@mail.example.org', 'mailto:ana@example.org,ben@example.org', 'mailto:ana%40example.org',
  ])('opens %s', (url) => {
    expect(isAllowedExternal(url)).toBe(true)
  })
  it.each([
    'javascript:alert(1)', 'file:///etc/passwd', 'smb://host/share', 'ms-msdt:/id', 'data:text/html,x',
    'https://user:pass@example.org', 'not a url', '', 'plank://app/index.html', 'plank://join#join=x',
    // mailto: only plain addresses; headers can make a mail program attach a member's files.
    'mailto:a@example.org?attach=/home/ana/.ssh/id_ed25519', 'mailto:a@example.org?attachment=C:\\Users\\ana\\drafts.db',
    'mailto:a@example.org?body=x', 'mailto:?to=a@example.org', 'mailto:a@example.org?cc=b@example.org', 'mailto:a@example.org#x',
    'mailto:', 'mailto:not-an-address', 'mailto:"Ana" <a@example.org>', 'mailto:a@example.org%3Fattach%3D%2Fetc%2Fpasswd',
    'mailto:a@example.org%0D%0ABcc:b@example.org', 'mailto:%E0%A4%A',
  ])('refuses %s', (url) => {
    expect(isAllowedExternal(url)).toBe(false)
  })
})

describe('permissions', () => {
  const fakeSession = () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {}
    const session = {
      setPermissionRequestHandler: (fn: never) => { handlers.request = fn },
      setPermissionCheckHandler: (fn: never) => { handlers.check = fn },
      setDevicePermissionHandler: (fn: never) => { handlers.device = fn },
    }
    const log = vi.fn()
    lockPermissions(session as never, log)
    const request = (permission: string, details: Record<string, unknown>) => {
      let answer: boolean | undefined
      ;(handlers.request as (...a: unknown[]) => void)({}, permission, (ok: boolean) => { answer = ok }, details)
      return answer
    }
    const check = (permission: string, origin: string, details: Record<string, unknown>) => (handlers.check as (...a: unknown[]) => boolean)({}, permission, origin, details)
    return { request, check, device: handlers.device as () => boolean, log }
  }
  const ours = { requestingUrl: 'plank://app/index.html', isMainFrame: true }

  it.each(['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'keyboardLock', 'openExternal', 'display-capture',
    'clipboard-read', 'idle-detection', 'window-management', 'storage-access', 'fileSystem', 'hid', 'serial', 'usb', 'unknown'])('denies %s, even to our own page, and says so in the log', (permission) => {
    const { request, check, log } = fakeSession()
    expect(request(permission, ours)).toBe(false)
    expect(check(permission, 'plank://app', ours)).toBe(false)
    expect(log).toHaveBeenCalledWith(`denied the permission "${permission}"`)
  })

  it('grants what the app uses only to our own page’s main frame', () => {
    const { request, check, device } = fakeSession()
    for (const p of ['clipboard-sanitized-write', 'fullscreen', 'persistent-storage']) {
      expect(request(p, ours)).toBe(true)
      expect(check(p, 'plank://app', ours)).toBe(true)
      expect(request(p, { requestingUrl: 'https://evil.example/', isMainFrame: true })).toBe(false)
      expect(request(p, { requestingUrl: 'plank://app/index.html', isMainFrame: false })).toBe(false)
      expect(request(p, { requestingUrl: 'plank://app.evil.example/', isMainFrame: true })).toBe(false)
      expect(check(p, 'https://evil.example', { isMainFrame: true })).toBe(false)
    }
    expect(device()).toBe(false)
    expect(mayGrant('fullscreen', {})).toBe(false)
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
