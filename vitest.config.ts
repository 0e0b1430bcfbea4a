import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    // Integration tests start the bundled action in child processes; give them room on a loaded machine.
    testTimeout: 30_000,
    // Most files wait on the simulator or a child process more than on the CPU: two at a time keep
    // a two-core machine busy (Vitest's default there is one).
    maxWorkers: 2,
    // Worker threads start faster than processes: on two cores this takes a tenth off the run.
    // Nothing the tests change is shared between threads: each has its own process.env, and the
    // in-process runs put process.exitCode back after each run.
    pool: 'threads',
    hookTimeout: 30_000,
    // A temporary directory for the whole run, which must be empty at the end; each test file's
    // action runs are removed after it.
    globalSetup: ['__tests__/support/temp-root.ts'],
    setupFiles: ['__tests__/support/cleanup.ts']
  }
})
