// What a dry run with an api-key shows, whole: its outputs, its "Dry run:" lines and its job summary
// section (heading, table rows, the closing paragraph), for each decision a real run could take;
// the duplicates it would withdraw (one or several); the pre-flight it runs before a reissue with
// signature-hash (and not otherwise); a dry run of order-id; and errors that are neither a
// pre-flight finding nor a 404, which fail the run as themselves. In process, against the simulator.
import { describe, expect, it } from 'vitest'
import { placeOrder } from '../src/certcentral/orders.js'
import { Door, type SummarySection } from '../src/door.js'
import { dryRun as dryRunOf } from '../src/dry-run.js'
import { generationKey } from '../src/order/chain-key.js'
import { apiFor, orderBody } from './fixtures/api.js'
import { workflowEnv, type InProcessRun } from './fixtures/in-process-run.js'
import { recordingRunner } from './fixtures/recording-runner.js'
import { parse } from './fixtures/run-inputs.js'
import { API_KEY } from './support/action-inputs.js'
import { clock, inDays, simulatedRuns } from './fixtures/simulated-runs.js'

const runs = simulatedRuns()
const { realRun } = runs

/** A dry run, with the methods of the requests it sent. */
async function dryRun(env: Record<string, string>, more: Record<string, string> = {}) {
  const { run, sent } = await runs.dryRun(env, more)
  return { run, methods: sent.map(r => r.method) }
}

const HEADING = 'Code signing order: dry run'
const HEAD = ['Dry run', 'What a real run would do']
const ONLY_GETS = 'Only GET requests were sent: nothing was ordered, withdrawn or reissued.'

interface Section {
  heading: string
  /** The header cells (<th>). */
  head: string[]
  /** The body rows (<td>), cell by cell. */
  rows: string[][]
  paragraphs: string[]
}

const readBack = (html: string) =>
  html
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replaceAll('<br>', '\n')

/** The job summary's sections, as a reader sees them. */
function sectionsOf(html: string): Section[] {
  return html
    .split('<h2>')
    .slice(1)
    .map(part => {
      const cells = (row: string, tag: string) =>
        [...row.matchAll(new RegExp(`<${tag}>(.*?)</${tag}>`, 'g'))].map(c => readBack(c[1] ?? ''))
      const rows = [...part.matchAll(/<tr>(.*?)<\/tr>/g)].map(r => r[1] ?? '')
      return {
        heading: readBack(part.slice(0, part.indexOf('</h2>'))),
        head: rows.flatMap(row => cells(row, 'th')),
        rows: rows.map(row => cells(row, 'td')).filter(row => row.length > 0),
        paragraphs: [...part.matchAll(/<p>(.*?)<\/p>/g)].map(p => readBack(p[1] ?? ''))
      }
    })
}

/** The dry run's own section of the job summary: there is exactly one. */
function dryRunSection(run: InProcessRun): Section {
  const sections = sectionsOf(run.summary).filter(s => s.heading === HEADING)
  expect(sections, run.summary).toHaveLength(1)
  return sections[0] as Section
}

/** The log lines the dry run itself wrote, in order. */
const dryRunLines = (run: InProcessRun) =>
  run.log.split('\n').filter(line => line.startsWith('Dry run:'))

/** The reason after "Why: " in the line that says what a real run would do. */
function whyOf(run: InProcessRun): string {
  const line = dryRunLines(run).find(l => l.startsWith('Dry run: a real run would ')) ?? ''
  const why = line.slice(line.indexOf(' Why: ') + ' Why: '.length)
  expect(why, run.log).not.toBe('')
  return why
}

describe('the job summary and the lines of a dry run, whole', () => {
  it('of a first order: no Order row, the new key, the body, and only GETs', async () => {
    const env = workflowEnv()
    const { run, methods } = await dryRun(env)
    expect(run.exitCode, run.log).toBeUndefined()
    expect(new Set(methods)).toEqual(new Set(['GET']))
    const key = run.outputs['alternative-order-id'] ?? ''
    expect(key).toMatch(/^gha/)
    expect(run.outputs).toEqual({ 'dry-run-decision': 'place', 'alternative-order-id': key })
    const why = 'No order carries this certificate’s key yet: placing the first order.'
    expect(dryRunLines(run)).toEqual([
      `Dry run: a real run would place a new order (paid). Why: ${why}`,
      `Dry run: the body it would POST to ${runs.sim.url}/order/certificate/code_signing (not sent):`,
      'Dry run: no order was placed.'
    ])
    expect(dryRunSection(run)).toEqual({
      heading: HEADING,
      head: HEAD,
      rows: [
        ['Decision', 'place a new order (paid)'],
        ['Why', why],
        ['Alternative order ID', key]
      ],
      paragraphs: [ONLY_GETS]
    })
  })

  it('of an order it would reuse: the Order row and the key, nothing to withdraw', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const { id, key } = await realRun(env)
    const { run } = await dryRun(env)
    expect(run.exitCode, run.log).toBeUndefined()
    expect(run.outputs).toEqual({
      'dry-run-decision': 'reuse',
      'order-id': String(id),
      'alternative-order-id': key
    })
    const why = whyOf(run)
    expect(dryRunLines(run)).toEqual([
      `Dry run: a real run would reuse order ${id} (free). Why: ${why}`,
      'Dry run: no order was placed.'
    ])
    expect(dryRunSection(run)).toEqual({
      heading: HEADING,
      head: HEAD,
      rows: [
        ['Decision', `reuse order ${id} (free)`],
        ['Why', why],
        ['Order', String(id)],
        ['Alternative order ID', key]
      ],
      paragraphs: [ONLY_GETS]
    })
  })

  it('of a renewal on its way: the key of the renewal’s generation, not the first one', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const { id, key } = await realRun(env)
    runs.sim.setValidTill(id, inDays(20))
    runs.sim.setScenario({ approval: 'needs-approval' })
    await realRun(env, { 'wait-for': 'none' })
    const renewal = runs.sim.orders.find(o => o.renewalOfOrderId === id)
    expect(renewal?.alternativeOrderId).toBe(generationKey(key, 2))
    const { run } = await dryRun(env)
    expect(run.exitCode, run.log).toBeUndefined()
    expect(run.outputs).toEqual({
      'dry-run-decision': 'resume',
      'order-id': String(id),
      'alternative-order-id': generationKey(key, 2)
    })
    const what = `resume renewal order ${renewal?.id}, keeping the certificate of order ${id} in use meanwhile`
    expect(dryRunSection(run).rows).toEqual([
      ['Decision', what],
      ['Why', whyOf(run)],
      ['Order', String(id)],
      ['Alternative order ID', generationKey(key, 2)]
    ])
  })

  it('of an order whose reissue is on its way: resumed, for free', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0, pollsUntilReissued: 1_000 })
    const env = workflowEnv()
    const { id, key } = await realRun(env, { 'validity-years': '3' })
    runs.sim.setValidTill(id, inDays(20))
    await realRun(env, { 'validity-years': '3' })
    expect(runs.sim.orders.find(o => o.id === id)?.status).toBe('reissue_pending')
    const { run, methods } = await dryRun(env, { 'validity-years': '3' })
    expect(run.exitCode, run.log).toBeUndefined()
    expect(new Set(methods)).toEqual(new Set(['GET']))
    expect(run.outputs).toEqual({
      'dry-run-decision': 'resume',
      'order-id': String(id),
      'alternative-order-id': key
    })
    const what = `resume order ${id}, whose reissue is on its way (free)`
    const why = whyOf(run)
    expect(dryRunLines(run)).toEqual([
      `Dry run: a real run would ${what}. Why: ${why}`,
      'Dry run: no order was placed.'
    ])
    expect(dryRunSection(run).rows).toEqual([
      ['Decision', what],
      ['Why', why],
      ['Order', String(id)],
      ['Alternative order ID', key]
    ])
  })
})

describe('the pre-flight in a dry run', () => {
  /** A three-year order whose certificate comes within renew-within: a real run would reissue it. */
  async function dueForReissue(env: Record<string, string>) {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const { id } = await realRun(env, { 'validity-years': '3' })
    runs.sim.setValidTill(id, inDays(20))
    return id
  }

  it('asks the reissue’s questions before a reissue with signature-hash', async () => {
    const env = workflowEnv()
    const id = await dueForReissue(env)
    const { run, methods } = await dryRun(env, {
      'validity-years': '3',
      'signature-hash': 'sha256',
      preflight: 'warn'
    })
    expect(run.exitCode, run.log).toBeUndefined()
    expect(new Set(methods)).toEqual(new Set(['GET']))
    expect(run.outputs['dry-run-decision']).toBe('reissue')
    expect(run.log).toContain(
      'Pre-flight: 1 question to CertCentral before reissuing (preflight: off skips them).'
    )
    expect(run.log).not.toContain('before ordering')
    expect(dryRunLines(run)).toEqual([
      `Dry run: a real run would reissue order ${id} (free). Why: ${whyOf(run)}`,
      'Dry run: no order was placed.'
    ])
  })

  it('asks nothing before a reissue without signature-hash', async () => {
    const env = workflowEnv()
    const id = await dueForReissue(env)
    const { run } = await dryRun(env, { 'validity-years': '3', preflight: 'fail' })
    expect(run.exitCode, run.log).toBeUndefined()
    expect(run.outputs['dry-run-decision']).toBe('reissue')
    expect(run.log).not.toContain('Pre-flight:')
    expect(dryRunLines(run)).toEqual([
      `Dry run: a real run would reissue order ${id} (free). Why: ${whyOf(run)}`,
      'Dry run: no order was placed.'
    ])
  })

  it('asks nothing before an order it would reuse, signature-hash given or not', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const key = { 'alternative-order-id': `dryreuse${Date.now()}` }
    await realRun(env, key)
    // Organization 22222 fails the pre-flight: had it run, the dry run would fail.
    const { run } = await dryRun(env, {
      ...key,
      'signature-hash': 'sha256',
      'organization-id': '22222',
      preflight: 'fail'
    })
    expect(run.outputs['dry-run-decision']).toBe('reuse')
    expect(run.exitCode, run.log).toBeUndefined()
    expect(run.log).not.toContain('Pre-flight:')
  })

  it('asks the order’s questions before a new order', async () => {
    const { run } = await dryRun(workflowEnv(), { preflight: 'warn' })
    expect(run.exitCode, run.log).toBeUndefined()
    expect(run.log).toMatch(
      /^Pre-flight: \d+ questions to CertCentral before ordering \(preflight: off skips them\)\.$/m
    )
  })

  it('fails the run with an error that is not a pre-flight finding as itself, not as a finding', async () => {
    const parsed = await parse({
      'api-key': API_KEY,
      'api-url': runs.sim.url,
      'organization-id': '12345',
      'verified-contact-ids': '12345',
      'dry-run': 'true',
      preflight: 'warn'
    })
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
    const runner = recordingRunner()
    // A door whose summary breaks once the pre-flight writes its section: an error of the run.
    class BreakingDoor extends Door {
      override summary(section: SummarySection): Promise<void> {
        if (section.heading === 'Code signing order: pre-flight')
          return Promise.reject(new Error('broken'))
        return super.summary(section)
      }
    }
    const door = new BreakingDoor(runner)
    await expect(dryRunOf(parsed.inputs, workflowEnv(), clock(), door)).rejects.toThrow(/^broken$/)
    expect(runner.failed()).toBe(false)
    expect(runner.lines('error')).toEqual([])
    expect(runner.lines().filter(l => l.includes('would stop here'))).toEqual([])
  })
})

describe('the duplicates a dry run names', () => {
  /** An order on its way, then `count` more POSTs of its body: live duplicates under its key. */
  async function withDuplicates(env: Record<string, string>, count: number) {
    runs.sim.setScenario({ approval: 'needs-approval' })
    const { id, key } = await realRun(env, { 'wait-for': 'none' })
    const { api } = apiFor(runs.sim, clock())
    const duplicates: number[] = []
    for (let i = 0; i < count; i++)
      duplicates.push((await placeOrder(api, 'code_signing', orderBody(key))).id)
    return { id, key, duplicates }
  }

  it('says "orders" and "duplicates" for two, in the log and in the summary', async () => {
    const env = workflowEnv()
    const { id, key, duplicates } = await withDuplicates(env, 2)
    expect(duplicates).toHaveLength(2)
    const { run, methods } = await dryRun(env)
    expect(run.exitCode, run.log).toBeUndefined()
    expect(new Set(methods)).toEqual(new Set(['GET']))
    const withdrawals =
      `a real run would first withdraw orders ${duplicates[0]}, ${duplicates[1]} (live duplicates ` +
      `of order ${id} under alternative order ID ${key}), each once its info proves it carries ` +
      `that key and product; order ${id} is kept. Not withdrawn in a dry run.`
    const why = whyOf(run)
    expect(dryRunLines(run)).toEqual([
      `Dry run: a real run would resume order ${id}. Why: ${why}`,
      `Dry run: ${withdrawals}`,
      'Dry run: no order was placed.'
    ])
    expect(dryRunSection(run)).toEqual({
      heading: HEADING,
      head: HEAD,
      rows: [
        ['Decision', `resume order ${id}`],
        ['Why', why],
        ['Order', String(id)],
        ['Alternative order ID', key],
        ['Duplicates', withdrawals]
      ],
      paragraphs: [ONLY_GETS]
    })
    expect(
      runs.sim
        .liveOrders()
        .filter(o => o.alternativeOrderId === key)
        .map(o => o.id)
    ).toEqual([id, ...duplicates])
  })

  it('says "order" and "duplicate" for one, in the summary too', async () => {
    const env = workflowEnv()
    const { id, key, duplicates } = await withDuplicates(env, 1)
    const { run } = await dryRun(env)
    expect(run.exitCode, run.log).toBeUndefined()
    const withdrawals =
      `a real run would first withdraw order ${duplicates[0]} (live duplicate of order ${id} ` +
      `under alternative order ID ${key}), each once its info proves it carries that key and ` +
      `product; order ${id} is kept. Not withdrawn in a dry run.`
    expect(dryRunLines(run)).toContain(`Dry run: ${withdrawals}`)
    expect(dryRunSection(run).rows.at(-1)).toEqual(['Duplicates', withdrawals])
  })
})

describe('a dry run of order-id', () => {
  it('shows the order it would resume, its status and its key', async () => {
    runs.sim.setScenario({ approval: 'needs-approval' })
    const env = workflowEnv()
    const { id, key } = await realRun(env, { 'wait-for': 'none' })
    const { run, methods } = await dryRun(env, { 'order-id': String(id) })
    expect(run.exitCode, run.log).toBeUndefined()
    expect(methods).toEqual(['GET'])
    expect(run.outputs).toEqual({
      'dry-run-decision': 'resume',
      'order-id': String(id),
      'alternative-order-id': key
    })
    const what = `resume order ${id} (status needs_approval), placing no new order`
    expect(dryRunLines(run)).toEqual([`Dry run: a real run would ${what}. Why: order-id names it.`])
    expect(dryRunSection(run)).toEqual({
      heading: HEADING,
      head: HEAD,
      rows: [
        ['Decision', what],
        ['Order', String(id)]
      ],
      paragraphs: [ONLY_GETS]
    })
  })

  it('of an order without an alternative order ID outputs none', async () => {
    runs.sim.setScenario({ approval: 'needs-approval' })
    const { api } = apiFor(runs.sim, clock())
    const { alternative_order_id: _, ...body } = orderBody()
    const { id } = await placeOrder(api, 'code_signing', body)
    const { run } = await dryRun(workflowEnv(), { 'order-id': String(id) })
    expect(run.exitCode, run.log).toBeUndefined()
    expect(run.outputs).toEqual({ 'dry-run-decision': 'resume', 'order-id': String(id) })
  })

  it('of an order CertCentral does not know: the decision unknown, and the whole reason', async () => {
    const { run, methods } = await dryRun(workflowEnv(), { 'order-id': '987654' })
    expect(run.exitCode).toBe(1)
    expect(methods).toEqual(['GET'])
    expect(run.outputs).toEqual({ 'dry-run-decision': 'unknown' })
    expect(run.log).toContain(
      '::error::Dry run: a real run would stop here. Order 987654 is not known to CertCentral ' +
        '(it answered 404 not found): nothing was resumed and nothing was ordered. Check ' +
        'order-id, and that api-url is the CertCentral of the account that placed the order ' +
        '(orders of a CertCentral Europe account are not found on the US URL).'
    )
  })

  it('that CertCentral refuses to show (403) fails with that refusal, not as an unknown order', async () => {
    runs.sim.setScenario({ approval: 'needs-approval' })
    const env = workflowEnv()
    const { id } = await realRun(env, { 'wait-for': 'none' })
    runs.sim.failNext(
      { method: 'GET', path: new RegExp(`/order/certificate/${id}$`) },
      { kind: 'status', status: 403 }
    )
    const { run } = await dryRun(env, { 'order-id': String(id) })
    expect(run.exitCode).toBe(1)
    expect(run.outputs['dry-run-decision']).toBeUndefined()
    expect(run.log).not.toContain('is not known to CertCentral')
    expect(run.log).not.toContain('Dry run: a real run would')
    expect(run.log).toMatch(
      /^::error::CertCentral answered 403 access_denied\|missing_permission: Missing permission\./m
    )
  })
})
