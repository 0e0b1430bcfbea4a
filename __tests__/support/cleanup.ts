// Setup file of every test file (vitest.config.ts): the runs a test file made leave no files behind.
import { afterAll } from 'vitest'
import { removeRuns } from './run-action.js'

afterAll(removeRuns)
