import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

// The renderer is one static build that runs both inside Electron (file://) and in
// any Chromium served over http, hence the relative base.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
  },
})
