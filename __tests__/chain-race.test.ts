// Two runs that placed an order with the same key at the same moment: who keeps theirs, and how the
// loser withdraws its own order (cancel, or reject the request still awaiting approval). In process,
// against the simulator, each test with orders of its own key.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { placeOrder, type PlacedOrder } from '../src/certcentral/orders.js'
import { settleRace } from '../src/chain/race.js'
import { apiFor, orderBody, uniqueKey } from './fixtures/api.js'
import { fakeClock } from './support/fake-clock.js'
import { startSimulator, UNLIMITED, type Simulator } from './support/simulator.js'

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ scenario: { rateLimit: UNLIMITED } })
})
afterAll(() => sim.close())
beforeEach(() => sim.reset())

/** A race of its own: a key, the client, and the requests sent after a mark. */
function race() {
  const { api } = apiFor(sim, fakeClock())
  const key = uniqueKey('race')
  return {
    api,
    key,
    place: (): Promise<PlacedOrder> => placeOrder(api, 'code_signing', orderBody(key)),
    settle: (own: PlacedOrder) => settleRace(api, key, own),
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
    expect(r.sentSince(mark)).toEqual([`GET /order/alternate/${r.key}`])
    expect(order(own.id).status).toBe('pending')
  })

  it('keeps it when the other order came later (a higher ID)', async () => {
    const r = race()
    const own = await r.place()
    const later = await r.place()
    const mark = r.mark()
    expect(await r.settle(own)).toEqual({ kind: 'won' })
    expect(r.sentSince(mark)).toEqual([`GET /order/alternate/${r.key}`])
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
    expect(r.sentSince(mark)).toEqual([
      `GET /order/alternate/${r.key}`,
      `PUT /order/certificate/${own.id}/status`,
      `PUT /request/${own.requests[0]?.id}/status`
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

  it('cannot withdraw an order whose answer listed no request, once the cancel is refused', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const r = race()
    const first = await r.place()
    const placed = await r.place()
    const mark = r.mark()
    expect(await r.settle({ ...placed, requests: [] })).toMatchObject({
      kind: 'lost',
      winner: first.id,
      canceled: false
    })
    expect(r.sentSince(mark)).toEqual([
      `GET /order/alternate/${r.key}`,
      `PUT /order/certificate/${placed.id}/status`
    ])
    expect(order(placed.id).status).toBe('needs_approval')
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
