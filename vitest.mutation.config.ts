import { defineConfig } from 'vitest/config'

// The tests StrykerJS runs for each mutant (`npm run mutate`): the in-process ones only. The
// *.integration tests run the bundled dist/, which a mutant of src/ never reaches, and the others
// left out start processes of their own (action-validator, local-action).
export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    exclude: [
      '__tests__/**/*.integration.test.ts',
      '__tests__/workflows.test.ts',
      '__tests__/local-action.test.ts'
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
