// Placing an order exactly once, in process: the action's client against the simulator, on a fake
// clock, so every retry and backoff is checked to the millisecond without waiting for it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { placeOrder } from '../src/certcentral/orders.js'
import { submitOnce } from '../src/submit.js'
import { apiFor, orderBody } from './fixtures/api.js'
import { fakeClock, type FakeClock } from './support/fake-clock.js'
import { startSimulator, UNLIMITED, type Fault, type Simulator } from './support/simulator.js'

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ scenario: { rateLimit: UNLIMITED } })
})
afterAll(() => sim.close())
beforeEach(() => sim.reset())

interface Attempt {
  clock: FakeClock
  warnings: string[]
  retryWarnings: string[]
  key: string
  /** Requests this test sent, as `METHOD path-kind`. */
  sent: () => string[]
  submit: (options?: { lookedUp?: boolean }) => ReturnType<typeof submitOnce>
  ordersWithKey: () => Simulator['orders']
}

function attempt(timeoutMs = 600_000, random: number | number[] = 1): Attempt {
  const clock = fakeClock(random)
  const { api, warnings: retryWarnings } = apiFor(sim, clock, timeoutMs)
  const warnings: string[] = []
  const body = orderBody()
  const key = body.alternative_order_id
  const before = sim.requests.length
  return {
    clock,
    warnings,
    retryWarnings,
    key,
    sent: () =>
      sim.requests
        .slice(before)
        .map(r => `${r.method} ${r.path.includes('/order/alternate/') ? 'lookup' : 'order'}`),
    submit: options =>
      submitOnce(api, 'code_signing', body, { warning: m => warnings.push(m) }, options),
    ordersWithKey: () => sim.orders.filter(o => o.alternativeOrderId === key)
  }
}

describe('a first order', () => {
  it('looks the key up, then posts once', async () => {
    const a = attempt()
    const result = await a.submit()
    expect(result.kind).toBe('placed')
    expect(a.sent()).toEqual(['GET lookup', 'POST order'])
    expect(a.ordersWithKey()).toHaveLength(1)
    expect(result.kind === 'placed' && result.order.id).toBe(a.ordersWithKey()[0]?.id)
    expect(a.clock.slept).toEqual([])
    expect(a.warnings).toEqual([])
  })

  it('posts at once when the survey has just looked the key up', async () => {
    const a = attempt()
    await a.submit({ lookedUp: true })
    expect(a.sent()).toEqual(['POST order'])
  })

  it('follows a live order already carrying the key, and posts nothing', async () => {
    const a = attempt()
    const first = await a.submit()
    const again = await a.submit()
    expect(again).toEqual({
      kind: 'found',
      existing: {
        orderId: first.kind === 'placed' ? first.order.id : -1,
        status: expect.any(String) as string
      },
      others: 0
    })
    expect(a.sent()).toEqual(['GET lookup', 'POST order', 'GET lookup'])
  })

  it('follows the lowest of several live orders, counting the others', async () => {
    const a = attempt()
    await a.submit()
    await a.submit({ lookedUp: true })
    const [low, high] = a.ordersWithKey()
    const found = await a.submit()
    expect(found).toEqual({
      kind: 'found',
      existing: { orderId: low?.id, status: low?.status },
      others: 1
    })
    expect(high?.id).toBeGreaterThan(low?.id ?? Infinity)
  })

  it('orders again when the orders carrying the key have ended', async () => {
    const a = attempt()
    const first = await a.submit()
    if (first.kind !== 'placed') throw new Error('expected an order')
    sim.setStatus(first.order.id, 'canceled')
    const second = await a.submit()
    expect(second.kind).toBe('placed')
    expect(a.ordersWithKey().map(o => o.status)).toEqual(['canceled', expect.any(String)])
  })
})

describe('a POST whose answer is lost', () => {
  it('finds the order it created instead of ordering twice', async () => {
    const a = attempt()
    sim.failNext({ method: 'POST' }, { kind: 'drop-after-processing' })
    const result = await a.submit()
    const [order] = a.ordersWithKey()
    expect(a.ordersWithKey()).toHaveLength(1)
    expect(result).toEqual({
      kind: 'found',
      existing: { orderId: order?.id, status: order?.status },
      others: 0
    })
    expect(a.clock.slept).toEqual([1_000])
    expect(a.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Order request failed \\(POST .* failed: .*\\); whether CertCentral created the order is not known\\. Looking for alternative order ID ${a.key} in 1s before sending it again\\.$`
        )
      )
    ])
    expect(a.sent()).toEqual(['GET lookup', 'POST order', 'GET lookup'])
  })

  for (const fault of [
    { kind: 'drop-before-processing' },
    { kind: 'truncate-body' },
    { kind: 'status', status: 500, processed: true },
    { kind: 'not-json', processed: true },
    { kind: 'html', status: 504, processed: true },
    { kind: 'status', status: 503 },
    { kind: 'html', status: 502 }
  ] satisfies Fault[]) {
    it(`makes exactly one order after ${JSON.stringify(fault)} twice`, async () => {
      const a = attempt()
      sim.failNext({ method: 'POST' }, fault, 2)
      await a.submit()
      expect(a.ordersWithKey()).toHaveLength(1)
      const processed = fault.kind === 'truncate-body' || ('processed' in fault && fault.processed)
      // A processed POST is found by the next lookup: nothing is sent again.
      expect(a.sent()).toEqual(
        processed
          ? ['GET lookup', 'POST order', 'GET lookup']
          : ['GET lookup', 'POST order', 'GET lookup', 'POST order', 'GET lookup', 'POST order']
      )
      expect(a.clock.slept).toEqual(processed ? [1_000] : [1_000, 2_000])
    })
  }
})

describe('backing off', () => {
  it('doubles the ceiling of each delay, drawn at random under it, never under 1 s', async () => {
    const a = attempt(600_000, [0.75, 0.75, 0.75, 0.1])
    sim.failNext({ method: 'POST' }, { kind: 'status', status: 503 }, 4)
    await a.submit()
    // 0.75 of 1 s, 2 s, 4 s (the floor lifts the first), then 0.1 of 8 s.
    expect(a.clock.slept).toEqual([1_000, 1_500, 3_000, 1_000])
    expect(a.ordersWithKey()).toHaveLength(1)
  })

  it('waits 5 s at least after a 429, and says the rate limit was reached', async () => {
    const a = attempt()
    sim.failNext({ method: 'POST' }, { kind: 'status', status: 429 })
    await a.submit()
    expect(a.clock.slept).toEqual([5_000])
    expect(a.warnings).toEqual([
      expect.stringContaining(
        "CertCentral's rate limit (1,000 requests per 3 minutes and 100 per 5 seconds, counted per API key) was reached. Looking for alternative order ID"
      )
    ])
    expect(a.warnings[0]).toContain(' in 5s before sending it again.')
    expect(a.ordersWithKey()).toHaveLength(1)
  })

  it("waits as long as a 429's Retry-After asks", async () => {
    const a = attempt()
    sim.failNext(
      { method: 'POST' },
      { kind: 'status', status: 429, headers: { 'Retry-After': '12' } }
    )
    await a.submit()
    expect(a.clock.slept).toEqual([12_000])
    expect(a.warnings[0]).toContain(' in 12s before')
  })

  it('retries the lookup itself on its own schedule', async () => {
    const a = attempt()
    sim.failNext({ method: 'GET', path: /\/order\/alternate\// }, { kind: 'status', status: 502 })
    await a.submit()
    expect(a.sent()).toEqual(['GET lookup', 'GET lookup', 'POST order'])
    expect(a.clock.slept).toEqual([1_000])
    expect(a.retryWarnings).toEqual([expect.stringMatching(/502 .*; trying again in 1s\.$/)])
  })

  it('takes a 404 from the lookup as "no order carries the key"', async () => {
    const a = attempt()
    sim.failNext({ method: 'GET', path: /\/order\/alternate\// }, { kind: 'status', status: 404 })
    const result = await a.submit()
    expect(result.kind).toBe('placed')
    expect(a.clock.slept).toEqual([])
  })
})

describe('giving up', () => {
  it('stops after five attempts, saying that no order was created', async () => {
    const a = attempt()
    sim.failNext({ method: 'POST' }, { kind: 'status', status: 503 }, 10)
    const error = (await a.submit().then(
      () => undefined,
      (e: unknown) => e
    )) as Error
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toBe(
      'CertCentral answered 503 service_unavailable: Service unavailable.\n' +
        'Hint: CertCentral had a problem of its own; try again later.\n' +
        `No order carries alternative order ID ${a.key}: none was created. ` +
        'Running the job again is safe: it looks for this ID before it orders.'
    )
    expect(error.cause).toBeInstanceOf(Error)
    expect(a.sent().filter(r => r === 'POST order')).toHaveLength(5)
    expect(a.clock.slept).toEqual([1_000, 2_000, 4_000, 8_000])
    expect(a.warnings).toHaveLength(4)
    expect(a.ordersWithKey()).toHaveLength(0)
  })

  it('returns the order a last lookup finds, even after the last attempt', async () => {
    const a = attempt()
    sim.failNext({ method: 'POST' }, { kind: 'status', status: 503 }, 4)
    sim.failNext({ method: 'POST' }, { kind: 'status', status: 503, processed: true })
    const result = await a.submit()
    expect(result.kind).toBe('found')
    expect(a.ordersWithKey()).toHaveLength(1)
    expect(a.sent().filter(r => r === 'POST order')).toHaveLength(5)
  })

  it('stops before a delay that would pass the deadline', async () => {
    // Deadline 2.5 s away: the 1 s delay fits, the 2 s one after it does not.
    const a = attempt(2_500)
    sim.failNext({ method: 'POST' }, { kind: 'status', status: 503 }, 10)
    await expect(a.submit()).rejects.toThrow(/none was created/)
    expect(a.clock.slept).toEqual([1_000])
    expect(a.sent().filter(r => r === 'POST order')).toHaveLength(2)
  })

  it('sleeps up to the deadline exactly, not past it', async () => {
    // 3 s away: 1 s, then 2 s ends exactly on the deadline, which is allowed.
    const a = attempt(3_000)
    sim.failNext({ method: 'POST' }, { kind: 'status', status: 503 }, 10)
    await expect(a.submit()).rejects.toThrow(/none was created/)
    expect(a.clock.slept).toEqual([1_000, 2_000])
  })

  it('does not retry an answer that is final, and orders nothing', async () => {
    const a = attempt()
    sim.failNext(
      { method: 'POST' },
      {
        kind: 'status',
        status: 400,
        body: { errors: [{ code: 'invalid_contact', message: 'No.' }] }
      }
    )
    await expect(a.submit()).rejects.toThrow('CertCentral answered 400 invalid_contact: No.')
    // One lookup before, one after the refusal (another run may hold the key).
    expect(a.sent()).toEqual(['GET lookup', 'POST order', 'GET lookup'])
    expect(a.clock.slept).toEqual([])
  })

  it('reads an error body whose code is not text without printing [object Object]', async () => {
    const a = attempt()
    sim.failNext(
      { method: 'POST' },
      { kind: 'status', status: 400, body: { errors: [{ code: { x: 1 }, message: 42 }, {}] } }
    )
    await expect(a.submit()).rejects.toThrow(/^CertCentral answered 400 unknown: 42; unknown: $/m)
  })

  it('keeps the final error when the lookup after it fails too', async () => {
    const a = attempt()
    sim.failNext({ method: 'POST' }, { kind: 'status', status: 403 })
    sim.failNext({ method: 'GET', path: /\/order\/alternate\// }, { kind: 'status', status: 401 })
    await expect(a.submit({ lookedUp: true })).rejects.toThrow(/^CertCentral answered 403 /)
  })
})

describe('an account that requires unique alternative order IDs', () => {
  it('follows the order another run placed with the key a moment before', async () => {
    sim.setScenario({ uniqueAlternativeOrderIds: true })
    const a = attempt()
    // The other run's order, placed after this run's survey looked the key up.
    const { api } = apiFor(sim, a.clock)
    const other = await placeOrder(api, 'code_signing', orderBody(a.key))
    const result = await a.submit({ lookedUp: true })
    expect(result).toEqual({
      kind: 'found',
      existing: { orderId: other.id, status: expect.any(String) as string },
      others: 0
    })
    expect(a.ordersWithKey()).toHaveLength(1)
  })
})
