// `npm start`: a first look at the action. Starts the CertCentral simulator on loopback, runs the
// bundled action against it as the GitHub runner would, with the inputs of examples/inputs.yml,
// and shows the log as the Actions UI shows it, the outputs and the summary.
// `--dry-run`: only print the request body built from examples/inputs.yml, sending nothing.
// `--debug`: show the `::debug::` lines too, as a run with step debug logging enabled does.
// `--scenario NAME`: first prepare the simulator as NAME says (scripts/scenarios.ts: an earlier
// release, a certificate near its end, a pending or rejected order), then run; `--scenario list`
// lists them.
import { readFile } from 'node:fs/promises'
import { parse } from 'yaml'
import { startSimulator } from '../__tests__/support/simulator.js'
import { removeRun, runAction, WORKFLOW_ENV } from '../__tests__/support/run-action.js'
import { runnerLog } from './runner-log.js'
import { DEFAULT_SCENARIO, scenarioList, scenarioNamed, type DemoScenario } from './scenarios.js'

const DEMO_KEY = 'demo-api-key'

const exampleInputs = parse(
  await readFile(new URL('../examples/inputs.yml', import.meta.url), 'utf8')
) as Record<string, string | number | boolean>
const inputs = Object.fromEntries(
  Object.entries(exampleInputs).map(([name, value]) => [name, String(value)])
)

const dryRun = process.argv.includes('--dry-run')
const debug = process.argv.includes('--debug')
const scenarioArg = process.argv.indexOf('--scenario')
const scenarioName = scenarioArg < 0 ? DEFAULT_SCENARIO : (process.argv[scenarioArg + 1] ?? 'list')
if (scenarioName === 'list') {
  process.stdout.write(`Scenarios (npm start -- --scenario NAME):\n${scenarioList()}\n`)
  process.exit(0)
}
let scenario: DemoScenario
try {
  scenario = scenarioNamed(scenarioName)
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`)
  process.exit(2)
}
if (dryRun && scenario.name !== DEFAULT_SCENARIO) {
  process.stderr.write(
    'A dry run sends nothing, so it has no scenario: drop --dry-run or --scenario.\n'
  )
  process.exit(2)
}
// One repository for the scenario's earlier runs and the run shown: they share the certificate.
const env = { ...WORKFLOW_ENV, GITHUB_REPOSITORY_ID: '700000001' }
const sim = dryRun
  ? undefined
  : await startSimulator({
      apiKey: DEMO_KEY,
      scenario: { approval: 'after-polls', pollsUntilCertificateId: 1, pollsUntilIssued: 1 }
    })
try {
  if (sim && scenario.name !== DEFAULT_SCENARIO) {
    section(`Scenario: ${scenario.name}`, scenario.about)
    await scenario.setup({
      sim,
      async earlierRun(more = {}) {
        const earlier = await runAction(
          { ...inputs, 'api-key': DEMO_KEY, 'api-url': sim.url, ...more },
          { env }
        )
        await removeRun(earlier)
        const orderId = Number(earlier.outputs['order-id'])
        if (!Number.isSafeInteger(orderId))
          throw new Error(`The scenario's earlier run placed no order:\n${earlier.stdout}`)
        return { orderId }
      }
    })
    sim.requests.length = 0
  }
  // Only where the action talks to: a dry run needs neither key nor URL.
  const run = await runAction(
    {
      ...inputs,
      ...(sim ? { 'api-key': DEMO_KEY, 'api-url': sim.url } : { 'dry-run': 'true' })
    },
    { env }
  )
  section(
    `Log (what the workflow run shows${debug ? ', with step debug logging' : ''})`,
    runnerLog(run.stdout + run.stderr, { debug })
  )
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
  process.stdout.write(
    `\nThe inputs are in examples/inputs.yml. The run's files (outputs, summary, any downloaded` +
      ` chain) are removed now.${debug ? '' : ' `npm start -- --debug` shows the debug lines too.'}\n`
  )
  process.exitCode = run.code ?? 1
  await removeRun(run)
} finally {
  await sim?.close()
}

function section(title: string, text: string): void {
  process.stdout.write(`\n=== ${title} ===\n${text.trimEnd()}\n`)
}
