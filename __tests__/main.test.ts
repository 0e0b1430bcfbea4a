// A whole run in process: inputs -> order -> wait -> outputs and summary, against the simulator on
// a fake clock. Timeouts, backoffs and long waits take milliseconds here; what only the bundled
// action can show (the runner's contract, exit codes, masking) stays in the *.integration tests.
import { SETTLE_WINDOW_MS } from '../src/chain/race.js'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import * as core from '@actions/core'
import { describe, expect, it, vi } from 'vitest'
import {
  outputFile,
  runInProcess,
  workflowEnv,
  type InProcessRun
} from './fixtures/in-process-run.js'
import { parseCommandFile } from './support/run-action.js'
import { API_KEY, CARD_NUMBER, CVV, CREDIT_CARD, BILLING_ADDRESS } from './support/action-inputs.js'
import { clock, simulatedRuns } from './fixtures/simulated-runs.js'

const runs = simulatedRuns()
const { inputs, orderOf } = runs

/** The lines the runner turns into annotations of a kind. */
const annotations = (run: InProcessRun, kind: 'warning' | 'error') =>
  run.log.split('\n').filter(line => line.startsWith(`::${kind}`))

describe('a run that succeeds', () => {
  it('places the order, waits for its certificate ID and hands on its IDs', async () => {
    runs.sim.setScenario({ approval: 'after-polls', pollsUntilCertificateId: 3, issue: false })
    const c = clock()
    const run = await runInProcess(inputs(), c)
    expect(run.exitCode, run.log).toBeUndefined()
    const order = orderOf(run)
    expect(run.outputs).toEqual({
      'order-action': 'placed',
      'order-id': String(order.id),
      'alternative-order-id': order.alternativeOrderId,
      'request-id': String(order.requestId),
      'request-status': 'approved',
      'certificate-id': String(order.certificateId),
      'order-status': 'pending'
    })
    // The settle window after the POST, then the polls.
    expect(c.slept).toEqual([SETTLE_WINDOW_MS, 9_000, 9_810])
    expect(run.log).toContain(
      `Done: order ${order.id}, certificate ID ${order.certificateId} (order status pending).`
    )
    expect(run.summary).toContain('<td>Waited</td><td>24s</td>')
    expect(annotations(run, 'warning')).toEqual([])
  })

  it('with wait-for issued, saves the chain under RUNNER_TEMP and hands on its facts', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 2 })
    const run = await runInProcess(inputs({ 'wait-for': 'issued' }), clock())
    expect(run.exitCode, run.log).toBeUndefined()
    const thumbprint = createHash('sha1').update(runs.sim.leafDer).digest('hex').toUpperCase()
    expect(run.outputs['certificate-thumbprint']).toBe(thumbprint)
    expect(run.outputs['order-status']).toBe('issued')
    expect(run.outputs['certificate-serial']).toBe(runs.sim.chain.serialNumber.toUpperCase())
    const path = run.outputs['certificate-path'] ?? ''
    expect(path).toBe(`${run.runnerTemp}/digicert-certificate-${orderOf(run).certificateId}.pem`)
    expect(await readFile(path, 'utf8')).toBe(runs.sim.chainPem)
    expect(run.log).toContain(
      `Certificate ${runs.sim.chain.commonName === '' ? '' : 'CN='}${runs.sim.chain.commonName}`
    )
    expect(run.log).toContain(`, SHA-1 ${thumbprint}, saved to ${path}.\n`)
    expect(run.log).toContain(
      `Done: order ${orderOf(run).id}, certificate issued (SHA-1 ${thumbprint}).`
    )
  })

  it('with wait-for none, reads nothing after the POST', async () => {
    runs.sim.setScenario({ approval: 'needs-approval' })
    const before = runs.sim.requests.length
    const run = await runInProcess(inputs({ 'wait-for': 'none' }), clock())
    expect(run.exitCode, run.log).toBeUndefined()
    // The lookup, the POST, the lookup that sees it and the one after the settle window.
    expect(runs.sim.requests.slice(before).map(r => r.method)).toEqual([
      'GET',
      'POST',
      'GET',
      'GET'
    ])
    expect(run.outputs['order-status']).toBeUndefined()
    expect(run.outputs['request-status']).toBe('pending')
    // The POST answer's status is the request's, not the order's (needs_approval): said as such.
    const order = orderOf(run)
    expect(run.log).toContain(`Done: order ${order.id}, request ${order.requestId} pending.`)
    expect(run.log).not.toMatch(/Done: .*status pending/)
  })

  it('resumes by order-id and reads the order once with wait-for none', async () => {
    runs.sim.setScenario({ approval: 'needs-approval' })
    const first = await runInProcess(inputs({ 'wait-for': 'none' }), clock())
    const before = runs.sim.requests.length
    const run = await runInProcess(
      inputs({ 'wait-for': 'none', 'order-id': first.outputs['order-id'] ?? '' }),
      clock()
    )
    expect(run.exitCode, run.log).toBeUndefined()
    expect(runs.sim.requests.slice(before).map(r => r.method)).toEqual(['GET'])
    expect(run.outputs['order-action']).toBe('resumed')
    expect(run.outputs['order-status']).toBe('needs_approval')
    expect(run.log).toContain(`Resuming order ${first.outputs['order-id']} (order-id)`)
    expect(run.log).toMatch(
      new RegExp(`^Order ${first.outputs['order-id']} \\(created [^)]+\\): needs_approval: `, 'm')
    )
    // The order's status, said as the order's: the order info was read.
    expect(run.log).toContain(
      `Done: order ${first.outputs['order-id']}, order status needs_approval.`
    )
  })

  it('reuses the certificate of an earlier run, and downloads it with wait-for issued', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const first = await runInProcess(inputs({ 'wait-for': 'issued' }), clock(), env)
    const posts = runs.sim.requests.filter(r => r.method === 'POST').length
    const before = runs.sim.requests.length
    const again = await runInProcess(inputs({ 'wait-for': 'issued' }), clock(), {
      ...env,
      GITHUB_RUN_ID: '777'
    })
    expect(again.exitCode, again.log).toBeUndefined()
    // Two lookups (the first generation, and the second: none), the order info, the download;
    // no poll: a certificate in use is not waited for.
    expect(
      runs.sim.requests
        .slice(before)
        .map(r => r.path.replace(/^.*\/services\/v2/, '').split('/')[1])
    ).toEqual(['order', 'order', 'order', 'certificate'])
    expect(
      runs.sim.requests.slice(before).filter(r => /\/order\/certificate\/\d+$/.test(r.path))
    ).toHaveLength(1)
    expect(runs.sim.requests.filter(r => r.method === 'POST')).toHaveLength(posts)
    expect(again.outputs['order-action']).toBe('reused')
    expect(again.outputs['order-id']).toBe(first.outputs['order-id'])
    expect(again.log).toMatch(
      new RegExp(`^Order ${first.outputs['order-id']} \\(created [^)]+\\): issued$`, 'm')
    )
    expect(again.outputs['certificate-thumbprint']).toBe(first.outputs['certificate-thumbprint'])
  })

  it('describes a resumed order by what CertCentral says of it', async () => {
    runs.sim.setScenario({ approval: 'needs-approval' })
    const first = await runInProcess(
      inputs({
        'wait-for': 'none',
        'provisioning-method': 'ship_token',
        product: 'code_signing_ev'
      }),
      clock()
    )
    runs.sim.approve(Number(first.outputs['order-id']))
    const run = await runInProcess(
      { 'api-key': API_KEY, 'api-url': runs.sim.url, 'order-id': first.outputs['order-id'] ?? '' },
      clock()
    )
    expect(run.exitCode, run.log).toBeUndefined()
    expect(run.summary).toContain('<td>Provisioning method</td><td>ship_token</td>')
    expect(run.summary).toContain('DHCI')
    expect(run.summary).toContain('<td>Product</td><td>code_signing_ev</td>')
  })
})

describe('a renewal', () => {
  it('keeps the valid certificate and hands on the renewal order on its way', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const first = await runInProcess(inputs(), clock(), env)
    const firstId = Number(first.outputs['order-id'])
    const soon = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10)
    runs.sim.setValidTill(firstId, soon)
    runs.sim.setScenario({ approval: 'needs-approval' })
    const run = await runInProcess(inputs(), clock(), { ...env, GITHUB_RUN_ID: '778' })
    expect(run.exitCode, run.log).toBeUndefined()
    const renewal = runs.sim.orders.find(o => o.renewalOfOrderId === firstId)
    expect(run.outputs['order-action']).toBe('renewal-placed')
    expect(run.outputs['order-id']).toBe(String(firstId))
    expect(run.outputs['renewal-order-id']).toBe(String(renewal?.id))
    expect(annotations(run, 'warning')).toEqual([
      `::warning::Renewal order ${renewal?.id} is needs_approval: the certificate of order ${firstId}, valid till ${soon}, stays in use until it is issued. The next run (a release or the scheduled renewal workflow) switches to it once it is issued.`
    ])
    expect(run.summary).toContain(
      `<td>Renewal order</td><td>${renewal?.id} (needs_approval)&#58; in use once issued</td>`
    )
  })

  it('switches to a renewal that is already issued', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const first = await runInProcess(inputs(), clock(), env)
    const firstId = Number(first.outputs['order-id'])
    runs.sim.setValidTill(
      firstId,
      new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10)
    )
    const run = await runInProcess(inputs(), clock(), { ...env, GITHUB_RUN_ID: '779' })
    expect(run.exitCode, run.log).toBeUndefined()
    const renewal = runs.sim.orders.find(o => o.renewalOfOrderId === firstId)
    expect(run.outputs['order-id']).toBe(String(renewal?.id))
    expect(run.outputs['renewal-order-id']).toBeUndefined()
    expect(run.outputs['alternative-order-id']).toBe(renewal?.alternativeOrderId)
    expect(run.log).toContain(
      `Renewal order ${renewal?.id} is issued: its certificate is used from now on.`
    )
  })
})

describe('a run that fails once the order exists', () => {
  it('times out after the step timeout, hands on the order and says how to resume', async () => {
    runs.sim.setScenario({ approval: 'needs-approval' })
    const c = clock()
    const run = await runInProcess(inputs({ timeout: '2m' }), c)
    expect(run.exitCode).toBe(1)
    const orderId = orderOf(run).id
    expect(run.outputs['order-id']).toBe(String(orderId))
    expect(run.outputs['order-status']).toBe('needs_approval')
    expect(annotations(run, 'error')).toEqual([
      `::error::Order ${orderId} is still needs_approval: waiting for an administrator to approve the request in CertCentral. Timed out after 2m 00s. The order goes on at DigiCert: the next run with the same inputs resumes it without ordering again (as does re-running this workflow run, or running this action with order-id: ${orderId}).`
    ])
    expect(c.slept.reduce((a, b) => a + b, 0)).toBe(120_000)
    expect(run.summaryText).toContain('Code signing order: not finished')
    // Not issued: where an issued certificate lands is not said yet.
    expect(run.summaryText).not.toContain('The certificate lands')
    expect(run.summary).toContain('<td>Waited</td><td>2m 00s</td>')
  })

  it('fails on a rejected order, naming it', async () => {
    runs.sim.setScenario({ approval: 'reject' })
    const run = await runInProcess(inputs(), clock())
    expect(run.exitCode).toBe(1)
    expect(annotations(run, 'error')).toEqual([
      `::error::Order ${orderOf(run).id} is rejected: it will not be issued.`
    ])
    expect(run.outputs['order-status']).toBe('rejected')
  })

  it('keeps the order ID and the hint when the chain cannot be downloaded', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    runs.sim.failNext({ method: 'GET', path: /\/download\// }, { kind: 'status', status: 403 })
    const run = await runInProcess(inputs({ 'wait-for': 'issued' }), clock())
    expect(run.exitCode).toBe(1)
    expect(run.outputs['order-id']).toBe(String(orderOf(run).id))
    expect(annotations(run, 'error')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::error::CertCentral answered 403 .*%0AThe order goes on at DigiCert: .*order-id: ${orderOf(run).id}\\)\\.$`
        )
      )
    ])
    expect(run.log).not.toContain('Timed out')
    expect(run.outputs['certificate-path']).toBeUndefined()
    // What the last poll read stays: the error carried no order info of its own.
    expect(run.outputs['order-status']).toBe('issued')
  })

  it('polls on through failing polls and finishes, warning once per failed poll', async () => {
    runs.sim.setScenario({ approval: 'after-polls', pollsUntilCertificateId: 1, issue: false })
    runs.sim.failNext(
      { method: 'GET', path: /\/order\/certificate\/\d+$/ },
      { kind: 'status', status: 503 },
      6
    )
    const run = await runInProcess(inputs(), clock())
    expect(run.exitCode, run.log).toBeUndefined()
    const warnings = annotations(run, 'warning')
    expect(warnings.filter(w => w.includes('trying again in'))).toHaveLength(5)
    expect(warnings.filter(w => w.includes('; polling on.'))).toHaveLength(1)
    expect(run.outputs['certificate-id']).toBe(String(orderOf(run).certificateId))
  })
})

describe('a lost answer, a re-run, a slow server', () => {
  it('hands on the ID of the organization an order created when its POST answer was lost', async () => {
    runs.sim.failNext({ method: 'POST' }, { kind: 'drop-after-processing' })
    const run = await runInProcess(
      inputs({
        'organization-id': '',
        'verified-contact-ids': '',
        organization: [
          'name: Example Software Ltd',
          'address: 1 Example Street',
          'city: Lehi',
          'state: Utah',
          'zip: "84043"',
          'country: us',
          'telephone: 801-555-0100'
        ].join('\n')
      }),
      clock()
    )
    expect(run.exitCode, run.log).toBeUndefined()
    const order = orderOf(run)
    expect(
      runs.sim.orders.filter(o => o.alternativeOrderId === order.alternativeOrderId)
    ).toHaveLength(1)
    expect(order.createdOrganization).toBe(true)
    expect(run.outputs['organization-id']).toBe(String(order.organizationId))
    expect(run.outputs['order-action']).toBe('resumed')
  })

  it('resumes, in a re-run, the order of a run that timed out', async () => {
    runs.sim.setScenario({ approval: 'needs-approval', issue: false })
    const env = workflowEnv()
    const first = await runInProcess(inputs({ timeout: '5m' }), clock(), env)
    expect(first.exitCode).toBe(1)
    runs.sim.approve(Number(first.outputs['order-id']))
    const posts = runs.sim.requests.filter(r => r.method === 'POST').length
    const again = await runInProcess(inputs(), clock(), { ...env, GITHUB_RUN_ATTEMPT: '2' })
    expect(again.exitCode, again.log).toBeUndefined()
    expect(runs.sim.requests.filter(r => r.method === 'POST')).toHaveLength(posts)
    expect(again.outputs['order-action']).toBe('resumed')
    expect(again.outputs['order-id']).toBe(first.outputs['order-id'])
  })

  it.each(['canceled', 'rejected'] as const)(
    'does not replace a %s order unasked, and does with replace-ended-order',
    async status => {
      runs.sim.setScenario({ approval: 'needs-approval' })
      const env = workflowEnv()
      const first = await runInProcess(inputs({ 'wait-for': 'none' }), clock(), env)
      const firstId = Number(first.outputs['order-id'])
      runs.sim.setStatus(firstId, status)
      runs.sim.setScenario({ approval: 'immediate' })
      const posts = () => runs.sim.requests.filter(r => r.method === 'POST').length
      const before = posts()

      const refused = await runInProcess(inputs(), clock(), env)
      expect(refused.exitCode).toBe(1)
      expect(annotations(refused, 'error')).toEqual([
        expect.stringMatching(
          new RegExp(
            `^::error::Order ${firstId}, the newest.* is ${status}.*replace-ended-order: true`
          )
        )
      ])
      expect(posts()).toBe(before)

      const replaced = await runInProcess(inputs({ 'replace-ended-order': 'true' }), clock(), env)
      expect(replaced.exitCode, replaced.log).toBeUndefined()
      expect(replaced.outputs['order-action']).toBe('placed')
      expect(replaced.outputs['alternative-order-id']).toBe(
        `${first.outputs['alternative-order-id']}g002`
      )
      expect(posts()).toBe(before + 1)
    }
  )

  it("waits out a read's 429 as Retry-After asks, naming the rate limit", async () => {
    runs.sim.failNext(
      { method: 'GET', path: /\/order\/certificate\/\d+$/ },
      { kind: 'status', status: 429, headers: { 'Retry-After': '7' } }
    )
    const c = clock()
    const run = await runInProcess(inputs(), c)
    expect(run.exitCode, run.log).toBeUndefined()
    expect(c.slept).toEqual([SETTLE_WINDOW_MS, 7_000])
    expect(annotations(run, 'warning')).toEqual([
      "::warning::CertCentral answered 429 request_limit_exceeded: Request limit exceeded.: CertCentral's rate limit (1,000 requests per 3 minutes and 100 per 5 seconds, counted per API key) was reached; trying again in 7s."
    ])
  })
})

describe('edges of following an order', () => {
  it('hands on no alternative order ID before the wait for an order resumed by order-id', async () => {
    runs.sim.setScenario({ approval: 'after-polls', pollsUntilCertificateId: 3, issue: false })
    const first = await runInProcess(inputs({ 'wait-for': 'none' }), clock())
    const c = clock()
    let duringWait: Record<string, string> = {}
    c.onSleep = () => {
      duringWait = parseCommandFile(readFileSync(outputFile(), 'utf8'))
    }
    const run = await runInProcess(inputs({ 'order-id': first.outputs['order-id'] ?? '' }), c)
    expect(run.exitCode, run.log).toBeUndefined()
    expect(duringWait).toEqual({
      'order-action': 'resumed',
      'order-id': first.outputs['order-id']
    })
  })

  it('warns when a renewal it placed cannot be read, and keeps the certificate in use', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const first = await runInProcess(inputs(), clock(), env)
    const firstId = Number(first.outputs['order-id'])
    runs.sim.setValidTill(
      firstId,
      new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10)
    )
    runs.sim.setScenario({ approval: 'needs-approval' })
    // The survey's reads of the first order pass; the read of the renewal just placed fails.
    runs.sim.failNext(
      { method: 'GET', path: new RegExp(`/order/certificate/(?!${firstId}$)\\d+$`) },
      { kind: 'status', status: 403 }
    )
    const run = await runInProcess(inputs(), clock(), env)
    expect(run.exitCode, run.log).toBeUndefined()
    const renewal = runs.sim.orders.find(o => o.renewalOfOrderId === firstId)
    expect(annotations(run, 'warning')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::warning::Could not read renewal order ${renewal?.id} \\(CertCentralError: CertCentral answered 403 `
        )
      ),
      expect.stringContaining(
        `::warning::Renewal order ${renewal?.id} is pending: the certificate of order ${firstId}, valid till `
      )
    ])
    expect(run.outputs['order-id']).toBe(String(firstId))
  })

  it('fails when an issued order has no certificate ID to download', async () => {
    runs.sim.setScenario({ approval: 'needs-approval' })
    const first = await runInProcess(inputs({ 'wait-for': 'none' }), clock())
    const orderId = Number(first.outputs['order-id'])
    runs.sim.failNext(
      { method: 'GET', path: /\/order\/certificate\/\d+$/ },
      { kind: 'status', status: 200, body: { id: orderId, status: 'issued' } }
    )
    const run = await runInProcess(
      inputs({ 'wait-for': 'issued', 'order-id': String(orderId) }),
      clock()
    )
    expect(run.exitCode).toBe(1)
    expect(annotations(run, 'error')[0]).toMatch(
      new RegExp(`^::error::Order ${orderId} is issued but has no certificate ID\\.%0A`)
    )
  })

  it('describes a resumed order by the inputs where CertCentral does not say', async () => {
    runs.sim.setScenario({ approval: 'needs-approval' })
    const first = await runInProcess(inputs({ 'wait-for': 'none' }), clock())
    const orderId = Number(first.outputs['order-id'])
    runs.sim.failNext(
      { method: 'GET', path: /\/order\/certificate\/\d+$/ },
      { kind: 'status', status: 200, body: { id: orderId, status: 'pending' } }
    )
    const run = await runInProcess(
      inputs({ 'wait-for': 'none', 'order-id': String(orderId), product: 'code_signing_ev' }),
      clock()
    )
    expect(run.exitCode, run.log).toBeUndefined()
    expect(run.summary).toContain('<td>Product</td><td>code_signing_ev</td>')
    expect(run.summary).toContain('<td>Provisioning method</td><td>keylocker</td>')
  })

  it('only warns when the job summary cannot be written', async () => {
    const write = vi.spyOn(core.summary, 'write').mockRejectedValueOnce(new Error('disk full'))
    const run = await runInProcess(inputs(), clock())
    write.mockRestore()
    expect(run.exitCode, run.log).toBeUndefined()
    expect(annotations(run, 'warning')).toEqual([
      '::warning::The job summary could not be written: Error: disk full'
    ])
  })
})

describe('a run that fails before an order exists', () => {
  it('gives up on a POST that keeps failing, saying none was created', async () => {
    runs.sim.failNext({ method: 'POST' }, { kind: 'status', status: 503 }, 10)
    const before = runs.sim.requests.length
    const c = clock()
    const run = await runInProcess(inputs(), c)
    expect(run.exitCode).toBe(1)
    const posts = runs.sim.requests.slice(before).filter(r => r.method === 'POST')
    expect(posts).toHaveLength(5)
    const key = (posts[0]?.body as { alternative_order_id?: string }).alternative_order_id
    expect(key).toMatch(/^gha[0-9a-f]{40}$/)
    expect(runs.sim.orders.filter(o => o.alternativeOrderId === key)).toEqual([])
    expect(c.slept).toEqual([1_000, 2_000, 4_000, 8_000])
    expect(annotations(run, 'error')).toEqual([
      expect.stringContaining(`No order carries alternative order ID ${key}: none was created.`)
    ])
    expect(run.outputs).toEqual({})
  })

  it('refuses bad inputs all at once, sending nothing', async () => {
    const before = runs.sim.requests.length
    const run = await runInProcess(
      inputs({ product: 'x', 'signature-hash': 'md5', 'validity-years': '9' }),
      clock()
    )
    expect(run.exitCode).toBe(1)
    expect(
      annotations(run, 'error').map(line => /^::error title=Input ([\w-]+)::/.exec(line)?.[1])
    ).toEqual(['product', 'signature-hash', 'validity-years', undefined])
    expect(annotations(run, 'error').at(-1)).toBe(
      '::error::3 input problems; nothing was sent to CertCentral.'
    )
    expect(runs.sim.requests.length).toBe(before)
  })
})

describe('what the runner is told first', () => {
  it('masks the API key and the card number before anything else', async () => {
    const run = await runInProcess(
      inputs({
        'payment-method': 'card',
        'credit-card': CREDIT_CARD,
        'billing-address': BILLING_ADDRESS
      }),
      clock()
    )
    expect(run.exitCode, run.log).toBeUndefined()
    expect(run.log.split('\n').slice(0, 2)).toEqual([
      `::add-mask::${API_KEY}`,
      `::add-mask::${CARD_NUMBER}`
    ])
    // Not the CVV: the runner would hide every run of those digits (see secrets.ts).
    expect(run.log).not.toContain(`::add-mask::${CVV}`)
  })

  it('hands on the order before waiting, so a cancelled job still leaves it', async () => {
    runs.sim.setScenario({ approval: 'after-polls', pollsUntilCertificateId: 2, issue: false })
    const c = clock()
    let duringWait: Record<string, string> = {}
    c.onSleep = () => {
      duringWait = parseCommandFile(readFileSync(outputFile(), 'utf8'))
    }
    const run = await runInProcess(inputs(), c)
    expect(run.exitCode, run.log).toBeUndefined()
    expect(duringWait).toEqual({
      'order-action': 'placed',
      'order-id': String(orderOf(run).id),
      'alternative-order-id': orderOf(run).alternativeOrderId
    })
  })

  it('says what the inputs made it note and warn about', async () => {
    const csr = readFileSync(new URL('./fixtures/csr-rsa3072.pem', import.meta.url), 'utf8')
    const run = await runInProcess(
      inputs({
        'provisioning-method': 'email',
        csr,
        'server-platform-id': '-1',
        'subject-email': 'signing@example.com',
        product: 'code_signing_ev'
      }),
      clock()
    )
    expect(run.log).toMatch(/^csr: RSA 3072-bit key, subject /m)
    expect((orderOf(run).body.certificate as { csr?: string }).csr).toContain(csr.split('\n')[1])
    expect(annotations(run, 'warning')).toContain(
      '::warning::subject-email: DigiCert ignores subject.email for code_signing_ev'
    )
  })

  it('names one input problem in the singular', async () => {
    const run = await runInProcess(inputs({ product: 'x' }), clock())
    expect(annotations(run, 'error').at(-1)).toBe(
      '::error::1 input problem; nothing was sent to CertCentral.'
    )
  })

  it('keeps the stack of an error for debug logging, scrubbed', async () => {
    runs.sim.failNext(
      { method: 'POST' },
      {
        kind: 'status',
        status: 403,
        body: { errors: [{ code: 'denied', message: `key ${API_KEY}` }] }
      }
    )
    const run = await runInProcess(inputs(), clock())
    expect(run.exitCode).toBe(1)
    const debug = run.log.split('\n').filter(l => l.startsWith('::debug::CertCentralError'))
    expect(debug).toEqual([expect.stringContaining('CertCentral answered 403 denied: key ***')])
    expect(run.log).toMatch(/^::debug::CertCentralError.*%0A\s+at /m)
  })
})

describe('a dry run', () => {
  it('prints the body and sends nothing without an api-key', async () => {
    const before = runs.sim.requests.length
    const run = await runInProcess(
      inputs({ 'dry-run': 'true', 'api-key': '', preflight: 'warn' }),
      clock()
    )
    expect(run.exitCode, run.log).toBeUndefined()
    expect(runs.sim.requests.length).toBe(before)
    expect(run.outputs).toEqual({ 'alternative-order-id': expect.stringMatching(/^gha/) as string })
    expect(run.log).toContain(
      `Dry run: a run would look up alternative order ID ${run.outputs['alternative-order-id']} (and its later generations) and reuse, resume, renew or reissue what it finds; only when nothing is found would it POST ${runs.sim.url}/order/certificate/code_signing with this body (nothing was sent):`
    )
    expect(run.log).toContain('"cs_provisioning_method": "keylocker"')
    expect(run.log).toContain(
      'Dry run without api-key: CertCentral was not asked; with one, a dry run looks the certificate up (GETs only) and tells what a real run would do.'
    )
    expect(run.log).not.toContain('Dry run: no order was placed.')
    expect(run.log).not.toContain('::add-mask::')
  })

  it('with an api-key, looks the key up, asks the pre-flight questions and places nothing', async () => {
    const before = runs.sim.requests.length
    const run = await runInProcess(inputs({ 'dry-run': 'true', preflight: 'warn' }), clock())
    expect(run.exitCode, run.log).toBeUndefined()
    const sent = runs.sim.requests.slice(before)
    expect(sent.filter(r => r.path.includes('/order/alternate/')).length).toBeGreaterThan(0)
    expect(sent.filter(r => r.path.includes('/user/me'))).toHaveLength(1)
    expect(sent.every(r => r.method === 'GET')).toBe(true)
    expect(run.log).toContain('Dry run: a real run would place a new order (paid). Why: ')
    expect(run.log).toContain('Dry run: no order was placed.')
    expect(run.log).not.toContain('Dry run without api-key')
  })

  it('with preflight off, looks the key up but asks no pre-flight question', async () => {
    const before = runs.sim.requests.length
    const run = await runInProcess(inputs({ 'dry-run': 'true', preflight: 'off' }), clock())
    const sent = runs.sim.requests.slice(before)
    expect(sent.length).toBeGreaterThan(0)
    expect(sent.every(r => r.path.includes('/order/alternate/'))).toBe(true)
    expect(run.log).toContain('(not sent):')
    expect(run.log).not.toContain('Pre-flight')
    expect(run.log).not.toContain('Dry run without api-key')
  })

  it('with preflight off and no api-key, says nothing of the pre-flight', async () => {
    const run = await runInProcess(
      inputs({ 'dry-run': 'true', preflight: 'off', 'api-key': '' }),
      clock()
    )
    expect(run.exitCode, run.log).toBeUndefined()
    expect(run.log).not.toContain('pre-flight')
  })

  it('does not retry a pre-flight question, and still places nothing', async () => {
    runs.sim.failNext({ method: 'GET', path: /\/user\/me$/ }, { kind: 'status', status: 503 })
    const before = runs.sim.requests.length
    const c = clock()
    const run = await runInProcess(inputs({ 'dry-run': 'true', preflight: 'warn' }), c)
    expect(run.exitCode, run.log).toBeUndefined()
    // The lookups come first; the pre-flight's questions are each asked once.
    const sent = runs.sim.requests.slice(before).filter(r => !r.path.includes('/order/alternate/'))
    expect(sent).toHaveLength(4)
    expect(new Set(sent.map(r => r.path)).size).toBe(sent.length)
    expect(sent.every(r => r.method === 'GET')).toBe(true)
    expect(c.slept).toEqual([])
    expect(run.log).toContain('CertCentral answered 503')
  })

  it('of a resumed order without an api-key says so and sends nothing', async () => {
    const before = runs.sim.requests.length
    const run = await runInProcess(
      inputs({ 'dry-run': 'true', 'order-id': '123', 'api-key': '' }),
      clock()
    )
    expect(run.exitCode, run.log).toBeUndefined()
    expect(runs.sim.requests.length).toBe(before)
    expect(run.log).toContain('Dry run: would resume order 123; nothing was sent.')
    expect(run.outputs).toEqual({})
  })
})

describe('secrets', () => {
  it('keeps the key, the card number and the CVV out of an error that echoes them', async () => {
    const echo = `Card ${CARD_NUMBER} (CVV ${CVV}) was declined for key ${API_KEY}, ref 1${CVV}0`
    runs.sim.failNext(
      { method: 'POST' },
      { kind: 'status', status: 400, body: { errors: [{ code: 'card_declined', message: echo }] } }
    )
    const run = await runInProcess(
      inputs({
        'payment-method': 'card',
        'credit-card': CREDIT_CARD,
        'billing-address': BILLING_ADDRESS
      }),
      clock()
    )
    expect(run.exitCode).toBe(1)
    expect(annotations(run, 'error')).toEqual([
      // The CVV only where it stands alone: a longer number that holds its digits stays.
      `::error::CertCentral answered 400 card_declined: Card *** (CVV ***) was declined for key ***, ref 1${CVV}0`
    ])
  })
})
