// The CertCentral endpoints the action uses, in process against the simulator: which request each
// sends, what it makes of the answer, which answers it refuses (naming the request and the field)
// and which failures it retries.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CertCentralError, ProtocolError } from '../src/certcentral/errors.js'
import {
  downloadChain,
  findOrdersByAlternativeId,
  getOrder,
  placeOrder,
  UnprovenLookupError,
  UnusableOrderAnswerError
} from '../src/certcentral/orders.js'
import { apiFor, orderBody, uniqueKey } from './fixtures/api.js'
import { fakeClock } from './support/fake-clock.js'
import { startSimulator, UNLIMITED, type Fault, type Simulator } from './support/simulator.js'

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ scenario: { rateLimit: UNLIMITED } })
})
afterAll(() => sim.close())
beforeEach(() => sim.reset())

function client() {
  const clock = fakeClock()
  const { api, warnings } = apiFor(sim, clock)
  const before = sim.requests.length
  return {
    api,
    clock,
    warnings,
    sent: () =>
      sim.requests.slice(before).map(r => `${r.method} ${r.path.replace(/^\/services\/v2/, '')}`)
  }
}

/** The next answer to `method` on paths matching `path` is this 200 body instead. */
function answerNext(method: string, path: RegExp, body: unknown): void {
  sim.failNext({ method, path }, { kind: 'status', status: 200, body })
}

const misfit = (request: string, what: string) =>
  `CertCentral's answer to ${request} does not fit the API: ${what}. Nothing from this answer was used.`

describe('placing an order', () => {
  it('posts the body to the product, once, and reads the order and request IDs', async () => {
    const c = client()
    const body = orderBody()
    const placed = await placeOrder(c.api, 'code_signing_ev', body)
    const order = sim.orders.find(o => o.id === placed.id)
    expect(placed).toStrictEqual({
      id: order?.id,
      requests: [{ id: order?.requestId, status: 'approved' }],
      certificateId: order?.certificateId
    })
    expect(order?.product).toBe('code_signing_ev')
    expect(order?.body).toEqual(body)
    expect(c.sent()).toEqual(['POST /order/certificate/code_signing_ev'])
  })

  it('reads the new organization, and IDs sent as strings of digits', async () => {
    const c = client()
    answerNext('POST', /\/order\//, {
      id: '501',
      requests: [{ id: 601, status: 'pending' }],
      certificate_id: '701',
      organization: { id: 801 }
    })
    expect(await placeOrder(c.api, 'code_signing', orderBody())).toStrictEqual({
      id: 501,
      requests: [{ id: 601, status: 'pending' }],
      certificateId: 701,
      organizationId: 801
    })
  })

  it.each<[string, unknown, string]>([
    ['an answer that is a list', [1], 'the answer is a list, not an object'],
    ['no order ID', { requests: [] }, 'id is nothing, not a positive whole number below 2^53'],
    [
      'a request without an ID',
      { id: 5, requests: [{ status: 'pending' }] },
      'requests[0].id is nothing, not a positive whole number below 2^53'
    ],
    [
      'a second request with a bad status',
      {
        id: 5,
        requests: [
          { id: 6, status: 'pending' },
          { id: 7, status: 'Pending!' }
        ]
      },
      'requests[1].status is "Pending!", not a status (letters and _)'
    ],
    ['requests that are no list', { id: 5, requests: {} }, 'requests is an object, not a list'],
    [
      'a bad certificate ID',
      { id: 5, certificate_id: -1 },
      'certificate_id is -1, not a positive whole number below 2^53'
    ],
    [
      'an organization that is no object',
      { id: 5, organization: 3 },
      'organization is 3, not an object'
    ],
    [
      'a bad organization ID',
      { id: 5, organization: { id: 'x' } },
      'organization.id is "x", not a positive whole number below 2^53'
    ]
  ])(
    'calls an answer with %s unusable, naming the field: the order exists',
    async (_what, body, what) => {
      const c = client()
      answerNext('POST', /\/order\//, body)
      const error = await placeOrder(c.api, 'code_signing', orderBody()).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(UnusableOrderAnswerError)
      const unusable = error as UnusableOrderAnswerError
      expect(unusable.name).toBe('UnusableOrderAnswerError')
      expect(unusable.reason).toBeInstanceOf(ProtocolError)
      expect(unusable.message).toBe(misfit('POST /order/certificate/code_signing', what))
      expect(c.sent()).toEqual(['POST /order/certificate/code_signing'])
    }
  )

  it('passes an error answer on as it is, and never sends the POST again', async () => {
    const c = client()
    sim.failNext({ method: 'POST' }, { kind: 'status', status: 503 })
    const error = await placeOrder(c.api, 'code_signing', orderBody()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CertCentralError)
    expect((error as CertCentralError).status).toBe(503)
    expect(c.sent()).toEqual(['POST /order/certificate/code_signing'])
    expect(c.clock.slept).toEqual([])
  })
})

describe("reading an order's info", () => {
  const info = (orderId: number, more: Record<string, unknown> = {}) => ({
    id: orderId,
    status: 'pending',
    ...more
  })

  it('reads every field the action relies on', async () => {
    const c = client()
    sim.setScenario({ hardwareInitCode: 'INIT-1234' })
    const key = uniqueKey('info')
    const placed = await placeOrder(c.api, 'code_signing', {
      ...orderBody(key),
      cs_provisioning_method: 'ship_token'
    })
    sim.issueNow(placed.id)
    const order = sim.orders.find(o => o.id === placed.id)
    expect(await getOrder(c.api, placed.id)).toStrictEqual({
      id: placed.id,
      status: 'issued',
      requests: [{ id: order?.requestId, status: 'approved', type: 'new_request' }],
      certificateId: order?.certificateId,
      alternativeOrderId: key,
      dateCreated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/) as string,
      organizationId: 12345,
      hardwareInitCode: 'INIT-1234',
      product: 'code_signing',
      provisioningMethod: 'ship_token',
      validTill: order?.validTill,
      // A one-year order ends with its certificate.
      orderValidTill: `${order?.validTill}T23:59:59+00:00`
    })
    expect(c.sent()).toEqual([
      'POST /order/certificate/code_signing',
      `GET /order/certificate/${placed.id}`
    ])
  })

  it('reads the renewed order and the organization under the certificate', async () => {
    const c = client()
    answerNext(
      'GET',
      /\/order\/certificate\/77$/,
      info(77, {
        certificate: { id: 9, organization: { id: 4 }, valid_till: '2027-01-02T03:04:05Z' },
        renewal_of_order_id: '66'
      })
    )
    expect(await getOrder(c.api, 77)).toStrictEqual({
      id: 77,
      status: 'pending',
      requests: [],
      certificateId: 9,
      organizationId: 4,
      validTill: '2027-01-02T03:04:05Z',
      renewalOfOrderId: 66
    })
  })

  it('prefers the organization at the top level to the one under the certificate', async () => {
    const c = client()
    answerNext(
      'GET',
      /\/order\/certificate\/77$/,
      info(77, { organization: { id: 3 }, certificate: { organization: { id: 4 } } })
    )
    expect((await getOrder(c.api, 77)).organizationId).toBe(3)
  })

  it('takes the order asked for when the answer has no ID', async () => {
    const c = client()
    answerNext('GET', /\/order\/certificate\/77$/, { status: 'pending' })
    expect(await getOrder(c.api, 77)).toStrictEqual({ id: 77, status: 'pending', requests: [] })
  })

  it('reads the hardware init code beside the certificate when the top level has none', async () => {
    const c = client()
    answerNext(
      'GET',
      /\/order\/certificate\/77$/,
      info(77, { certificate: { hardware_init_code: 'CODE-1' } })
    )
    expect((await getOrder(c.api, 77)).hardwareInitCode).toBe('CODE-1')
  })

  it('ignores a product or provisioning method that is no name it could know', async () => {
    const c = client()
    answerNext(
      'GET',
      /\/order\/certificate\/77$/,
      info(77, { product: { name_id: 'Code Signing' }, cs_provisioning_method: 42 })
    )
    expect(await getOrder(c.api, 77)).toStrictEqual({ id: 77, status: 'pending', requests: [] })
  })

  it.each<[string, Record<string, unknown>, string]>([
    ['another order', { id: 78 }, 'id is 78, not 77, the order asked for'],
    [
      'an order ID that is no number',
      { id: 'seventy' },
      'id is "seventy", not a positive whole number below 2^53'
    ],
    ['a request that is no object', { requests: [5] }, 'requests[0] is 5, not an object'],
    ['no status', { status: undefined }, 'status is nothing, not a status (letters and _)'],
    ['a certificate that is a list', { certificate: [] }, 'certificate is a list, not an object'],
    [
      'a bad certificate ID',
      { certificate: { id: -1 } },
      'certificate.id is -1, not a positive whole number below 2^53'
    ],
    [
      'a bad alternative order ID',
      { alternative_order_id: 'a b' },
      'alternative_order_id is "a b", not an alternative order ID (letters, digits, ".", "_" or "-")'
    ],
    [
      'a bad creation date',
      { date_created: 'yesterday' },
      'date_created is "yesterday", not an ISO 8601 date and time'
    ],
    [
      'an organization that is a list',
      { organization: [] },
      'organization is a list, not an object'
    ],
    [
      'a bad organization ID',
      { organization: { id: 1.5 } },
      'organization.id is 1.5, not a positive whole number below 2^53'
    ],
    [
      'a bad organization ID under the certificate',
      { certificate: { organization: { id: -4 } } },
      'certificate.organization.id is -4, not a positive whole number below 2^53'
    ],
    [
      'an organization under the certificate that is no object',
      { certificate: { organization: 'acme' } },
      'certificate.organization is "acme", not an object'
    ],
    [
      'a bad hardware init code, not shown',
      { hardware_init_code: 'SECRET\nCODE' },
      'hardware_init_code is a value not shown here (the field holds a secret), not printable ASCII of at most 256 characters'
    ],
    [
      'a bad hardware init code beside the certificate, not shown',
      { certificate: { hardware_init_code: ' SECRET' } },
      'certificate.hardware_init_code is a value not shown here (the field holds a secret), not printable ASCII of at most 256 characters'
    ],
    [
      'a product that is no object',
      { product: 'code_signing' },
      'product is "code_signing", not an object'
    ],
    [
      'an expiry that is no date',
      { certificate: { valid_till: '2027-02-30' } },
      'certificate.valid_till is "2027-02-30", not a date (yyyy-MM-dd)'
    ],
    [
      'a bad renewed order ID',
      { renewal_of_order_id: 'none' },
      'renewal_of_order_id is "none", not a positive whole number below 2^53'
    ],
    [
      'a request with a bad ID',
      {
        requests: [
          { id: 1, status: 'pending' },
          { id: 'x', status: 'pending' }
        ]
      },
      'requests[1].id is "x", not a positive whole number below 2^53'
    ]
  ])('refuses an answer with %s, naming the field', async (_what, more, what) => {
    const c = client()
    answerNext('GET', /\/order\/certificate\/77$/, info(77, more))
    await expect(getOrder(c.api, 77)).rejects.toThrow(
      new ProtocolError(misfit('GET /order/certificate/77', what))
    )
    expect(c.sent()).toEqual(['GET /order/certificate/77'])
  })

  it('refuses an answer that is no object', async () => {
    const c = client()
    answerNext('GET', /\/order\/certificate\/77$/, ['pending'])
    await expect(getOrder(c.api, 77)).rejects.toThrow(
      new ProtocolError(misfit('GET /order/certificate/77', 'the answer is a list, not an object'))
    )
  })

  it('names the GET that got no answer, after trying five times', async () => {
    const c = client()
    sim.failNext({ method: 'GET' }, { kind: 'drop-before-processing' }, 5)
    await expect(getOrder(c.api, 77)).rejects.toThrow(
      new RegExp(`^GET ${sim.url}/order/certificate/77 failed: `)
    )
    expect(c.sent()).toEqual(Array(5).fill('GET /order/certificate/77'))
  })

  it('tries again after a server error', async () => {
    const c = client()
    sim.failNext({ method: 'GET' }, { kind: 'status', status: 503 })
    answerNext('GET', /\/order\/certificate\/77$/, info(77))
    expect((await getOrder(c.api, 77)).status).toBe('pending')
    expect(c.sent()).toEqual(['GET /order/certificate/77', 'GET /order/certificate/77'])
    expect(c.clock.slept).toHaveLength(1)
    expect(c.warnings).toHaveLength(1)
  })
})

describe('looking orders up by alternative order ID', () => {
  it('lists the orders carrying the key, in their order', async () => {
    const c = client()
    const key = uniqueKey('alt')
    const one = await placeOrder(c.api, 'code_signing', orderBody(key))
    const two = await placeOrder(c.api, 'code_signing', orderBody(key))
    sim.setStatus(one.id, 'canceled')
    expect(await findOrdersByAlternativeId(c.api, key)).toStrictEqual([
      { orderId: one.id, status: 'canceled' },
      { orderId: two.id, status: 'pending' }
    ])
    expect(c.sent().at(-1)).toBe(`GET /order/alternate/${key}`)
  })

  it('escapes the key in the path', async () => {
    const c = client()
    expect(await findOrdersByAlternativeId(c.api, 'a/b c')).toEqual([])
    expect(c.sent()).toEqual(['GET /order/alternate/a%2Fb%20c'])
  })

  it("takes a 404 in CertCentral's JSON with a not_found code as no order, and passes other refusals on", async () => {
    const c = client()
    sim.failNext({ method: 'GET' }, { kind: 'status', status: 404 })
    expect(await findOrdersByAlternativeId(c.api, 'k404')).toStrictEqual([])
    sim.failNext(
      { method: 'GET' },
      {
        kind: 'status',
        status: 404,
        body: {
          errors: [
            { code: 'not_found|order', message: 'x' },
            { code: 'x', message: 'y' }
          ]
        }
      }
    )
    expect(await findOrdersByAlternativeId(c.api, 'k404b')).toStrictEqual([])
    sim.failNext({ method: 'GET' }, { kind: 'status', status: 403 })
    await expect(findOrdersByAlternativeId(c.api, 'k403')).rejects.toMatchObject({ status: 403 })
    expect(c.sent()).toEqual([
      'GET /order/alternate/k404',
      'GET /order/alternate/k404b',
      'GET /order/alternate/k403'
    ])
  })

  it.each<[string, Fault]>([
    ['an HTML page', { kind: 'html', status: 404 }],
    [
      'JSON with another code',
      { kind: 'status', status: 404, body: { errors: [{ code: 'missing', message: 'x' }] } }
    ],
    ['JSON without errors', { kind: 'status', status: 404, body: { orders: [] } }],
    ['an empty body', { kind: 'status', status: 404, body: '' }],
    [
      'a code with not_found inside',
      { kind: 'status', status: 404, body: { errors: [{ code: 'is_not_found', message: 'x' }] } }
    ]
  ])('refuses a 404 with %s: it does not prove that no order exists', async (_what, fault) => {
    const c = client()
    sim.failNext({ method: 'GET' }, fault)
    const error = await findOrdersByAlternativeId(c.api, 'kproof').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnprovenLookupError)
    expect((error as Error).message).toMatch(
      new RegExp(
        `^The lookup GET ${sim.url.replace(/[.]/g, '\\.')}/order/alternate/kproof answered 404, but not with CertCentral's JSON "not found"`
      )
    )
    expect((error as Error).message).toContain('nothing was ordered')
  })

  it('names the GET that got no answer, after trying five times', async () => {
    const c = client()
    sim.failNext({ method: 'GET' }, { kind: 'drop-before-processing' }, 5)
    await expect(findOrdersByAlternativeId(c.api, 'kdrop')).rejects.toThrow(
      new RegExp(`^GET ${sim.url}/order/alternate/kdrop failed: `)
    )
    expect(c.sent()).toEqual(Array(5).fill('GET /order/alternate/kdrop'))
  })

  it('takes an answer without a list as no order', async () => {
    const c = client()
    answerNext('GET', /\/order\/alternate\//, { page: { total: 0 } })
    expect(await findOrdersByAlternativeId(c.api, 'kempty')).toStrictEqual([])
  })

  it('tries again after a server error', async () => {
    const c = client()
    sim.failNext({ method: 'GET' }, { kind: 'status', status: 502 })
    expect(await findOrdersByAlternativeId(c.api, 'kretry')).toEqual([])
    expect(c.sent()).toEqual(['GET /order/alternate/kretry', 'GET /order/alternate/kretry'])
  })

  it.each<[string, unknown, string]>([
    ['an answer that is a list', [], 'the answer is a list, not an object'],
    ['orders that are no list', { orders: 'none' }, 'orders is "none", not a list'],
    ['an entry that is no object', { orders: [7] }, 'orders[0] is 7, not an object'],
    [
      'an entry without an order ID',
      { orders: [{ order_id: 1, status: 'pending' }, { status: 'pending' }] },
      'orders[1].order_id is nothing, not a positive whole number below 2^53'
    ],
    [
      'an entry with a bad status',
      { orders: [{ order_id: 1, status: 'Is sued' }] },
      'orders[0].status is "Is sued", not a status (letters and _)'
    ]
  ])(
    'refuses an answer with %s rather than skip what might be its own order',
    async (_what, body, what) => {
      const c = client()
      answerNext('GET', /\/order\/alternate\//, body)
      await expect(findOrdersByAlternativeId(c.api, 'kbad')).rejects.toThrow(
        new ProtocolError(misfit('GET /order/alternate/kbad', what))
      )
    }
  )
})

describe('downloading the certificate', () => {
  it('asks for the PEM chain of the certificate ID, as a PEM file', async () => {
    const c = client()
    const placed = await placeOrder(c.api, 'code_signing', orderBody())
    sim.issueNow(placed.id)
    const certificateId = sim.orders.find(o => o.id === placed.id)?.certificateId ?? -1
    expect(await downloadChain(c.api, certificateId)).toBe(sim.chainPem)
    expect(c.sent().at(-1)).toBe(`GET /certificate/${certificateId}/download/format/pem_all`)
    expect(sim.requests.at(-1)?.headers.accept).toBe('application/x-pem-file, */*')
  })

  it('tries again after a server error', async () => {
    const c = client()
    const placed = await placeOrder(c.api, 'code_signing', orderBody())
    sim.issueNow(placed.id)
    const certificateId = sim.orders.find(o => o.id === placed.id)?.certificateId ?? -1
    sim.failNext({ method: 'GET' }, { kind: 'status', status: 500 })
    expect(await downloadChain(c.api, certificateId)).toBe(sim.chainPem)
    expect(c.clock.slept).toHaveLength(1)
  })
})
