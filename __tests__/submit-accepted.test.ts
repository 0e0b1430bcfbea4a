// A 2xx answer to the order POST that cannot be used (its ID is not an ID): CertCentral created the
// order, so it is never sent again. The run looks it up by its alternative order ID and adopts it,
// or fails naming that ID. In process, against a server that answers as the test says.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ProtocolError } from '../src/certcentral/errors.js'
import { submitOnce } from '../src/submit.js'
import { apiFor, orderBody } from './fixtures/api.js'
import { fakeClock } from './support/fake-clock.js'
import {
  json,
  LOOKUP,
  ORDER_ID,
  ORDER_POST,
  startHostileServer,
  type HostileServer
} from './support/hostile-server.js'
import type { Simulator } from './support/simulator.js'

let server: HostileServer
beforeEach(async () => {
  server = await startHostileServer({ pem: '' })
  // 2^60 is not a safe integer: the order exists, but its ID cannot be read.
  server.on('POST', ORDER_POST, res => json(res, 201, { id: 2 ** 60, requests: [] }))
})
afterEach(() => server.close())

function submit() {
  const clock = fakeClock()
  const endpoint = { url: server.url, apiKey: 'key' } as Simulator
  const { api } = apiFor(endpoint, clock)
  const body = orderBody()
  const warnings: string[] = []
  const result = submitOnce(api, 'code_signing', body, { warning: m => warnings.push(m) })
  return { result, warnings, key: body.alternative_order_id }
}

const REFUSAL =
  "CertCentral's answer to POST /order/certificate/code_signing does not fit the API: id is " +
  `${2 ** 60}, not a positive whole number below 2^53. Nothing from this answer was used.`

describe('a 2xx answer to the order POST without a usable ID', () => {
  it('adopts the order its key finds, having sent the POST once', async () => {
    server.on('GET', LOOKUP, res =>
      server.seen('POST').length > 0
        ? json(res, 200, { orders: [{ order_id: ORDER_ID, status: 'pending' }] })
        : json(res, 200, { orders: [] })
    )
    const { result, warnings, key } = submit()
    await expect(result).resolves.toEqual({
      kind: 'found',
      existing: { orderId: ORDER_ID, status: 'pending' },
      others: 0
    })
    expect(server.requests.map(r => r.method)).toEqual(['GET', 'POST', 'GET'])
    expect(warnings).toEqual([
      `${REFUSAL} CertCentral accepted the order, so it is not sent again: looking it up by ` +
        `alternative order ID ${key}.`
    ])
  })

  it('fails naming the key when no live order carries it, and sends nothing again', async () => {
    const { result, key } = submit()
    const error = await result.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProtocolError)
    expect((error as Error).message).toBe(
      `${REFUSAL}\nCertCentral accepted the order, so it was not sent again, but no order ` +
        `carrying alternative order ID ${key} was found. Look for alternative order ID ${key} in ` +
        'CertCentral before ordering again.'
    )
    expect(server.seen('POST')).toHaveLength(1)
  })
})
