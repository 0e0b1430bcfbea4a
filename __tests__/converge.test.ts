// One certificate for many releases, whole runs in process against the simulator on a fake clock:
// the release workflow reuses the live certificate, renews it ahead of expiry, resumes what is on
// its way and stops at what a person ended. The races, which need processes of their own, run the
// bundled action in race.integration.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from './support/simulator.js'
import { isolatedRepository, WORKFLOW_ENV } from './support/run-action.js'
import { API_KEY, orderInputs } from './support/action-inputs.js'
import { fakeClock } from './support/fake-clock.js'
import { runInProcess } from './fixtures/in-process-run.js'

const DAY = 86_400_000

let sim: Simulator
let repository: string
let runId = 0
beforeEach(async () => {
  // A simulator of its own for every test: no order, request or scenario of another test is seen.
  sim = await startSimulator({ apiKey: API_KEY, scenario: { pollsUntilIssued: 0 } })
  repository = isolatedRepository()
})
afterEach(() => sim.close())

interface Release {
  code: number
  stdout: string
  outputs: Record<string, string>
  summary: string
}

/** A run of the release workflow of one repository: every run has its own run ID. */
async function release(more: Record<string, string> = {}): Promise<Release> {
  const run = await runInProcess(orderInputs(sim.url, more), fakeClock(1, Date.now()), {
    ...WORKFLOW_ENV,
    GITHUB_REPOSITORY: repository,
    GITHUB_RUN_ID: String(++runId)
  })
  const visible = [run.log, run.summary, ...Object.values(run.outputs)]
    .join('\n')
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
  expect(visible).not.toContain(API_KEY)
  return { code: run.exitCode ?? 0, stdout: run.log, outputs: run.outputs, summary: run.summary }
}

const posts = () => sim.requests.filter(r => r.method === 'POST')
const dayIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10)
const orderNamed = (run: Release, output = 'order-id') =>
  sim.orders.find(o => String(o.id) === run.outputs[output])

describe('many releases, one certificate', () => {
  it('orders once in ten releases; the other nine reuse it with at most 3 requests each', async () => {
    const first = await release()
    expect(first.code, first.stdout).toBe(0)
    expect(first.outputs['order-action']).toBe('placed')
    expect(orderNamed(first)?.status).toBe('issued')
    for (let release_ = 2; release_ <= 10; release_++) {
      const before = sim.requests.length
      const run = await release()
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs['order-action']).toBe('reused')
      expect(run.outputs['order-id']).toBe(first.outputs['order-id'])
      expect(run.outputs['certificate-id']).toBe(first.outputs['certificate-id'])
      expect(run.outputs['alternative-order-id']).toBe(first.outputs['alternative-order-id'])
      expect(sim.requests.length - before).toBeLessThanOrEqual(3)
      expect(run.stdout).toContain(
        `Reusing the certificate of order ${first.outputs['order-id']}, valid till`
      )
    }
    expect(posts()).toHaveLength(1)
  })

  it('with wait-for issued, a reused certificate is downloaded as a new one is', async () => {
    await release({ 'wait-for': 'issued' })
    const run = await release({ 'wait-for': 'issued' })
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['order-action']).toBe('reused')
    expect(run.outputs['certificate-path']).toMatch(/digicert-certificate-\d+\.pem$/)
    expect(run.outputs['certificate-thumbprint']).toMatch(/^[0-9A-F]{40}$/)
    expect(posts()).toHaveLength(1)
  })

  it('a certificate of another repository, product or organization is not reused', async () => {
    await release()
    expect((await release({ product: 'code_signing_ev' })).outputs['order-action']).toBe('placed')
    expect((await release({ 'organization-id': '44444' })).outputs['order-action']).toBe('placed')
    repository = isolatedRepository()
    expect((await release()).outputs['order-action']).toBe('placed')
    expect(posts()).toHaveLength(4)
  })

  it('a per-run alternative-order-id orders in every run, on purpose', async () => {
    const one = await release({ 'alternative-order-id': 'run1' })
    const two = await release({ 'alternative-order-id': 'run2' })
    expect([one.outputs['order-action'], two.outputs['order-action']]).toEqual(['placed', 'placed'])
    expect(posts()).toHaveLength(2)
  })

  it('resumes an order still on its way instead of ordering again', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const first = await release({ 'wait-for': 'none' })
    expect(first.outputs['order-action']).toBe('placed')
    const again = await release({ timeout: '1m' })
    expect(again.outputs['order-action']).toBe('resumed')
    expect(again.outputs['order-id']).toBe(first.outputs['order-id'])
    expect(again.stdout).toContain(
      `Order ${first.outputs['order-id']} is needs_approval: resuming it`
    )
    expect(posts()).toHaveLength(1)
  })
})

describe('renewal ahead of expiry', () => {
  it('renews within the window, keeps the valid certificate meanwhile, and switches once issued', async () => {
    const first = await release()
    const current = orderNamed(first)!
    sim.setValidTill(current.id, dayIn(20))
    sim.setScenario({ approval: 'needs-approval' })

    const renewing = await release()
    expect(renewing.code, renewing.stdout).toBe(0)
    expect(renewing.outputs['order-action']).toBe('renewal-placed')
    expect(posts()).toHaveLength(2)
    const post = posts()[1]!.body as Record<string, unknown>
    expect(post.renewal_of_order_id).toBe(current.id)
    expect(post.alternative_order_id).toBe(`${first.outputs['alternative-order-id']}g002`)
    const renewal = sim.orders.find(o => o.renewalOfOrderId === current.id)!
    // The certificate in use is still the current one; the renewal is handed on beside it.
    expect(renewing.outputs['order-id']).toBe(String(current.id))
    expect(renewing.outputs['certificate-id']).toBe(String(current.certificateId))
    expect(renewing.outputs['renewal-order-id']).toBe(String(renewal.id))
    expect(renewing.stdout).toMatch(
      new RegExp(
        `::warning::Renewal order ${renewal.id} is [a-z_]+: the certificate of order ${current.id}`
      )
    )
    expect(renewing.summary).toContain(`${renewal.id} (`)

    const pending = await release()
    expect(pending.code, pending.stdout).toBe(0)
    expect(pending.outputs['order-action']).toBe('resumed')
    expect(pending.outputs['order-id']).toBe(String(current.id))
    expect(pending.outputs['renewal-order-id']).toBe(String(renewal.id))
    expect(posts()).toHaveLength(2)

    sim.issueNow(renewal.id)
    const switched = await release()
    expect(switched.code, switched.stdout).toBe(0)
    expect(switched.outputs['order-action']).toBe('reused')
    expect(switched.outputs['order-id']).toBe(String(renewal.id))
    expect(switched.outputs['certificate-id']).toBe(String(renewal.certificateId))
    expect(switched.outputs['renewal-order-id']).toBeUndefined()
    expect(posts()).toHaveLength(2)
  })

  it('takes over a renewal issued at once in the run that placed it', async () => {
    const first = await release()
    sim.setValidTill(Number(first.outputs['order-id']), dayIn(10))
    const renewing = await release()
    expect(renewing.code, renewing.stdout).toBe(0)
    expect(renewing.outputs['order-action']).toBe('renewal-placed')
    const renewal = sim.orders.find(o => o.renewalOfOrderId === Number(first.outputs['order-id']))
    expect(renewing.outputs['order-id']).toBe(String(renewal?.id))
    expect(renewing.outputs['renewal-order-id']).toBeUndefined()
  })

  it('renew-within: 0 turns renewal off', async () => {
    const first = await release()
    sim.setValidTill(Number(first.outputs['order-id']), dayIn(5))
    const run = await release({ 'renew-within': '0' })
    expect(run.outputs['order-action']).toBe('reused')
    expect(run.stdout).toContain('(renewal is off)')
    expect(posts()).toHaveLength(1)
  })

  it('an expired certificate gets a new order of the next generation, not a renewal', async () => {
    const first = await release()
    sim.setValidTill(Number(first.outputs['order-id']), dayIn(-2))
    const run = await release()
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['order-action']).toBe('placed')
    const post = posts()[1]!.body as Record<string, unknown>
    expect(post).not.toHaveProperty('renewal_of_order_id')
    expect(post.alternative_order_id).toBe(`${first.outputs['alternative-order-id']}g002`)
  })

  it('an expired order gets a new order of the next generation', async () => {
    const first = await release()
    sim.setStatus(Number(first.outputs['order-id']), 'expired')
    const run = await release()
    expect(run.outputs['order-action']).toBe('placed')
    expect(run.outputs['alternative-order-id']).toBe(`${first.outputs['alternative-order-id']}g002`)
  })

  it.each(['91d', '2160h1s', '-1d', 'soon'])(
    'renew-within %s is refused before any request',
    async value => {
      const run = await release({ 'renew-within': value })
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(/::error title=Input renew-within::renew-within: /)
      expect(sim.requests).toHaveLength(0)
    }
  )
})

describe('an order a person ended', () => {
  it.each(['rejected', 'canceled', 'revoked'] as const)(
    '%s: fails, names it, orders nothing',
    async status => {
      const first = await release()
      sim.setStatus(Number(first.outputs['order-id']), status)
      const run = await release()
      expect(run.code).toBe(1)
      expect(run.stdout).toContain(
        `::error::Order ${first.outputs['order-id']}, the newest of this certificate, is ${status}`
      )
      expect(run.stdout).toContain('replace-ended-order: true')
      expect(posts()).toHaveLength(1)
    }
  )

  it('replace-ended-order orders the next generation, which an account requiring unique IDs accepts', async () => {
    sim.setScenario({ uniqueAlternativeOrderIds: true })
    const first = await release()
    sim.setStatus(Number(first.outputs['order-id']), 'rejected')
    const run = await release({ 'replace-ended-order': 'true' })
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['order-action']).toBe('placed')
    expect(run.outputs['alternative-order-id']).toBe(`${first.outputs['alternative-order-id']}g002`)
    expect(sim.liveOrders()).toHaveLength(1)
  })
})
