// Fault injection: what the user sees when CertCentral or the network misbehaves, and proof that
// no order is lost or made twice. Every run is also scanned for secrets.
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSimulator, UNLIMITED, type Fault, type Simulator } from './support/simulator.js'
import {
  isolatedRepository,
  runAction,
  WORKFLOW_ENV,
  type ActionRun
} from './support/run-action.js'
import {
  API_KEY,
  BILLING_ADDRESS,
  CARD_NUMBER,
  CREDIT_CARD,
  CVV,
  expectNoSecrets,
  orderInputs
} from './support/action-inputs.js'

let sim: Simulator
beforeAll(async () => {
  // Not a test of the rate limit: the runs of a whole file together would reach it.
  sim = await startSimulator({ apiKey: API_KEY, scenario: { rateLimit: UNLIMITED } })
})
afterAll(() => sim.close())
beforeEach(() => {
  sim.clearFaults()
  sim.setScenario({ approval: 'immediate' })
})

let runNumber = 5000
const newRun = () => ({
  ...WORKFLOW_ENV,
  GITHUB_REPOSITORY: isolatedRepository(),
  GITHUB_RUN_ID: String(++runNumber)
})
/** Orders paid for with a card, so every run is also a test that card data never shows. */
const cardInputs = (more: Record<string, string> = {}) =>
  orderInputs(sim.url, {
    'payment-method': 'card',
    'credit-card': CREDIT_CARD,
    'billing-address': BILLING_ADDRESS,
    ...more
  })

const runs: ActionRun[] = []
afterEach(() => {
  for (const run of runs.splice(0)) expectNoSecrets(run)
})

async function run(inputs: Record<string, string>, env = newRun()): Promise<ActionRun> {
  const result = await runAction(inputs, { env })
  runs.push(result)
  return result
}

/** Orders at the simulator that carry the alternative order ID the run reported. */
const ordersOf = (result: ActionRun) =>
  sim.orders.filter(o => o.alternativeOrderId === result.outputs['alternative-order-id'])

describe('a lost answer to the order POST', () => {
  it('creates exactly one order when the connection drops after processing', async () => {
    sim.failNext({ method: 'POST' }, { kind: 'drop-after-processing' })
    const result = await run(cardInputs())
    expect(result.code, result.stdout).toBe(0)
    expect(ordersOf(result)).toHaveLength(1)
    expect(result.outputs['order-id']).toBe(String(ordersOf(result)[0]!.id))
    expect(result.stdout).toMatch(/already carries alternative order ID/)
  })

  it('sends again when the connection dropped before processing', async () => {
    sim.failNext({ method: 'POST' }, { kind: 'drop-before-processing' })
    const result = await run(cardInputs())
    expect(result.code, result.stdout).toBe(0)
    expect(ordersOf(result)).toHaveLength(1)
  })

  it('creates one order when the answer is cut mid-body', async () => {
    sim.failNext({ method: 'POST' }, { kind: 'truncate-body' })
    const result = await run(cardInputs())
    expect(result.code, result.stdout).toBe(0)
    expect(ordersOf(result)).toHaveLength(1)
  })

  for (const fault of [
    { kind: 'status', status: 503 },
    { kind: 'status', status: 500, processed: true },
    { kind: 'not-json', processed: true },
    { kind: 'html', status: 502 },
    { kind: 'html', status: 504, processed: true }
  ] satisfies Fault[]) {
    it(`recovers from ${JSON.stringify(fault)} bursts with exactly one order`, async () => {
      sim.failNext({ method: 'POST' }, fault, 2)
      const result = await run(cardInputs())
      expect(result.code, result.stdout).toBe(0)
      expect(ordersOf(result)).toHaveLength(1)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    })
  }

  it('gives up on a POST that keeps failing, saying no order was made', async () => {
    sim.failNext({ method: 'POST' }, { kind: 'status', status: 503 }, 10)
    const result = await run(cardInputs({ timeout: '20s' }))
    expect(result.code).not.toBe(0)
    expect(ordersOf(result)).toHaveLength(0)
    expect(result.stdout).toMatch(/none was created/)
  }, 60_000)
})

describe('an order whose POST answer was lost', () => {
  it('still hands on the ID of the organization it created', async () => {
    sim.failNext({ method: 'POST' }, { kind: 'drop-after-processing' })
    const result = await run(
      cardInputs({
        'organization-id': '',
        'verified-contact-ids': '',
        organization: [
          'name: Example Software Ltd',
          'address: 1 Example Street',
          'city: Lehi',
          'state: Utah',
          'zip: "84043"',
          'country: us',
          'telephone: 801-555-0100'
        ].join('\n')
      })
    )
    expect(result.code, result.stdout).toBe(0)
    const [order] = ordersOf(result)
    expect(order?.createdOrganization).toBe(true)
    expect(result.outputs['organization-id']).toBe(String(order?.organizationId))
  })
})

describe('an error that echoes the request', () => {
  it('shows the error without the key, the card number or the CVV', async () => {
    const echo = `Card ${CARD_NUMBER} (CVV ${CVV}) was declined for key ${API_KEY}`
    sim.failNext(
      { method: 'POST' },
      { kind: 'status', status: 400, body: { errors: [{ code: 'card_declined', message: echo }] } }
    )
    const result = await run(cardInputs())
    expect(result.code).not.toBe(0)
    expect(result.stdout).toContain(
      '400 card_declined: Card *** (CVV ***) was declined for key ***'
    )
  })
})

describe('re-running a workflow run', () => {
  it('resumes the order of a run that succeeded', async () => {
    const env = newRun()
    const first = await run(cardInputs(), env)
    const again = await run(cardInputs(), { ...env, GITHUB_RUN_ATTEMPT: '2' })
    expect(again.code, again.stdout).toBe(0)
    expect(ordersOf(first)).toHaveLength(1)
    expect(again.outputs['order-id']).toBe(first.outputs['order-id'])
  })

  it('resumes the order of a run that timed out', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const env = newRun()
    const first = await run(cardInputs({ timeout: '2s' }), env)
    expect(first.code).not.toBe(0)
    sim.approve(Number(first.outputs['order-id']))
    const again = await run(cardInputs(), { ...env, GITHUB_RUN_ATTEMPT: '2' })
    expect(again.code, again.stdout).toBe(0)
    expect(ordersOf(first)).toHaveLength(1)
    expect(again.outputs['order-id']).toBe(first.outputs['order-id'])
  })

  it.each(['canceled', 'rejected'] as const)(
    'does not order again on its own when the earlier order was %s, and does with replace-ended-order',
    async status => {
      sim.setScenario({ approval: 'needs-approval' })
      const env = newRun()
      const first = await run(cardInputs({ 'wait-for': 'none' }), env)
      expect(first.code, first.stdout).toBe(0)
      const firstId = Number(first.outputs['order-id'])
      sim.setStatus(firstId, status)
      sim.setScenario({ approval: 'immediate' })
      const postsBefore = sim.requests.filter(r => r.method === 'POST').length

      const refused = await run(cardInputs(), { ...env, GITHUB_RUN_ATTEMPT: '2' })
      expect(refused.code).toBe(1)
      expect(refused.stdout).toContain(`::error::Order ${firstId}, the newest`)
      expect(refused.stdout).toContain(`is ${status}`)
      expect(refused.stdout).toContain('replace-ended-order: true')
      expect(sim.requests.filter(r => r.method === 'POST')).toHaveLength(postsBefore)

      const replaced = await run(cardInputs({ 'replace-ended-order': 'true' }), {
        ...env,
        GITHUB_RUN_ATTEMPT: '3'
      })
      expect(replaced.code, replaced.stdout).toBe(0)
      expect(replaced.outputs['order-action']).toBe('placed')
      expect(replaced.outputs['order-id']).not.toBe(String(firstId))
      expect(replaced.outputs['alternative-order-id']).toBe(
        `${first.outputs['alternative-order-id']}g2`
      )
      expect(sim.requests.filter(r => r.method === 'POST')).toHaveLength(postsBefore + 1)
    }
  )
})

describe('the order POST refused for a while', () => {
  it('backs off on 429 and sends the order once', async () => {
    sim.failNext(
      { method: 'POST' },
      { kind: 'status', status: 429, headers: { 'Retry-After': '1' } },
      2
    )
    const result = await run(cardInputs())
    expect(result.code, result.stdout).toBe(0)
    expect(ordersOf(result)).toHaveLength(1)
    expect(result.stdout).toMatch(/::warning::.*rate limit/)
  })

  it('takes a 404 from the alternative order ID lookup as "no such order"', async () => {
    sim.failNext({ method: 'GET', path: /\/order\/alternate\// }, { kind: 'status', status: 404 })
    const result = await run(cardInputs())
    expect(result.code, result.stdout).toBe(0)
    expect(ordersOf(result)).toHaveLength(1)
  })
})

describe('reads that fail for a while', () => {
  it('retries 429 with Retry-After and warns about the rate limit', async () => {
    sim.failNext(
      { method: 'GET', path: /\/order\/certificate\// },
      {
        kind: 'status',
        status: 429,
        headers: { 'Retry-After': '1' },
        body: { errors: [{ code: 'request_limit_exceeded', message: 'Rate limit exceeded' }] }
      }
    )
    const result = await run(cardInputs())
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toMatch(
      /::warning::.*429 request_limit_exceeded.*1,000 requests per 3 minutes/
    )
  })

  it('retries 429 without Retry-After', async () => {
    sim.failNext(
      { method: 'GET', path: /\/order\/alternate\// },
      { kind: 'status', status: 429 },
      2
    )
    const result = await run(cardInputs())
    expect(result.code, result.stdout).toBe(0)
    expect(ordersOf(result)).toHaveLength(1)
  })

  it('polls on when a poll fails beyond its retries, and finishes', async () => {
    sim.setScenario({ approval: 'after-polls', pollsUntilCertificateId: 1 })
    sim.failNext(
      { method: 'GET', path: /\/order\/certificate\// },
      { kind: 'status', status: 503 },
      6
    )
    const result = await run(cardInputs({ timeout: '60s' }))
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toMatch(/::warning::Could not read order \d+ .*503.*polling on/)
    expect(result.outputs['certificate-id']).toBe(String(ordersOf(result)[0]?.certificateId))
  }, 60_000)

  it('gets past a hung connection within the step timeout', async () => {
    sim.failNext({ method: 'GET', path: /\/order\/certificate\// }, { kind: 'hang' })
    const started = Date.now()
    const result = await run(cardInputs({ timeout: '9s' }))
    expect(result.code, result.stdout).toBe(0)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(result.stdout).toMatch(/no complete answer within 3s/)
  })

  it('fails after the timeout when CertCentral never answers', async () => {
    sim.failNext({ method: 'GET', path: /\/order\/alternate\// }, { kind: 'hang' }, 20)
    const started = Date.now()
    const result = await run(cardInputs({ timeout: '4s' }))
    expect(result.code).not.toBe(0)
    expect(Date.now() - started).toBeLessThan(12_000)
    expect(
      sim.orders.filter(o => o.alternativeOrderId === result.outputs['alternative-order-id'])
    ).toHaveLength(0)
  })
})

describe('behind a proxy', () => {
  let proxy: Server
  let proxied: string[] = []
  beforeAll(async () => {
    // A CONNECT proxy, as corporate proxies are; every tunnel goes to the simulator.
    proxy = createServer()
    proxy.on('connect', (req, client: Socket) => {
      proxied.push(String(req.url))
      const target = new URL(sim.url)
      const upstream = connect(Number(target.port), target.hostname, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve))
  })
  afterAll(() => new Promise<void>(resolve => proxy.close(() => resolve())))
  beforeEach(() => {
    proxied = []
  })

  const proxyUrl = () => `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  // Loopback addresses bypass proxies, so the action is pointed at a name only the proxy resolves.
  const remoteUrl = () => `http://certcentral.test:80${new URL(sim.url).pathname}`

  it('goes through HTTP_PROXY / HTTPS_PROXY', async () => {
    const result = await runAction(cardInputs({ 'api-url': remoteUrl() }), {
      env: { ...newRun(), http_proxy: proxyUrl(), HTTPS_PROXY: proxyUrl() }
    })
    runs.push(result)
    expect(result.code, result.stdout).toBe(0)
    expect(proxied).toContain('certcentral.test:80')
  })

  it('goes direct to hosts in NO_PROXY', async () => {
    // certcentral.test resolves nowhere but through the proxy: going direct fails to resolve it.
    const result = await runAction(cardInputs({ 'api-url': remoteUrl(), timeout: '3s' }), {
      env: { ...newRun(), http_proxy: proxyUrl(), NO_PROXY: 'example.com,certcentral.test' }
    })
    runs.push(result)
    expect(result.code).not.toBe(0)
    expect(proxied).toHaveLength(0)
    expect(result.stdout).toMatch(/ENOTFOUND|EAI_AGAIN/)
  })
})
