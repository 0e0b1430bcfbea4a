// What the pre-flight costs: the requests it adds to a new order (at most four), to an order
// resumed by order-id and to a release that reuses the certificate (none); what a release that
// reuses sends with each wait-for, and what one that reissues a multi-year order sends. Runs that
// place an order wait the real settle window (5 s each). Counted on the simulator, from whole runs of dist/index.js.
import { API_KEY, orderInputs } from '../../__tests__/support/action-inputs.js'
import { DIST_ENTRY } from '../../__tests__/support/run-action.js'
import { startSimulator, type Simulator } from '../../__tests__/support/simulator.js'
import { runNode } from './processes.js'

export interface PreflightCounts {
  /** Pre-flight GETs of a new EV order for an existing organization, with skip-approval: every question. */
  newOrder: number
  newOrderTotal: number
  /** Pre-flight GETs when that order is resumed by order-id. */
  resumed: number
  resumedTotal: number
  /** Pre-flight GETs, and requests in all, of a later release that reuses the certificate. */
  reused: number
  reusedTotal: number
  /** Requests in all of the same release with `wait-for: issued`: the chain downloaded too. */
  reusedIssuedTotal: number
  /** Pre-flight GETs, and requests in all, of a release that reissues a multi-year order. */
  reissue: number
  reissueTotal: number
}

const PREFLIGHT_PATH = /\/(organization\/\d+(\/validation)?|user\/me|product\/[^/?]+)(\?|$)/

export async function measurePreflight(runId: string): Promise<PreflightCounts> {
  const sim = await startSimulator({ apiKey: API_KEY, scenario: { approval: 'immediate' } })
  try {
    const inputs = orderInputs(sim.url, { product: 'code_signing_ev' })
    // One repository for the first and the last run: the certificate's key derives from it.
    const repository = `octo-org/bench-preflight-${runId}`
    const placed = await counted(sim, inputs, runId, repository)
    const orderId = placed.outputs['order-id']
    if (!orderId) throw new Error('the pre-flight benchmark placed no order')
    const resumed = await counted(sim, { ...inputs, 'order-id': orderId }, `${runId}1`)
    const reused = await counted(sim, inputs, `${runId}2`, repository)
    const reusedIssued = await counted(
      sim,
      { ...inputs, 'wait-for': 'issued' },
      `${runId}5`,
      repository
    )
    for (const run of [reused, reusedIssued])
      if (run.outputs['order-action'] !== 'reused')
        throw new Error(`the release after the first did not reuse the certificate`)
    const reissued = await reissueRun(sim, inputs, runId)
    return {
      newOrder: placed.preflight,
      newOrderTotal: placed.total,
      resumed: resumed.preflight,
      resumedTotal: resumed.total,
      reused: reused.preflight,
      reusedTotal: reused.total,
      reusedIssuedTotal: reusedIssued.total,
      reissue: reissued.preflight,
      reissueTotal: reissued.total
    }
  } finally {
    await sim.close()
  }
}

async function counted(
  sim: Simulator,
  inputs: Record<string, string>,
  runId: string,
  repository?: string
) {
  const before = sim.requests.length
  const env = { GITHUB_RUN_ID: runId, ...(repository && { GITHUB_REPOSITORY: repository }) }
  const run = await runNode({ args: [DIST_ENTRY], inputs, env })
  if (run.code !== 0) throw new Error(`the action failed (exit ${run.code}):\n${run.stdout}`)
  const requests = sim.requests.slice(before)
  return {
    outputs: run.outputs,
    total: requests.length,
    preflight: requests.filter(r => r.method === 'GET' && PREFLIGHT_PATH.test(r.path)).length
  }
}

/** A three-year order whose certificate ends in 20 days: the next release reissues it. */
async function reissueRun(sim: Simulator, inputs: Record<string, string>, runId: string) {
  const multiYear = { ...inputs, 'validity-years': '3' }
  const repository = `octo-org/bench-reissue-${runId}`
  const placed = await counted(sim, multiYear, `${runId}3`, repository)
  const orderId = Number(placed.outputs['order-id'])
  sim.setValidTill(orderId, new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10))
  const reissued = await counted(sim, multiYear, `${runId}4`, repository)
  if (reissued.outputs['order-action'] !== 'reissue-placed')
    throw new Error('the release within renew-within did not reissue the multi-year order')
  return reissued
}
