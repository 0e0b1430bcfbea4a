// `npm run bench`: start-up, memory, size, request economy and detection latency of the bundled
// action against the CertCentral simulator, each beside its budget. Prints one Markdown table and
// writes it to docs/benchmarks.md. `npm run bench -- --short` (CI): 3 runs, no 1-minute waits, prints
// only. Exit 1 when a budget on counts fails (requests, bytes, computed latency); budgets on measured
// time and memory are reported only. See docs/benchmarks.md for what each row means.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { dirname, resolve } from 'node:path'
import { DIST_ENTRY } from '../__tests__/support/run-action.js'
import { NODE, memoryMethod } from './bench/processes.js'
import { page, rows, table, type Results } from './bench/report.js'
import type { BenchGoal } from './bench/schedule.js'
import { directoryBytes, measureStartup } from './bench/startup.js'
import { measureWait } from './bench/waits.js'
import { measurePreflight } from './bench/preflight.js'

const DOC = resolve(import.meta.dirname, '../docs/benchmarks.md')
const GOALS: BenchGoal[] = ['certificate-id', 'issued']
const HOUR = 3_600_000

async function main(): Promise<number> {
  const short = process.argv.includes('--short')
  const log = (line: string): void => void process.stderr.write(`${line}\n`)
  if (!existsSync(DIST_ENTRY)) {
    log(`${DIST_ENTRY} is missing: run \`npm run bundle\` first.`)
    return 2
  }
  const dist = dirname(DIST_ENTRY)

  // The runner-like environment of run-action.ts; then, if this machine sets NODE_EXTRA_CA_CERTS
  // (which every Node process pays for at start-up), the same with it.
  const variants: Record<string, string>[] = [{}]
  const ca = process.env.NODE_EXTRA_CA_CERTS
  if (ca) variants.push({ NODE_EXTRA_CA_CERTS: ca })
  const startups = []
  for (const extraEnv of variants) {
    log(
      `Start-up (${short ? 'short' : 'full'} mode)${ca && extraEnv.NODE_EXTRA_CA_CERTS ? ' with NODE_EXTRA_CA_CERTS' : ''}...`
    )
    startups.push(await measureStartup(short ? 3 : 11, 3, log, extraEnv))
  }

  const realWaits = short ? [10_000] : [10_000, 60_000]
  log(
    `Real waits of ${realWaits.map(ms => `${ms / 1000} s`).join(' and ')}, for ${GOALS.join(' and ')}, in parallel...`
  )
  let runId = 8_200_000_000 + (process.pid % 1000) * 1000
  const measured = await Promise.all(
    GOALS.flatMap(goal => realWaits.map(waitMs => measureWait(waitMs, goal, String(runId++))))
  )

  log('Pre-flight requests of a new order and of a resumed one...')
  const preflight = await measurePreflight(String(runId++))

  const results: Results = {
    startups,
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

  if (!short) {
    const machine = {
      date: new Date().toISOString().slice(0, 10),
      node: execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim(),
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      cpus: cpus().length,
      memoryMethod: memoryMethod()
    }
    await mkdir(dirname(DOC), { recursive: true })
    await writeFile(DOC, page(machine, text, results))
    log(`Wrote ${DOC}.`)
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
