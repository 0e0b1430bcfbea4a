// The Node binaries the benchmark measures: the runtime action.yml names (`runs.using: node24`)
// first, as GitHub's runners start the action with it, then this machine's Node beside it.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse } from 'yaml'
import { ACTION_NODE } from '../../__tests__/support/run-action.js'

export interface BenchNode {
  /** e.g. v24.11.0 */
  version: string
  path: string
  /** The runtime action.yml names: the budgets that matter most, and the one the waits run on. */
  runtime: boolean
}

const ACTION_YML = resolve(import.meta.dirname, '../../action.yml')

/** The major version action.yml runs on: 24 for `using: node24`. */
export function actionNodeMajor(actionYml = readFileSync(ACTION_YML, 'utf8')): number {
  const using = (parse(actionYml) as { runs?: { using?: unknown } }).runs?.using
  const major = typeof using === 'string' ? /^node(\d+)$/.exec(using)?.[1] : undefined
  if (major === undefined) throw new Error(`action.yml runs.using is ${String(using)}, not nodeNN`)
  return Number(major)
}

export function versionOf(path: string): string {
  return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim()
}

const majorOf = (version: string): number => Number(/^v(\d+)/.exec(version)?.[1])

/**
 * ACTION_NODE (CI points it at Node 24) and this Node; when neither is the runtime's major, that
 * Node from the npm registry (`npx -p node@24`), as .ci/run fetches it. Null when it cannot be had.
 */
export function findRuntimeNode(major: number, log: (line: string) => void): string | null {
  for (const path of new Set([ACTION_NODE, process.execPath])) {
    if (majorOf(versionOf(path)) === major) return path
  }
  log(`Fetching Node ${major} with npx -p node@${major} (the runtime action.yml names)...`)
  try {
    const path = execFileSync(
      'npx',
      ['-y', '-p', `node@${major}`, 'node', '-e', 'process.stdout.write(process.execPath)'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], shell: process.platform === 'win32' }
    )
    return majorOf(versionOf(path)) === major ? path : null
  } catch {
    return null
  }
}

/** The runtime's Node first (when it can be had), then the other Nodes at hand, one per version. */
export function benchNodes(log: (line: string) => void): BenchNode[] {
  const major = actionNodeMajor()
  const runtime = findRuntimeNode(major, log)
  if (runtime === null)
    log(`Node ${major} could not be had: measuring with the Nodes at hand only.`)
  const nodes: BenchNode[] = []
  for (const path of [runtime, ACTION_NODE, process.execPath]) {
    if (path === null) continue
    const version = versionOf(path)
    if (nodes.some(n => n.version === version)) continue
    nodes.push({ version, path, runtime: majorOf(version) === major })
  }
  return nodes
}
