// Unit tests: beside the code they test, in Node. No browser, no ports.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['crdt/**/*.test.ts', 'renderer/**/*.test.ts', 'sync-server/**/*.test.ts', 'electron/**/*.test.ts', 'test/fuzz/**/*.test.ts', 'test/layering.test.ts'],
    environment: 'node',
  },
})
