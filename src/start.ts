// The bundle's entry point, as action.yml runs it (dist/index.js).
import { run } from './index.js'

void run()
