// The bundled action, run as the runner runs it, against the CertCentral simulator: what only a
// real process shows (exit codes, the files the runner reads, masking, the bundle's User-Agent).
// The rest of a run's behaviour is tested in process (main.test.ts and the files beside it).
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

  it('with wait-for issued, downloads the chain under RUNNER_TEMP and reports its thumbprint', async () => {
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

  it('fails on a rejected order, naming the order and the status', async () => {
    sim.setScenario({ approval: 'reject' })
    const run = await runAction(orderInputs(sim.url), { env: newRun() })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`::error::Order ${orderOf(run).id} is rejected`)
    // A failed step still hands on the order.
    expect(run.outputs['order-id']).toBe(String(orderOf(run).id))
    expect(run.outputs['order-status']).toBe('rejected')
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

describe('a hardware token order', () => {
  it('ship_token: hands on the hardware init code, masked', async () => {
    sim.setScenario({ hardwareInitCode: 'HWINIT7788' })
    const run = await runAction(orderInputs(sim.url, { 'provisioning-method': 'ship_token' }), {
      env: newRun()
    })
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['hardware-init-code']).toBe('HWINIT7788')
    expect(run.stdout).toContain('::add-mask::HWINIT7788')
    expect(run.summary).not.toContain('HWINIT7788')
    expect(run.summary).toContain('DHCI')
  })
})
