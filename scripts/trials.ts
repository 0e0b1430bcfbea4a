// `npm run trials`: the long race trials, outside `npm test`. Runs __tests__/races.test.ts with 20
// trials of each size (2, 5 and 10 runs at once; the default test run has 2 of each). Arguments
// after `--` are passed to Vitest; RACE_TRIALS=N sets another number of trials.
import { spawnSync } from 'node:child_process'

const result = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '__tests__/races.test.ts', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: { ...process.env, RACE_TRIALS: process.env.RACE_TRIALS ?? '20' }
  }
)
process.exitCode = result.status ?? 1
