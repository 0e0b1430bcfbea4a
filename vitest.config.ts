import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    // Integration tests start the bundled action in child processes; give them room on a loaded machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A temporary directory for the whole run, which must be empty at the end; each test file's
    // action runs are removed after it.
    globalSetup: ['__tests__/support/temp-root.ts'],
    setupFiles: ['__tests__/support/cleanup.ts']
  }
})
