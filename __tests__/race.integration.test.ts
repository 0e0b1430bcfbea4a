// Runs that race, as the runner runs them: bundled actions in processes of their own, released at
// once against one simulator, end with one live order that every run hands on. The rest of the story
// of one certificate for many releases (reuse, renewal, resumption, ended orders) runs in process on
// a fake clock in converge.test.ts; what only processes of their own can show is here.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSimulator, type Scenario, type Simulator } from './support/simulator.js'
import {
  isolatedRepository,
  runAction,
  WORKFLOW_ENV,
  type ActionRun
} from './support/run-action.js'
import { API_KEY, expectNoSecrets, orderInputs } from './support/action-inputs.js'

let sim: Simulator
let repository: string
let runId = 0
beforeEach(async () => {
  // A simulator of its own for every test: no order, request or scenario of another test is seen.
  sim = await startSimulator({ apiKey: API_KEY, scenario: { pollsUntilIssued: 0 } })
  repository = isolatedRepository()
})
afterEach(() => sim.close())

/** A run of the release workflow of one repository: every run has its own run ID. */
async function release(
  more: Record<string, string> = {},
  env: Record<string, string> = {}
): Promise<ActionRun> {
  const run = await runAction(orderInputs(sim.url, more), {
    env: { ...WORKFLOW_ENV, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: String(++runId), ...env }
  })
  expectNoSecrets(run)
  return run
}

const posts = () => sim.requests.filter(r => r.method === 'POST')

describe('runs that race to reissue', () => {
  it('send one reissue that is accepted, and every run succeeds on the same order', async () => {
    sim.setScenario({ pollsUntilReissued: 1_000 })
    // The first order races nobody: no settle window (the tests' shortcut, not an input).
    const first = await release({ 'validity-years': '2' }, { DIGICERT_TEST_SETTLE_WINDOW_MS: '0' })
    expect(first.code, first.stdout).toBe(0)
    const orderId = Number(first.outputs['order-id'])
    const soon = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10)
    sim.setValidTill(orderId, soon)
    // Both reissue POSTs are held until both arrived: each run decided before either reissued.
    sim.setScenario({ holdReissuePostsUntil: 2 })
    const runs = await Promise.all([1, 2].map(() => release({ 'validity-years': '2' })))
    for (const run of runs) expect(run.code, run.stdout).toBe(0)
    expect(
      sim.requests.filter(r => r.method === 'POST' && r.path.endsWith('/reissue'))
    ).toHaveLength(2)
    expect(sim.orders.find(o => o.id === orderId)?.reissues).toHaveLength(1)
    expect(sim.orders).toHaveLength(1)
    expect(runs.map(run => run.outputs['order-id'])).toEqual([String(orderId), String(orderId)])
    expect(runs.map(run => run.outputs['order-action']).sort()).toEqual([
      'reissue-placed',
      'reused'
    ])
  })
})

describe('runs that race', () => {
  async function race(
    runs: number,
    scenario: Partial<Scenario> = {},
    inputs: Record<string, string> = {}
  ): Promise<ActionRun[]> {
    // Every POST is held until all runs have sent theirs: each looked up first and found nothing.
    // Orders stay pending while the losing runs read them before canceling their own.
    sim.setScenario({ holdOrderPostsUntil: runs, pollsUntilIssued: 3, ...scenario })
    return Promise.all(Array.from({ length: runs }, () => release(inputs)))
  }

  it.each([2, 5])(
    '%i runs at once end with one live order, and all hand on that one',
    async runs => {
      const results = await race(runs)
      for (const run of results) expect(run.code, run.stdout).toBe(0)
      expect(posts()).toHaveLength(runs)
      const live = sim.liveOrders()
      expect(live).toHaveLength(1)
      const winner = live[0]!
      expect(winner.id).toBe(Math.min(...sim.orders.map(o => o.id)))
      expect(sim.orders.filter(o => o.status === 'canceled')).toHaveLength(runs - 1)
      for (const order of sim.orders.filter(o => o.status === 'canceled'))
        expect(order.cancelNote).toContain(`Duplicate of order ${winner.id}`)
      for (const run of results) expect(run.outputs['order-id']).toBe(String(winner.id))
      // Every PUT names an order (or request) that a POST with the run's key created.
      expect(sim.foreignPuts(winner.alternativeOrderId)).toEqual([])
      const losers = results.filter(run => run.stdout.includes('canceled its own order'))
      expect(losers).toHaveLength(runs - 1)
      for (const run of losers) {
        expect(run.outputs['order-action']).toBe('resumed')
        expect(run.summary).toContain('canceled its own order')
      }
      // The next release finds the one live certificate and reuses it: no order, no pre-flight.
      const before = sim.requests.length
      const next = await release()
      expect(next.code, next.stdout).toBe(0)
      expect(next.outputs['order-action']).toBe('reused')
      expect(next.outputs['order-id']).toBe(String(winner.id))
      expect(sim.requests.length - before).toBeLessThanOrEqual(3)
      expect(posts()).toHaveLength(runs)
    }
  )

  it('a request awaiting approval is rejected, since it cannot be canceled', async () => {
    const results = await race(2, { approval: 'needs-approval' }, { timeout: '3s' })
    for (const run of results) expect(run.code).toBe(1) // both time out awaiting approval
    for (const run of results) expect(run.outputs['order-id']).toBe(String(sim.orders[0]!.id))
    expect(sim.liveOrders()).toHaveLength(1)
    expect(sim.orders.filter(o => o.status === 'rejected')).toHaveLength(1)
  })

  it('on an account that requires unique IDs, the refused run follows the order placed', async () => {
    const results = await race(2, { uniqueAlternativeOrderIds: true })
    for (const run of results) expect(run.code, run.stdout).toBe(0)
    expect(sim.orders).toHaveLength(1)
    expect(results.map(run => run.outputs['order-id'])).toEqual([
      String(sim.orders[0]!.id),
      String(sim.orders[0]!.id)
    ])
  })
})
