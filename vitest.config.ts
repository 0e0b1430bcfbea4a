import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    // Integration tests start the bundled action in child processes; give them room on a loaded machine.
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
