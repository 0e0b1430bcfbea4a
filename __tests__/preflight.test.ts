// The pre-flight, whole runs in process against the CertCentral simulator: what it asks (at most
// four GETs, before the order and only for a new one), what each mode does with a finding, and the
// dry run that asks CertCentral. Every order the bundled action places in the *.integration tests
// runs the pre-flight too (its default is block).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  startSimulator,
  UNLIMITED,
  type RecordedRequest,
  type Simulator
} from './support/simulator.js'
import {
  isolatedRepository,
  visibleLog,
  WORKFLOW_ENV,
  type ActionRun
} from './support/run-action.js'
import { API_KEY, expectNoSecrets, orderInputs } from './support/action-inputs.js'
import { fakeClock } from './support/fake-clock.js'
import { runInProcess } from './fixtures/in-process-run.js'

/** A run in process, in the shape of a run of the bundled action. */
async function runAction(
  inputs: Record<string, string>,
  { env }: { env: Record<string, string> }
): Promise<ActionRun & { summaryText: string }> {
  const r = await runInProcess(inputs, fakeClock(1, Date.now()), env)
  return {
    code: r.exitCode ?? 0,
    stdout: r.log,
    stderr: '',
    outputs: r.outputs,
    summary: r.summary,
    /** The summary as a reader sees it, its character references read back. */
    summaryText: r.summaryText,
    everything: [r.log, r.summary, ...Object.values(r.outputs)].join('\n'),
    runnerTemp: r.runnerTemp,
    wallMs: 0,
    exitedAt: Date.now()
  }
}

let sim: Simulator
beforeAll(async () => {
  // Not a test of the rate limit: the runs of a whole file together would reach it.
  sim = await startSimulator({ apiKey: API_KEY, scenario: { rateLimit: UNLIMITED } })
})
afterAll(() => sim.close())

const PRODUCT = {
  allowed_validity_years: [1, 2, 3],
  signature_hash_types: {
    allowed_hash_types: [{ id: 'sha256' }, { id: 'sha384' }, { id: 'sha512' }],
    default_hash_type_id: 'sha256'
  }
}
beforeEach(() => {
  sim.reset()
  sim.setScenario({ pollsUntilIssued: 0 })
  sim.directory.limitedKey = false
  sim.directory.setRole(1)
  for (const product of sim.directory.products.values()) Object.assign(product, PRODUCT)
})

/** Each run is its own workflow run, so default alternative order IDs never collide. */
let runNumber = 5000
const newRun = () => ({
  ...WORKFLOW_ENV,
  GITHUB_REPOSITORY: isolatedRepository(),
  GITHUB_RUN_ID: String(++runNumber)
})

const PREFLIGHT_PATH = /\/services\/v2\/(organization\/\d+(\/validation)?|user\/me|product\/[^/]+)$/
const isPreflight = (r: RecordedRequest) => PREFLIGHT_PATH.test(r.path.split('?')[0] ?? '')

/** Runs the action and returns the requests it made, split into pre-flight and the rest. */
async function run(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const before = sim.requests.length
  const result = await runAction(inputs, { env: { ...newRun(), ...env } })
  const requests = sim.requests.slice(before)
  const preflight = requests.filter(isPreflight)
  // However it ends, a pre-flight never costs more than four requests, all of them reads.
  expect(preflight.length).toBeLessThanOrEqual(4)
  for (const r of preflight) expect(r.method).toBe('GET')
  return {
    ...result,
    requests,
    preflight,
    posts: requests.filter(r => r.method === 'POST'),
    log: visibleLog(result)
  }
}

const EV = { product: 'code_signing_ev' }

describe('the pre-flight before a new order', () => {
  it('asks four questions before the order, all answered well, and orders', async () => {
    const r = await run(orderInputs(sim.url, EV))
    expect(r.code, r.stdout).toBe(0)
    expect(r.preflight.map(q => q.path.replace(/^.*\/services\/v2/, '')).sort()).toEqual([
      '/organization/12345',
      '/organization/12345/validation',
      '/product/code_signing_ev',
      '/user/me'
    ])
    // Asked once the lookup has found nothing to reuse or resume, and before the POST.
    const indexes = r.preflight.map(q => r.requests.indexOf(q))
    const lookup = r.requests.findIndex(q => q.path.includes('/order/alternate/'))
    const post = r.requests.findIndex(q => q.method === 'POST')
    expect(lookup).toBeGreaterThanOrEqual(0)
    expect(Math.min(...indexes)).toBeGreaterThan(lookup)
    expect(Math.max(...indexes)).toBeLessThan(post)
    expect(r.posts).toHaveLength(1)
    expect(r.stdout).toContain('Pre-flight: Organization 12345 exists and is active.')
    expect(r.stdout).toMatch(
      /Pre-flight: Organization 12345 has an active EV Code Signing \(ev_cs\) validation until \d{4}-\d{2}-\d{2}\./
    )
    expect(r.stdout).toContain('Pre-flight: 12345 is a verified contact of organization 12345.')
    expect(r.stdout).toContain(
      `Pre-flight: The API key's user "release-bot" has the role Administrator: it may skip approval.`
    )
    expect(r.stdout).not.toMatch(/::(warning|error)[^:]*::Pre-flight/)
    expect(r.summaryText).toContain('Code signing order: pre-flight')
    expect(r.summaryText).toContain('Nothing found that would hold the order up.')
    expectNoSecrets(r)
  })

  it('block (the default): an order that would only wait is warned about and placed', async () => {
    const r = await run(orderInputs(sim.url, { ...EV, 'organization-id': '44444' }))
    expect(r.code, r.stdout).toBe(0)
    expect(r.stdout).toMatch(
      /::warning::Pre-flight: Organization 44444 has no active EV Code Signing \(ev_cs\) validation \(its "cs" validation is "active" until \d{4}-\d{2}-\d{2}\): DigiCert validates it before issuing, which usually takes days; the verified contact 12345 must approve\./
    )
    expect(r.posts).toHaveLength(1)
    const order = sim.orders.find(o => String(o.id) === r.outputs['order-id'])
    expect(order?.body).toEqual(r.posts[0]?.body)
    expect(r.summary).toContain('<td>Problem</td>')
    expect(r.summary).toContain('its &#34;cs&#34; validation')
    expect(r.summaryText).toContain(
      'With preflight: block, the order is placed all the same: it waits until the problems above are resolved.'
    )
  })

  it('block (the default): stops at an unknown organization; nothing is paid for', async () => {
    const r = await run(orderInputs(sim.url, { 'organization-id': '99999' }))
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /::error title=Pre-flight::Pre-flight: Organization 99999 was not found \(CertCentral answered 404 not_found\|organization\)/
    )
    expect(r.stdout).toContain(
      '::error::The pre-flight found 1 problem for which CertCentral would refuse the order or never issue the certificate (see above): no order was placed and nothing was paid for. Fix it, or set preflight: warn to order anyway.'
    )
    expect(r.posts).toHaveLength(0)
    expect(r.outputs['order-id']).toBeUndefined()
    expect(r.summaryText).toContain(
      'With preflight: block, no order was placed and nothing was paid for: CertCentral would refuse it or never issue the certificate.'
    )
  })

  it('warn: logs each problem as a warning, even one CertCentral refuses, and orders', async () => {
    sim.directory.setRole(5)
    const r = await run(orderInputs(sim.url, { preflight: 'warn' }))
    expect(r.code, r.stdout).toBe(0)
    expect(r.stdout).toMatch(/::warning::Pre-flight: .*may not skip approval/)
    expect(r.stdout).not.toMatch(/::error/)
    expect(r.posts).toHaveLength(1)
    expect(r.summaryText).toContain('With preflight: warn, the order is placed all the same.')
  })

  it('fail: stops before ordering when a check finds a problem; nothing is paid for', async () => {
    sim.directory.setRole(5)
    const r = await run(orderInputs(sim.url, { preflight: 'fail' }))
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /::error title=Pre-flight::Pre-flight: The API key's user "release-bot" has the role Standard user, not Administrator or Manager: it may not skip approval/
    )
    expect(r.stdout).toMatch(
      /::error::The pre-flight found 1 problem \(see above\): no order was placed and nothing was paid for\. Fix it, or set preflight: warn to order anyway\./
    )
    // Only the lookup of the certificate's key and the pre-flight's questions: no POST.
    expect(r.requests.every(q => isPreflight(q) || q.path.includes('/order/alternate/'))).toBe(true)
    expect(r.posts).toHaveLength(0)
    expect(r.outputs['order-id']).toBeUndefined()
    expect(r.summaryText).toContain(
      'With preflight: fail, no order was placed and nothing was paid for.'
    )
  })

  it('asks nothing when the certificate is reused or an order resumed', async () => {
    const env = newRun()
    const first = await run(orderInputs(sim.url, EV), env)
    expect(first.preflight).toHaveLength(4)
    const reused = await run(orderInputs(sim.url, EV), { ...env, GITHUB_RUN_ID: '77' })
    expect(reused.outputs['order-action']).toBe('reused')
    expect(reused.preflight).toHaveLength(0)
    // Even with preflight: fail and a finding, a reused certificate is not held up.
    sim.directory.setRole(5)
    const strict = await run(orderInputs(sim.url, { ...EV, preflight: 'fail' }), env)
    expect(strict.code, strict.stdout).toBe(0)
    expect(strict.preflight).toHaveLength(0)
  })

  it('fail: orders when every check passes', async () => {
    const r = await run(orderInputs(sim.url, { preflight: 'fail' }))
    expect(r.code, r.stdout).toBe(0)
    expect(r.posts).toHaveLength(1)
  })

  it('fail: names a validity the product does not allow, read from years given as strings', async () => {
    const product = sim.directory.products.get('code_signing')!
    product.allowed_validity_years = ['1']
    product.allowed_order_validity_years = ['1']
    const refused = await run(orderInputs(sim.url, { preflight: 'fail', 'validity-years': '2' }))
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain(
      'code_signing allows a validity of 1 year(s), not 2: CertCentral refuses the order; set validity-years to one of them.'
    )
    expect(refused.posts).toHaveLength(0)
    const allowed = await run(orderInputs(sim.url, { preflight: 'fail', 'validity-years': '1' }))
    expect(allowed.code, allowed.stdout).toBe(0)
    expect(allowed.stdout).toContain('Pre-flight: code_signing allows a validity of 1 year(s).')
  })

  // What each mode does with each kind of problem: stopped (an error, no POST) or ordered anyway
  // (a warning, one POST).
  const STOPS = 'stops'
  const ORDERS = 'orders'
  it.each([
    [
      'missing organization',
      { 'organization-id': '99999' },
      'Organization 99999 was not found',
      [STOPS, ORDERS, STOPS]
    ],
    [
      'inactive organization',
      { 'organization-id': '55555' },
      'Organization 55555 is not active (status "inactive")',
      [STOPS, ORDERS, STOPS]
    ],
    [
      'pending validation',
      { 'organization-id': '22222' },
      'Organization 22222 has no active Code Signing (cs) validation (its "cs" validation is "pending")',
      [ORDERS, ORDERS, STOPS]
    ],
    [
      'lapsed validation',
      { 'organization-id': '33333' },
      "Organization 33333's Code Signing (cs) validation ended on",
      [ORDERS, ORDERS, STOPS]
    ]
  ] as const)('%s: block, warn and fail', async (_name, inputs, finding, [block, warn, fail]) => {
    for (const [mode, expected] of [
      ['block', block],
      ['warn', warn],
      ['fail', fail]
    ] as const) {
      const r = await run(orderInputs(sim.url, { ...inputs, preflight: mode }))
      const line = r.stdout.split('\n').find(l => l.includes(`Pre-flight: ${finding}`))
      expect(line, `${mode}: ${r.stdout}`).toBeDefined()
      if (expected === STOPS) {
        expect(line, mode).toMatch(/^::error title=Pre-flight::/)
        expect(r.code, mode).toBe(1)
        expect(r.posts, mode).toHaveLength(0)
      } else {
        expect(line, mode).toMatch(/^::warning::/)
        expect(r.code, `${mode}: ${r.stdout}`).toBe(0)
        expect(r.posts, mode).toHaveLength(1)
      }
    }
  })

  it('a key limited by its role (403): "could not check", and the order placed', async () => {
    sim.directory.limitedKey = true
    for (const mode of ['block', 'warn', 'fail']) {
      const r = await run(orderInputs(sim.url, { preflight: mode }))
      expect(r.code, r.stdout).toBe(0)
      expect(r.preflight).toHaveLength(4)
      expect(r.stdout).toContain(
        'Pre-flight: Could not check organization 12345 (CertCentral answered 403 access_denied|missing_permission).'
      )
      expect(r.stdout).toContain(
        "Pre-flight: Could not check whether the API key's user may skip approval"
      )
      expect(r.stdout).not.toMatch(/::(warning|error)[^:]*::Pre-flight/)
      expect(r.posts).toHaveLength(1)
      expect(r.summary).toContain('<td>Could not check</td>')
    }
  })

  it('sends each question once: a failed one is not retried', async () => {
    sim.failNext({ path: /\/user\/me$/ }, { kind: 'status', status: 503 })
    sim.failNext({ path: /\/organization\/\d+$/ }, { kind: 'drop-before-processing' })
    const r = await run(orderInputs(sim.url))
    expect(r.code, r.stdout).toBe(0)
    expect(r.preflight).toHaveLength(4)
    expect(r.stdout).toMatch(
      /Could not check whether the API key's user may skip approval \(CertCentral answered 503 service_unavailable\)/
    )
    expect(r.stdout).toMatch(
      /Could not check organization 12345 \(GET http:\/\/127\.0\.0\.1:\d+\/services\/v2\/organization\/12345 failed/
    )
    expect(r.posts).toHaveLength(1)
  })

  it('asks only about the product for a new organization without skip-approval', async () => {
    const inputs = orderInputs(sim.url, {
      organization:
        'name: New Org\naddress: 1 Main St\ncity: Lehi\nstate: Utah\nzip: "84043"\ncountry: us\ntelephone: 801-555-0100',
      'organization-contact': 'first_name: Jane\nlast_name: Doe\nemail: jane@example.com'
    })
    delete inputs['organization-id']
    delete inputs['verified-contact-ids']
    delete inputs['skip-approval']
    const r = await run(inputs)
    expect(r.code, r.stdout).toBe(0)
    expect(r.preflight.map(q => q.path.replace(/^.*\/services\/v2/, ''))).toEqual([
      '/product/code_signing'
    ])
  })

  it('off: asks nothing', async () => {
    sim.directory.setRole(5)
    const r = await run(orderInputs(sim.url, { preflight: 'off' }))
    expect(r.code, r.stdout).toBe(0)
    expect(r.preflight).toHaveLength(0)
    expect(r.stdout).not.toContain('Pre-flight')
    expect(r.summary).not.toContain('pre-flight')
  })

  it('asks nothing when an order is resumed by order-id', async () => {
    const first = await run(orderInputs(sim.url, { 'wait-for': 'none' }))
    const r = await run(orderInputs(sim.url, { 'order-id': first.outputs['order-id']! }))
    expect(r.code, r.stdout).toBe(0)
    expect(r.preflight).toHaveLength(0)
    expect(r.posts).toHaveLength(0)
  })

  it('never shows the API key, even when an error answer echoes it', async () => {
    sim.failNext(
      { path: /\/user\/me$/ },
      {
        kind: 'status',
        status: 403,
        body: { errors: [{ code: `denied:${API_KEY}`, message: 'no' }] }
      }
    )
    const r = await run(orderInputs(sim.url))
    expect(r.code, r.stdout).toBe(0)
    expect(r.stdout).toContain('(CertCentral answered 403 denied:***)')
    expectNoSecrets(r)
  })

  it('keeps server text out of workflow commands and the summary’s HTML', async () => {
    const org = sim.directory.organizations.get(55555)!
    const status = org.status
    org.status = '<img src=x onerror=alert(1)>\n::error::injected'
    try {
      const r = await run(orderInputs(sim.url, { 'organization-id': '55555' }))
      expect(r.stdout.split('\n').some(line => line.startsWith('::error::injected'))).toBe(false)
      expect(r.stdout).toContain('(status "<img src=x onerror=alert(1)>\\n::error::injected")')
      expect(r.summary).not.toContain('<img')
      expect(r.summary).toContain('&#60;img src&#61;x onerror&#61;alert(1)&#62;')
    } finally {
      org.status = status
    }
  })
})

describe('a dry run with an api-key', () => {
  it('asks the pre-flight’s questions (GETs only) and places nothing', async () => {
    sim.directory.setRole(5)
    const r = await run(orderInputs(sim.url, { 'dry-run': 'true', preflight: 'warn' }), {
      ACTIONS_STEP_DEBUG: 'true',
      RUNNER_DEBUG: '1'
    })
    expect(r.code, r.stdout).toBe(0)
    // The survey's lookups, then the pre-flight's four questions: GETs only.
    expect(r.requests.filter(isPreflight)).toHaveLength(4)
    expect(r.requests.every(q => q.method === 'GET')).toBe(true)
    expect(r.stdout).toContain('Dry run: a real run would place a new order (paid).')
    expect(r.stdout).toContain('(not sent):')
    expect(r.stdout).toMatch(/::warning::Pre-flight: .*may not skip approval/)
    expect(r.stdout).toContain('Dry run: no order was placed.')
    expect(r.summaryText).toContain('Dry run: no order was placed.')
    expectNoSecrets(r)
  })

  it('with preflight: fail, fails on a problem, so a workflow_dispatch tells before paying', async () => {
    const r = await run(
      orderInputs(sim.url, { 'dry-run': 'true', preflight: 'fail', 'organization-id': '22222' })
    )
    expect(r.code).toBe(1)
    expect(r.requests.every(q => q.method === 'GET')).toBe(true)
    expect(r.stdout).toMatch(
      /::error title=Pre-flight::Pre-flight: Organization 22222 has no active/
    )
  })

  it('without an api-key stays offline', async () => {
    const r = await run(orderInputs(sim.url, { 'dry-run': 'true', 'api-key': '' }))
    expect(r.code, r.stdout).toBe(0)
    expect(r.requests).toHaveLength(0)
    expect(r.stdout).toContain('nothing was sent')
    expect(r.stdout).toContain('Dry run without api-key: CertCentral was not asked')
  })
})
