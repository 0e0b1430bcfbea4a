// `npm start`: a first look at the action. Starts the CertCentral simulator on loopback, runs the
// bundled action against it as the GitHub runner would, and shows the log, outputs and summary.
// Pass `--dry-run` to only print the request body built from examples/inputs.yml.
import { readFile } from 'node:fs/promises'
import { parse } from 'yaml'
import { startSimulator } from '../__tests__/support/simulator.js'
import { runAction } from '../__tests__/support/run-action.js'

const DEMO_KEY = 'demo-api-key'

const exampleInputs = parse(
  await readFile(new URL('../examples/inputs.yml', import.meta.url), 'utf8')
) as Record<string, string | number | boolean>
const inputs = Object.fromEntries(
  Object.entries(exampleInputs).map(([name, value]) => [name, String(value)])
)

const dryRun = process.argv.includes('--dry-run')
const sim = dryRun
  ? undefined
  : await startSimulator({
      apiKey: DEMO_KEY,
      scenario: { approval: 'after-polls', pollsUntilCertificateId: 1, pollsUntilIssued: 1 }
    })
try {
  const run = await runAction({
    ...inputs,
    'api-key': DEMO_KEY,
    ...(sim
      ? { 'api-url': sim.url, 'wait-for': 'issued', 'poll-interval': '1s' }
      : { 'dry-run': 'true' })
  })
  section('Log (what the workflow run shows)', run.stdout + run.stderr)
  section(
    'Step outputs (what later steps read as steps.<id>.outputs.<name>)',
    Object.entries(run.outputs)
      .map(([name, value]) => `${name}: ${value}`)
      .join('\n') || '(none)'
  )
  section('Job summary (Markdown/HTML shown on the run page)', run.summary || '(none)')
  if (sim) {
    section(
      'Requests the simulator received',
      sim.requests.map(r => `${r.method} ${r.path}`).join('\n')
    )
  }
  process.exitCode = run.code ?? 1
} finally {
  await sim?.close()
}

function section(title: string, text: string): void {
  process.stdout.write(`\n=== ${title} ===\n${text.trimEnd()}\n`)
}
