// CertCentral as it really answers, run through the bundled action against the simulator: the
// organization ID where DigiCert's own example puts it, the statuses real clients see, custom
// fields in both shapes users write, and the rate limit counted per API key.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSimulator, UNLIMITED, type OrderStatus, type Simulator } from './support/simulator.js'
import { isolatedRepository, runAction, WORKFLOW_ENV } from './support/run-action.js'
import { API_KEY, orderInputs } from './support/action-inputs.js'

let sim: Simulator
beforeAll(async () => {
  // Not a test of the rate limit: the runs of a whole file together would reach it.
  sim = await startSimulator({ apiKey: API_KEY, scenario: { rateLimit: UNLIMITED } })
})
afterAll(() => sim.close())
beforeEach(() => {
  sim.clearFaults()
  sim.setScenario({
    approval: 'immediate',
    pollsUntilIssued: 0,
    issue: true,
    organizationAt: 'top'
  })
})

let runNumber = 7000
const newRun = () => ({
  ...WORKFLOW_ENV,
  GITHUB_REPOSITORY: isolatedRepository(),
  GITHUB_RUN_ID: String(++runNumber)
})
const run = (inputs: Record<string, string>) => runAction(inputs, { env: newRun() })

/** A new organization, so that its ID is an output. */
const NEW_ORGANIZATION = orderInputs('', {
  'organization-id': '',
  'verified-contact-ids': '',
  'skip-approval': '',
  organization: [
    'name: Example Software Ltd',
    'address: 1 Example Street',
    'city: Lehi',
    'state: Utah',
    'zip: "84043"',
    'country: us',
    'telephone: 801-555-0100'
  ].join('\n'),
  'organization-contact': 'first_name: Jane\nlast_name: Doe\nemail: jane@example.com'
})

describe('the organization ID in order info', () => {
  // The POST answer is lost, so the ID can only come from the order info.
  it.each([
    ['under certificate, as in DigiCert’s example', 'certificate' as const],
    ['at the top level, as other clients read it', 'top' as const]
  ])('is read %s', async (_name, organizationAt) => {
    sim.setScenario({ organizationAt })
    sim.failNext({ method: 'POST' }, { kind: 'drop-after-processing' })
    const r = await run({ ...NEW_ORGANIZATION, 'api-url': sim.url })
    expect(r.code, r.stdout).toBe(0)
    const order = sim.orders.at(-1)!
    expect(order.createdOrganization).toBe(true)
    expect(r.outputs['organization-id']).toBe(String(order.organizationId))
  })

  it('is left out when the organization in order info has no id', async () => {
    sim.setScenario({ organizationAt: 'top-without-id' })
    sim.failNext({ method: 'POST' }, { kind: 'drop-after-processing' })
    const r = await run({ ...NEW_ORGANIZATION, 'api-url': sim.url })
    expect(r.code, r.stdout).toBe(0)
    expect(r.outputs['order-id']).toBe(String(sim.orders.at(-1)!.id))
    expect(r.outputs).not.toHaveProperty('organization-id')
  })
})

describe('statuses real clients see', () => {
  /** An order the simulator holds in `status`, resumed by order-id. */
  async function resumeIn(status: string, more: Record<string, string> = {}) {
    sim.setScenario({ approval: 'needs-approval' })
    const first = await run(orderInputs(sim.url, { 'wait-for': 'none', preflight: 'off' }))
    const orderId = Number(first.outputs['order-id'])
    sim.setStatus(orderId, status as OrderStatus)
    const r = await run(orderInputs(sim.url, { 'order-id': String(orderId), ...more }))
    const polls = sim.requests.filter(
      q => q.method === 'GET' && q.path.endsWith(`/order/certificate/${orderId}`)
    )
    return { r, orderId, polls: polls.length }
  }

  it('denied ends the order at once, like rejected', async () => {
    const { r, orderId, polls } = await resumeIn('denied')
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`::error::Order ${orderId} is denied: it will not be issued.`)
    expect(polls).toBe(1)
  })

  it.each([
    ['approved', 'waiting for DigiCert to validate and issue the approved order'],
    ['needs_csr', 'waiting for a CSR to be submitted for the order in CertCentral']
  ])('%s is on its way: the log says what it waits for', async (status, waitingFor) => {
    const { r, orderId } = await resumeIn(status, { timeout: '2s' })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`: ${status}: ${waitingFor}`)
    expect(r.stdout).toContain(`Order ${orderId} is still ${status}: ${waitingFor}.`)
    expect(r.stdout).not.toMatch(/does not know/)
  })

  it('an unknown status is warned about once, quoted, and polled on', async () => {
    const { r, orderId, polls } = await resumeIn('on_hold', { timeout: '4s' })
    expect(r.code).toBe(1)
    expect(polls).toBeGreaterThanOrEqual(3)
    const warnings = r.stdout
      .split('\n')
      .filter(line => line.startsWith(`::warning::Order ${orderId} has the status "on_hold"`))
    expect(warnings).toEqual([
      `::warning::Order ${orderId} has the status "on_hold", which this action does not know: ` +
        'it polls on until the order is issued, ends or the timeout comes. Check the order in CertCentral.'
    ])
    expect(r.stdout).toContain(`Order ${orderId} is still "on_hold".`)
  })
})

describe('custom fields', () => {
  it.each([
    [
      'one mapping, as the order page shows',
      'metadata_id: 12\nvalue: "00042"',
      { metadata_id: 12, value: '00042' }
    ],
    [
      'a list of {metadata_id, value}, as DigiCert’s older examples send',
      '- metadata_id: 12\n  value: "00042"\n- metadata_id: 13\n  value: release',
      [
        { metadata_id: 12, value: '00042' },
        { metadata_id: 13, value: 'release' }
      ]
    ]
  ])('are sent as written: %s', async (_name, written, sent) => {
    const r = await run(orderInputs(sim.url, { 'custom-fields': written, preflight: 'off' }))
    expect(r.code, r.stdout).toBe(0)
    expect(sim.orders.at(-1)!.body.custom_fields).toEqual(sent)
  })
})

describe('the rate limit', () => {
  it('is named as counted per API key', async () => {
    sim.failNext({ path: /\/order\/alternate\// }, { kind: 'status', status: 429 })
    const r = await run(orderInputs(sim.url, { preflight: 'off' }))
    expect(r.code, r.stdout).toBe(0)
    expect(r.stdout).toMatch(
      /::warning::.*429 request_limit_exceeded.*rate limit \(1,000 requests per 3 minutes and 100 per 5 seconds, counted per API key\)/
    )
    expect(r.stdout).not.toMatch(/integration of the account/)
  }, 20_000)
})
