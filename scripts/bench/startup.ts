// Start-up: whole immediate-approval runs of dist/index.js against the simulator, interleaved with
// `node -e 0`, the floor (floor.mjs) and the action with no inputs; then their peak memory. The
// action's settle window (5 s after its POST, src/chain/race.ts) is shortened to 0 here: these
// rows measure what the action's code costs, and the window's wait has a row of its own (settle.ts).
import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { API_KEY, orderInputs } from '../../__tests__/support/action-inputs.js'
import { DIST_ENTRY } from '../../__tests__/support/run-action.js'
import { startSimulator, type Simulator } from '../../__tests__/support/simulator.js'
import type { BenchNode } from './nodes.js'
import { median, runNode, type Finished } from './processes.js'

export const FLOOR = resolve(import.meta.dirname, 'floor.mjs')
/** The test-only variable that shortens the settle window (src/chain/race.ts testSettleWindow). */
export const SHORT_SETTLE = { DIGICERT_TEST_SETTLE_WINDOW_MS: '0' }

export type Subject = 'baseline' | 'action' | 'floor' | 'noInputs'

export interface Startup {
  /** The Node every process of this measurement ran on. */
  node: Pick<BenchNode, 'version' | 'runtime'>
  runs: number
  /** Median wall time, ms. */
  medianMs: Record<Subject, number>
  /** Highest peak resident memory over the memory runs, KiB. */
  maxRssKiB: Record<Subject, number>
  memoryRuns: number
  /** Requests the action made in each immediate run (all equal, or the run fails). */
  actionRequests: number
  floorRequests: number
}

const LOOKUP = /\/order\/alternate\//

let runNumber = 0
/** A new GITHUB_RUN_ID per run: a new default alternative order ID, so every run places a new order. */
const nextRunId = (): string => String(8_100_000_000 + process.pid * 1000 + runNumber++)

export async function measureStartup(
  runs: number,
  memoryRuns: number,
  log: (line: string) => void,
  { path: node, version, runtime }: BenchNode
): Promise<Startup> {
  const sim = await startSimulator({ apiKey: API_KEY, scenario: { approval: 'immediate' } })
  try {
    // The pre-flight is off: these rows compare the action's own cost with the floor, which sends
    // the same requests; what the pre-flight costs has rows of its own (preflight.ts).
    const inputs = orderInputs(sim.url, { preflight: 'off' })
    // A first run of each (not counted) warms the simulator and the file cache, and captures the
    // action's requests for the floor to repeat.
    const before = sim.requests.length
    await checkedAction(sim, inputs, false, node)
    const sent = sim.requests.slice(before)
    const post = sent.find(r => r.method === 'POST')
    if (!post) throw new Error('the action sent no POST')
    const floorEnv = {
      'INPUT_API-URL': sim.url,
      'INPUT_API-KEY': API_KEY,
      FLOOR_ORDER_BODY: JSON.stringify(post.body),
      FLOOR_ORDER_PATH: post.path.slice(post.path.indexOf('/order/')),
      // The lookups the action sends after its POST (the one that sees its order listed, the one
      // after the settle window): the floor sends as many.
      FLOOR_LOOKUPS_AFTER_POST: String(
        sent.slice(sent.indexOf(post)).filter(r => r.method === 'GET' && LOOKUP.test(r.path)).length
      )
    }
    const launches: Record<
      Subject,
      (memory: boolean) => Promise<Finished & { maxRssKiB?: number }>
    > = {
      baseline: memory => runNode({ node, args: ['-e', '0'], measureMemory: memory }),
      action: memory => checkedAction(sim, inputs, memory, node),
      floor: async memory => {
        const run = await runNode({
          node,
          args: [FLOOR],
          env: { ...floorEnv, GITHUB_RUN_ID: nextRunId() },
          measureMemory: memory
        })
        if (run.code !== 0 || !run.outputs['certificate-id'])
          throw new Error(`floor.mjs failed:\n${run.stderr}`)
        return run
      },
      noInputs: memory => runNode({ node, args: [DIST_ENTRY], measureMemory: memory })
    }
    const subjects = Object.keys(launches) as Subject[]
    const floorBefore = sim.requests.length
    await launches.floor(false)
    const floorRequests = sim.requests.length - floorBefore

    const times: Record<Subject, number[]> = { baseline: [], action: [], floor: [], noInputs: [] }
    const actionRequests = new Set<number>()
    for (let round = 0; round < runs; round++) {
      // Each round starts with a different subject, so none always runs first or last.
      for (let i = 0; i < subjects.length; i++) {
        const subject = subjects[(round + i) % subjects.length] as Subject
        const requestsBefore = sim.requests.length
        const run = await launches[subject](false)
        times[subject].push(run.wallMs)
        if (subject === 'action') actionRequests.add(sim.requests.length - requestsBefore)
      }
      log(
        `  ${version} start-up round ${round + 1}/${runs}: ` +
          subjects.map(s => `${s} ${fmt(times[s].at(-1))}`).join(', ')
      )
    }
    if (actionRequests.size !== 1)
      throw new Error(
        `immediate runs made different numbers of requests: ${[...actionRequests].join(', ')}`
      )

    const rss: Record<Subject, number> = { baseline: 0, action: 0, floor: 0, noInputs: 0 }
    for (let round = 0; round < memoryRuns; round++) {
      for (const subject of subjects) {
        const run = await launches[subject](true)
        rss[subject] = Math.max(rss[subject], run.maxRssKiB ?? 0)
      }
    }
    return {
      node: { version, runtime },
      runs,
      medianMs: {
        baseline: median(times.baseline),
        action: median(times.action),
        floor: median(times.floor),
        noInputs: median(times.noInputs)
      },
      maxRssKiB: rss,
      memoryRuns,
      actionRequests: [...actionRequests][0] ?? 0,
      floorRequests
    }
  } finally {
    await sim.close()
  }
}

async function checkedAction(
  sim: Simulator,
  inputs: Record<string, string>,
  memory: boolean,
  node: string
) {
  const run = await runNode({
    node,
    args: [DIST_ENTRY],
    inputs,
    env: { GITHUB_RUN_ID: nextRunId(), ...SHORT_SETTLE },
    measureMemory: memory
  })
  if (run.code !== 0 || !run.outputs['certificate-id']) {
    throw new Error(
      `the action failed against ${sim.url} (exit ${run.code}):\n${run.stdout}\n${run.stderr}`
    )
  }
  return run
}

const fmt = (ms: number | undefined): string => `${Math.round(ms ?? NaN)} ms`

/** Bytes of every file under dist/. */
export async function directoryBytes(directory: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name)
    total += entry.isDirectory() ? await directoryBytes(path) : (await stat(path)).size
  }
  return total
}
