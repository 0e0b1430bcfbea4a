// One decision per run and its edge, in process: the survey, the decision, the pre-flight, the POST
// and the race settled, against the simulator on a fake clock; what the run hands on, exactly.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ParsedInputs } from '../src/inputs.js'
import { Door } from '../src/door.js'
import { placeOrResume, type KnownOrder } from '../src/place.js'
import { baseKeyOf, firstOrderBody } from '../src/plan.js'
import { placedOrder } from '../src/result.js'
import { recordingRunner } from './fixtures/recording-runner.js'
import { apiFor } from './fixtures/api.js'
import { parse, type Inputs } from './fixtures/run-inputs.js'
import { fakeClock } from './support/fake-clock.js'
import { startSimulator, UNLIMITED, type Simulator } from './support/simulator.js'

const DAY = 86_400_000
let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ apiKey: 'test-key', scenario: { rateLimit: UNLIMITED } })
})
afterAll(() => sim.close())

/** What the runs of a test logged, as the runner would print it (debug lines marked). */
let log = ''
beforeEach(() => {
  sim.reset()
  sim.setScenario({ pollsUntilIssued: 0 })
  log = ''
})

let repositories = 0
/** A repository of its own per test: its own certificate chain. */
const repo = () => ({ GITHUB_REPOSITORY: `octo/place-${process.pid}-${++repositories}` })

async function inputsOf(more: Inputs = {}): Promise<ParsedInputs> {
  const result = await parse({
    'api-key': 'test-key',
    'api-url': sim.url,
    'organization-id': '12345',
    'verified-contact-ids': '12345',
    'skip-approval': 'true',
    preflight: 'off',
    ...more
  })
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  return result.inputs
}

/** One run's decision and what it did; `warnings` as the run would warn them. */
async function decideAndAct(env: NodeJS.ProcessEnv, more: Inputs = {}) {
  const clock = fakeClock(1, Date.now())
  const { api } = apiFor(sim, clock)
  const before = sim.requests.length
  const { decided, warnings, known } = await decideOnly(api, env, more, () => clock.now())
  if ('kind' in decided) throw new Error(`stopped: ${decided.decision}`)
  return { outcome: decided, warnings, known, sent: sim.requests.slice(before) }
}

/** The decision and what the door was told on the way, through a recording runner. */
async function decideOnly(
  api: ReturnType<typeof apiFor>['api'],
  env: NodeJS.ProcessEnv,
  more: Inputs,
  now: () => number
) {
  const runner = recordingRunner()
  const door = new Door(runner)
  const known: KnownOrder[] = []
  const voice = {
    info: door.info,
    warn: door.warn,
    error: door.error,
    debug: door.debug,
    scrub: door.scrub,
    summary: door.summary.bind(door),
    known: (order: KnownOrder) => known.push(order)
  }
  try {
    const decided = await placeOrResume(api, await inputsOf(more), env, voice, now)
    return { decided, warnings: runner.lines('warning'), known }
  } finally {
    for (const call of runner.calls) {
      if (call.kind === 'info') log += `${call.text}\n`
      if (call.kind === 'debug') log += `::debug::${call.text}\n`
    }
  }
}

const dayIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10)

describe('the first run', () => {
  it('places the first order under the base key, and hands on its POST answer', async () => {
    const env = repo()
    const { outcome, sent } = await decideAndAct(env)
    const order = sim.orders.find(o => o.id === outcome.orderId)
    const key = baseKeyOf(
      (await inputsOf()).plan as Extract<ParsedInputs['plan'], { kind: 'order' }>,
      (await inputsOf()).settings,
      env
    )
    expect(outcome).toEqual({
      action: 'placed',
      decision: expect.any(String) as string,
      product: 'code_signing',
      provisioningMethod: 'keylocker',
      notes: [],
      newOrganization: false,
      orderId: order?.id,
      alternativeOrderId: key,
      origin: 'placed',
      placed: {
        id: order?.id,
        requests: [{ id: order?.requestId, status: 'approved' }],
        certificateId: order?.certificateId
      }
    })
    expect(order?.alternativeOrderId).toBe(key)
    // The survey's lookup, the POST (no second lookup before it), the lookup that settles a race.
    // The lookup, the POST, then the lookups that see the order and settle the race.
    expect(sent.map(r => r.method)).toEqual(['GET', 'POST', 'GET', 'GET'])
    expect(log).toContain(`::debug::Order body: {`)
    expect(log).toContain(
      `Placed order ${order?.id} (request ${order?.requestId}: approved), certificate ID ${order?.certificateId}.`
    )
    expect(log).toContain(`${outcome.decision}\n`)
  })

  it('uses the alternative-order-id given as the base key', async () => {
    const { outcome } = await decideAndAct(repo(), {
      'alternative-order-id': `mine${repositories}x`
    })
    expect(outcome.alternativeOrderId).toBe(`mine${repositories}x`)
  })

  it('says when the body describes a new organization', async () => {
    const { outcome } = await decideAndAct(repo(), {
      'organization-id': '',
      'verified-contact-ids': '',
      organization:
        'name: Example Software Ltd\naddress: 1 Example Street\ncity: Lehi\nstate: Utah\nzip: "84043"\ncountry: us\ntelephone: 801-555-0100'
    })
    expect(outcome.newOrganization).toBe(true)
    expect(placedOrder(outcome)?.organizationId).toBeDefined()
  })

  it('stops before the POST when the pre-flight fails', async () => {
    const posts = () => sim.requests.filter(r => r.method === 'POST').length
    const before = posts()
    await expect(
      decideAndAct(repo(), {
        product: 'code_signing_ev',
        'organization-id': '44444',
        preflight: 'fail'
      })
    ).rejects.toThrow(/^The pre-flight found 1 problem \(see above\): no order was placed/)
    expect(posts()).toBe(before)
  })
})

describe('resuming by order-id', () => {
  it('sends nothing and describes the order by its ID alone', async () => {
    const { outcome, sent } = await decideAndAct(repo(), { 'order-id': '4242' })
    expect(outcome).toEqual({
      action: 'resumed',
      decision: 'Resuming order 4242 (order-id): no new order is placed.',
      product: 'code_signing',
      provisioningMethod: 'keylocker',
      notes: [],
      origin: 'found',
      orderId: 4242,
      newOrganization: false
    })
    expect(sent).toEqual([])
    expect(log).toBe('Resuming order 4242 (order-id): no new order is placed.\n')
  })
})

describe('a later run', () => {
  it('reuses a valid certificate, described by its order info', async () => {
    const env = repo()
    const first = await decideAndAct(env)
    const { outcome, sent } = await decideAndAct(env)
    expect(outcome.action).toBe('reused')
    expect(outcome.orderId).toBe(first.outcome.orderId)
    expect(outcome.alternativeOrderId).toBe(first.outcome.alternativeOrderId)
    expect(outcome.info?.status).toBe('issued')
    expect(outcome.origin).toBe('found')
    expect(sent.map(r => r.method)).toEqual(['GET', 'GET', 'GET'])
  })

  it('resumes an order on its way', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const env = repo()
    const first = await decideAndAct(env)
    const { outcome } = await decideAndAct(env)
    expect(outcome.action).toBe('resumed')
    expect(outcome.orderId).toBe(first.outcome.orderId)
    expect(outcome.info?.status).toBe('needs_approval')
    expect(outcome.renewal).toBeUndefined()
  })

  it('renews within the window, keeping the valid certificate and handing on the renewal', async () => {
    const env = repo()
    const first = await decideAndAct(env)
    sim.setValidTill(first.outcome.orderId, dayIn(10))
    sim.setScenario({ approval: 'needs-approval' })
    const { outcome } = await decideAndAct(env)
    const renewal = sim.orders.find(o => o.renewalOfOrderId === first.outcome.orderId)
    expect(renewal?.alternativeOrderId).toBe(`${first.outcome.alternativeOrderId}g002`)
    expect(outcome).toMatchObject({
      action: 'renewal-placed',
      orderId: first.outcome.orderId,
      alternativeOrderId: first.outcome.alternativeOrderId,
      renewal: {
        orderId: renewal?.id,
        alternativeOrderId: `${first.outcome.alternativeOrderId}g002`,
        placed: { id: renewal?.id }
      }
    })

    // The next run finds the renewal on its way: it resumes it, still with the old certificate.
    const next = await decideAndAct(env)
    expect(next.outcome).toMatchObject({
      action: 'resumed',
      orderId: first.outcome.orderId,
      renewal: {
        orderId: renewal?.id,
        alternativeOrderId: `${first.outcome.alternativeOrderId}g002`,
        info: { status: 'needs_approval' }
      }
    })
  })

  it('stops at an order a person ended, naming replace-ended-order', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const env = repo()
    const first = await decideAndAct(env)
    sim.setStatus(first.outcome.orderId, 'canceled')
    const clock = fakeClock(1, Date.now())
    const { decided, known } = await decideOnly(apiFor(sim, clock).api, env, {}, () => clock.now())
    expect(decided).toEqual({
      kind: 'stop',
      decision: expect.stringMatching(/replace-ended-order: true/) as string,
      ended: expect.objectContaining({ id: first.outcome.orderId, status: 'canceled' }) as unknown
    })
    expect(known).toEqual([])
  })
})

describe('a race with another run', () => {
  it('follows the order another run placed with the key, placing none of its own', async () => {
    sim.setScenario({ uniqueAlternativeOrderIds: true, holdOrderPostsUntil: 2 })
    const env = repo()
    const [one, two] = await Promise.all([decideAndAct(env), decideAndAct(env)])
    const outcomes = [one.outcome, two.outcome].sort((a, b) => a.action.localeCompare(b.action))
    expect(outcomes.map(o => o.action)).toEqual(['placed', 'resumed'])
    expect(outcomes[1]?.orderId).toBe(outcomes[0]?.orderId)
    expect(outcomes[1]?.origin).toBe('found')
    expect(outcomes[1]?.notes).toEqual([
      expect.stringMatching(
        /^Order \d+ \(status \w+\) already carries alternative order ID gha\w+: another run placed it; this run follows it, and placed no order of its own\.$/
      )
    ])
    expect(log).toContain(`${outcomes[1]?.notes[0]}\n`)
  })

  it('cancels its own order when another run placed one with a lower ID', async () => {
    sim.setScenario({ approval: 'immediate', issue: false, holdOrderPostsUntil: 2 })
    const env = repo()
    const [one, two] = await Promise.all([decideAndAct(env), decideAndAct(env)])
    const [winner, loser] = [one.outcome, two.outcome].sort((a, b) =>
      a.action.localeCompare(b.action)
    )
    expect([winner?.action, loser?.action]).toEqual(['placed', 'resumed'])
    expect(loser?.orderId).toBe(winner?.orderId)
    expect(loser?.origin).toBe('found')
    expect(loser?.alternativeOrderId).toBe(winner?.alternativeOrderId)
    expect(loser?.notes).toEqual([
      expect.stringContaining(`it has the lower ID and is kept: this run canceled its own order`)
    ])
    expect(log).toContain(`${loser?.notes[0]}\n`)
    expect([...one.warnings, ...two.warnings]).toEqual([])
    expect(
      sim.liveOrders().filter(o => o.alternativeOrderId === winner?.alternativeOrderId)
    ).toHaveLength(1)
  })
})

describe('the order ID, the moment it is known', () => {
  it('is told once the POST answers, before the race is settled, with the key', async () => {
    const { outcome, known } = await decideAndAct(repo())
    expect(known).toEqual([
      {
        orderId: outcome.orderId,
        action: 'placed',
        decision: outcome.decision,
        alternativeOrderId: outcome.alternativeOrderId
      }
    ])
  })

  it('is told by the run whose POST found another run’s order, as resumed', async () => {
    sim.setScenario({ uniqueAlternativeOrderIds: true, holdOrderPostsUntil: 2 })
    const env = repo()
    const runs = await Promise.all([decideAndAct(env), decideAndAct(env)])
    const actions = runs.flatMap(r => r.known.map(k => k.action)).sort()
    expect(actions).toEqual(['placed', 'resumed'])
    const winner = runs.find(r => r.outcome.action === 'placed')?.outcome.orderId
    expect(runs.map(r => r.known[0]?.orderId)).toEqual([winner, winner])
  })

  it('is not told for a run that only reuses what it found', async () => {
    const env = repo()
    await decideAndAct(env)
    const { outcome, known } = await decideAndAct(env)
    expect(outcome.action).toBe('reused')
    expect(known).toEqual([])
  })
})

describe('what the log says of the order placed', () => {
  it('names the request and its status, without a certificate ID not yet known', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    const { outcome } = await decideAndAct(repo())
    const order = sim.orders.find(o => o.id === outcome.orderId)
    expect(log).toContain(`Placed order ${order?.id} (request ${order?.requestId}: pending).\n`)
  })

  it('names the order alone when the answer lists no request', async () => {
    const next = Math.max(100_000, ...sim.orders.map(o => o.id)) + 1
    sim.failNext(
      { method: 'POST' },
      { kind: 'status', status: 201, body: { id: next }, processed: true }
    )
    const { outcome } = await decideAndAct(repo())
    expect(outcome.orderId).toBe(next)
    expect(log).toContain(`Placed order ${next}.\n`)
  })

  it('warns when the run that lost a race could not withdraw its own order', async () => {
    sim.setScenario({ approval: 'immediate', issue: false, holdOrderPostsUntil: 2 })
    sim.failNext({ method: 'PUT' }, { kind: 'status', status: 500 }, 2)
    const env = repo()
    const runs = await Promise.all([decideAndAct(env), decideAndAct(env)])
    const warnings = runs.flatMap(r => r.warnings)
    expect(warnings).toEqual([
      expect.stringContaining('but this run could not cancel its own order')
    ])
    expect(log).not.toContain(warnings[0])
  })
})

describe('the keys', () => {
  it('derive the default from the repository ID, else its name, else nothing (a local run)', async () => {
    const inputs = await inputsOf()
    const plan = inputs.plan as Extract<ParsedInputs['plan'], { kind: 'order' }>
    const a = baseKeyOf(plan, inputs.settings, { GITHUB_REPOSITORY: 'octo/a' })
    expect(a).toMatch(/^gha[0-9a-f]{40}$/)
    expect(baseKeyOf(plan, inputs.settings, { GITHUB_REPOSITORY: 'octo/b' })).not.toBe(a)
    expect(baseKeyOf(plan, inputs.settings, { GITHUB_REPOSITORY: '' })).toBe(
      baseKeyOf(plan, inputs.settings, {})
    )
    const byId = baseKeyOf(plan, inputs.settings, {
      GITHUB_REPOSITORY_ID: '42',
      GITHUB_REPOSITORY: 'octo/a'
    })
    expect(byId).not.toBe(a)
    expect(
      baseKeyOf(plan, inputs.settings, { GITHUB_REPOSITORY_ID: '42', GITHUB_REPOSITORY: 'octo/b' })
    ).toBe(byId)
    expect(firstOrderBody(plan, inputs.settings, { GITHUB_REPOSITORY: 'octo/a' })).toEqual({
      ...plan.body,
      alternative_order_id: a
    })
  })
})
