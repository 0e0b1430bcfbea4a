// The action's entry point, as action.yml runs it: the one place that reads process.env.
import { run } from './main.js'
import { coreRunner } from './runner.js'

void run(coreRunner(process.env), process.env)
