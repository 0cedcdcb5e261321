// End-to-end tests: real Chromium (Debian's), real relay processes, the built app.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each file launches its own browser; two cores cannot carry more than one at a time.
    fileParallelism: false,
  },
})
