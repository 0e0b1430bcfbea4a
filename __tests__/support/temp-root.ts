// Global setup (vitest.config.ts): the tests get a temporary directory of their own, and a test run
// that leaves anything in it fails, naming what was left. Each `npm test` used to leave about 120
// `action-run-*` folders in the system's temp directory, some holding certificate chains.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// os.tmpdir() reads TMPDIR on POSIX and TEMP/TMP on Windows; the test workers, started after this
// runs, inherit them.
const TEMP_VARIABLES = ['TMPDIR', 'TEMP', 'TMP'] as const

export default function setup(): () => void {
  const saved = TEMP_VARIABLES.map(name => [name, process.env[name]] as const)
  const root = mkdtempSync(join(tmpdir(), 'vitest-temp-'))
  for (const name of TEMP_VARIABLES) process.env[name] = root
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    const left = readdirSync(root)
    rmSync(root, { recursive: true, force: true })
    if (left.length > 0) {
      // Vitest logs an error thrown here but still exits 0.
      process.stderr.write(
        `FAIL: the tests left ${left.length} entries in their temporary directory: ${left.slice(0, 10).join(', ')}\n`
      )
      process.exitCode = 1
    }
  }
}
