// `npm run bench`: start-up, memory, size, request economy and detection latency of the bundled
// action against the CertCentral simulator, each beside its budget, on the Node action.yml names
// (node24) and on this Node. Prints one Markdown table.
//   --write  also writes the page docs/benchmarks.md (a tracked file: only when asked);
//   --short  (CI) 3 runs, no 1-minute waits, no library rows; cannot be combined with --write;
//   --peers DIR  also measures other actions (DIR/<owner>__<name>/action.yml and dist/) beside it.
// Exit 1 when a budget on counts fails (requests, bytes, computed latency); budgets on measured
// time and memory are reported only. See docs/benchmarks.md for what each row means.
import { existsSync } from 'node:fs'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { dirname, resolve } from 'node:path'
import { DIST_ENTRY } from '../__tests__/support/run-action.js'
import { measureLibraries } from './bench/libraries.js'
import { benchNodes } from './bench/nodes.js'
import { measurePeers } from './bench/peers.js'
import { memoryMethod } from './bench/processes.js'
import { page, peersSection, rows, table, type Results } from './bench/report.js'
import type { BenchGoal } from './bench/schedule.js'
import { measureSettle } from './bench/settle.js'
import { directoryBytes, measureStartup } from './bench/startup.js'
import { measureWait } from './bench/waits.js'
import { measurePreflight } from './bench/preflight.js'

const DOC = resolve(import.meta.dirname, '../docs/benchmarks.md')
const GOALS: BenchGoal[] = ['certificate-id', 'issued']
const HOUR = 3_600_000

async function main(): Promise<number> {
  const loadAverage = loadavg()[0] ?? 0
  const short = process.argv.includes('--short')
  const write = process.argv.includes('--write')
  const log = (line: string): void => void process.stderr.write(`${line}\n`)
  if (short && write) {
    log('--short figures are not written to docs/benchmarks.md: use --write alone.')
    return 2
  }
  if (!existsSync(DIST_ENTRY)) {
    log(`${DIST_ENTRY} is missing: run \`npm run bundle\` first.`)
    return 2
  }
  const dist = dirname(DIST_ENTRY)

  const nodes = benchNodes(log)
  const runtime = nodes.find(n => n.runtime) ?? nodes[0]
  if (runtime === undefined) throw new Error('no Node to measure with')
  const startups = []
  for (const node of nodes) {
    log(`Start-up on Node ${node.version} (${short ? 'short' : 'full'} mode)...`)
    startups.push(await measureStartup(short ? 3 : 11, 3, log, node))
  }
  log(
    `Settle window: placing runs with the real window and with it shortened, on Node ${runtime.version}...`
  )
  const settle = await measureSettle(3, runtime, 8_300_000_000 + (process.pid % 1000) * 1000)
  const libraries = short ? undefined : await measureLibraries(runtime, 11, log)
  const peersAt = process.argv.indexOf('--peers')
  const peersDir = peersAt === -1 ? undefined : process.argv[peersAt + 1]
  if (peersAt !== -1 && !peersDir) {
    log('--peers needs a folder: --peers DIR')
    return 2
  }
  const peers = peersDir ? await measurePeers(peersDir, runtime, short ? 3 : 11, log) : undefined

  const realWaits = short ? [10_000] : [10_000, 60_000]
  log(
    `Real waits of ${realWaits.map(ms => `${ms / 1000} s`).join(' and ')}, for ${GOALS.join(' and ')}, in parallel, on Node ${runtime.version}...`
  )
  let runId = 8_200_000_000 + (process.pid % 1000) * 1000
  const measured = await Promise.all(
    GOALS.flatMap(goal =>
      realWaits.map(waitMs => measureWait(waitMs, goal, String(runId++), runtime.path))
    )
  )

  log('Pre-flight requests of a new order and of a resumed one...')
  const preflight = await measurePreflight(String(runId++))

  const results: Results = {
    startups,
    settle,
    ...(libraries && { libraries }),
    ...(peers && { peers }),
    distBytes: await directoryBytes(dist),
    distFiles: (await readdir(dist, { recursive: true, withFileTypes: true })).filter(e =>
      e.isFile()
    ).length,
    measured,
    computedWaitsMs: [HOUR, 6 * HOUR],
    preflight,
    goals: GOALS
  }
  const list = rows(results)
  const text = table(list)
  process.stdout.write(text)
  if (peers) process.stdout.write(`\n${peersSection(results)}`)

  if (write) {
    const machine = {
      date: new Date().toISOString().slice(0, 10),
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      cpus: cpus().length,
      loadAverage,
      loadAverageAtEnd: loadavg()[0] ?? 0,
      memoryMethod: memoryMethod()
    }
    await mkdir(dirname(DOC), { recursive: true })
    await writeFile(DOC, page(machine, text, results))
    log(`Wrote ${DOC}.`)
  } else if (!short) {
    log('docs/benchmarks.md left as it is: `npm run bench -- --write` writes these figures there.')
  }

  const failed = list.filter(row => row.pass === false)
  for (const row of failed)
    log(`${row.kind === 'deterministic' ? 'FAIL' : 'FAIL (reported only)'}: ${row.figure}`)
  return failed.some(row => row.kind === 'deterministic') ? 1 : 0
}

main().then(
  code => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
    )
    process.exitCode = 2
  }
)
