// Child processes timed from spawn to exit, and their peak resident memory.
import { accessSync, constants } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  ACTION_NODE,
  WORKFLOW_ENV,
  parseCommandFile,
  spawnCaptured,
  type Finished as Captured
} from '../../__tests__/support/run-action.js'

export const NODE = ACTION_NODE
export const GNU_TIME = '/usr/bin/time'
// The tests' probe: it writes the process's own peak (VmHWM on Linux) to PEAK_MEMORY_FILE at exit.
const PEAK_MEMORY_PRELOAD = resolve(import.meta.dirname, '../../__tests__/support/peak-memory.mjs')

/** A finished process, with the outputs it wrote; exitedAt compares with the simulator's clock. */
export interface Finished extends Captured {
  outputs: Record<string, string>
}

export interface Launch {
  args: string[]
  /** The Node binary; NODE (ACTION_NODE, or this Node) by default. */
  node?: string
  /** INPUT_<NAME> variables, as the runner sets them. */
  inputs?: Record<string, string>
  env?: Record<string, string>
  /** Report the peak resident memory: `/usr/bin/time -v`, or the tests' peak-memory.mjs probe without it. */
  measureMemory?: boolean
  killAfterMs?: number
}

export function memoryMethod(): string {
  return hasGnuTime()
    ? '`/usr/bin/time -v` (maximum resident set size)'
    : 'the peak (VmHWM) at exit (preloaded __tests__/support/peak-memory.mjs; no /usr/bin/time)'
}

export function hasGnuTime(): boolean {
  try {
    accessSync(GNU_TIME, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Runs `node <args>` with a runner-like environment (fresh GITHUB_OUTPUT etc.), as run-action.ts does. */
export async function runNode(launch: Launch): Promise<Finished & { maxRssKiB?: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-run-'))
  try {
    const files = {
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary')
    }
    await Promise.all(Object.values(files).map(file => writeFile(file, '')))
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ...files,
      RUNNER_TEMP: join(dir, 'runner-temp'),
      GITHUB_ACTIONS: 'true',
      ...WORKFLOW_ENV,
      // The certificate's key derives from the repository: one per run ID, so each run orders anew.
      ...(launch.env?.GITHUB_RUN_ID && {
        GITHUB_REPOSITORY: `octo-org/bench-${launch.env.GITHUB_RUN_ID}`
      }),
      ...launch.env
    }
    for (const [name, value] of Object.entries(launch.inputs ?? {}))
      env[`INPUT_${name.toUpperCase()}`] = value
    const memoryFile = join(dir, 'memory')
    const gnuTime = launch.measureMemory === true && hasGnuTime()
    if (launch.measureMemory && !gnuTime) env.PEAK_MEMORY_FILE = memoryFile
    const node = launch.node ?? NODE
    const [command, args] = !launch.measureMemory
      ? [node, launch.args]
      : gnuTime
        ? [GNU_TIME, ['-v', '-o', memoryFile, node, ...launch.args]]
        : [node, ['--import', PEAK_MEMORY_PRELOAD, ...launch.args]]
    const finished = await spawnCaptured(command, args, env, launch.killAfterMs ?? 15 * 60_000)
    const outputs = parseCommandFile(await readFile(files.GITHUB_OUTPUT, 'utf8'))
    if (!launch.measureMemory) return { ...finished, outputs }
    const report = await readFile(memoryFile, 'utf8')
    const rss = gnuTime ? /Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1] : report
    if (!rss) throw new Error(`no maximum resident set size in ${GNU_TIME} -v output:\n${report}`)
    return { ...finished, outputs, maxRssKiB: Number(rss) }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2
}
