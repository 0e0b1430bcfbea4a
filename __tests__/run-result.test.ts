// How a run ends, in process against a server that answers as told (./support/hostile-server.ts)
// on a fake clock: a failure once the order exists still hands on the order, a stop is a result,
// and an order-id CertCentral does not know is said to be unknown.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runInProcess, type InProcessRun } from './fixtures/in-process-run.js'
import { orderInputs } from './support/action-inputs.js'
import { fakeClock } from './support/fake-clock.js'
import {
  apiError,
  json,
  LOOKUP,
  ORDER_ID,
  ORDER_INFO,
  orderInfo,
  startHostileServer,
  type HostileServer
} from './support/hostile-server.js'

// A server of its own for each test: its rules and the requests it saw start afresh.
let server: HostileServer
beforeEach(async () => {
  server = await startHostileServer({ pem: '' })
})
afterEach(() => server.close())

const run = (more: Record<string, string> = {}) =>
  runInProcess(orderInputs(server.url, { preflight: 'off', ...more }), fakeClock(1, Date.now()))

/** The error annotations, as the runner shows them. */
const errors = (r: InProcessRun) =>
  r.log
    .split('\n')
    .filter(line => line.startsWith('::error'))
    .map(line => line.replace(/^::error[^:]*::/, '').replaceAll('%0A', '\n'))

/** After this run's POST, the lookup that settles a race answers with `answer`. */
function afterThePost(answer: Parameters<HostileServer['on']>[2]): void {
  const before = server.seen('POST').length
  server.on('GET', LOOKUP, (res, req) =>
    server.seen('POST').length > before ? answer(res, req) : json(res, 200, { orders: [] })
  )
}

describe('a failure after the POST', () => {
  it.each([
    [
      'the settle lookup answers 503 until its retries are spent',
      () => afterThePost(res => apiError(res, 503, [{ code: 'unavailable', message: 'down' }])),
      /CertCentral answered 503 unavailable: down/
    ],
    [
      'a lookup entry does not fit',
      () => afterThePost(res => json(res, 200, { orders: [{ order_id: 'seven', status: 'x' }] })),
      /order_id/
    ]
  ])(
    '%s: exits 1 naming the order, with order-id, order-action and the summary',
    async (_, set, why) => {
      set()
      const r = await run()
      expect(r.exitCode).toBe(1)
      expect(r.outputs).toMatchObject({ 'order-id': String(ORDER_ID), 'order-action': 'placed' })
      const [error, ...more] = errors(r)
      expect(more).toEqual([])
      expect(error).toMatch(why)
      expect(error).toContain(`running this action with order-id: ${ORDER_ID}`)
      expect(r.summaryText).toContain('<h2>Code signing order: not finished</h2>')
      expect(r.summaryText).toContain(`<tr><td>Order ID</td><td>${ORDER_ID}</td></tr>`)
      expect(r.summaryText).toContain('<tr><td>Action</td><td>placed</td></tr>')
    }
  )
})

describe('an order a person ended', () => {
  it('stops: exit 1, order-id and order-status, one error line, and a summary', async () => {
    server.on('GET', LOOKUP, res =>
      json(res, 200, { orders: [{ order_id: ORDER_ID, status: 'revoked' }] })
    )
    server.on('GET', ORDER_INFO, res => json(res, 200, orderInfo({ status: 'revoked' })))
    const r = await run()
    expect(r.exitCode).toBe(1)
    expect(server.seen('POST')).toEqual([])
    expect(r.outputs).toEqual({ 'order-id': String(ORDER_ID), 'order-status': 'revoked' })
    const lines = errors(r)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/revoked/)
    expect(r.summaryText).toContain('<h2>Code signing order: stopped</h2>')
    expect(r.summaryText).toContain('<tr><td>Order status</td><td>revoked</td></tr>')
  })
})

describe('an order-id CertCentral does not know', () => {
  it.each(['certificate-id', 'none'])(
    'with wait-for %s: reported unknown, with no promise that it goes on and no order-action',
    async waitFor => {
      server.on('GET', ORDER_INFO, res =>
        apiError(res, 404, [{ code: 'not_found', message: 'Not found' }])
      )
      const r = await run({ 'order-id': '4242', 'wait-for': waitFor })
      expect(r.exitCode).toBe(1)
      expect(r.outputs).toEqual({})
      expect(errors(r)).toEqual([
        'Order 4242 is not known to CertCentral (it answered 404 not found): nothing was resumed ' +
          'and nothing was ordered. Check order-id, and that api-url is the CertCentral of the ' +
          'account that placed the order (orders of a CertCentral Europe account are not found on ' +
          'the US URL).'
      ])
      expect(r.log).not.toContain('goes on at DigiCert')
      expect(r.summaryText).not.toContain('resumes it')
    }
  )

  it('an order-id that CertCentral knows is handed on as resumed once it has answered', async () => {
    const r = await run({ 'order-id': String(ORDER_ID) })
    expect(r.exitCode, r.log).toBeUndefined()
    expect(r.outputs).toMatchObject({ 'order-id': String(ORDER_ID), 'order-action': 'resumed' })
  })
})

/** The summary's table, as [field, value] rows. */
const rows = (r: InProcessRun) =>
  [...r.summaryText.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map(m => [
    m[1],
    m[2]
  ])

describe('what a failed run hands on', () => {
  it('after the POST: the order, its key and action, and no more than is known', async () => {
    afterThePost(res => apiError(res, 503, [{ code: 'unavailable', message: 'down' }]))
    const r = await run()
    const key = (JSON.parse(server.seen('POST')[0]?.body ?? '{}') as Record<string, unknown>)
      .alternative_order_id
    expect(r.outputs).toEqual({
      'order-id': String(ORDER_ID),
      'order-action': 'placed',
      'alternative-order-id': key
    })
    expect(rows(r)).toEqual([
      ['Product', 'code_signing'],
      ['Provisioning method', 'keylocker'],
      ['Action', 'placed'],
      ['Order ID', String(ORDER_ID)],
      ['Alternative order ID', key],
      // The settle lookup's retries: 1 + 2 + 4 + 8 seconds on the fake clock.
      ['Waited', '15s']
    ])
  })

  it('a stop: the ended order, and how long the run took', async () => {
    server.on('GET', LOOKUP, res =>
      json(res, 200, { orders: [{ order_id: ORDER_ID, status: 'revoked' }] })
    )
    server.on('GET', ORDER_INFO, res => json(res, 200, orderInfo({ status: 'revoked' })))
    const r = await run()
    expect(rows(r)).toEqual([
      ['Product', 'code_signing'],
      ['Provisioning method', 'keylocker'],
      ['Order ID', String(ORDER_ID)],
      ['Order status', 'revoked'],
      ['Waited', '0s']
    ])
  })

  it('an order-id CertCentral answered for, then not: a failure naming the order, not "unknown"', async () => {
    let reads = 0
    server.on('GET', ORDER_INFO, res =>
      ++reads === 1
        ? json(res, 200, orderInfo({ status: 'pending', certificate: {} }))
        : apiError(res, 404, [{ code: 'not_found', message: 'Not found' }])
    )
    const r = await run({ 'order-id': String(ORDER_ID), 'wait-for': 'issued', timeout: '10m' })
    expect(r.exitCode).toBe(1)
    expect(r.outputs).toMatchObject({ 'order-id': String(ORDER_ID), 'order-action': 'resumed' })
    const [error, ...more] = errors(r)
    expect(more).toEqual([])
    expect(error).toContain('CertCentral answered 404 not_found')
    expect(error).toContain(`running this action with order-id: ${ORDER_ID}`)
    expect(error).not.toContain('is not known to CertCentral')
  })

  it('an order-id that gets no answer but errors is not reported unknown either', async () => {
    server.on('GET', ORDER_INFO, res =>
      apiError(res, 400, [{ code: 'bad_request', message: 'Bad request' }])
    )
    const r = await run({ 'order-id': '4242' })
    expect(r.exitCode).toBe(1)
    const [error] = errors(r)
    expect(error).toContain('CertCentral answered 400 bad_request: Bad request')
    expect(error).not.toContain('is not known to CertCentral')
  })

  it('a wait that times out: the order status last seen, and how long it waited', async () => {
    server.on('GET', LOOKUP, res => json(res, 200, { orders: [] }))
    server.on('GET', ORDER_INFO, res =>
      json(res, 200, orderInfo({ status: 'pending', certificate: {} }))
    )
    server.on('GET', LOOKUP, res =>
      json(res, 200, {
        orders: server.seen('POST').length > 0 ? [{ order_id: ORDER_ID, status: 'pending' }] : []
      })
    )
    const r = await run({ 'wait-for': 'issued', timeout: '10m', 'poll-interval': '1m' })
    expect(r.exitCode).toBe(1)
    expect(r.outputs).toMatchObject({
      'order-id': String(ORDER_ID),
      'order-action': 'placed',
      'order-status': 'pending'
    })
    expect(errors(r)[0]).toContain('Timed out after 10m 00s.')
    expect(rows(r)).toContainEqual(['Order status', 'pending'])
  })
})

describe('the last line of a run that succeeded', () => {
  it('names the certificate ID of the POST answer when nothing else was read', async () => {
    server.on('POST', /^\/order\/certificate\/code_signing$/, res =>
      json(res, 201, {
        id: ORDER_ID,
        requests: [{ id: 7, status: 'approved' }],
        certificate_id: 99
      })
    )
    server.on('GET', LOOKUP, res =>
      json(res, 200, {
        orders: server.seen('POST').length > 0 ? [{ order_id: ORDER_ID, status: 'pending' }] : []
      })
    )
    const r = await run({ 'wait-for': 'none' })
    expect(r.exitCode, r.log).toBeUndefined()
    expect(r.log).toContain(`\nDone: order ${ORDER_ID}, certificate ID 99.\n`)
  })

  it('names the request when neither a certificate nor a status is known', async () => {
    server.on('GET', LOOKUP, res =>
      json(res, 200, {
        orders: server.seen('POST').length > 0 ? [{ order_id: ORDER_ID, status: 'pending' }] : []
      })
    )
    const r = await run({ 'wait-for': 'none' })
    expect(r.exitCode, r.log).toBeUndefined()
    expect(r.log).toMatch(new RegExp(`\\nDone: order ${ORDER_ID}, request \\d+ pending\\.\\n`))
  })
})

describe('a run that finds duplicates a race left', () => {
  it('withdraws the higher one, says so, and goes on with the lower', async () => {
    const KEY = 'dupkey'
    const DUPLICATE = ORDER_ID + 1
    server.on('GET', LOOKUP, (res, req) =>
      json(res, 200, {
        orders: req.path.endsWith(`/${KEY}`)
          ? [
              { order_id: DUPLICATE, status: 'pending' },
              { order_id: ORDER_ID, status: 'issued' }
            ]
          : []
      })
    )
    server.on('GET', ORDER_INFO, (res, req) => {
      const id = Number(req.path.split('/').at(-1))
      json(
        res,
        200,
        id === ORDER_ID
          ? orderInfo({
              alternative_order_id: KEY,
              certificate: { id: 77, valid_till: '2099-01-01' }
            })
          : orderInfo({
              id,
              status: 'pending',
              certificate: {},
              alternative_order_id: KEY,
              requests: [{ id: 8, status: 'pending' }]
            })
      )
    })
    const r = await run({ 'alternative-order-id': KEY })
    expect(r.exitCode, r.log).toBeUndefined()
    expect(server.seen('PUT').map(p => p.path)).toEqual([`/order/certificate/${DUPLICATE}/status`])
    expect(r.log).toContain(
      `\nOrder ${DUPLICATE} duplicated order ${ORDER_ID} (both carry alternative order ID ${KEY}): withdrawn; order ${ORDER_ID} is kept.\n`
    )
    expect(r.outputs).toMatchObject({ 'order-action': 'reused', 'order-id': String(ORDER_ID) })
  })
})
