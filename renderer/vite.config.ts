import { defineConfig, type Plugin } from 'vite'
import { fileURLToPath } from 'node:url'
import { CONTENT_SECURITY_POLICY } from '../crdt/contracts/content-security-policy.ts'

/** The app's one CSP, written into index.html's meta tag (a page without the header still gets it). */
const contentSecurityPolicy = (): Plugin => ({
  name: 'plank-content-security-policy',
  transformIndexHtml(html) {
    if (!html.includes('%PLANK_CSP%')) throw new Error('renderer/index.html has lost its CSP meta tag (%PLANK_CSP%)')
    return html.replace('%PLANK_CSP%', CONTENT_SECURITY_POLICY)
  },
})

// The renderer is one static build that runs both inside Electron (file://) and in
// any Chromium served over http, hence the relative base.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [contentSecurityPolicy()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
  },
})
