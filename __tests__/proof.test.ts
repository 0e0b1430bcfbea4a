// Money moves only on proof: whole runs in process against the simulator on a fake clock, one for
// each answer the action once trusted unchecked (issue 19): a lookup that cannot see, renewals
// that never end, an order of another product, renewals made elsewhere, statuses as answers show
// them. The races themselves are in races.test.ts and chain-race.test.ts.
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
  sim = await startSimulator({ apiKey: API_KEY, scenario: { pollsUntilIssued: 0 } })
  repository = isolatedRepository()
})
afterEach(() => sim.close())

interface Release {
  code: number
  stdout: string
  outputs: Record<string, string>
}

async function release(more: Record<string, string> = {}): Promise<Release> {
  const run = await runInProcess(orderInputs(sim.url, more), fakeClock(1, Date.now()), {
    ...WORKFLOW_ENV,
    GITHUB_REPOSITORY: repository,
    GITHUB_RUN_ID: String(++runId)
  })
  return { code: run.exitCode ?? 0, stdout: run.log, outputs: run.outputs }
}

const posts = () => sim.requests.filter(r => r.method === 'POST')
const puts = () => sim.requests.filter(r => r.method === 'PUT')
const dayIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10)
const orderNamed = (run: Release, output = 'order-id') =>
  sim.orders.find(o => String(o.id) === run.outputs[output])

describe('a lookup proves itself', () => {
  it('an HTML 404 for the lookup stops the run before any POST, naming the URL', async () => {
    sim.setScenario({ lookup: 'html-404-when-none' })
    const run = await release()
    expect(run.code).toBe(1)
    expect(posts()).toHaveLength(0)
    expect(run.stdout).toContain(`::error::The lookup GET ${sim.url}/order/alternate/gha`)
    expect(run.stdout).toContain('answered 404, but not with CertCentral\'s JSON "not found"')
    expect(run.stdout).toContain('nothing was ordered')
  })

  it("a 404 in CertCentral's JSON with a not_found code means no order", async () => {
    sim.setScenario({ lookup: 'json-404-when-none' })
    const first = await release()
    expect(first.code, first.stdout).toBe(0)
    expect(first.outputs['order-action']).toBe('placed')
    const second = await release()
    expect(second.outputs['order-action']).toBe('reused')
    expect(posts()).toHaveLength(1)
  })

  it('a single JSON 404 that hid an issued order: the duplicate is withdrawn, and said as such', async () => {
    const first = await release()
    expect(first.code, first.stdout).toBe(0)
    const existing = orderNamed(first)!
    sim.issueNow(existing.id)
    // The duplicate stays pending, so that it can be canceled.
    sim.setScenario({ pollsUntilIssued: 1_000 })
    sim.failNext(
      { method: 'GET', path: /\/order\/alternate\// },
      {
        kind: 'status',
        status: 404,
        body: { errors: [{ code: 'not_found|order', message: 'Not found.' }] }
      }
    )
    const second = await release()
    expect(second.code, second.stdout).toBe(0)
    expect(posts()).toHaveLength(2)
    expect(second.outputs['order-id']).toBe(String(existing.id))
    expect(second.stdout).toContain(
      `Order ${existing.id} (issued) already carried alternative order ID ` +
        `${existing.alternativeOrderId}, though the lookup before ordering did not show it; it ` +
        'has the lower ID and is kept: this run canceled its own order'
    )
    expect(second.stdout).not.toContain('at the same moment by another run')
  })

  it('a JSON 404 for every lookup: the run fails naming its order, and what later runs risk', async () => {
    sim.setScenario({ lookup: 'json-404-always' })
    const run = await release()
    expect(run.code).toBe(1)
    expect(posts()).toHaveLength(1)
    const order = sim.orders[0]!
    expect(run.outputs['order-id']).toBe(String(order.id))
    expect(run.stdout).toMatch(
      new RegExp(
        `::error::Order ${order.id} was placed, but the lookup of its alternative order ID ` +
          `${order.alternativeOrderId} did not list it within \\d+s: later runs could not find ` +
          'it and could order again\\.'
      )
    )
    expect(run.stdout).toContain("the API key's user may not view the order")
    expect(puts()).toHaveLength(0)
  })
})

describe('at most one paid renewal per expiry', () => {
  it('a renewal that did not move the expiry out of the window is not renewed again', async () => {
    const custom = { 'custom-expiration-date': dayIn(20) }
    const first = await release(custom)
    expect(first.code, first.stdout).toBe(0)
    sim.setScenario({ approval: 'needs-approval' })
    const renewing = await release(custom)
    expect(renewing.outputs['order-action']).toBe('renewal-placed')
    const renewal = orderNamed(renewing, 'renewal-order-id')!
    sim.issueNow(renewal.id)
    for (let i = 0; i < 3; i++) {
      const run = await release(custom)
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs['order-action']).toBe('reused')
      expect(run.outputs['order-id']).toBe(String(renewal.id))
      expect(run.stdout).toContain(
        `::warning::Reusing the certificate of order ${renewal.id}, valid till ${dayIn(20)}, ` +
          'without renewing it'
      )
    }
    expect(posts()).toHaveLength(2)
  })
})

describe('orders that must match', () => {
  it('an EV run stops at the code_signing order of its key, naming both products', async () => {
    const first = await release({ 'alternative-order-id': 'sharedkey' })
    expect(first.code, first.stdout).toBe(0)
    const ev = await release({ 'alternative-order-id': 'sharedkey', product: 'code_signing_ev' })
    expect(ev.code).toBe(1)
    expect(ev.stdout).toContain('(code_signing and code_signing_ev differ)')
    expect(posts()).toHaveLength(1)
  })
})

describe('renewed elsewhere', () => {
  it('a renewal made in the console is followed and reused: no POST', async () => {
    const first = await release()
    const current = orderNamed(first)!
    sim.setValidTill(current.id, dayIn(20))
    const renewal = sim.renewElsewhere(current.id)
    const run = await release()
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['order-action']).toBe('reused')
    expect(run.outputs['order-id']).toBe(String(renewal.id))
    expect(posts()).toHaveLength(1)
  })

  it.each<[string, Record<string, unknown>, string]>([
    ['names another order it renews', { renewal_of_order_id: 1 }, 'renews order 1'],
    ['names no order it renews', { renewal_of_order_id: 0 }, 'names no order it renews'],
    [
      'is of another product',
      { product: { name_id: 'code_signing_ev' } },
      'is a code_signing_ev order, but this run orders code_signing'
    ]
  ])(
    'a renewal that %s is not followed: the run stops before any POST',
    async (_w, change, said) => {
      const first = await release()
      const current = orderNamed(first)!
      sim.setValidTill(current.id, dayIn(20))
      const renewal = sim.renewElsewhere(current.id)
      const info = {
        id: renewal.id,
        status: 'issued',
        certificate: { id: 5, valid_till: dayIn(400) },
        product: { name_id: 'code_signing' },
        renewal_of_order_id: current.id,
        ...change
      }
      sim.failNext(
        { method: 'GET', path: new RegExp(`/order/certificate/${renewal.id}$`) },
        { kind: 'status', status: 200, body: info }
      )
      const run = await release()
      expect(run.code).toBe(1)
      expect(run.stdout).toContain(said)
      expect(posts()).toHaveLength(1)
    }
  )

  it("CertCentral's automatic renewal on its way is followed beside the valid certificate", async () => {
    const first = await release()
    const current = orderNamed(first)!
    sim.setValidTill(current.id, dayIn(20))
    sim.setScenario({ autoRenewWithinDays: 30 })
    current.scenario.autoRenewWithinDays = 30
    const run = await release()
    expect(run.code, run.stdout).toBe(0)
    const renewal = sim.orders.find(o => o.renewalOfOrderId === current.id)!
    expect(run.outputs['order-action'], run.stdout).toBe('resumed')
    expect(run.outputs['order-id']).toBe(String(current.id))
    expect(run.outputs['renewal-order-id']).toBe(String(renewal.id))
    expect(posts()).toHaveLength(1)
  })

  it('a renewal refused as order_renewed_already follows the renewal: outputs, exit 0', async () => {
    const first = await release()
    const current = orderNamed(first)!
    sim.setValidTill(current.id, dayIn(20))
    // Renewed elsewhere after this run's lookup: its info names the renewal only from then on.
    const renewal = sim.renewElsewhere(current.id)
    sim.setScenario({ renewedLink: 'after-refusal' })
    const run = await release()
    expect(posts()).toHaveLength(2)
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['order-id']).toBe(String(renewal.id))
    expect(run.outputs['order-action']).toBe('reused')
    expect(run.stdout).toContain(
      `::warning::Order ${current.id} was renewed already, by order ${renewal.id} (issued): this ` +
        'run follows that renewal and placed no order.'
    )
  })

  it('a renewal on its way, named only after the refusal, is followed beside the current certificate', async () => {
    const first = await release()
    const current = orderNamed(first)!
    sim.setValidTill(current.id, dayIn(20))
    const renewal = sim.renewElsewhere(current.id, 'pending')
    sim.setScenario({ renewedLink: 'after-refusal' })
    const run = await release({ 'wait-for': 'none' })
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['order-action']).toBe('resumed')
    expect(run.outputs['order-id']).toBe(String(current.id))
    expect(run.outputs['renewal-order-id']).toBe(String(renewal.id))
    expect(run.stdout).toContain(
      `Order ${current.id} was renewed already, by order ${renewal.id} (pending): this run follows`
    )
  })

  it('a renewal refused for another reason fails the run: nothing is followed', async () => {
    const first = await release()
    const current = orderNamed(first)!
    sim.setValidTill(current.id, dayIn(20))
    sim.failNext(
      { method: 'POST', path: /\/order\/certificate\/code_signing$/ },
      {
        kind: 'status',
        status: 400,
        body: { errors: [{ code: 'order_not_eligible_for_renewal', message: 'Not eligible.' }] }
      }
    )
    const run = await release()
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('order_not_eligible_for_renewal')
    expect(run.stdout).not.toContain('was renewed already')
  })
})

describe('a renewal refused when no renewal is named', () => {
  it('reuses the certificate in use, warning where to look: outputs, exit 0', async () => {
    const first = await release()
    const current = orderNamed(first)!
    sim.setValidTill(current.id, dayIn(20))
    // The renewal exists, but no answer ever names it.
    sim.renewElsewhere(current.id)
    sim.setScenario({ renewedLink: 'never' })
    const run = await release()
    expect(run.code, run.stdout).toBe(0)
    expect(posts()).toHaveLength(2)
    expect(run.outputs['order-action']).toBe('reused')
    expect(run.outputs['order-id']).toBe(String(current.id))
    expect(run.stdout).toContain(
      `::warning::CertCentral refused to renew order ${current.id}: it was renewed already, but ` +
        `its info names no renewal. This run reuses the certificate of order ${current.id}, valid ` +
        `till ${dayIn(20)}, and placed no order: find the renewal in CertCentral (the order's ` +
        'page names it) and resume it with order-id.'
    )
  })
})

describe('statuses as CertCentral sends them', () => {
  it('upper-case statuses: placed, issued, then reused', async () => {
    sim.setScenario({ upperCaseStatuses: true })
    const first = await release({ 'wait-for': 'issued' })
    expect(first.code, first.stdout).toBe(0)
    const second = await release()
    expect(second.code, second.stdout).toBe(0)
    expect(second.outputs['order-action']).toBe('reused')
    expect(posts()).toHaveLength(1)
  })

  it.each(['approved', 'waiting_pickup'] as const)(
    '%s with certificate.id and valid_till counts as issued: wait-for issued ends, then reuse',
    async status => {
      sim.setScenario({ issuedStatus: status })
      const first = await release({ 'wait-for': 'issued', timeout: '2m' })
      expect(first.code, first.stdout).toBe(0)
      expect(first.outputs['certificate-thumbprint']).toMatch(/^[0-9A-F]{40}$/)
      const second = await release()
      expect(second.outputs['order-action']).toBe('reused')
      expect(posts()).toHaveLength(1)
    }
  )
})
