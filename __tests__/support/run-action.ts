// Runs the bundled action (dist/index.js) in a child process the way the GitHub runner does:
// inputs as INPUT_<NAME> variables, outputs, state and summary as files.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const DIST_ENTRY = resolve(import.meta.dirname, '../../dist/index.js')

/** The Node binary that runs the action: ACTION_NODE (CI points it at Node 24) or this one. */
export const ACTION_NODE = process.env.ACTION_NODE || process.execPath

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Everything a user could see or pass on: the log, the summary and the outputs. */
  everything: string
  runnerTemp: string
  /** From spawn to exit, in milliseconds. */
  wallMs: number
  /** Epoch ms of the exit. */
  exitedAt: number
}

export interface RunOptions {
  /** Extra environment, e.g. GITHUB_RUN_ID to simulate a workflow run. Replaces the defaults. */
  env?: Record<string, string | undefined>
  /** Kill the process after this long (a test guard, not a behaviour). */
  killAfterMs?: number
  /** Options for the Node binary, before the action's entry point (e.g. --require a probe). */
  nodeArgs?: string[]
}

/**
 * The environment of a workflow run. The certificate's default key derives from the repository:
 * runs that pass these variables share a certificate, as the release runs of one repository do.
 */
export const WORKFLOW_ENV = {
  GITHUB_REPOSITORY: 'octo-org/release-app',
  GITHUB_RUN_ID: '9000000001',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'release',
  GITHUB_ACTION: 'order-certificate'
}

let isolatedRuns = 0
/** A repository of its own: runs of different tests never share a certificate by accident. */
export function isolatedRepository(): string {
  return `octo-org/app-${process.pid}-${++isolatedRuns}`
}

/** The directories of runs not yet removed: the chains a run downloads are PEM files. */
const runDirs = new Set<string>()

/** Removes `path` (a folder or a file) after the test file, with the runs' folders. */
export function removeAfterFile(path: string): void {
  runDirs.add(path)
}

export async function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {}
): Promise<ActionRun> {
  const dir = await mkdtemp(join(tmpdir(), 'action-run-'))
  runDirs.add(dir)
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary')
  }
  await Promise.all(Object.values(files).map(file => writeFile(file, '')))
  const runnerTemp = join(dir, 'runner-temp')
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...files,
    RUNNER_TEMP: runnerTemp,
    GITHUB_ACTIONS: 'true',
    // The settle window after an order POST, shortened from 5 s: the simulator lists orders at once
    // unless a test says otherwise (see CONTRIBUTING, "Races").
    DIGICERT_TEST_SETTLE_WINDOW_MS: '50',
    ...WORKFLOW_ENV,
    GITHUB_REPOSITORY: isolatedRepository(),
    ...options.env
  }
  for (const [name, value] of Object.entries(inputs)) {
    // The runner upper-cases the name and keeps hyphens.
    env[`INPUT_${name.toUpperCase()}`] = value
  }
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name]

  const { code, stdout, stderr, wallMs, exitedAt } = await spawnCaptured(
    ACTION_NODE,
    [...(options.nodeArgs ?? []), DIST_ENTRY],
    env,
    options.killAfterMs ?? 60_000
  )
  const outputs = parseCommandFile(await readFile(files.GITHUB_OUTPUT, 'utf8'))
  const summary = await readFile(files.GITHUB_STEP_SUMMARY, 'utf8')
  const everything = [stdout, stderr, summary, ...Object.values(outputs)].join('\n')
  return { code, stdout, stderr, outputs, summary, everything, runnerTemp, wallMs, exitedAt }
}

/** Removes a run's files (outputs, summary, RUNNER_TEMP with any downloaded chain). */
export async function removeRun(run: ActionRun): Promise<void> {
  const dir = resolve(run.runnerTemp, '..')
  runDirs.delete(dir)
  await rm(dir, { recursive: true, force: true })
}

/** Removes the files of every run not yet removed; the tests' setup file calls it after each file. */
export async function removeRuns(): Promise<void> {
  const dirs = [...runDirs]
  runDirs.clear()
  await Promise.all(dirs.map(dir => rm(dir, { recursive: true, force: true })))
}

export interface Finished {
  code: number | null
  stdout: string
  stderr: string
  /** From spawn to exit, in milliseconds. */
  wallMs: number
  /** Epoch ms of the exit. */
  exitedAt: number
}

/** Runs a command to its end, capturing its output; kills it after `killAfterMs`. */
export function spawnCaptured(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  killAfterMs: number
): Promise<Finished> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    child.on('error', reject)
    child.on('close', code => {
      const wallMs = performance.now() - started
      clearTimeout(timer)
      resolvePromise({ code, stdout, stderr, wallMs, exitedAt: Date.now() })
    })
  })
}

/** GITHUB_OUTPUT holds `name<<DELIMITER\nvalue\nDELIMITER` entries. */
export function parseCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '')
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '')
    result[name as string] = value.join('\n')
  }
  return result
}

/** The log without the runner's `::add-mask::` commands, which the runner never shows. */
export function visibleLog(run: ActionRun): string {
  return (
    run.everything
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n')
      // A debug stack names places in dist/index.js (`file:///…/index.js:3:99731`): the action's
      // own code, whose column numbers may hold any digits, a test CVV's among them.
      .replace(/file:\/\/\/\S*?:\d+:\d+/g, 'file:///…')
  )
}
