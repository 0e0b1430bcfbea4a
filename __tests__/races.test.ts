// Runs that race, in process on a scaled clock (fixtures/races.ts): IDs assigned when each POST
// arrives, orders listed 0-2 s later in random order. Every trial ends with exactly one live order,
// every run hands on that one, and no PUT names an order that no run of this key created. The
// default run has a few trials of each size; `npm run trials` runs 20 of each (RACE_TRIALS).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { laterRun, race, type RaceResult } from './fixtures/races.js'

const TRIALS = Number(process.env.RACE_TRIALS ?? '2')

let result: RaceResult | undefined
beforeEach(() => {
  // The runs' log lines: not this test's business.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
})
afterEach(async () => {
  vi.restoreAllMocks()
  await result?.sim.close()
  result = undefined
})

function expectOneLiveOrder(r: RaceResult, runs: number): void {
  const { sim, outcomes, key } = r
  const live = sim.liveOrders()
  expect(live, r.warnings.join('\n')).toHaveLength(1)
  const kept = live[0]!
  expect(kept.id).toBe(Math.min(...sim.orders.map(o => o.id)))
  for (const outcome of outcomes) {
    expect(outcome).not.toBeInstanceOf(Error)
    if (!(outcome instanceof Error)) expect(outcome.orderId).toBe(kept.id)
  }
  expect(sim.orders.filter(o => o.requestId !== kept.requestId)).toHaveLength(
    sim.requests.filter(q => q.method === 'POST').length - 1
  )
  expect(sim.orders.length).toBeLessThanOrEqual(runs)
  expect(sim.foreignPuts(key)).toEqual([])
}

describe.each([2, 5, 10])('%i runs at once', runs => {
  it.each(Array.from({ length: TRIALS }, (_, i) => i + 1))(
    'end with one live order, handed on by every run (trial %i)',
    async () => {
      result = await race(runs)
      expectOneLiveOrder(result, runs)
      // A later run finds that order and reuses or resumes it: it orders nothing.
      const later = await laterRun(result)
      expect(later.orderId).toBe(result.sim.liveOrders()[0]!.id)
      expect(result.sim.requests.filter(q => q.method === 'POST')).toHaveLength(runs)
    }
  )
})

describe('runs that race to renew', () => {
  it.each([2, 5])(
    '%i runs: one renewal, every run hands it on beside the certificate in use',
    async runs => {
      result = await race(runs, {}, {}, undefined, true)
      const { sim, outcomes } = result
      const first = sim.orders[0]!
      const renewals = sim.orders.filter(o => o.renewalOfOrderId === first.id)
      expect(renewals, result.warnings.join('\n')).toHaveLength(1)
      expect(sim.liveOrders().map(o => o.id)).toEqual([first.id, renewals[0]!.id])
      for (const outcome of outcomes) {
        expect(outcome).not.toBeInstanceOf(Error)
        if (outcome instanceof Error) continue
        expect(outcome.orderId).toBe(first.id)
        expect(outcome.renewal?.orderId).toBe(renewals[0]!.id)
      }
      expect(sim.foreignPuts(result.key)).toEqual([])
    }
  )
})

describe('races of requests awaiting approval', () => {
  it('end with one live order: the others are rejected, as they cannot be canceled', async () => {
    result = await race(3, { approval: 'needs-approval' })
    expectOneLiveOrder(result, 3)
    expect(result.sim.orders.filter(o => o.status === 'rejected')).toHaveLength(2)
  })
})

describe('a race whose runs have no time for the settle window', () => {
  it('leaves what the next run withdraws, with nothing but proven duplicates in its PUTs', async () => {
    // The earliest POST listed 1.5 s late, the others at once; a 4 s timeout leaves no room for
    // the window, so the second order's run keeps it, never having seen the first. (At twice the
    // wall clock's pace, so that the timeout holds on a loaded machine.)
    result = await race(3, { visibilityDelaysMs: [1_500, 0, 0] }, { timeout: '4s' }, 2)
    const describeRuns = (r: RaceResult) =>
      [...r.warnings, ...r.outcomes.map(o => (o instanceof Error ? o.message : o.orderId))].join(
        '\n'
      )
    expect(
      result.sim.liveOrders().map(o => o.id),
      describeRuns(result)
    ).toEqual([100_001, 100_002])
    expect(result.warnings.join('\n')).toContain('leaves no room for the settle window')
    const later = await laterRun(result)
    const live = result.sim.liveOrders()
    expect(live, describeRuns(result)).toHaveLength(1)
    expect(later.orderId).toBe(100_001)
    expect(live[0]!.id).toBe(100_001)
    expect(result.sim.orders.find(o => o.id === 100_002)?.cancelNote).toContain(
      'Duplicate of order 100001: two runs ordered the same certificate at the same moment'
    )
    expect(result.sim.foreignPuts(result.key)).toEqual([])
  })
})
