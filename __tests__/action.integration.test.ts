// The bundled action, run as the runner runs it, against the CertCentral simulator.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSimulator, UNLIMITED, type Simulator } from './support/simulator.js'
import { isolatedRepository, runAction, visibleLog, WORKFLOW_ENV } from './support/run-action.js'
import { API_KEY, expectNoSecrets, orderInputs } from './support/action-inputs.js'

let sim: Simulator
beforeAll(async () => {
  // Not a test of the rate limit: the runs of a whole file together would reach it.
  sim = await startSimulator({ apiKey: API_KEY, scenario: { rateLimit: UNLIMITED } })
})
afterAll(() => sim.close())
beforeEach(() => {
  sim.reset()
  sim.setScenario({ pollsUntilIssued: 0 })
})

/** The simulator's record of the order a run reported. */
const orderOf = (run: { outputs: Record<string, string> }) => {
  const order = sim.orders.find(o => String(o.id) === run.outputs['order-id'])
  if (order === undefined) throw new Error(`no order ${run.outputs['order-id']} at the simulator`)
  return order
}

const posts = () => sim.requests.filter(r => r.method === 'POST')
/** Each test runs as its own workflow run, so default alternative order IDs never collide. */
let runNumber = 100
const newRun = () => ({
  ...WORKFLOW_ENV,
  GITHUB_REPOSITORY: isolatedRepository(),
  GITHUB_RUN_ID: String(++runNumber)
})

describe('ordering a certificate', () => {
  it('hands on the IDs of an order approved at once', async () => {
    const before = posts().length
    const run = await runAction(orderInputs(sim.url), { env: newRun() })
    expect(run.code, run.stdout).toBe(0)
    expect(posts().length - before).toBe(1)
    const order = orderOf(run)
    expect(run.outputs['order-id']).toBe(String(order.id))
    expect(run.outputs['certificate-id']).toBe(String(order.certificateId))
    expect(run.outputs['request-status']).toBe('approved')
    expect(run.outputs['alternative-order-id']).toMatch(/^[A-Za-z0-9]{1,64}$/)
    expect(run.outputs['order-status']).toBe(order.status)
    expect(run.summary).toContain(String(order.id))
    expectNoSecrets(run)
  })

  it('sends the headers CertCentral expects', async () => {
    const before = posts().length
    await runAction(orderInputs(sim.url), { env: newRun() })
    expect(posts()).toHaveLength(before + 1)
    const post = posts()[before]!
    expect(post.headers['x-dc-devkey']).toBe(API_KEY)
    expect(post.headers['content-type']).toBe('application/json')
    expect(String(post.headers['user-agent'])).toMatch(
      /^digicert-code-signing-order-action\/\d+\.\d+\.\d+/
    )
  })

  it('with wait-for issued, downloads the chain and reports its thumbprint', async () => {
    sim.setScenario({ approval: 'after-polls', pollsUntilCertificateId: 1, pollsUntilIssued: 1 })
    const run = await runAction(orderInputs(sim.url, { 'wait-for': 'issued' }), { env: newRun() })
    expect(run.code, run.stdout).toBe(0)
    const thumbprint = createHash('sha1').update(sim.leafDer).digest('hex').toUpperCase()
    expect(run.outputs['certificate-thumbprint']).toBe(thumbprint)
    expect(run.outputs['order-status']).toBe('issued')
    expect(run.outputs['valid-till']).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(run.outputs['certificate-serial']).toMatch(/^[0-9A-F]+$/)
    const path = run.outputs['certificate-path']!
    expect(path.startsWith(run.runnerTemp)).toBe(true)
    expect(await readFile(path, 'utf8')).toBe(sim.chainPem)
  })

  it('with wait-for none, returns after the order is placed', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const before = sim.requests.length
    const run = await runAction(orderInputs(sim.url, { 'wait-for': 'none' }), { env: newRun() })
    expect(run.code, run.stdout).toBe(0)
    expect(orderOf(run).status).toBe('needs_approval')
    expect(run.outputs['certificate-id']).toBeUndefined()
    // The pre-flight's four GETs, the alternative order ID lookup, the POST and the lookup that
    // settles a race: no polling.
    expect(sim.requests.length - before).toBe(7)
  })

  it('resumes an order by order-id without placing another', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const first = await runAction(orderInputs(sim.url, { 'wait-for': 'none' }), { env: newRun() })
    const orderId = Number(first.outputs['order-id'])
    sim.approve(orderId)
    const before = posts().length
    const run = await runAction(orderInputs(sim.url, { 'order-id': String(orderId) }), {
      env: newRun()
    })
    expect(run.code, run.stdout).toBe(0)
    expect(posts().length).toBe(before)
    expect(run.outputs['order-id']).toBe(String(orderId))
    expect(run.outputs['certificate-id']).toBe(String(orderOf(run).certificateId))
  })

  it('describes a resumed order as CertCentral has it, not by the input defaults', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const more = { 'wait-for': 'none', 'provisioning-method': 'ship_token' }
    const first = await runAction(orderInputs(sim.url, more), { env: newRun() })
    sim.approve(Number(first.outputs['order-id']))
    const run = await runAction(
      { 'api-key': API_KEY, 'api-url': sim.url, 'order-id': first.outputs['order-id']! },
      { env: newRun() }
    )
    expect(run.code, run.stdout).toBe(0)
    expect(run.summary).toContain('ship_token')
    expect(run.summary).toContain('DHCI')
    expect(run.summary).not.toContain('KeyLocker')
  })

  for (const status of ['canceled', 'revoked', 'expired'] as const) {
    it(`fails on a ${status} order, naming the order and the status`, async () => {
      sim.setScenario({ approval: 'needs-approval' })
      const first = await runAction(orderInputs(sim.url, { 'wait-for': 'none' }), {
        env: newRun()
      })
      const orderId = Number(first.outputs['order-id'])
      sim.setStatus(orderId, status)
      const run = await runAction(orderInputs(sim.url, { 'order-id': String(orderId) }), {
        env: newRun()
      })
      expect(run.code).toBe(1)
      expect(run.stdout).toContain(`Order ${orderId} is ${status}`)
      expect(run.outputs['order-status']).toBe(status)
    })
  }

  it('times out with the order ID set and says how to resume', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const run = await runAction(orderInputs(sim.url, { timeout: '1s' }), { env: newRun() })
    expect(run.code).toBe(1)
    const orderId = String(orderOf(run).id)
    expect(run.outputs['order-status']).toBe('needs_approval')
    expect(run.stdout).toContain(`order-id: ${orderId}`)
    expect(run.stdout).toMatch(/waiting for an administrator/)
  })

  it('fails on a rejected order, naming the order and the status', async () => {
    sim.setScenario({ approval: 'reject' })
    const run = await runAction(orderInputs(sim.url), { env: newRun() })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`::error::Order ${orderOf(run).id} is rejected`)
  })

  it('fails with every code and message of an error body, and a hint', async () => {
    sim.failNext(
      { method: 'POST' },
      {
        kind: 'status',
        status: 403,
        body: {
          errors: [{ code: 'access_denied|missing_permission', message: 'Permission denied.' }]
        }
      }
    )
    const run = await runAction(orderInputs(sim.url), { env: newRun() })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('403 access_denied|missing_permission: Permission denied.')
    expect(run.stdout).toMatch(/Hint: .*certcentral\.digicert\.eu/)
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expectNoSecrets(run)
  })

  it('fails clearly on a wrong API key', async () => {
    const run = await runAction(orderInputs(sim.url, { 'api-key': 'not-the-key' }), {
      env: newRun()
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/CertCentral answered 401/)
    expect(visibleLog(run)).not.toContain('not-the-key')
  })

  it('succeeds with a warning when the job summary cannot be written', async () => {
    const run = await runAction(orderInputs(sim.url), {
      env: { ...newRun(), GITHUB_STEP_SUMMARY: tmpdir() }
    })
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['certificate-id']).toBe(String(orderOf(run).certificateId))
    expect(run.stdout).toMatch(/::warning::The job summary could not be written/)
  })

  it('builds every URL from api-url, as for CertCentral Europe', async () => {
    const before = sim.requests.length
    const run = await runAction(orderInputs(sim.euUrl), { env: newRun() })
    expect(run.code, run.stdout).toBe(0)
    const paths = sim.requests.slice(before).map(r => r.path)
    expect(paths.length).toBeGreaterThan(0)
    const euPath = new URL(sim.euUrl).pathname
    for (const path of paths) expect(path.startsWith(euPath)).toBe(true)
  })
})

describe('each provisioning method', () => {
  it('keylocker: orders and says how to sign with KeyLocker', async () => {
    const run = await runAction(orderInputs(sim.url, { 'provisioning-method': 'keylocker' }), {
      env: newRun()
    })
    expect(run.code, run.stdout).toBe(0)
    expect(orderOf(run).body).toMatchObject({ cs_provisioning_method: 'keylocker' })
    expect(run.summary).toContain('KeyLocker')
  })

  it('email: sends the CSR and says how to install on the HSM', async () => {
    const csr = await readFile(new URL('./fixtures/csr-rsa3072.pem', import.meta.url), 'utf8')
    const run = await runAction(
      orderInputs(sim.url, { 'provisioning-method': 'email', csr, 'server-platform-id': '-1' }),
      { env: newRun() }
    )
    expect(run.code, run.stdout).toBe(0)
    const body = orderOf(run).body as { certificate: { csr: string } }
    expect(body.certificate.csr).toContain('BEGIN CERTIFICATE REQUEST')
    expect(run.stdout).toMatch(/RSA 3072/)
    expect(run.summary).toContain('HSM')
  })

  for (const method of ['ship_token', 'client_app'] as const) {
    it(`${method}: hands on the hardware init code, masked`, async () => {
      sim.setScenario({ hardwareInitCode: 'HWINIT7788' })
      const more: Record<string, string> = { 'provisioning-method': method }
      if (method === 'client_app') more['server-platform-id'] = '23'
      const run = await runAction(orderInputs(sim.url, more), { env: newRun() })
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs['hardware-init-code']).toBe('HWINIT7788')
      expect(run.stdout).toContain('::add-mask::HWINIT7788')
      expect(run.summary).not.toContain('HWINIT7788')
      expect(run.summary).toContain('DHCI')
    })
  }
})
