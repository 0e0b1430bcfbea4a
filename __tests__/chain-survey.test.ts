// The lookups that feed the decision, in process against the simulator: which keys are looked up
// and when the looking stops, which order infos are read, and what the decision is given for an
// order whose info was not read.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { placeOrder } from '../src/certcentral/orders.js'
import { survey } from '../src/chain/survey.js'
import type { OrderBody } from '../src/order/types.js'
import { apiFor, orderBody, uniqueKey } from './fixtures/api.js'
import { fakeClock } from './support/fake-clock.js'
import { startSimulator, UNLIMITED, type Simulator } from './support/simulator.js'

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ scenario: { rateLimit: UNLIMITED } })
})
afterAll(() => sim.close())
beforeEach(() => sim.reset())

function chainOf() {
  const { api } = apiFor(sim, fakeClock())
  const base = uniqueKey('survey')
  const before = sim.requests.length
  return {
    api,
    base,
    place: async (key: string, body: OrderBody = orderBody(key)) =>
      (await placeOrder(api, 'code_signing', body)).id,
    survey: (product = 'code_signing') => survey(api, base, product),
    sent: () =>
      sim.requests.slice(before).map(r => `${r.method} ${r.path.replace(/^\/services\/v2/, '')}`)
  }
}

const lookup = (key: string) => `GET /order/alternate/${key}`

describe('the survey of a chain', () => {
  it('looks up the base key alone when no order carries it', async () => {
    const c = chainOf()
    const found = await c.survey()
    expect(found.generations).toEqual([{ generation: 1, key: c.base, orders: [] }])
    expect(c.sent()).toEqual([lookup(c.base)])
  })

  it('looks up each generation until the first without orders, and reads the newest order', async () => {
    const c = chainOf()
    const first = await c.place(c.base)
    sim.issueNow(first)
    const second = await c.place(`${c.base}g002`)
    sim.issueNow(second)
    const before = c.sent().length
    const found = await c.survey()
    expect(found.generations).toEqual([
      { generation: 1, key: c.base, orders: [{ orderId: first, status: 'issued' }] },
      { generation: 2, key: `${c.base}g002`, orders: [{ orderId: second, status: 'issued' }] },
      { generation: 3, key: `${c.base}g003`, orders: [] }
    ])
    expect(c.sent().slice(before)).toEqual([
      lookup(c.base),
      lookup(`${c.base}g002`),
      lookup(`${c.base}g003`),
      `GET /order/certificate/${second}`
    ])
  })

  it('also reads the issued order before a renewal on its way', async () => {
    const c = chainOf()
    const first = await c.place(c.base)
    sim.issueNow(first)
    const renewal = await c.place(`${c.base}g002`)
    const before = c.sent().length
    const found = await c.survey()
    expect(c.sent().slice(before)).toEqual([
      lookup(c.base),
      lookup(`${c.base}g002`),
      lookup(`${c.base}g003`),
      `GET /order/certificate/${renewal}`,
      `GET /order/certificate/${first}`
    ])
    expect(found.read({ orderId: first, status: 'issued' })).toMatchObject({
      id: first,
      status: 'issued',
      validTill: sim.orders.find(o => o.id === first)?.validTill,
      alternativeOrderId: c.base
    })
  })

  it('stops after 100 generations, however many a server lists, and takes none of them', async () => {
    const c = chainOf()
    const order = await c.place(c.base)
    sim.failNext(
      { method: 'GET', path: /\/order\/alternate\// },
      { kind: 'status', status: 200, body: { orders: [{ order_id: order, status: 'pending' }] } },
      1000
    )
    // The order listed under every key shows the base key in its info: not generation 100's.
    await expect(c.survey()).rejects.toThrow(
      `Order ${order}, listed by the lookup of alternative order ID ${c.base}g100, carries the ` +
        `alternative order ID ${c.base} in its info: it is not this certificate's order`
    )
    sim.clearFaults()
    expect(c.sent().filter(r => r.startsWith('GET /order/alternate/'))).toHaveLength(100)
    expect(c.sent().at(-2)).toBe(lookup(`${c.base}g100`))
  })
})

describe('what the survey tells the decision of an order', () => {
  it('is its info when it was read, not what the lookup listed', async () => {
    const c = chainOf()
    const id = await c.place(c.base)
    // The lookup lists it pending; the simulator issues it on the info GET that follows.
    const found = await c.survey()
    expect(found.generations[0]?.orders).toEqual([{ orderId: id, status: 'pending' }])
    const info = found.read({ orderId: id, status: 'pending' })
    expect(info).toMatchObject({ id, status: 'issued', alternativeOrderId: c.base })
    expect(info.validTill).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(info.requests).toHaveLength(1)
  })

  it('is what the lookup listed, under the key that listed it, when its info was not read', async () => {
    const c = chainOf()
    const first = await c.place(c.base)
    sim.setStatus(first, 'canceled')
    const second = await c.place(c.base)
    const found = await c.survey()
    // The live order stands for the generation; the canceled one's info is not read.
    expect(found.read({ orderId: first, status: 'canceled' })).toStrictEqual({
      id: first,
      status: 'canceled',
      requests: [],
      alternativeOrderId: c.base
    })
    expect(found.read({ orderId: second, status: 'pending' }).requests).toHaveLength(1)
  })

  it('gives an order whose info omits the alternative order ID the key that listed it', async () => {
    const c = chainOf()
    const body: OrderBody = { ...orderBody(c.base) }
    delete body.alternative_order_id
    const id = await c.place(c.base, body)
    sim.failNext(
      { method: 'GET', path: /\/order\/alternate\// },
      { kind: 'status', status: 200, body: { orders: [{ order_id: id, status: 'pending' }] } }
    )
    const found = await c.survey()
    expect(found.read({ orderId: id, status: 'pending' })).toMatchObject({
      id,
      alternativeOrderId: c.base
    })
  })

  it('stops at a listed order whose info shows another key, naming both keys', async () => {
    const c = chainOf()
    const elsewhere = uniqueKey('other')
    const id = await c.place(elsewhere)
    sim.failNext(
      { method: 'GET', path: /\/order\/alternate\// },
      { kind: 'status', status: 200, body: { orders: [{ order_id: id, status: 'pending' }] } }
    )
    await expect(c.survey()).rejects.toThrow(
      `(${c.base} and ${elsewhere} differ), so it is neither reused nor renewed, and nothing was ordered.`
    )
  })

  it('stops at a listed order of another product, naming both products', async () => {
    const c = chainOf()
    await c.place(c.base)
    await expect(c.survey('code_signing_ev')).rejects.toThrow(
      'is a code_signing order, but this run orders code_signing_ev: it is not this certificate ' +
        '(code_signing and code_signing_ev differ)'
    )
  })

  it('adds no alternative order ID to an order no lookup listed', async () => {
    const c = chainOf()
    await c.place(c.base)
    const found = await c.survey()
    expect(found.read({ orderId: 1, status: 'pending' })).toStrictEqual({
      id: 1,
      status: 'pending',
      requests: []
    })
  })
})

describe('a walk bounded by the timeout and by what a chain can hold', () => {
  it('stops when the timeout comes, however many generations a server lists', async () => {
    const clock = fakeClock()
    const { api } = apiFor(sim, clock, 10_000)
    const base = uniqueKey('slow')
    const order = (await placeOrder(api, 'code_signing', orderBody(base))).id
    const before = sim.requests.length
    // Every lookup lists an order and takes 0.9 s.
    sim.failNext(
      { method: 'GET', path: /\/order\/alternate\// },
      { kind: 'status', status: 200, body: { orders: [{ order_id: order, status: 'pending' }] } },
      1000
    )
    const slow = {
      ...api,
      retry: {
        ...api.retry,
        clock: {
          ...clock,
          now: () => {
            clock.advance(300)
            return clock.now()
          }
        }
      }
    }
    await expect(survey(slow, base, 'code_signing')).rejects.toThrow(
      /^The timeout came while looking up the certificate's orders \(after \d+ lookups\): nothing was ordered\./
    )
    sim.clearFaults()
    const lookups = sim.requests.slice(before).filter(r => r.path.includes('/order/alternate/'))
    expect(lookups.length).toBeGreaterThan(3)
    expect(lookups.length).toBeLessThan(40)
  })

  it('takes a lookup listing far more orders than a chain can have as not its chain', async () => {
    const c = chainOf()
    const orders = Array.from({ length: 101 }, (_, i) => ({ order_id: i + 1, status: 'pending' }))
    sim.failNext(
      { method: 'GET', path: /\/order\/alternate\// },
      { kind: 'status', status: 200, body: { orders } }
    )
    await expect(c.survey()).rejects.toThrow(
      `CertCentral's answer to GET /order/alternate/${c.base} lists 101 orders; one key of this ` +
        "action carries a few at most (100 are read), so this is not the certificate's list"
    )
    expect(c.sent()).toEqual([lookup(c.base)])
  })

  it('reads a lookup of 100 orders, the most a key may carry', async () => {
    const c = chainOf()
    const id = await c.place(c.base)
    const orders = Array.from({ length: 100 }, (_, i) => ({ order_id: id + i, status: 'canceled' }))
    orders[0] = { order_id: id, status: 'pending' }
    sim.failNext(
      { method: 'GET', path: /\/order\/alternate\// },
      { kind: 'status', status: 200, body: { orders } }
    )
    const found = await c.survey()
    expect(found.generations[0]?.orders).toHaveLength(100)
  })
})
