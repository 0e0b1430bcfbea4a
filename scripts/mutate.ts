// `npm run mutate [-- stryker options]`: mutation testing with StrykerJS (stryker.config.mjs). It
// is not a dependency of the project: StrykerJS 10 needs Node.js 22 or later and, installed with
// the rest, printed 48 EBADENGINE warnings on every `npm ci` on Node 20. npx fetches it (once, into
// npm's cache) when mutation testing is asked for, with Node.js 24 from npm as well when the Node
// running this is older than 22. Stryker's vitest runner uses the project's own Vitest.
import { spawn } from 'node:child_process'

/** The StrykerJS release docs/mutation.md was measured with. */
const STRYKER = '10.1.1'
const NEEDS_NODE = 22

const major = Number(process.versions.node.split('.')[0])
const packages = [
  ...(major < NEEDS_NODE ? ['node@24'] : []),
  `@stryker-mutator/core@${STRYKER}`,
  `@stryker-mutator/vitest-runner@${STRYKER}`
]
const args = [
  '--yes',
  ...packages.flatMap(p => ['-p', p]),
  'stryker',
  'run',
  ...process.argv.slice(2)
]

if (major < NEEDS_NODE) {
  process.stdout.write(
    `StrykerJS needs Node.js ${NEEDS_NODE} or later; this is ${process.versions.node}: running it on ` +
      'Node.js 24 from npm (downloaded once into the npm cache).\n'
  )
}
process.stdout.write(`> npx ${args.join(' ')}\n`)

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const child = spawn(npx, args, { stdio: 'inherit', shell: process.platform === 'win32' })
child.on('error', error => {
  process.stderr.write(
    `npm run mutate: could not start npx (${error.message}). It comes with npm; check that npm is ` +
      'on the PATH.\n'
  )
  process.exitCode = 1
})
child.on('exit', (code, signal) => {
  if (code === 0) return
  process.stderr.write(
    `npm run mutate: StrykerJS ${signal === null ? `exited with code ${code}` : `was stopped (${signal})`}. ` +
      'If npx could not download it (or Node.js 24), check the network and the npm registry ' +
      'settings; the report of a finished run is in reports/mutation/.\n'
  )
  process.exitCode = code ?? 1
})
