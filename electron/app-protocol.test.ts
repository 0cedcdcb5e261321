import { describe, expect, it } from 'vitest'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serveAppRequest } from './app-protocol.ts'
import { CONTENT_SECURITY_POLICY } from '../crdt/contracts/content-security-policy.ts'

const root = mkdtempSync(join(tmpdir(), 'plank-proto-'))
mkdirSync(join(root, 'dist', 'assets'), { recursive: true })
writeFileSync(join(root, 'dist', 'index.html'), '<!doctype html><title>Plank</title>')
writeFileSync(join(root, 'dist', 'assets', 'app.js'), 'console.log(1)')
writeFileSync(join(root, 'secret.txt'), 'not for the renderer')
const dist = join(root, 'dist')

describe('plank:// protocol', () => {
  it('serves the app with a strict CSP', async () => {
    const res = await serveAppRequest(dist, 'plank://app/index.html')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<title>Plank</title>')
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    const js = await serveAppRequest(dist, 'plank://app/assets/app.js')
    expect(js.headers.get('content-type')).toMatch(/javascript/)
  })

  it('never serves a file outside the build', async () => {
    for (const url of ['plank://app/../secret.txt', 'plank://app/%2e%2e/secret.txt', 'plank://app/..%2fsecret.txt', 'plank://other/index.html']) {
      const res = await serveAppRequest(dist, url)
      expect(res.status, url).not.toBe(200)
    }
  })

  it('answers 404 for a missing file', async () => {
    expect((await serveAppRequest(dist, 'plank://app/nope.js')).status).toBe(404)
  })
})
