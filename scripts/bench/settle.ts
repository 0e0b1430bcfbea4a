// What the settle window costs a run that places an order (src/chain/race.ts, SETTLE_WINDOW_MS):
// the same immediate-approval run with the real window and with it shortened to 0 (the test-only
// variable), interleaved, on action.yml's runtime. The difference in time is the window's wait;
// the requests are the same in both, since the settle lookup is sent however short the window.
import { API_KEY, orderInputs } from '../../__tests__/support/action-inputs.js'
import { DIST_ENTRY } from '../../__tests__/support/run-action.js'
import { startSimulator } from '../../__tests__/support/simulator.js'
import { SETTLE_WINDOW_MS } from '../../src/chain/race.js'
import type { BenchNode } from './nodes.js'
import { median, runNode } from './processes.js'
import { SHORT_SETTLE } from './startup.js'

export interface SettleCost {
  runs: number
  /** Median wall time of a placing run with the real window, ms. */
  realMs: number
  /** The same with the window shortened to 0, ms. */
  shortenedMs: number
  windowMs: number
  /** Requests of one placing run (the same with either window), and their methods and paths. */
  requests: number
  /** Lookups of the key after the POST: the one that sees the order listed and the settle lookup. */
  lookupsAfterPost: number
}

const LOOKUP = /\/order\/alternate\//

export async function measureSettle(
  runs: number,
  { path: node }: BenchNode,
  runIdBase: number
): Promise<SettleCost> {
  const sim = await startSimulator({ apiKey: API_KEY, scenario: { approval: 'immediate' } })
  try {
    const inputs = orderInputs(sim.url, { preflight: 'off' })
    let runId = runIdBase
    const times = { real: [] as number[], shortened: [] as number[] }
    const counts = new Set<string>()
    for (let round = 0; round < runs; round++) {
      for (const kind of round % 2 === 0
        ? (['real', 'shortened'] as const)
        : (['shortened', 'real'] as const)) {
        const before = sim.requests.length
        const run = await runNode({
          node,
          args: [DIST_ENTRY],
          inputs,
          env: { GITHUB_RUN_ID: String(runId++), ...(kind === 'shortened' && SHORT_SETTLE) }
        })
        if (run.code !== 0 || run.outputs['order-action'] !== 'placed')
          throw new Error(`the settle-window run failed (exit ${run.code}):\n${run.stdout}`)
        times[kind].push(run.wallMs)
        const sent = sim.requests.slice(before)
        const post = sent.findIndex(r => r.method === 'POST')
        const after = sent.slice(post).filter(r => r.method === 'GET' && LOOKUP.test(r.path))
        counts.add(`${sent.length}/${after.length}`)
      }
    }
    if (counts.size !== 1)
      throw new Error(`placing runs made different numbers of requests: ${[...counts].join(', ')}`)
    const [requests = 0, lookupsAfterPost = 0] = ([...counts][0] ?? '').split('/').map(Number)
    return {
      runs,
      realMs: median(times.real),
      shortenedMs: median(times.shortened),
      windowMs: SETTLE_WINDOW_MS,
      requests,
      lookupsAfterPost
    }
  } finally {
    await sim.close()
  }
}
