// The run as it starts: the one place that reads process.env and builds the real runner. The bundle
// starts it from src/start.ts; @github/local-action imports this module and calls run() itself.
import { runAction } from './main.js'
import { coreRunner } from './runner.js'

export function run(): Promise<void> {
  return runAction(coreRunner(process.env), process.env)
}
