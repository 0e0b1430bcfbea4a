// The action's entry point, as action.yml runs it.
import { run } from './main.js'

void run()
