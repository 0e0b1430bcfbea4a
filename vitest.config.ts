import { readdirSync, readFileSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

/**
 * Test files that leave nothing behind in the modules they import: no mocks, spies, fake timers or
 * stubbed environment (in-process runs stub theirs and put it back), no write to process.env or
 * process.exitCode. They share their worker's modules instead of loading them again, which is most
 * of what a small test file costs: on two cores, about a tenth of the whole run's CPU time. Any
 * other file, and any file that starts to do one of these, is isolated.
 */
const MODULE_STATE =
  /\bvi\.|process\.exitCode|process\.env(\.\w+|\[[^\]]+\])\s*=[^=]|delete process\.env/
const shared = readdirSync('__tests__')
  .filter(file => file.endsWith('.test.ts'))
  .filter(file => !MODULE_STATE.test(readFileSync(`__tests__/${file}`, 'utf8')))
  .map(file => `__tests__/${file}`)

export default defineConfig({
  test: {
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
    setupFiles: ['__tests__/support/cleanup.ts'],
    projects: [
      { extends: true, test: { name: 'shared', include: shared, isolate: false } },
      {
        extends: true,
        test: { name: 'isolated', include: ['__tests__/**/*.test.ts'], exclude: shared }
      }
    ]
  }
})
