// Proves the CertCentral simulator itself: scenarios, body validation, lookups, downloads, the API
// key check, every fault kind and rate limiting. Driven with plain fetch().
import { X509Certificate, createHash } from 'node:crypto'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { generateCsrPem } from './support/certificates.js'
import { startSimulator, type Simulator } from './support/simulator.js'
import PAGE_EXAMPLES from './fixtures/page-examples.json' with { type: 'json' }

let sim: Simulator
let csrPem: string

beforeAll(async () => {
  csrPem = await generateCsrPem()
})
beforeEach(async () => {
  sim = await startSimulator()
})
afterEach(async () => {
  await sim.close()
})

interface Answer {
  status: number
  headers: Headers
  text: string
  json: unknown
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  options: { headers?: Record<string, string>; base?: string; signal?: AbortSignal } = {}
): Promise<Answer> {
  const headers: Record<string, string> = { 'X-DC-DEVKEY': 'test-api-key' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch(`${options.base ?? sim.url}${path}`, {
    method,
    headers: { ...headers, ...options.headers },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    ...(options.signal !== undefined && { signal: options.signal })
  })
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, text, json }
}

const get = (path: string): Promise<Answer> => call('GET', path)
const order = (body: unknown, product = 'code_signing'): Promise<Answer> =>
  call('POST', `/order/certificate/${product}`, body)

type Json = Record<string, unknown>
const errorCodes = (answer: Answer): string[] =>
  ((answer.json as { errors?: { code: string }[] }).errors ?? []).map(e => e.code)
const errorText = (answer: Answer): string =>
  ((answer.json as { errors?: { code: string; message: string }[] }).errors ?? [])
    .map(e => `${e.code}: ${e.message}`)
    .join('\n')

// The four request bodies from section 6.2 of the order page (deep copies: tests may change them).
const example = (name: keyof typeof PAGE_EXAMPLES): Json => structuredClone(PAGE_EXAMPLES[name])
const shipTokenBody = (): Json => example('ship_token')
const clientAppBody = (): Json => example('client_app')
const emailBody = (): Json => {
  const body = example('email') as { certificate: Json }
  body.certificate.csr = csrPem
  return body
}
const keylockerBody = (extra: Json = {}): Json => ({ ...example('keylocker'), ...extra })
// The new organization from section 5.2.
const newOrganization = (): Json => ({
  name: 'New Organization',
  assumed_name: 'New Organization',
  country: 'us',
  address: '123 Example Street',
  address2: 'Floor 08',
  city: 'Lehi',
  state: 'Utah',
  zip: '12345',
  telephone: '123-456-789',
  contacts: [
    {
      contact_type: 'verified_contact',
      first_name: 'John',
      last_name: 'Doe',
      job_title: 'Technician',
      telephone: '1234567890',
      email: 'john.doe@example.com'
    },
    {
      contact_type: 'organization_contact',
      first_name: 'Jane',
      last_name: 'Doe',
      job_title: 'Supervisor',
      telephone: '1234567890',
      email: 'jane.doe@example.com'
    }
  ]
})

async function create(body: Json = keylockerBody(), product = 'code_signing'): Promise<Json> {
  const answer = await order(body, product)
  expect(answer.status, errorText(answer)).toBe(201)
  return answer.json as Json
}
const info = async (orderId: unknown): Promise<Json> => {
  const answer = await get(`/order/certificate/${String(orderId)}`)
  expect(answer.status).toBe(200)
  return answer.json as Json
}
const certificateOf = (orderInfo: Json): Json => orderInfo.certificate as Json

describe('scenarios', () => {
  it('immediate: approved with a certificate ID at once, issued after pollsUntilIssued polls', async () => {
    sim.setScenario({ approval: 'immediate', pollsUntilIssued: 2 })
    const created = await create()
    expect(created).toEqual({
      id: 100001,
      requests: [{ id: 300001, status: 'approved' }],
      certificate_id: 200001
    })
    const first = await info(created.id)
    expect(first.status).toBe('pending')
    expect(certificateOf(first).id).toBe(200001)
    expect(certificateOf(first).thumbprint).toBeUndefined()
    const second = await info(created.id)
    expect(second.status).toBe('issued')
    expect(second).toMatchObject({
      id: 100001,
      organization: { id: 12345 },
      product: { name_id: 'code_signing' },
      requests: [{ id: 300001, type: 'new_request', status: 'approved' }],
      cs_provisioning_method: 'keylocker'
    })
  })

  it('immediate with pollsUntilIssued 0 is issued on creation; order IDs increase', async () => {
    sim.setScenario({ pollsUntilIssued: 0 })
    const a = await create()
    const b = await create(keylockerBody(), 'code_signing_ev')
    expect([a.id, b.id]).toEqual([100001, 100002])
    expect([a.certificate_id, b.certificate_id]).toEqual([200001, 200002])
    expect(sim.orders.map(o => o.status)).toEqual(['issued', 'issued'])
    expect((await info(b.id)).product).toMatchObject({ name_id: 'code_signing_ev' })
  })

  it('after-polls: no certificate ID until the Nth order-info GET', async () => {
    sim.setScenario({ approval: 'after-polls', pollsUntilCertificateId: 3, pollsUntilIssued: 1 })
    const created = await create()
    expect(created).toEqual({ id: 100001, requests: [{ id: 300001, status: 'pending' }] })
    const polls = []
    for (let i = 0; i < 4; i++) polls.push(await info(created.id))
    expect(polls.map(p => [p.status, certificateOf(p).id])).toEqual([
      ['pending', undefined],
      ['pending', undefined],
      ['pending', 200001],
      ['issued', 200001]
    ])
    expect((await get('/request/300001')).json).toMatchObject({
      id: 300001,
      status: 'approved',
      type: 'new_request',
      order: { id: 100001 }
    })
  })

  it('reset() restores the starting scenario and drops faults, keeping orders', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    sim.failNext({ method: 'GET' }, { kind: 'status', status: 503 })
    const held = await create()
    sim.reset()
    expect((await info(held.id)).status).toBe('needs_approval')
    const fresh = await create()
    expect(fresh.certificate_id).toBe(200001)
    expect(sim.orders.map(o => o.id)).toEqual([held.id, fresh.id])
  })

  it('needs-approval: waits for approve(), then issues', async () => {
    sim.setScenario({ approval: 'needs-approval', pollsUntilIssued: 1 })
    const created = await create()
    expect(created.certificate_id).toBeUndefined()
    expect((await info(created.id)).status).toBe('needs_approval')
    expect((await info(created.id)).status).toBe('needs_approval')
    expect((await get('/request/300001')).json).toMatchObject({ status: 'pending' })
    sim.approve(created.id as number)
    const approved = await info(created.id)
    expect([approved.status, certificateOf(approved).id]).toEqual(['issued', 200001])
  })

  it('reject: the order is rejected on the first poll', async () => {
    sim.setScenario({ approval: 'reject' })
    const created = await create()
    const polled = await info(created.id)
    expect(polled.status).toBe('rejected')
    expect(polled.requests).toMatchObject([{ status: 'rejected' }])
    expect((await get('/request/300001')).json).toMatchObject({ status: 'rejected' })
  })

  it('issue: false never issues; issueNow() does', async () => {
    sim.setScenario({ issue: false, pollsUntilIssued: 0 })
    const created = await create()
    for (let i = 0; i < 3; i++) expect((await info(created.id)).status).toBe('pending')
    sim.issueNow(created.id as number)
    expect((await info(created.id)).status).toBe('issued')
  })

  it('hardware_init_code at the top level for ship_token and client_app only', async () => {
    sim.setScenario({ hardwareInitCode: 'INIT-1234' })
    const ship = await create(shipTokenBody())
    const app = await create(clientAppBody())
    const cloud = await create(keylockerBody())
    expect((await info(ship.id)).hardware_init_code).toBe('INIT-1234')
    expect((await info(app.id)).hardware_init_code).toBe('INIT-1234')
    expect((await info(cloud.id)).hardware_init_code).toBeUndefined()
  })

  it('a new organization gets organization.id back only when createOrganization is set', async () => {
    const created = await create(keylockerBody({ organization: newOrganization() }))
    expect(created.organization).toEqual({ id: 400001 })
    expect((await info(created.id)).organization).toEqual({ id: 400001 })
    sim.setScenario({ createOrganization: false })
    const matched = await create(keylockerBody({ organization: newOrganization() }))
    expect(matched.organization).toBeUndefined()
    expect(sim.orders.map(o => o.createdOrganization)).toEqual([true, false])
  })

  it('unknown order and request IDs are 404 with an errors body', async () => {
    expect(errorCodes(await get('/order/certificate/999'))).toEqual(['not_found|order'])
    expect((await get('/request/999')).status).toBe(404)
  })
})

describe('order body validation', () => {
  it('accepts the four example bodies of section 6.2 for both products', async () => {
    for (const product of ['code_signing', 'code_signing_ev'])
      for (const body of [shipTokenBody(), clientAppBody(), emailBody(), keylockerBody()])
        await create(body, product)
    expect(sim.orders).toHaveLength(8)
    expect(sim.orders[2]?.provisioningMethod).toBe('email')
  })

  it('accepts days, custom_expiration_date and the optional root fields', async () => {
    await create(keylockerBody({ order_validity: { days: 365 } }))
    await create(keylockerBody({ order_validity: { custom_expiration_date: '09 JUN 2099' } }))
    await create(
      keylockerBody({
        alternative_order_id: 'a'.repeat(64),
        enable_guest_access: 0,
        auto_renew: 0,
        additional_emails: ['ops@example.com'],
        container: { id: 5 },
        organization_contact: { first_name: 'A', last_name: 'B', email: 'a@example.com' },
        custom_fields: [{ metadata_id: 7, value: 'x' }],
        payment_method: 'card',
        credit_card: {
          number: '4111111111111111',
          expiration_month: 12,
          expiration_year: 2030,
          cvv: 333,
          cardholder_name: 'Jane Doe'
        },
        billing_address: { address: '1 Main St', city: 'Lehi', country: 'us' }
      })
    )
  })

  const rejected: [string, () => Json, string][] = [
    [
      '65-character organization name',
      () =>
        keylockerBody({
          organization: { ...newOrganization(), assumed_name: undefined, name: 'N'.repeat(65) }
        }),
      'value_too_long'
    ],
    [
      'name + assumed_name over 61',
      () =>
        keylockerBody({
          organization: { ...newOrganization(), name: 'N'.repeat(31), assumed_name: 'A'.repeat(31) }
        }),
      'value_too_long'
    ],
    [
      'zip as a number',
      () => keylockerBody({ organization: { ...newOrganization(), zip: 12345 } }),
      'invalid_type'
    ],
    [
      'organization.id as a string',
      () => keylockerBody({ organization: { id: '12345' } }),
      'invalid_type'
    ],
    [
      'a country that is not ISO alpha-2',
      () => keylockerBody({ organization: { ...newOrganization(), country: 'usa' } }),
      'invalid_value'
    ],
    [
      'a new organization without telephone',
      () => keylockerBody({ organization: { ...newOrganization(), telephone: undefined } }),
      'missing_param'
    ],
    [
      'a verified contact without job_title',
      () =>
        keylockerBody({
          organization: {
            id: 1,
            contacts: [
              {
                contact_type: 'verified_contact',
                first_name: 'J',
                last_name: 'D',
                email: 'j@d.example',
                telephone: '1'
              }
            ]
          }
        }),
      'missing_param'
    ],
    [
      'an unknown contact_type',
      () =>
        keylockerBody({
          organization: { id: 1, contacts: [{ contact_type: 'boss', user_id: 1 }] }
        }),
      'invalid_value'
    ],
    [
      'a csr with keylocker',
      () => keylockerBody({ certificate: { signature_hash: 'sha256', csr: csrPem } }),
      'invalid_csr'
    ],
    [
      'email without a csr',
      () => ({ ...emailBody(), certificate: { signature_hash: 'sha256' } }),
      'missing_param'
    ],
    [
      'email with a csr that is not PEM',
      () => ({ ...emailBody(), certificate: { signature_hash: 'sha256', csr: 'MIIB...' } }),
      'invalid_csr'
    ],
    [
      'signature_hash sha1',
      () => keylockerBody({ certificate: { signature_hash: 'sha1' } }),
      'invalid_value'
    ],
    ['no certificate', () => keylockerBody({ certificate: undefined }), 'missing_param'],
    ['no order_validity', () => keylockerBody({ order_validity: undefined }), 'missing_param'],
    ['empty order_validity', () => keylockerBody({ order_validity: {} }), 'missing_param'],
    [
      'years and days together',
      () => keylockerBody({ order_validity: { years: 1, days: 30 } }),
      'invalid_value'
    ],
    ['years 4', () => keylockerBody({ order_validity: { years: 4 } }), 'invalid_value'],
    ['years as a string', () => keylockerBody({ order_validity: { years: '1' } }), 'invalid_type'],
    [
      'custom_expiration_date as yyyy-MM-dd',
      () => keylockerBody({ order_validity: { custom_expiration_date: '2099-06-09' } }),
      'invalid_date'
    ],
    [
      'an unknown provisioning method',
      () => keylockerBody({ cs_provisioning_method: 'usb' }),
      'invalid_value'
    ],
    [
      'ship_info.method in lower case',
      () => ({
        ...shipTokenBody(),
        ship_info: { ...(shipTokenBody().ship_info as Json), method: 'expedited' }
      }),
      'invalid_value'
    ],
    [
      'ship_info with keylocker',
      () => keylockerBody({ ship_info: shipTokenBody().ship_info }),
      'invalid_value'
    ],
    [
      'client_app without server_platform',
      () => ({ ...clientAppBody(), certificate: { signature_hash: 'sha256' } }),
      'missing_param'
    ],
    [
      'payment_method card without a card',
      () => keylockerBody({ payment_method: 'card' }),
      'missing_param'
    ],
    ['skip_approval as a string', () => keylockerBody({ skip_approval: 'true' }), 'invalid_type'],
    [
      'alternative_order_id with a dash',
      () => keylockerBody({ alternative_order_id: 'run-42' }),
      'invalid_value'
    ],
    [
      'alternative_order_id of 65 characters',
      () => keylockerBody({ alternative_order_id: 'a'.repeat(65) }),
      'value_too_long'
    ],
    ['enable_guest_access 2', () => keylockerBody({ enable_guest_access: 2 }), 'invalid_value'],
    [
      'enable_guest_access true',
      () => keylockerBody({ enable_guest_access: true }),
      'invalid_type'
    ],
    ['an unknown root key', () => keylockerBody({ validity_days: 365 }), 'unknown_param'],
    [
      'an unknown nested key',
      () => keylockerBody({ certificate: { signature_hash: 'sha256', common_name: 'x' } }),
      'unknown_param'
    ]
  ]
  it.each(rejected)('rejects %s', async (_name, body, code) => {
    const answer = await order(JSON.parse(JSON.stringify(body())))
    expect(answer.status).toBe(400)
    expect(errorCodes(answer), errorText(answer)).toContain(code)
    expect(sim.orders).toHaveLength(0)
  })

  it('lists every violation at once', async () => {
    const answer = await order({
      certificate: { signature_hash: 'md5' },
      organization: { ...newOrganization(), zip: 1, name: 'N'.repeat(70), assumed_name: undefined },
      extra: true
    })
    expect(answer.status).toBe(400)
    expect([...new Set(errorCodes(answer))].sort()).toEqual(
      ['invalid_value', 'invalid_type', 'value_too_long', 'missing_param', 'unknown_param'].sort()
    )
  })

  it('rejects a non-JSON content type, a malformed body and an unknown product', async () => {
    const plain = await call(
      'POST',
      '/order/certificate/code_signing',
      JSON.stringify(keylockerBody()),
      {
        headers: { 'Content-Type': 'text/plain' }
      }
    )
    expect([plain.status, errorCodes(plain)]).toEqual([400, ['bad_request_format']])
    const broken = await call('POST', '/order/certificate/code_signing', '{"certificate":')
    expect([broken.status, errorCodes(broken)]).toEqual([400, ['bad_request_format']])
    const product = await order(keylockerBody(), 'ssl_basic')
    expect([product.status, errorCodes(product)]).toEqual([404, ['not_found|product']])
    expect(sim.orders).toHaveLength(0)
  })
})

describe('alternate lookup', () => {
  it('lists every order carrying the ID, possibly none', async () => {
    expect((await get('/order/alternate/nothing')).json).toEqual({
      orders: [],
      page: { total: 0, limit: 1000, offset: 0 }
    })
    sim.setScenario({ approval: 'after-polls', pollsUntilCertificateId: 1 })
    await create(keylockerBody({ alternative_order_id: 'run42' }))
    await create(keylockerBody({ alternative_order_id: 'run42' }))
    await create(keylockerBody({ alternative_order_id: 'other' }))
    await info(100002)
    expect((await get('/order/alternate/run42')).json).toEqual({
      orders: [
        { order_id: 100001, status: 'pending' },
        { order_id: 100002, certificate_id: 200001, status: 'pending' }
      ],
      page: { total: 2, limit: 1000, offset: 0 }
    })
    expect((await info(100001)).alternative_order_id).toBe('run42')
  })
})

describe('certificate download', () => {
  it('serves the chain once issued, matching the order info', async () => {
    sim.setScenario({ pollsUntilIssued: 1 })
    const created = await create()
    const early = await get(
      `/certificate/${String(created.certificate_id)}/download/format/pem_all`
    )
    expect([early.status, errorCodes(early)]).toEqual([400, ['certificate_not_issued']])

    const issued = certificateOf(await info(created.id))
    const pem = await get(`/certificate/${String(created.certificate_id)}/download/format/pem_all`)
    expect(pem.status).toBe(200)
    expect(pem.headers.get('content-type')).toBe('application/x-pem-file')
    expect(pem.text).toBe(sim.chainPem)
    expect(pem.text.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(3)

    const leaf = new X509Certificate(sim.leafDer)
    expect(leaf.toString()).toBe(new X509Certificate(pem.text).toString()) // the first PEM is the leaf
    expect(leaf.keyUsage).toContain('1.3.6.1.5.5.7.3.3')
    expect(issued.serial_number).toBe(leaf.serialNumber.toLowerCase())
    expect(String(issued.thumbprint).toLowerCase()).toBe(
      createHash('sha1').update(sim.leafDer).digest('hex')
    )
    expect(issued.valid_till).toBe(new Date(leaf.validTo).toISOString().slice(0, 10))
    expect(issued.valid_till).toMatch(/^\d{4}-\d{2}-\d{2}$/)

    const [leafPem, intermediatePem, rootPem] = (
      pem.text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
    ).map(p => new X509Certificate(p))
    expect(leafPem?.verify(intermediatePem!.publicKey)).toBe(true)
    expect(intermediatePem?.verify(rootPem!.publicKey)).toBe(true)
    expect(rootPem?.verify(rootPem.publicKey)).toBe(true)

    const byOrder = await get(`/certificate/download/order/${String(created.id)}/format/pem_all`)
    expect(byOrder.text).toBe(sim.chainPem)
    const p7b = await get(`/certificate/${String(created.certificate_id)}/download/format/p7b`)
    expect(p7b.status).toBe(400)
    expect(errorCodes(await get('/certificate/999/download/format/pem_all'))).toEqual([
      'not_found|certificate'
    ])
  })
})

describe('a certificate of its own for each order', () => {
  const leafOf = async (orderId: unknown) => {
    const text = (await get(`/certificate/download/order/${String(orderId)}/format/pem_all`)).text
    return new X509Certificate(text)
  }
  const dayOf = (leaf: X509Certificate) => new Date(leaf.validTo).toISOString().slice(0, 10)

  it('two orders: two serials, two thumbprints, each matching its order info', async () => {
    sim.setScenario({ pollsUntilIssued: 0 })
    const [a, b] = [await create(), await create()]
    const [infoA, infoB] = [certificateOf(await info(a.id)), certificateOf(await info(b.id))]
    const [leafA, leafB] = [await leafOf(a.id), await leafOf(b.id)]
    expect(infoA.thumbprint).not.toBe(infoB.thumbprint)
    expect(infoA.serial_number).not.toBe(infoB.serial_number)
    for (const [i, leaf] of [
      [infoA, leafA],
      [infoB, leafB]
    ] as const) {
      expect(i.serial_number).toBe(leaf.serialNumber.toLowerCase())
      expect(String(i.thumbprint)).toBe(leaf.fingerprint.replaceAll(':', ''))
      expect(i.valid_till).toBe(dayOf(leaf))
    }
    // The same order answers the same certificate every time.
    expect((await leafOf(a.id)).fingerprint).toBe(leafA.fingerprint)
    expect(sim.chainOf(a.id as number).leafDer).toEqual(leafA.raw)
    expect(sim.chainPem).toBe(sim.chainOf(b.id as number).pem)
  })

  it.each([
    ['days', { days: 200 }, 200],
    ['years', { years: 1 }, 365],
    ['more years than allowed', { years: 3 }, 459]
  ])('ends as the order_validity in %s says', async (_what, orderValidity, days) => {
    sim.setScenario({ pollsUntilIssued: 0 })
    const created = await create(keylockerBody({ order_validity: orderValidity }))
    const issued = certificateOf(await info(created.id))
    const expected = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
    expect(issued.valid_till).toBe(expected)
    expect(dayOf(await leafOf(created.id))).toBe(expected)
  })

  it('a valid_till moved by setValidTill moves the leaf with it', async () => {
    sim.setScenario({ pollsUntilIssued: 0 })
    const created = await create()
    await info(created.id)
    sim.setValidTill(created.id as number, '2026-12-30')
    expect(certificateOf(await info(created.id)).valid_till).toBe('2026-12-30')
    expect(dayOf(await leafOf(created.id))).toBe('2026-12-30')
  })

  it('chainOf refuses an order not issued', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const created = await create()
    expect(() => sim.chainOf(created.id as number)).toThrow(
      `order ${String(created.id)} is not issued`
    )
  })
})

describe('API key, base paths and routes', () => {
  it('answers 401 without the right X-DC-DEVKEY', async () => {
    const missing = await fetch(`${sim.url}/order/certificate/100001`)
    expect(missing.status).toBe(401)
    expect(await missing.json()).toEqual({
      errors: [{ code: 'access_denied|invalid_api_key', message: expect.any(String) as string }]
    })
    const wrong = await call('GET', '/order/alternate/x', undefined, {
      headers: { 'X-DC-DEVKEY': 'nope' }
    })
    expect(errorCodes(wrong)).toEqual(['access_denied|invalid_api_key'])
  })

  it('accepts a custom key and serves the EU-style base path; unknown routes are 404', async () => {
    const other = await startSimulator({ apiKey: 'k2', basePath: '/services/v2' })
    try {
      const r = await fetch(`${other.euUrl}/order/alternate/x`, {
        headers: { 'X-DC-DEVKEY': 'k2' }
      })
      expect(r.status).toBe(200)
      expect(other.euUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/eu\/services\/v2$/)
      expect(other.requests[0]?.path).toBe('/eu/services/v2/order/alternate/x')
    } finally {
      await other.close()
    }
    expect(errorCodes(await get('/order/certificates'))).toEqual(['not_found|route'])
    expect(errorCodes(await get('//order/certificate/1'))).toEqual(['not_found|route'])
    const outside = await fetch(sim.url.replace('/services/v2', '/v2/order/alternate/x'), {
      headers: { 'X-DC-DEVKEY': 'test-api-key' }
    })
    expect(outside.status).toBe(404)
  })

  it('records every request with headers and parsed body', async () => {
    await create()
    await get('/order/certificate/100001?x=1')
    expect(sim.requests.map(r => [r.method, r.path])).toEqual([
      ['POST', '/services/v2/order/certificate/code_signing'],
      ['GET', '/services/v2/order/certificate/100001?x=1']
    ])
    expect(sim.requests[0]?.headers['x-dc-devkey']).toBe('test-api-key')
    expect(sim.requests[0]?.body).toEqual(keylockerBody())
    expect(sim.requests[1]?.body).toBeUndefined()
  })
})

describe('faults', () => {
  const post = /\/order\/certificate\/code_signing$/

  it('status: answers the given status, headers and body, then recovers', async () => {
    sim.failNext(
      { method: 'GET', path: /\/order\/alternate\// },
      {
        kind: 'status',
        status: 429,
        headers: { 'Retry-After': '2' }
      }
    )
    const limited = await get('/order/alternate/x')
    expect([limited.status, limited.headers.get('retry-after'), errorCodes(limited)]).toEqual([
      429,
      '2',
      ['request_limit_exceeded']
    ])
    expect((await get('/order/alternate/x')).status).toBe(200)
  })

  it('status: applies `times` times, only to matching requests, and processes when asked', async () => {
    sim.failNext({ method: 'POST', path: post }, { kind: 'status', status: 503 }, 2)
    expect((await get('/order/alternate/x')).status).toBe(200)
    expect((await order(keylockerBody())).status).toBe(503)
    expect((await order(keylockerBody())).status).toBe(503)
    expect(sim.orders).toHaveLength(0)
    sim.failNext(
      { path: post },
      { kind: 'status', status: 502, body: { errors: [] }, processed: true }
    )
    const gateway = await order(keylockerBody())
    expect([gateway.status, gateway.json]).toEqual([502, { errors: [] }])
    expect(sim.orders).toHaveLength(1)
    expect((await order(keylockerBody())).status).toBe(201)
  })

  it('drop-after-processing: the order exists but the client gets no answer', async () => {
    sim.failNext({ method: 'POST' }, { kind: 'drop-after-processing' })
    await expect(order(keylockerBody({ alternative_order_id: 'abc' }))).rejects.toThrow()
    expect(sim.orders).toHaveLength(1)
    expect((await get('/order/alternate/abc')).json).toMatchObject({ page: { total: 1 } })
  })

  it('drop-before-processing: no answer and no order', async () => {
    sim.failNext({ method: 'POST' }, { kind: 'drop-before-processing' })
    await expect(order(keylockerBody())).rejects.toThrow()
    expect(sim.orders).toHaveLength(0)
    expect(sim.requests).toHaveLength(1)
  })

  it('hang: never answers, and close() still returns promptly', async () => {
    sim.failNext({}, { kind: 'hang' })
    const started = Date.now()
    await expect(
      call('GET', '/order/certificate/1', undefined, { signal: AbortSignal.timeout(300) })
    ).rejects.toThrow()
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
    sim.failNext({}, { kind: 'hang' })
    const pending = get('/order/certificate/1').catch((error: unknown) => error)
    await new Promise(resolve => setTimeout(resolve, 50))
    const closing = Date.now()
    await sim.close()
    expect(Date.now() - closing).toBeLessThan(1000)
    expect(await pending).toBeInstanceOf(Error)
  })

  it('truncate-body: processed, content-length promised, half the JSON delivered', async () => {
    sim.failNext({ method: 'POST' }, { kind: 'truncate-body' })
    const response = await fetch(`${sim.url}/order/certificate/code_signing`, {
      method: 'POST',
      headers: { 'X-DC-DEVKEY': 'test-api-key', 'Content-Type': 'application/json' },
      body: JSON.stringify(keylockerBody())
    })
    expect(response.status).toBe(201)
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(10)
    await expect(response.text()).rejects.toThrow()
    expect(sim.orders).toHaveLength(1)
  })

  it('not-json: 200 text/plain', async () => {
    sim.failNext({ path: /alternate/ }, { kind: 'not-json' })
    const answer = await get('/order/alternate/x')
    expect([answer.status, answer.headers.get('content-type'), answer.text]).toEqual([
      200,
      'text/plain',
      'OK but not json'
    ])
  })

  it('html: a proxy error page with the given status', async () => {
    sim.failNext({ method: 'POST' }, { kind: 'html', status: 502 })
    const answer = await order(keylockerBody())
    expect(answer.status).toBe(502)
    expect(answer.headers.get('content-type')).toBe('text/html')
    expect(answer.text).toContain('<html>')
    expect(sim.orders).toHaveLength(0)
  })

  it('delay: the normal answer, late', async () => {
    sim.failNext({}, { kind: 'delay', ms: 150 })
    const started = Date.now()
    expect((await order(keylockerBody())).status).toBe(201)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })
})

describe('rate limiting', () => {
  it('answers 429 request_limit_exceeded past the per-5-seconds limit', async () => {
    sim.setScenario({
      rateLimit: { perFiveSeconds: 3, perThreeMinutes: 100, retryAfterSeconds: 5 }
    })
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await get('/order/alternate/x')).status)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    const limited = await get('/order/alternate/x')
    expect(errorCodes(limited)).toEqual(['request_limit_exceeded'])
    expect(limited.headers.get('retry-after')).toBe('5')
  })

  it('counts against the per-3-minutes limit too, not for rejected keys', async () => {
    sim.setScenario({ rateLimit: { perFiveSeconds: 100, perThreeMinutes: 2 } })
    await call('GET', '/order/alternate/x', undefined, { headers: { 'X-DC-DEVKEY': 'bad' } })
    expect((await get('/order/alternate/x')).status).toBe(200)
    expect((await get('/order/alternate/x')).status).toBe(200)
    const limited = await get('/order/alternate/x')
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, null])
  })

  it('has the documented limits by default: 100 per 5 seconds', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 101 }, () => get('/order/alternate/x').then(a => a.status))
    )
    expect(statuses.filter(s => s === 200)).toHaveLength(100)
    expect(statuses.filter(s => s === 429)).toHaveLength(1)
  })
})

describe('answers as issue 19 found them', () => {
  const lookup = (key: string) => get(`/order/alternate/${key}`)

  it('lists an order only once its visibility delay has passed, on its own clock', async () => {
    await sim.close()
    let now = 1_000_000
    sim = await startSimulator({ clock: () => now, scenario: { visibilityDelaysMs: [2_000, 0] } })
    const first = await create(keylockerBody({ alternative_order_id: 'vis' }))
    const second = await create(keylockerBody({ alternative_order_id: 'vis' }))
    expect((await lookup('vis')).json).toMatchObject({ orders: [{ order_id: second.id }] })
    now += 1_999
    expect(((await lookup('vis')).json as { orders: unknown[] }).orders).toHaveLength(1)
    now += 1
    expect((await lookup('vis')).json).toMatchObject({
      orders: [{ order_id: first.id }, { order_id: second.id }]
    })
  })

  it.each([
    ['json-404-when-none', 404, 'application/json', 0],
    ['html-404-when-none', 404, 'text/html', 0],
    ['json-404-always', 404, 'application/json', 1],
    ['html-404-always', 404, 'text/html', 1]
  ] as const)('lookup %s', async (lookupKind, status, type, withOrder) => {
    sim.setScenario({ lookup: lookupKind })
    expect((await lookup('none')).status).toBe(status)
    expect((await lookup('none')).headers.get('content-type')).toBe(type)
    await create(keylockerBody({ alternative_order_id: 'some' }))
    expect((await lookup('some')).status).toBe(withOrder ? 404 : 200)
  })

  it('upper-case statuses and issued orders shown as approved', async () => {
    sim.setScenario({ upperCaseStatuses: true, pollsUntilIssued: 0 })
    const upper = await create(keylockerBody({ alternative_order_id: 'up' }))
    expect((await info(upper.id)).status).toBe('ISSUED')
    expect((await lookup('up')).json).toMatchObject({ orders: [{ status: 'ISSUED' }] })
    sim.setScenario({ upperCaseStatuses: false, issuedStatus: 'approved' })
    const approved = await create(keylockerBody())
    const shown = await info(approved.id)
    expect(shown.status).toBe('approved')
    expect(certificateOf(shown)).toMatchObject({ valid_till: expect.any(String) as string })
  })

  it('renewals made elsewhere are linked both ways and carry no key; foreignPuts names PUTs at them', async () => {
    sim.setScenario({ pollsUntilIssued: 0 })
    const old = await create(keylockerBody({ alternative_order_id: 'chain' }))
    const renewal = sim.renewElsewhere(old.id as number, 'pending')
    expect(await info(old.id)).toMatchObject({ is_renewed: true, renewed_order_id: renewal.id })
    const shown = await info(renewal.id)
    expect(shown).toMatchObject({ renewal_of_order_id: old.id, status: 'pending' })
    expect(shown).not.toHaveProperty('alternative_order_id')
    await call('PUT', `/order/certificate/${renewal.id}/status`, { status: 'canceled', note: 'x' })
    expect(sim.foreignPuts().map(r => r.path)).toEqual([
      `/services/v2/order/certificate/${renewal.id}/status`
    ])
    expect(sim.foreignPuts('chain')).toHaveLength(1)
  })
})
