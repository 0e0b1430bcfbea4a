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
