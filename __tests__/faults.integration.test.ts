// Fault injection through the bundled action: what only a real process shows (exit codes, the
// runner's annotations, masking, proxies from the environment). Every retry, backoff and deadline
// case runs in process on a fake clock (submit.test.ts, wait.test.ts, main.test.ts); these runs
// sleep through one real retry at most. Every run is also scanned for secrets.
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSimulator, UNLIMITED, type Simulator } from './support/simulator.js'
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
beforeEach(() => sim.reset())

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
const ordersOf = (result: ActionRun) => {
  const key = result.outputs['alternative-order-id']
  expect(key, 'the run reported its alternative order ID').toMatch(/^gha[0-9a-f]{40}$/)
  return sim.orders.filter(o => o.alternativeOrderId === key)
}

describe('a lost answer to the order POST', () => {
  it('creates exactly one order when the connection drops after processing', async () => {
    sim.failNext({ method: 'POST' }, { kind: 'drop-after-processing' })
    const result = await run(cardInputs())
    expect(result.code, result.stdout).toBe(0)
    expect(ordersOf(result)).toHaveLength(1)
    expect(result.outputs['order-id']).toBe(String(ordersOf(result)[0]?.id))
    expect(result.stdout).toMatch(/already carries alternative order ID/)
    expect(result.stdout).toMatch(
      /^::warning::Order request failed \(POST .*; whether CertCentral created the order is not known/m
    )
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('exits 1 when the POST keeps failing until the timeout, having created nothing', async () => {
    sim.failNext({ method: 'POST' }, { kind: 'status', status: 503 }, 10)
    const before = sim.requests.length
    // A 1 s timeout leaves room for no retry: one POST, then a last lookup.
    const result = await run(cardInputs({ timeout: '1s' }))
    expect(result.code).toBe(1)
    const posts = sim.requests.slice(before).filter(r => r.method === 'POST')
    expect(posts).toHaveLength(1)
    const key = (posts[0]?.body as { alternative_order_id?: string }).alternative_order_id
    expect(key).toMatch(/^gha[0-9a-f]{40}$/)
    expect(sim.orders.filter(o => o.alternativeOrderId === key)).toHaveLength(0)
    expect(result.stdout).toContain(`::error::CertCentral answered 503 service_unavailable`)
    expect(result.stdout).toContain(
      `No order carries alternative order ID ${key}: none was created.`
    )
    expect(result.outputs).toEqual({})
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
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      '::error::CertCentral answered 400 card_declined: Card *** (CVV ***) was declined for key ***'
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
    // The name does not resolve: retried while the 1 s timeout allows, which is not at all.
    const result = await runAction(cardInputs({ 'api-url': remoteUrl(), timeout: '1s' }), {
      env: { ...newRun(), http_proxy: proxyUrl(), NO_PROXY: 'example.com,certcentral.test' }
    })
    runs.push(result)
    expect(result.code).toBe(1)
    expect(proxied).toHaveLength(0)
    expect(result.stdout).toMatch(/ENOTFOUND|EAI_AGAIN/)
  })
})
