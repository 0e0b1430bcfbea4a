// Mutation testing (`npm run mutate`, not part of `npm test`): StrykerJS changes src/ one mutant
// at a time and runs the in-process tests (vitest.mutation.config.ts) against each. A mutant no
// test notices is a behaviour no test pins down. StrykerJS needs Node 22 or later and is not a
// dependency: scripts/mutate.ts runs it through npx (on Node 24 when need be). The score is
// reported in docs/mutation.md. One module: `npm run mutate -- --mutate src/submit.ts`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'src/**/*.ts',
    // The bundle's entry only calls run(); files of types alone hold nothing to mutate.
    '!src/start.ts'
  ],
  coverageAnalysis: 'perTest',
  // Mutants of module-level constants ("static": evaluated once, at import) can only be told
  // apart by running every test again for each; they are left out, as Stryker suggests, which
  // takes hours off a full run on two cores. Their count is in the report as "ignored".
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // The machine is shared: one test process at a time unless asked otherwise (--concurrency 2).
  concurrency: 1,
  tempDirName: '.stryker-tmp',
  thresholds: { high: 90, low: 85, break: null },
  timeoutMS: 2_500
}
