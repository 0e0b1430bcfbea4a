// A dry run with an api-key, in process against the simulator on a fake clock: the simulator is
// prepared by real runs (and, for duplicates, one more POST), then a dry run tells what the next
// real run would do. It sends GETs only: never the withdrawal, the reissue or the order POST.
import { generationKey } from '../src/order/chain-key.js'
import { describe, expect, it } from 'vitest'
import { workflowEnv, type InProcessRun } from './fixtures/in-process-run.js'
import { API_KEY } from './support/action-inputs.js'
import { inDays, simulatedRuns } from './fixtures/simulated-runs.js'

const runs = simulatedRuns()
const { realRun, dryRun } = runs

const told = (run: InProcessRun) =>
  run.log.split('\n').find(line => line.startsWith('Dry run: a real run would')) ?? ''

interface Row {
  name: string
  /** Prepares the simulator; returns the order the dry run should name, and extra dry-run inputs. */
  prepare: (env: Record<string, string>) => Promise<{ id?: number; more?: Record<string, string> }>
  decision: string
  line: (id: number | undefined) => string
  fails?: true
}

const ROWS: Row[] = [
  {
    name: 'nothing ordered yet',
    prepare: () => Promise.resolve({}),
    decision: 'place',
    line: () => 'Dry run: a real run would place a new order (paid). Why: '
  },
  {
    name: 'an issued certificate valid beyond renew-within',
    prepare: async env => {
      runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
      return { id: (await realRun(env)).id }
    },
    decision: 'reuse',
    line: id => `Dry run: a real run would reuse order ${id} (free). Why: `
  },
  {
    name: 'a one-year certificate within renew-within',
    prepare: async env => {
      runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
      const { id } = await realRun(env)
      runs.sim.setValidTill(id, inDays(20))
      return { id }
    },
    decision: 'renew',
    line: id =>
      `Dry run: a real run would renew order ${id} (paid: a new order with renewal_of_order_id ${id}). Why: `
  },
  {
    name: 'a multi-year order whose certificate comes within renew-within',
    prepare: async env => {
      runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
      const { id } = await realRun(env, { 'validity-years': '2' })
      runs.sim.setValidTill(id, inDays(20))
      return { id, more: { 'validity-years': '2' } }
    },
    decision: 'reissue',
    line: id => `Dry run: a real run would reissue order ${id} (free). Why: `
  },
  {
    name: 'an order on its way',
    prepare: async env => {
      runs.sim.setScenario({ approval: 'needs-approval' })
      return { id: (await realRun(env, { 'wait-for': 'none' })).id }
    },
    decision: 'resume',
    line: id => `Dry run: a real run would resume order ${id}. Why: `
  },
  {
    name: 'a renewal on its way while the certificate is valid',
    prepare: async env => {
      runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
      const { id } = await realRun(env)
      runs.sim.setValidTill(id, inDays(20))
      runs.sim.setScenario({ approval: 'needs-approval' })
      await realRun(env, { 'wait-for': 'none' })
      return { id }
    },
    decision: 'resume',
    line: id => {
      const renewal = runs.sim.orders.find(o => o.renewalOfOrderId === id)?.id
      return `Dry run: a real run would resume renewal order ${renewal}, keeping the certificate of order ${id} in use meanwhile. Why: `
    }
  },
  {
    name: 'a revoked certificate',
    prepare: async env => {
      runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
      const { id } = await realRun(env)
      runs.sim.setStatus(id, 'revoked')
      return { id }
    },
    decision: 'stop',
    line: id => `Dry run: a real run would stop at order ${id}, ordering nothing. Why: `,
    fails: true
  }
]

describe('a dry run with an api-key tells what a real run would do, sending GETs only', () => {
  it.each(ROWS.map(row => [row.name, row] as const))('%s', async (_name, row) => {
    const env = workflowEnv()
    const { id, more } = await row.prepare(env)
    const posts = runs.sim.requests.filter(r => r.method !== 'GET').length
    const { run, sent } = await dryRun(env, more)
    expect(sent.length).toBeGreaterThan(0)
    expect(sent.map(r => r.method).filter(m => m !== 'GET')).toEqual([])
    expect(runs.sim.requests.filter(r => r.method !== 'GET')).toHaveLength(posts)
    expect(told(run)).toContain(row.line(id))
    expect(run.outputs['dry-run-decision']).toBe(row.decision)
    expect(run.outputs['order-action']).toBeUndefined()
    expect(run.outputs['order-id']).toBe(id === undefined ? undefined : String(id))
    expect(run.outputs['alternative-order-id']).toMatch(/^gha/)
    expect(run.summaryText).toContain('Code signing order: dry run')
    expect(run.summaryText).toContain(row.line(id).slice('Dry run: a real run would '.length, -7))
    if (row.fails) {
      expect(run.exitCode).toBe(1)
      expect(run.log).toContain('::error::Dry run: a real run would stop here, before paying: ')
    } else {
      expect(run.exitCode, run.log).toBeUndefined()
      expect(run.log).toContain('Dry run: no order was placed.')
    }
  })

  it('prints the body of a renewal it would POST, with renewal_of_order_id', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const { id, key } = await realRun(env)
    runs.sim.setValidTill(id, inDays(20))
    const { run } = await dryRun(env)
    expect(run.log).toContain(
      `Dry run: the body it would POST to ${runs.sim.url}/order/certificate/code_signing (not sent):`
    )
    expect(run.log).toContain(`"renewal_of_order_id": ${id}`)
    expect(run.log).toContain(`"alternative_order_id": "${generationKey(key, 2)}"`)
    expect(run.outputs['alternative-order-id']).toBe(generationKey(key, 2))
  })

  it('names the duplicates a real run would withdraw, and withdraws none', async () => {
    runs.sim.setScenario({ approval: 'needs-approval' })
    const env = workflowEnv()
    const { id, key } = await realRun(env, { 'wait-for': 'none' })
    const post = runs.sim.requests.findLast(r => r.method === 'POST')
    const answer = await fetch(`${runs.sim.url}/order/certificate/code_signing`, {
      method: 'POST',
      headers: { 'X-DC-DEVKEY': API_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify(post?.body)
    })
    const duplicate = ((await answer.json()) as { id: number }).id
    expect(duplicate).toBeGreaterThan(id)
    const { run, sent } = await dryRun(env)
    expect(run.exitCode, run.log).toBeUndefined()
    expect(sent.every(r => r.method === 'GET')).toBe(true)
    expect(told(run)).toContain(`Dry run: a real run would resume order ${id}. Why: `)
    const line = `Dry run: a real run would first withdraw order ${duplicate} (live duplicate of order ${id} under alternative order ID ${key}), each once its info proves it carries that key and product; order ${id} is kept. Not withdrawn in a dry run.`
    expect(run.log).toContain(line)
    expect(
      runs.sim
        .liveOrders()
        .filter(o => o.alternativeOrderId === key)
        .map(o => o.id)
    ).toEqual([id, duplicate])
  })

  it('runs the pre-flight before a new order, and fails when it would stop the real run', async () => {
    const env = workflowEnv()
    const warned = await dryRun(env, { preflight: 'warn', 'organization-id': '22222' })
    expect(warned.run.exitCode, warned.run.log).toBeUndefined()
    expect(warned.run.log).toContain('Pre-flight: ')
    const blocked = await dryRun(env, { preflight: 'fail', 'organization-id': '22222' })
    expect(blocked.run.exitCode).toBe(1)
    expect(blocked.sent.every(r => r.method === 'GET')).toBe(true)
    expect(blocked.run.log).toContain(
      '::error::Dry run: a real run would stop here, before paying. The pre-flight found'
    )
  })

  it('does not run the pre-flight for an order it would reuse', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const key = { 'alternative-order-id': `dryreuse${Date.now()}` }
    await realRun(env, key)
    const { run } = await dryRun(env, { ...key, preflight: 'fail', 'organization-id': '22222' })
    expect(run.outputs['dry-run-decision']).toBe('reuse')
    expect(run.exitCode, run.log).toBeUndefined()
    expect(run.log).not.toContain('Pre-flight: ')
  })
})

describe('a dry run of order-id', () => {
  it('reads the order and tells it would be resumed', async () => {
    runs.sim.setScenario({ approval: 'needs-approval' })
    const { id } = await realRun(workflowEnv(), { 'wait-for': 'none' })
    const { run, sent } = await dryRun(workflowEnv(), { 'order-id': String(id) })
    expect(run.exitCode, run.log).toBeUndefined()
    expect(sent.map(r => r.method)).toEqual(['GET'])
    expect(run.outputs['dry-run-decision']).toBe('resume')
    expect(run.outputs['order-id']).toBe(String(id))
    expect(run.outputs['order-action']).toBeUndefined()
    expect(told(run)).toMatch(
      new RegExp(
        `^Dry run: a real run would resume order ${id} \\(status \\w+\\), placing no new order\\.`
      )
    )
  })

  it('of an order CertCentral does not know, fails saying so', async () => {
    const { run, sent } = await dryRun(workflowEnv(), { 'order-id': '987654' })
    expect(run.exitCode).toBe(1)
    expect(sent.every(r => r.method === 'GET')).toBe(true)
    expect(run.outputs['dry-run-decision']).toBe('unknown')
    expect(run.outputs['order-id']).toBeUndefined()
    expect(run.log).toContain(
      '::error::Dry run: a real run would stop here. Order 987654 is not known to CertCentral'
    )
  })
})
