// src/reissue.ts step by step, in process against a server that answers as told
// (./support/hostile-server.ts): what is sent, what the run says, how a refused or lost reissue is
// settled by reading the order again, and how the outcome of a reissue is described. The whole
// runs are in reissue.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CertCentralError } from '../src/certcentral/errors.js'
import { getOrder, type Api, type OrderInfo } from '../src/certcentral/orders.js'
import type { OrderBody } from '../src/order/types.js'
import { reissue, reissueOutcome, withoutReplaced } from '../src/reissue.js'
import type { Outcome } from '../src/result.js'
import { apiFor } from './fixtures/api.js'
import { fakeClock } from './support/fake-clock.js'
import {
  apiError,
  CERTIFICATE_ID,
  json,
  ORDER_ID,
  ORDER_INFO,
  orderInfo,
  startHostileServer,
  type HostileServer
} from './support/hostile-server.js'

const KEY = 'release-key'
const REISSUE = /^\/order\/certificate\/\d+\/reissue$/

let server: HostileServer
let api: Api
beforeEach(async () => {
  server = await startHostileServer({ pem: '' })
  api = apiFor(server, fakeClock(1, Date.now()), 60_000).api
})
afterEach(() => server.close())

/** The order as the survey read it: issued, listed under KEY, a code_signing order. */
async function surveyed(changes: Record<string, unknown> = {}): Promise<OrderInfo> {
  server.once('GET', ORDER_INFO, res =>
    json(res, 200, orderInfo({ alternative_order_id: KEY, ...changes }))
  )
  return getOrder(api, ORDER_ID)
}

const keylocker: OrderBody = {
  certificate: { signature_hash: 'sha384' },
  order_validity: { years: 3 },
  organization: { id: 12345 },
  cs_provisioning_method: 'keylocker'
}

async function send(
  order: OrderInfo,
  more: { reason?: 'window' | 'key'; body?: OrderBody; signatureHash?: string } = {}
) {
  const said: string[] = []
  const done = await reissue(api, order, {
    reason: more.reason ?? 'window',
    key: KEY,
    product: 'code_signing',
    body: more.body ?? keylocker,
    ...(more.signatureHash !== undefined && { signatureHash: more.signatureHash }),
    say: line => said.push(line)
  })
  return { done, said }
}

describe('an accepted reissue', () => {
  it('sends only what the run changes, and says which request CertCentral made', async () => {
    const order = await surveyed()
    server.once('POST', REISSUE, res =>
      json(res, 201, { id: ORDER_ID, requests: [{ id: 77, status: 'pending' }] })
    )
    const { done, said } = await send(order)
    expect(server.seen('POST').map(r => [r.path, JSON.parse(r.body) as unknown])).toEqual([
      [`/order/certificate/${ORDER_ID}/reissue`, { certificate: {} }]
    ])
    expect(said).toEqual([`Reissue of order ${ORDER_ID} accepted (request 77: pending).`])
    expect(done).toEqual({
      reissue: {
        reason: 'window',
        answer: { id: ORDER_ID, requests: [{ id: 77, status: 'pending' }] }
      }
    })
  })

  it('says so without a request when the answer lists none', async () => {
    const order = await surveyed()
    server.once('POST', REISSUE, res => json(res, 201, { id: ORDER_ID, requests: [] }))
    const { said } = await send(order)
    expect(said).toEqual([`Reissue of order ${ORDER_ID} accepted.`])
  })

  it('for a new key, sends the CSR and the signature hash given, and names the certificate it replaces', async () => {
    const order = await surveyed()
    server.once('POST', REISSUE, res =>
      json(res, 201, { id: ORDER_ID, requests: [{ id: 78, status: 'pending' }] })
    )
    const csr = '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----'
    const body = {
      ...keylocker,
      certificate: { csr, signature_hash: 'sha384' },
      cs_provisioning_method: 'email'
    } as OrderBody
    const { done } = await send(order, { reason: 'key', body, signatureHash: 'sha512' })
    expect(JSON.parse(server.seen('POST')[0]?.body ?? '')).toEqual({
      certificate: { csr, signature_hash: 'sha512' }
    })
    expect(done.reissue).toMatchObject({ reason: 'key', replaces: CERTIFICATE_ID })
    expect(done.note).toBeUndefined()
  })

  it('names no replaced certificate for a reissue within renew-within', async () => {
    const order = await surveyed()
    server.once('POST', REISSUE, res => json(res, 201, { id: ORDER_ID, requests: [] }))
    const { done } = await send(order, { reason: 'window' })
    expect(done.reissue).not.toHaveProperty('replaces')
  })
})

describe('a reissue never sent', () => {
  it('for an order whose info names another key', async () => {
    const order = await surveyed({ alternative_order_id: 'another-key' })
    await expect(send(order)).rejects.toThrow(
      `Order ${ORDER_ID}, listed by the lookup of alternative order ID ${KEY}, carries the alternative order ID another-key in its info`
    )
    expect(server.seen('POST')).toEqual([])
  })
})

describe('a refused or lost reissue: the order info decides, and nothing is sent again', () => {
  const refuse = () =>
    server.once('POST', REISSUE, res =>
      apiError(res, 400, [{ code: 'reissue_pending', message: 'A reissue is pending.' }])
    )
  const FOLLOWS = `A reissue of order ${ORDER_ID} is already on its way (or done): this run follows it and sent no other.`

  it.each([
    ['a reissue is pending', { status: 'reissue_pending' }],
    ['a reissue request is pending', { requests: [{ id: 9, status: 'pending', type: 'reissue' }] }],
    ['the certificate changed', { certificate: { id: CERTIFICATE_ID + 1 } }]
  ])('follows the reissue on its way when %s', async (_, changes) => {
    const order = await surveyed()
    refuse()
    server.once('GET', ORDER_INFO, res =>
      json(res, 200, orderInfo({ alternative_order_id: KEY, ...changes }))
    )
    const { done, said } = await send(order, { reason: 'key' })
    expect(done).toEqual({ reissue: { reason: 'key', replaces: CERTIFICATE_ID }, note: FOLLOWS })
    expect(said).toEqual([FOLLOWS])
    expect(server.seen('POST')).toHaveLength(1)
  })

  it('stops with CertCentral’s reason when the order shows no reissue', async () => {
    const order = await surveyed()
    refuse()
    const failing = send(order)
    await expect(failing).rejects.toThrow(
      new Error(
        `CertCentral refused to reissue order ${ORDER_ID}: CertCentral answered 400 reissue_pending: A reissue is pending.`
      )
    )
    await expect(failing).rejects.toHaveProperty('cause', expect.any(CertCentralError))
    expect(server.seen('POST')).toHaveLength(1)
  })

  it('stops with CertCentral’s reason when the order cannot be read again either', async () => {
    const order = await surveyed()
    refuse()
    server.on('GET', ORDER_INFO, res =>
      apiError(res, 404, [{ code: 'not_found', message: 'Order not found.' }])
    )
    await expect(send(order)).rejects.toThrow(
      `CertCentral refused to reissue order ${ORDER_ID}: CertCentral answered 400 reissue_pending`
    )
    expect(server.seen('POST')).toHaveLength(1)
  })

  it('stops, saying nothing more was sent, when the answer was lost and the order shows no reissue', async () => {
    const order = await surveyed()
    server.once('POST', REISSUE, res => void res.destroy())
    const failing = send(order)
    await expect(failing).rejects.toThrow(
      new RegExp(
        `^The reissue of order ${ORDER_ID} got no usable answer \\(.+\\), and the order info shows no reissue: nothing more was sent\\. The next run looks at the order first and reissues only if none is on its way\\.$`
      )
    )
    expect(server.seen('POST')).toHaveLength(1)
  })
})

describe('withoutReplaced', () => {
  const order: OrderInfo = {
    id: 1,
    status: 'reissue_pending',
    requests: [],
    certificateId: 10,
    validTill: '2027-01-01'
  }
  it.each([
    ['nothing replaced', undefined, order],
    ['another certificate replaced', 9, order],
    ['the certificate replaced', 10, { id: 1, status: 'reissue_pending', requests: [] }]
  ])('%s', (_, replaces, expected) => {
    expect(withoutReplaced(order, replaces)).toEqual(expected)
  })
})

describe('reissueOutcome', () => {
  const order: OrderInfo = {
    id: 5,
    status: 'issued',
    requests: [],
    certificateId: 50,
    alternativeOrderId: KEY
  }
  const common = {
    origin: 'found',
    decision: 'reissue',
    product: 'code_signing',
    provisioningMethod: 'keylocker',
    newOrganization: false,
    notes: []
  } as const satisfies Omit<Outcome, 'action' | 'orderId'>
  const answer = { id: 5, requests: [{ id: 1, status: 'pending' }] }

  it.each([
    ['window', true, 'reissue-placed'],
    ['window', false, 'reused'],
    ['key', true, 'reissue-placed'],
    ['key', false, 'resumed']
  ] as const)('reason %s, answer %s: %s', (reason, answered, action) => {
    const outcome = reissueOutcome(common, order, { reason, ...(answered && { answer }) })
    expect(outcome.action).toBe(action)
    expect(outcome.orderId).toBe(5)
    expect(outcome.alternativeOrderId).toBe(KEY)
    expect(outcome.reissue).toEqual({
      reason,
      ...(answered && { answer }),
      ...(reason === 'key' && { replaces: 50 })
    })
    // Within renew-within the certificate in use stays described; a new key's is not the run's.
    if (reason === 'window') expect(outcome.info).toBe(order)
    else expect(outcome).not.toHaveProperty('info')
  })
})
