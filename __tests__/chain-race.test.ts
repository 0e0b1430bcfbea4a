// Two runs that placed an order with the same key at the same moment: who keeps theirs, and how the
// loser withdraws its own order (cancel, or reject the request still awaiting approval). In process,
// against the simulator, each test with orders of its own key.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { placeOrder, type PlacedOrder } from '../src/certcentral/orders.js'
import {
  SETTLE_WINDOW_MS,
  settleRace,
  testSettleWindow,
  UnseenOrderError
} from '../src/chain/race.js'
import { apiFor, orderBody, uniqueKey } from './fixtures/api.js'
import { FAKE_START, fakeClock } from './support/fake-clock.js'
import { startSimulator, UNLIMITED, type Simulator } from './support/simulator.js'

let sim: Simulator
beforeAll(async () => {
  // Orders stay pending while the runs read them: reading an order moves it on in the simulator.
  sim = await startSimulator({ scenario: { rateLimit: UNLIMITED, pollsUntilIssued: 5 } })
})
afterAll(() => sim.close())
beforeEach(() => sim.reset())

/** A race of its own: a key, the client, and the requests sent after a mark. */
function race(timeoutMs = 600_000) {
  const clock = fakeClock()
  const { api } = apiFor(sim, clock, timeoutMs)
  const key = uniqueKey('race')
  const warnings: string[] = []
  return {
    api,
    key,
    clock,
    warnings,
    place: (): Promise<PlacedOrder> => placeOrder(api, 'code_signing', orderBody(key)),
    settle: (own: PlacedOrder) =>
      settleRace(api, own, {
        key,
        product: 'code_signing',
        postedAt: clock.now(),
        warn: m => warnings.push(m)
      }),
    /** What was sent after `mark()`, as `METHOD path`. */
    sentSince: (mark: number) =>
      sim.requests.slice(mark).map(r => `${r.method} ${r.path.replace(/^\/services\/v2/, '')}`),
    mark: () => sim.requests.length
  }
}

const order = (id: number) => {
  const found = sim.orders.find(o => o.id === id)
  if (found === undefined) throw new Error(`no order ${id}`)
  return found
}

const noteFor = (winner: number, key: string) =>
  `Duplicate of order ${winner}: another run ordered the same certificate at the same moment ` +
  `(alternative order ID ${key}); the lower order ID is kept.`

describe('a run that placed an order', () => {
  it('keeps it when no other order carries the key, and sends nothing but the lookup', async () => {
    const r = race()
    const own = await r.place()
    const mark = r.mark()
    expect(await r.settle(own)).toEqual({ kind: 'won' })
    expect(r.sentSince(mark)).toEqual([
      `GET /order/alternate/${r.key}`,
      `GET /order/alternate/${r.key}`
    ])
    expect(r.clock.slept).toEqual([SETTLE_WINDOW_MS])
    expect(order(own.id).status).toBe('pending')
  })

  it('keeps it when the other order came later (a higher ID)', async () => {
    const r = race()
    const own = await r.place()
    const later = await r.place()
    const mark = r.mark()
    expect(await r.settle(own)).toEqual({ kind: 'won' })
    expect(r.sentSince(mark)).toEqual([
      `GET /order/alternate/${r.key}`,
      `GET /order/alternate/${r.key}`
    ])
    expect(r.clock.slept).toEqual([SETTLE_WINDOW_MS])
    expect([order(own.id).status, order(later.id).status]).toEqual(['pending', 'pending'])
  })

  it('keeps it when the earlier order has ended', async () => {
    const r = race()
    const earlier = await r.place()
    const own = await r.place()
    sim.setStatus(earlier.id, 'canceled')
    expect(await r.settle(own)).toEqual({ kind: 'won' })
    sim.setStatus(earlier.id, 'expired')
    expect(await r.settle(own)).toEqual({ kind: 'won' })
    expect(order(own.id).status).toBe('pending')
  })

  it('gives way to an earlier order already issued: an issued order is live', async () => {
    const r = race()
    const earlier = await r.place()
    sim.issueNow(earlier.id)
    const own = await r.place()
    expect(await r.settle(own)).toMatchObject({ kind: 'lost', winner: earlier.id, canceled: true })
  })
})

describe('a run whose order has a higher ID than another live one', () => {
  it('cancels its own order with a note naming the lowest, and says it follows that one', async () => {
    const r = race()
    const first = await r.place()
    const second = await r.place()
    const own = await r.place()
    const mark = r.mark()
    const settlement = await r.settle(own)
    expect(settlement).toEqual({
      kind: 'lost',
      winner: first.id,
      canceled: true,
      sentence:
        `Order ${first.id} was placed at the same moment by another run with the same key; it has ` +
        `the lower ID and is kept: this run canceled its own order ${own.id} and follows ${first.id}.`
    })
    expect(r.sentSince(mark)).toEqual([
      `GET /order/alternate/${r.key}`,
      `GET /order/alternate/${r.key}`,
      `GET /order/certificate/${own.id}`,
      `PUT /order/certificate/${own.id}/status`
    ])
    expect(sim.requests.at(-1)?.body).toEqual({
      status: 'canceled',
      note: noteFor(first.id, r.key)
    })
    expect(order(own.id)).toMatchObject({
      status: 'canceled',
      cancelNote: noteFor(first.id, r.key)
    })
    // Only its own order is withdrawn.
    expect([order(first.id).status, order(second.id).status]).toEqual(['pending', 'pending'])
  })

  it('follows the lowest live order even when the lookup lists it last', async () => {
    const r = race()
    const first = await r.place()
    const second = await r.place()
    const own = await r.place()
    sim.failNext(
      { method: 'GET', path: /\/order\/alternate\// },
      {
        kind: 'status',
        status: 200,
        body: {
          orders: [
            { order_id: own.id, status: 'pending' },
            { order_id: second.id, status: 'pending' },
            { order_id: first.id, status: 'pending' }
          ]
        }
      }
    )
    expect(await r.settle(own)).toMatchObject({ kind: 'lost', winner: first.id, canceled: true })
  })

  it('rejects the request of its order when the order, awaiting approval, cannot be canceled', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const r = race()
    const first = await r.place()
    const own = await r.place()
    const mark = r.mark()
    const settlement = await r.settle(own)
    expect(settlement).toMatchObject({ kind: 'lost', winner: first.id, canceled: true })
    expect(r.sentSince(mark)).toEqual([
      `GET /order/alternate/${r.key}`,
      `GET /order/alternate/${r.key}`,
      `GET /order/certificate/${own.id}`,
      `PUT /order/certificate/${own.id}/status`,
      `PUT /request/${own.requests[0]?.id}/status`
    ])
    expect(sim.requests.at(-1)?.body).toEqual({
      status: 'rejected',
      processor_comment: noteFor(first.id, r.key)
    })
    expect(order(own.id).status).toBe('rejected')
    expect(order(first.id).status).toBe('needs_approval')
  })

  it('tells the user to cancel it in CertCentral when neither cancel nor reject is allowed', async () => {
    const r = race()
    const first = await r.place()
    const own = await r.place()
    // Issued: it can no longer be canceled, and its request was approved long ago.
    sim.issueNow(own.id)
    const mark = r.mark()
    expect(await r.settle(own)).toEqual({
      kind: 'lost',
      winner: first.id,
      canceled: false,
      sentence:
        `Order ${first.id} was placed at the same moment by another run with the same key and is ` +
        `kept, but this run could not cancel its own order ${own.id}: cancel order ${own.id} in ` +
        `CertCentral (Orders > ${own.id} > Cancel order), or it may be charged too.`
    })
    // Its info lists no request awaiting a decision: nothing to reject.
    expect(r.sentSince(mark)).toEqual([
      `GET /order/alternate/${r.key}`,
      `GET /order/alternate/${r.key}`,
      `GET /order/certificate/${own.id}`,
      `PUT /order/certificate/${own.id}/status`
    ])
    expect(order(own.id).status).toBe('issued')
  })

  it('does not try a reject when the cancel got a server error: the cancel may have worked', async () => {
    const r = race()
    const first = await r.place()
    const own = await r.place()
    sim.failNext({ method: 'PUT' }, { kind: 'status', status: 500 })
    const mark = r.mark()
    expect(await r.settle(own)).toMatchObject({ kind: 'lost', winner: first.id, canceled: false })
    expect(r.sentSince(mark)).toEqual([
      `GET /order/alternate/${r.key}`,
      `GET /order/alternate/${r.key}`,
      `GET /order/certificate/${own.id}`,
      `PUT /order/certificate/${own.id}/status`
    ])
  })

  it('does not try a reject when the cancel got no answer at all', async () => {
    const r = race()
    const first = await r.place()
    const own = await r.place()
    sim.failNext({ method: 'PUT' }, { kind: 'drop-before-processing' })
    const mark = r.mark()
    expect(await r.settle(own)).toMatchObject({ kind: 'lost', winner: first.id, canceled: false })
    expect(r.sentSince(mark)).toEqual([
      `GET /order/alternate/${r.key}`,
      `GET /order/alternate/${r.key}`,
      `GET /order/certificate/${own.id}`,
      `PUT /order/certificate/${own.id}/status`
    ])
  })

  it('takes a refused cancel (4xx) as final and rejects instead, whatever the 4xx', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const r = race()
    const first = await r.place()
    const own = await r.place()
    sim.failNext({ method: 'PUT', path: /\/order\/certificate\// }, { kind: 'status', status: 499 })
    expect(await r.settle(own)).toMatchObject({ kind: 'lost', winner: first.id, canceled: true })
    expect(order(own.id).status).toBe('rejected')
  })

  it('rejects the request its order info lists, never one the POST answer named', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const r = race()
    const first = await r.place()
    const stranger = await placeOrder(r.api, 'code_signing', orderBody(uniqueKey('other')))
    const placed = await r.place()
    const mark = r.mark()
    // A POST answer naming another order's request: its ID is never sent in a PUT.
    const answer = { ...placed, requests: [{ id: stranger.requests[0]!.id, status: 'pending' }] }
    expect(await r.settle(answer)).toMatchObject({ kind: 'lost', winner: first.id, canceled: true })
    expect(r.sentSince(mark)).toEqual([
      `GET /order/alternate/${r.key}`,
      `GET /order/alternate/${r.key}`,
      `GET /order/certificate/${placed.id}`,
      `PUT /order/certificate/${placed.id}/status`,
      `PUT /request/${placed.requests[0]?.id}/status`
    ])
    expect(order(stranger.id).status).toBe('needs_approval')
    expect(order(placed.id).status).toBe('rejected')
    expect(sim.foreignPuts(r.key, mark)).toEqual([])
  })

  it('reports a reject that got a server error as not withdrawn', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const r = race()
    const first = await r.place()
    const own = await r.place()
    sim.failNext({ method: 'PUT', path: /\/request\// }, { kind: 'status', status: 503 })
    expect(await r.settle(own)).toMatchObject({ kind: 'lost', winner: first.id, canceled: false })
    expect(order(own.id).status).toBe('needs_approval')
  })
})

describe('proof before a PUT', () => {
  it('never withdraws an order that the POST answer named but the lookup does not list', async () => {
    const r = race(30_000)
    const first = await r.place()
    const stranger = await placeOrder(r.api, 'code_signing', orderBody(uniqueKey('other')))
    await r.place()
    const mark = r.mark()
    // The answer names another key's order: the lookup never lists it under this key.
    await expect(r.settle({ ...stranger, requests: [] })).rejects.toThrow(
      `Order ${stranger.id} was placed, but the lookup of its alternative order ID ${r.key} did not list it`
    )
    expect(r.sentSince(mark).every(line => line.startsWith('GET /order/alternate/'))).toBe(true)
    expect(order(stranger.id).status).toBe('pending')
    expect(order(first.id).status).toBe('pending')
    expect(sim.foreignPuts()).toEqual([])
  })

  it('never withdraws a listed order whose info shows another key', async () => {
    const r = race()
    const first = await r.place()
    const own = await r.place()
    sim.failNext(
      { method: 'GET', path: new RegExp(`/order/certificate/${own.id}$`) },
      {
        kind: 'status',
        status: 200,
        body: { id: own.id, status: 'pending', alternative_order_id: 'someoneelse', requests: [] }
      }
    )
    const mark = r.mark()
    expect(await r.settle(own)).toMatchObject({ kind: 'lost', winner: first.id, canceled: false })
    expect(r.sentSince(mark).filter(line => line.startsWith('PUT'))).toEqual([])
    expect(r.warnings.join('\n')).toContain(
      `Order ${own.id} was not withdrawn: it could not be proven to be this certificate's duplicate`
    )
  })
})

describe('IDs assigned on arrival, listed later', () => {
  it('a run that saw only its own order looks again after the settle window and gives way', async () => {
    const r = race()
    const first = await r.place()
    const own = await r.place()
    // The earlier order is not listed yet when the run first looks.
    sim.failNext(
      { method: 'GET', path: /\/order\/alternate\// },
      { kind: 'status', status: 200, body: { orders: [{ order_id: own.id, status: 'pending' }] } }
    )
    expect(await r.settle(own)).toMatchObject({ kind: 'lost', winner: first.id, canceled: true })
    expect(r.clock.slept).toEqual([SETTLE_WINDOW_MS])
    expect(order(own.id).status).toBe('canceled')
  })

  it('waits until the lookup lists its own order, then settles', async () => {
    const r = race()
    const own = await r.place()
    sim.failNext(
      { method: 'GET', path: /\/order\/alternate\// },
      { kind: 'status', status: 200, body: { orders: [] } },
      2
    )
    expect(await r.settle(own)).toEqual({ kind: 'won' })
    // 250 ms, 500 ms, then what is left of the window since the POST.
    expect(r.clock.slept).toEqual([250, 500, SETTLE_WINDOW_MS - 750])
  })

  it('settles on what it saw, and says so, when the timeout leaves no room for the window', async () => {
    const r = race(SETTLE_WINDOW_MS - 1)
    const own = await r.place()
    const mark = r.mark()
    const settlement = await r.settle(own)
    expect(settlement).toMatchObject({ kind: 'won' })
    expect(r.clock.slept).toEqual([])
    expect(r.sentSince(mark)).toEqual([`GET /order/alternate/${r.key}`])
    expect(r.warnings).toEqual([
      "The step's timeout leaves no room for the settle window: this run settled on what the " +
        `lookup showed (order ${own.id} kept). Should another run have placed an order at the ` +
        'same moment, the next run withdraws the higher one.'
    ])
  })

  it('fails naming its order when the lookup never lists it', async () => {
    const r = race(20_000)
    const own = await r.place()
    sim.failNext(
      { method: 'GET', path: /\/order\/alternate\// },
      { kind: 'status', status: 200, body: { orders: [] } },
      100
    )
    const error = await r.settle(own).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnseenOrderError)
    expect((error as UnseenOrderError).orderId).toBe(own.id)
    expect((error as Error).message).toContain('later runs could not find it and could order again')
    expect((error as Error).message).toContain("the API key's user may not view the order")
    // Within the step's timeout (20 s from the fake clock's start).
    expect(r.clock.now()).toBeLessThanOrEqual(FAKE_START + 20_000)
    expect(r.clock.now()).toBeGreaterThan(FAKE_START + 18_000)
    sim.clearFaults()
  })
})

describe('the settle window a test asks for', () => {
  it('is read from DIGICERT_TEST_SETTLE_WINDOW_MS, never longer than the real one', () => {
    expect(testSettleWindow({})).toBeUndefined()
    expect(testSettleWindow({ DIGICERT_TEST_SETTLE_WINDOW_MS: '50' })).toBe(50)
    expect(testSettleWindow({ DIGICERT_TEST_SETTLE_WINDOW_MS: '0' })).toBe(0)
    expect(testSettleWindow({ DIGICERT_TEST_SETTLE_WINDOW_MS: '99999' })).toBe(SETTLE_WINDOW_MS)
    for (const bad of ['', '-1', '1.5', '5s', '123456'])
      expect(testSettleWindow({ DIGICERT_TEST_SETTLE_WINDOW_MS: bad })).toBeUndefined()
  })
})
