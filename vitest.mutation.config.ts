import { defineConfig } from 'vitest/config'

// The tests StrykerJS runs for each mutant (`npm run mutate`): the in-process ones only. The
// *.integration tests run the bundled dist/, which a mutant of src/ never reaches; workflows and
// local-action start processes of their own; request-limit waits out real request limits.
export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    exclude: [
      '__tests__/**/*.integration.test.ts',
      '__tests__/workflows.test.ts',
      '__tests__/local-action.test.ts',
      '__tests__/request-limit.test.ts'
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The runs' folders and files are removed after each test file, as in vitest.config.ts: a
    // mutation run repeats the tests thousands of times.
    setupFiles: ['__tests__/support/cleanup.ts']
  }
})
