// src/chain/race.ts step by step, in process against a server that answers as told
// (./support/hostile-server.ts), on a fake clock: how a run waits to see its own order, when it
// looks a last time, what it withdraws and what it says. The races of whole runs are in
// races.test.ts, chain-race.test.ts and the trials.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Api } from '../src/certcentral/orders.js'
import {
  SETTLE_WINDOW_MS,
  settleRace,
  testSettleWindow,
  UnseenOrderError,
  withdrawDuplicates
} from '../src/chain/race.js'
import { apiFor } from './fixtures/api.js'
import { fakeClock, type FakeClock } from './support/fake-clock.js'
import {
  apiError,
  json,
  LOOKUP,
  ORDER_INFO,
  ORDER_STATUS,
  orderInfo,
  REQUEST_STATUS,
  startHostileServer,
  type HostileServer,
  type SeenRequest
} from './support/hostile-server.js'

const KEY = 'race-key'
const LOW = 5_001
const OWN = 5_002

let server: HostileServer
let clock: FakeClock
let api: Api
let warnings: string[]

const client = (timeoutMs: number): Api => apiFor(server, clock, timeoutMs).api

beforeEach(async () => {
  server = await startHostileServer({ pem: '' })
  clock = fakeClock(1, Date.now())
  api = client(600_000)
  warnings = []
})
afterEach(() => server.close())

/** The lookup lists `orders` ([id, status]) from now on. */
function listing(...orders: [number, string][]): void {
  server.on('GET', LOOKUP, res =>
    json(res, 200, { orders: orders.map(([order_id, status]) => ({ order_id, status })) })
  )
}

/** The info of each order: under KEY, a code_signing order, with `changes`. */
function info(changes: Record<number, Record<string, unknown>> = {}): void {
  server.on('GET', ORDER_INFO, (res, req) => {
    const id = Number(req.path.split('/').at(-1))
    json(
      res,
      200,
      orderInfo({
        id,
        status: 'pending',
        certificate: {},
        alternative_order_id: KEY,
        requests: [{ id: id + 100, status: 'pending' }],
        ...changes[id]
      })
    )
  })
}

const settle = (options: { settleMs?: number } = {}) =>
  settleRace(
    api,
    { id: OWN, requests: [] },
    {
      key: KEY,
      product: 'code_signing',
      postedAt: clock.now(),
      ...options,
      warn: m => warnings.push(m)
    }
  )

const sent = () =>
  server.requests.map(
    (r: SeenRequest) => `${r.method} ${r.path}${r.method === 'PUT' ? ` ${r.body}` : ''}`
  )

describe('settleRace', () => {
  it('keeps its own order when it is the only one, after one last look once the window has passed', async () => {
    listing([OWN, 'pending'])
    expect(await settle()).toEqual({ kind: 'won' })
    expect(sent()).toEqual([`GET /order/alternate/${KEY}`, `GET /order/alternate/${KEY}`])
    expect(clock.slept).toEqual([SETTLE_WINDOW_MS])
    expect(warnings).toEqual([])
  })

  it('looks again, ever less often, until its own order is listed', async () => {
    let looks = 0
    server.on('GET', LOOKUP, res =>
      json(res, 200, { orders: ++looks > 6 ? [{ order_id: OWN, status: 'pending' }] : [] })
    )
    expect(await settle({ settleMs: 60_000 })).toEqual({ kind: 'won' })
    expect(clock.slept).toEqual([250, 500, 1_000, 2_000, 2_000, 2_000, 60_000 - 7_750])
  })

  it('fails naming the order when the lookup never lists it within a minute', async () => {
    listing()
    const failing = settle()
    await expect(failing).rejects.toThrow(UnseenOrderError)
    await expect(failing).rejects.toThrow(
      `Order ${OWN} was placed, but the lookup of its alternative order ID ${KEY} did not list it within 60s: later runs could not find it and could order again. Likely causes: the API key's user may not view the order (a limited role or division), a proxy answers the lookup, or api-url points elsewhere. Check order ${OWN} in CertCentral; to follow it, run with order-id: ${OWN}.`
    )
    await expect(failing).rejects.toHaveProperty('orderId', OWN)
  })

  it('waits to see its order no longer than the step’s timeout', async () => {
    api = client(3_000)
    listing()
    await expect(settle()).rejects.toThrow(`did not list it within 2s`)
    expect(clock.slept).toEqual([250, 500, 1_000])
  })

  it('settles on the first listing, and says so, when the timeout leaves no room for the window', async () => {
    api = client(4_000)
    listing([LOW, 'canceled'], [OWN, 'pending'])
    const note =
      "The step's timeout leaves no room for the settle window: this run settled on what the lookup showed " +
      `(order ${OWN} kept). Should another run have placed an order at the same moment, the next run withdraws the higher one.`
    expect(await settle()).toEqual({ kind: 'won', note })
    expect(warnings).toEqual([note])
    expect(sent()).toEqual([`GET /order/alternate/${KEY}`])
  })

  it('names the order it keeps in that sentence', async () => {
    api = client(4_000)
    listing([LOW, 'pending'], [OWN, 'pending'])
    info()
    const settled = await settle()
    expect(warnings[0]).toContain(`(order ${LOW} kept)`)
    expect(settled).toMatchObject({ kind: 'lost', winner: LOW, canceled: true })
  })

  it('cancels its own order when another run’s lower one is listed, and follows that one', async () => {
    listing([LOW, 'pending'], [OWN, 'pending'])
    info()
    expect(await settle()).toEqual({
      kind: 'lost',
      winner: LOW,
      canceled: true,
      sentence:
        `Order ${LOW} was placed at the same moment by another run with the same key; it has the lower ID ` +
        `and is kept: this run canceled its own order ${OWN} and follows ${LOW}.`
    })
    expect(sent().slice(2)).toEqual([
      `GET /order/certificate/${OWN}`,
      `PUT /order/certificate/${OWN}/status ` +
        JSON.stringify({
          status: 'canceled',
          note: `Duplicate of order ${LOW}: another run ordered the same certificate at the same moment (alternative order ID ${KEY}); the lower order ID is kept.`
        })
    ])
  })

  it('says an issued order existed already, when the lower one is issued', async () => {
    listing([LOW, 'issued'], [OWN, 'pending'])
    info()
    expect(await settle()).toMatchObject({
      canceled: true,
      sentence:
        `Order ${LOW} (issued) already carried alternative order ID ${KEY}, though the lookup before ordering did not show it; ` +
        `it has the lower ID and is kept: this run canceled its own order ${OWN} and follows ${LOW}.`
    })
    expect(server.seen('PUT')[0]?.body).toContain(
      `"note":"Duplicate of order ${LOW}: an order with this alternative order ID already existed (alternative order ID ${KEY}); the lower order ID is kept."`
    )
  })

  it('rejects its pending request when CertCentral refuses the cancel', async () => {
    listing([LOW, 'pending'], [OWN, 'pending'])
    info({
      [OWN]: {
        requests: [
          { id: 900, status: 'approved' },
          { id: 901, status: 'submitted' }
        ]
      }
    })
    server.on('PUT', ORDER_STATUS, res =>
      apiError(res, 400, [{ code: 'invalid_status', message: 'needs approval' }])
    )
    expect(await settle()).toMatchObject({ kind: 'lost', canceled: true })
    expect(sent().at(-1)).toBe(
      `PUT /request/901/status ` +
        JSON.stringify({
          status: 'rejected',
          processor_comment: `Duplicate of order ${LOW}: another run ordered the same certificate at the same moment (alternative order ID ${KEY}); the lower order ID is kept.`
        })
    )
  })

  it.each([
    [
      'the cancel is refused and no request awaits a decision',
      () => {
        info({ [OWN]: { requests: [{ id: 900, status: 'approved' }] } })
        server.on('PUT', ORDER_STATUS, res =>
          apiError(res, 400, [{ code: 'invalid_status', message: 'no' }])
        )
      },
      ['PUT /order/certificate/5002/status']
    ],
    [
      'the cancel fails on CertCentral’s side (no reject is tried)',
      () => {
        info()
        server.on('PUT', ORDER_STATUS, res =>
          apiError(res, 500, [{ code: 'server_error', message: 'down' }])
        )
      },
      ['PUT /order/certificate/5002/status']
    ],
    [
      'the reject is refused as well',
      () => {
        info()
        server.on('PUT', ORDER_STATUS, res =>
          apiError(res, 400, [{ code: 'invalid_status', message: 'no' }])
        )
        server.on('PUT', REQUEST_STATUS, res =>
          apiError(res, 400, [{ code: 'invalid_status', message: 'no' }])
        )
      },
      ['PUT /order/certificate/5002/status', 'PUT /request/5102/status']
    ]
  ])('asks the user to cancel its order when %s', async (_, set, puts) => {
    listing([LOW, 'pending'], [OWN, 'pending'])
    set()
    expect(await settle()).toEqual({
      kind: 'lost',
      winner: LOW,
      canceled: false,
      sentence:
        `Order ${LOW} was placed at the same moment by another run with the same key and is kept, but this run could not cancel ` +
        `its own order ${OWN}: cancel order ${OWN} in CertCentral (Orders > ${OWN} > Cancel order), or it may be charged too.`
    })
    expect(server.seen('PUT').map(r => `PUT ${r.path}`)).toEqual(puts)
  })

  it('says "it is kept" of an issued order it could not cancel its own for', async () => {
    listing([LOW, 'issued'], [OWN, 'pending'])
    info({ [OWN]: { alternative_order_id: 'other' } })
    const settled = await settle()
    expect(settled).toMatchObject({ canceled: false })
    expect(settled.kind === 'lost' && settled.sentence).toBe(
      `Order ${LOW} (issued) already carried alternative order ID ${KEY}, though the lookup before ordering did not show it; it is kept, but this run could not cancel ` +
        `its own order ${OWN}: cancel order ${OWN} in CertCentral (Orders > ${OWN} > Cancel order), or it may be charged too.`
    )
  })

  it('counts its own order withdrawn when its info shows it ended already', async () => {
    listing([LOW, 'pending'], [OWN, 'pending'])
    info({ [OWN]: { status: 'canceled' } })
    expect(await settle()).toMatchObject({ kind: 'lost', canceled: true })
    expect(server.seen('PUT')).toEqual([])
  })

  it.each([
    [
      'shows another key',
      { alternative_order_id: 'other' },
      'its info shows other alternative order ID'
    ],
    ['shows no key', { alternative_order_id: undefined }, 'its info shows no alternative order ID'],
    [
      'is of another product',
      { product: { name_id: 'code_signing_ev' } },
      'it is a code_signing_ev order; this run orders code_signing'
    ]
  ])('withdraws nothing whose info %s, and says why', async (_, changes, why) => {
    listing([LOW, 'pending'], [OWN, 'pending'])
    info({ [OWN]: changes })
    expect(await settle()).toMatchObject({ kind: 'lost', canceled: false })
    expect(warnings).toEqual([
      `Order ${OWN} was not withdrawn: it could not be proven to be this certificate's duplicate (${why}).`
    ])
    expect(server.seen('PUT')).toEqual([])
  })

  it('withdraws nothing whose info cannot be read, and says why', async () => {
    listing([LOW, 'pending'], [OWN, 'pending'])
    server.on('GET', ORDER_INFO, res =>
      apiError(res, 404, [{ code: 'not_found|order', message: 'gone' }])
    )
    expect(await settle()).toMatchObject({ kind: 'lost', canceled: false })
    expect(warnings).toEqual([
      `Order ${OWN} was not withdrawn: it could not be proven to be this certificate's duplicate (CertCentral answered 404 not_found|order: gone).`
    ])
    expect(server.seen('PUT')).toEqual([])
  })

  it.each([
    [
      'its own order is the lowest live one',
      [
        [LOW, 'canceled'],
        [OWN, 'pending']
      ]
    ],
    ['nothing live is listed at the last look', [[OWN, 'canceled']]],
    ['its own order is no longer listed at the last look', [[LOW, 'pending']]]
  ] as [string, [number, string][]][])('keeps its order when %s', async (_, last) => {
    let looks = 0
    server.on('GET', LOOKUP, res =>
      json(res, 200, {
        orders: (++looks === 1 ? [[OWN, 'pending']] : last).map(([order_id, status]) => ({
          order_id,
          status
        }))
      })
    )
    expect(await settle()).toEqual({ kind: 'won' })
    expect(server.seen('PUT')).toEqual([])
  })
})

describe('withdrawDuplicates', () => {
  const withdrawing = (orders: [number, string][]) =>
    withdrawDuplicates(
      api,
      orders.map(([orderId, status]) => ({ orderId, status })),
      { key: KEY, product: 'code_signing', warn: m => warnings.push(m) }
    )

  it('withdraws every live order but the lowest, and says so', async () => {
    info()
    expect(
      await withdrawing([
        [OWN, 'pending'],
        [LOW, 'issued'],
        [5_000, 'canceled'],
        [5_003, 'needs_approval']
      ])
    ).toEqual([
      `Order ${OWN} duplicated order ${LOW} (both carry alternative order ID ${KEY}): withdrawn; order ${LOW} is kept.`,
      `Order 5003 duplicated order ${LOW} (both carry alternative order ID ${KEY}): withdrawn; order ${LOW} is kept.`
    ])
    expect(server.seen('PUT').map(r => [r.path, JSON.parse(r.body) as unknown])).toEqual(
      [OWN, 5_003].map(id => [
        `/order/certificate/${id}/status`,
        {
          status: 'canceled',
          note: `Duplicate of order ${LOW}: two runs ordered the same certificate at the same moment (alternative order ID ${KEY}); the lower order ID is kept.`
        }
      ])
    )
    expect(warnings).toEqual([])
  })

  it('warns, naming both orders and what to do, when one cannot be withdrawn', async () => {
    info()
    server.on('PUT', ORDER_STATUS, res => apiError(res, 500, [{ code: 'x', message: 'down' }]))
    expect(
      await withdrawing([
        [LOW, 'pending'],
        [OWN, 'pending']
      ])
    ).toEqual([])
    expect(warnings).toEqual([
      `Orders ${LOW} and ${OWN} both carry alternative order ID ${KEY} and are live: runs raced. Order ${LOW} is used; order ${OWN} could not be withdrawn (CertCentral refused, or it is no longer its order's to withdraw). Cancel or reject order ${OWN} in CertCentral (or ask DigiCert to revoke and refund it, if issued), so that it is not charged.`
    ])
  })

  it.each([
    ['nothing is listed', []],
    [
      'nothing listed is live',
      [
        [LOW, 'canceled'],
        [OWN, 'revoked']
      ]
    ],
    [
      'one order is live',
      [
        [LOW, 'pending'],
        [OWN, 'rejected']
      ]
    ]
  ] as [string, [number, string][]][])('sends nothing when %s', async (_, orders) => {
    expect(await withdrawing(orders)).toEqual([])
    expect(server.requests).toEqual([])
  })
})

describe('testSettleWindow', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['1s', undefined],
    ['-1', undefined],
    ['123456', undefined],
    ['0', 0],
    ['2500', 2_500],
    ['5000', 5_000],
    ['99999', SETTLE_WINDOW_MS]
  ])('%j gives %j', (text, ms) => {
    const env = text === undefined ? {} : { DIGICERT_TEST_SETTLE_WINDOW_MS: text }
    expect(testSettleWindow(env)).toBe(ms)
  })
})
