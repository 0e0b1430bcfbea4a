// Reissue, not re-buy: whole runs in process against the simulator on a fake clock. A multi-year
// order whose certificate comes within renew-within is reissued (free), once; a new HSM key is a
// reissue of the same order; a one-year order is still renewed; runs racing to reissue send one.
import { describe, expect, it } from 'vitest'
import { getOrder, placeOrder } from '../src/certcentral/orders.js'
import { reissue } from '../src/reissue.js'
import { apiFor, orderBody, uniqueKey } from './fixtures/api.js'
import { runInProcess, workflowEnv } from './fixtures/in-process-run.js'
import { generateCsrPem } from './support/certificates.js'
import { fakeClock } from './support/fake-clock.js'
import { clock, inDays, simulatedRuns } from './fixtures/simulated-runs.js'

const runs = simulatedRuns()
const { inputs, orderOf } = runs

/** The requests a run sent, as `METHOD /path` without the base path. */
function sentDuring(from: number): string[] {
  return runs.sim.requests
    .slice(from)
    .map(r => `${r.method} ${r.path.replace(/^.*\/services\/v2/, '')}`)
}

const ORDER_POST = /^POST \/order\/certificate\/code_signing(_ev)?$/
const REISSUE_POST = /^POST \/order\/certificate\/\d+\/reissue$/

describe('a multi-year order whose certificate comes within renew-within', () => {
  it('is reissued once, keeps the certificate in use, and is reused once the reissue is issued', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0, pollsUntilReissued: 1_000 })
    const env = workflowEnv()
    const first = await runInProcess(inputs({ 'validity-years': '3' }), clock(), env)
    expect(first.exitCode, first.log).toBeUndefined()
    const order = orderOf(first)
    expect(order.orderValidTill).toBeDefined()
    const firstCertificate = order.certificateId
    runs.sim.setValidTill(order.id, inDays(20))

    let before = runs.sim.requests.length
    // The pre-flight on: without signature-hash, a reissue asks it nothing.
    const reissuing = await runInProcess(
      inputs({ 'validity-years': '3', preflight: 'warn' }),
      clock(),
      env
    )
    expect(reissuing.exitCode, reissuing.log).toBeUndefined()
    const sent = sentDuring(before)
    expect(sent).toEqual([
      `GET /order/alternate/${order.alternativeOrderId}`,
      `GET /order/alternate/${order.alternativeOrderId}g002`,
      `GET /order/certificate/${order.id}`,
      `POST /order/certificate/${order.id}/reissue`
    ])
    // Without signature-hash, the order's own; KeyLocker: no CSR.
    expect(runs.sim.requests.at(-1)?.body).toEqual({ certificate: {} })
    expect(sent.filter(line => ORDER_POST.test(line))).toEqual([])
    expect(sent.filter(line => REISSUE_POST.test(line))).toEqual([
      `POST /order/certificate/${order.id}/reissue`
    ])
    expect(reissuing.outputs).toMatchObject({
      'order-action': 'reissue-placed',
      'order-id': String(order.id),
      'certificate-id': String(firstCertificate)
    })
    expect(reissuing.log).toContain(
      `The certificate of order ${order.id} expires on ${inDays(20)}, within renew-within (30 days), but the order runs till`
    )
    expect(order.status).toBe('reissue_pending')

    before = runs.sim.requests.length
    const following = await runInProcess(inputs({ 'validity-years': '3' }), clock(), env)
    expect(following.exitCode, following.log).toBeUndefined()
    expect(
      sentDuring(before).filter(line => line.startsWith('POST') || line.startsWith('PUT'))
    ).toEqual([])
    expect(following.outputs).toMatchObject({
      'order-action': 'reused',
      'order-id': String(order.id),
      'certificate-id': String(firstCertificate)
    })
    expect(following.log).toContain(`A reissue of order ${order.id} is on its way`)

    runs.sim.issueReissue(order.id)
    expect(order.certificateId).not.toBe(firstCertificate)
    before = runs.sim.requests.length
    const reusing = await runInProcess(
      inputs({ 'validity-years': '3', 'wait-for': 'issued' }),
      clock(),
      env
    )
    expect(reusing.exitCode, reusing.log).toBeUndefined()
    expect(sentDuring(before).every(line => line.startsWith('GET'))).toBe(true)
    const leaf = await runs.sim.certificateOf(order.id)
    expect(reusing.outputs).toMatchObject({
      'order-action': 'reused',
      'order-id': String(order.id),
      'certificate-id': String(order.certificateId),
      'certificate-thumbprint': leaf.sha1Thumbprint.toUpperCase(),
      'valid-till': order.validTill
    })
    // 459 days at most, and within the three-year order.
    expect(order.validTill).toBe(inDays(459))
    expect(
      runs.sim.orders.filter(o => o.alternativeOrderId === order.alternativeOrderId)
    ).toHaveLength(1)
  })

  it('is renewed when the order itself ends within renew-within', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const first = await runInProcess(inputs({ 'validity-years': '2' }), clock(), env)
    const order = orderOf(first)
    runs.sim.setValidTill(order.id, inDays(20))
    order.orderValidTill = new Date(`${inDays(25)}T10:00:00Z`)
    const before = runs.sim.requests.length
    const run = await runInProcess(inputs({ 'validity-years': '2' }), clock(), env)
    expect(run.exitCode, run.log).toBeUndefined()
    expect(sentDuring(before).filter(line => REISSUE_POST.test(line))).toEqual([])
    expect(run.outputs['order-action']).toBe('renewal-placed')
    expect(runs.sim.orders.find(o => o.renewalOfOrderId === order.id)).toBeDefined()
  })
})

describe('the pre-flight of a reissue', () => {
  it('asks only for the product, and stops a reissue whose signature hash it does not allow', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const first = await runInProcess(inputs({ 'validity-years': '3' }), clock(), env)
    const order = orderOf(first)
    runs.sim.setValidTill(order.id, inDays(20))
    const product = runs.sim.directory.products.get('code_signing') ?? {}
    const hashes = product.signature_hash_types
    product.signature_hash_types = { allowed_hash_types: [{ id: 'sha256', name: 'SHA-256' }] }
    try {
      const before = runs.sim.requests.length
      const run = await runInProcess(
        inputs({ 'validity-years': '3', 'signature-hash': 'sha512', preflight: 'fail' }),
        clock(),
        env
      )
      expect(run.exitCode).toBe(1)
      expect(sentDuring(before).filter(line => !line.startsWith('GET /order'))).toEqual([
        'GET /product/code_signing'
      ])
      expect(run.log).toContain('Pre-flight: 1 question to CertCentral before reissuing')
      expect(run.log).toContain(
        'code_signing allows the signature hashes "sha256", not sha512: CertCentral refuses the order; set signature-hash to one of them.'
      )
      expect(order.reissues).toEqual([])
    } finally {
      product.signature_hash_types = hashes
    }
  })
})

describe('a one-year order within renew-within', () => {
  it('is renewed even when order_valid_till stays a year after its order date', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const order = orderOf(await runInProcess(inputs(), clock(), env))
    runs.sim.setValidTill(order.id, inDays(20))
    order.orderValidTill = new Date(order.createdAt.getTime() + 365 * 86_400_000)
    const before = runs.sim.requests.length
    const run = await runInProcess(inputs(), clock(), env)
    expect(run.exitCode, run.log).toBeUndefined()
    expect(sentDuring(before).filter(line => REISSUE_POST.test(line))).toEqual([])
    expect(run.outputs['order-action']).toBe('renewal-placed')
  })

  it('is renewed (paid, with renewal_of_order_id), not reissued', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const first = await runInProcess(inputs(), clock(), env)
    const order = orderOf(first)
    expect(order.orderValidTill).toBeUndefined()
    runs.sim.setValidTill(order.id, inDays(20))
    const before = runs.sim.requests.length
    const run = await runInProcess(inputs(), clock(), env)
    expect(run.exitCode, run.log).toBeUndefined()
    const sent = sentDuring(before)
    expect(sent.filter(line => REISSUE_POST.test(line))).toEqual([])
    expect(sent.filter(line => ORDER_POST.test(line))).toHaveLength(1)
    const renewal = runs.sim.orders.find(o => o.renewalOfOrderId === order.id)
    expect(renewal?.body.renewal_of_order_id).toBe(order.id)
    expect(run.outputs['order-action']).toBe('renewal-placed')
  })
})

describe('email provisioning with the default key', () => {
  const hsm = (csr: string, more: Record<string, string> = {}) =>
    inputs({ 'provisioning-method': 'email', csr, 'signature-hash': 'sha384', ...more })

  it('reuses the certificate of its own key with GETs only', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const csr = await generateCsrPem()
    const first = await runInProcess(hsm(csr), clock(), env)
    expect(first.exitCode, first.log).toBeUndefined()
    const before = runs.sim.requests.length
    const run = await runInProcess(hsm(csr, { 'wait-for': 'issued' }), clock(), env)
    expect(run.exitCode, run.log).toBeUndefined()
    expect(sentDuring(before).every(line => line.startsWith('GET'))).toBe(true)
    expect(run.outputs['order-action']).toBe('reused')
    expect(run.outputs['order-id']).toBe(first.outputs['order-id'])
  })

  it('reissues the order with the CSR of a new key, once, and waits for its certificate', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0, pollsUntilReissued: 2 })
    const env = workflowEnv()
    const oldCsr = await generateCsrPem()
    const first = await runInProcess(hsm(oldCsr), clock(), env)
    const order = orderOf(first)
    const oldCertificate = order.certificateId
    const newCsr = await generateCsrPem()

    const before = runs.sim.requests.length
    const run = await runInProcess(hsm(newCsr, { 'wait-for': 'issued' }), clock(), env)
    expect(run.exitCode, run.log).toBeUndefined()
    const sent = sentDuring(before)
    expect(sent.filter(line => ORDER_POST.test(line))).toEqual([])
    const reissues = runs.sim.requests
      .slice(before)
      .filter(r => REISSUE_POST.test(`${r.method} ${r.path.replace(/^.*\/services\/v2/, '')}`))
    expect(reissues.map(r => r.body)).toEqual([
      { certificate: { csr: newCsr.trim() + '\n', signature_hash: 'sha384' } }
    ])
    expect(order.certificateId).not.toBe(oldCertificate)
    const leaf = await runs.sim.certificateOf(order.id)
    expect(run.outputs).toMatchObject({
      'order-action': 'reissue-placed',
      'order-id': String(order.id),
      'certificate-id': String(order.certificateId),
      'certificate-thumbprint': leaf.sha1Thumbprint.toUpperCase()
    })
    expect(run.log).toContain(
      `The certificate of order ${order.id} carries another key than the CSR: reissuing the order with the new CSR (free); no new order is placed.`
    )

    // The next run with the new key finds its own key in the certificate: GETs only.
    const after = runs.sim.requests.length
    const next = await runInProcess(hsm(newCsr), clock(), env)
    expect(next.outputs['order-action']).toBe('reused')
    expect(sentDuring(after).every(line => line.startsWith('GET'))).toBe(true)
  })

  it('with wait-for none, returns once the reissue is accepted, without the old certificate', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0, pollsUntilReissued: 1_000 })
    const env = workflowEnv()
    const first = await runInProcess(hsm(await generateCsrPem()), clock(), env)
    const order = orderOf(first)
    const run = await runInProcess(
      hsm(await generateCsrPem(), { 'wait-for': 'none' }),
      clock(),
      env
    )
    expect(run.exitCode, run.log).toBeUndefined()
    expect(run.outputs['order-action']).toBe('reissue-placed')
    expect(run.outputs['order-id']).toBe(String(order.id))
    expect(run.outputs['order-status']).toBe('reissue_pending')
    expect(run.outputs['certificate-id']).toBeUndefined()
  })
})

describe('email provisioning, renewed in the console', () => {
  const hsm = (csr: string) =>
    inputs({
      'provisioning-method': 'email',
      csr,
      'signature-hash': 'sha384',
      'wait-for': 'issued'
    })

  it.each([
    ['another key is reissued with the run’s CSR', true],
    ['the run’s key is reused with GETs only', false]
  ])('a renewal carrying %s', async (_, otherKey) => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0, pollsUntilReissued: 0 })
    const env = workflowEnv()
    const csr = await generateCsrPem()
    const first = await runInProcess(hsm(csr), clock(), env)
    expect(first.exitCode, first.log).toBeUndefined()
    const renewal = runs.sim.renewElsewhere(orderOf(first).id)
    if (otherKey) renewal.csr = await generateCsrPem()

    const before = runs.sim.requests.length
    const run = await runInProcess(hsm(csr), clock(), env)
    expect(run.exitCode, run.log).toBeUndefined()
    expect(run.outputs['order-id']).toBe(String(renewal.id))
    const sent = sentDuring(before)
    expect(sent.filter(line => ORDER_POST.test(line))).toEqual([])
    if (otherKey) {
      expect(sent.filter(line => !line.startsWith('GET'))).toEqual([
        `POST /order/certificate/${renewal.id}/reissue`
      ])
      expect(renewal.reissues).toHaveLength(1)
      expect(run.outputs['order-action']).toBe('reissue-placed')
      const leaf = await runs.sim.certificateOf(renewal.id)
      expect(run.outputs['certificate-thumbprint']).toBe(leaf.sha1Thumbprint.toUpperCase())
    } else {
      expect(sent.every(line => line.startsWith('GET'))).toBe(true)
      expect(run.outputs['order-action']).toBe('reused')
    }
  })
})

describe('email provisioning with a given alternative-order-id', () => {
  it('compares the keys too: another key reissues, the same key reuses', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0, pollsUntilReissued: 0 })
    const key = uniqueKey('given')
    const run = (csr: string) =>
      runInProcess(
        inputs({
          'provisioning-method': 'email',
          csr,
          'alternative-order-id': key,
          'wait-for': 'issued'
        }),
        clock()
      )
    const first = await run(await generateCsrPem())
    expect(first.exitCode, first.log).toBeUndefined()
    const order = orderOf(first)
    const newCsr = await generateCsrPem()
    let before = runs.sim.requests.length
    const rotated = await run(newCsr)
    expect(rotated.exitCode, rotated.log).toBeUndefined()
    expect(rotated.outputs['order-action']).toBe('reissue-placed')
    expect(sentDuring(before).filter(line => ORDER_POST.test(line))).toEqual([])
    expect(order.reissues.map(r => r.certificate.csr)).toEqual([newCsr.trim() + '\n'])
    before = runs.sim.requests.length
    const again = await run(newCsr)
    expect(again.outputs['order-action']).toBe('reused')
    expect(again.outputs['certificate-id']).toBe(String(order.certificateId))
    expect(sentDuring(before).every(line => line.startsWith('GET'))).toBe(true)
  })
})

describe('runs racing to reissue', () => {
  // Two runs that looked at the order before either reissued both decide to reissue it, from the
  // same order info: the first is accepted, CertCentral refuses the second (one reissue at a time),
  // and that run follows the first one's reissue.
  it('send one reissue, and both succeed', async () => {
    const c = fakeClock(1, Date.now())
    const { api } = apiFor(runs.sim, c)
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0, pollsUntilReissued: 1_000 })
    const key = uniqueKey('race')
    const placed = await placeOrder(api, 'code_signing', {
      ...orderBody(key),
      order_validity: { years: 2 }
    })
    runs.sim.issueNow(placed.id)
    const seen = await getOrder(api, placed.id)
    const before = runs.sim.requests.length
    const body = orderBody(key)
    const both = await Promise.all(
      [1, 2].map(() => reissue(api, seen, { reason: 'window', key, product: 'code_signing', body }))
    )
    expect(sentDuring(before).filter(line => REISSUE_POST.test(line))).toHaveLength(2)
    expect(runs.sim.orders.find(o => o.id === placed.id)?.reissues).toHaveLength(1)
    const [accepted, followed] = both[0]?.reissue.answer ? both : [both[1], both[0]]
    expect(accepted?.reissue.answer?.requests).toHaveLength(1)
    expect(followed?.reissue.answer).toBeUndefined()
    expect(followed?.note).toBe(
      `A reissue of order ${placed.id} is already on its way (or done): this run follows it and sent no other.`
    )
  })

  it('stops on a refusal for any other reason, naming the order and CertCentral’s reason', async () => {
    const c = fakeClock(1, Date.now())
    const { api } = apiFor(runs.sim, c)
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const key = uniqueKey('refused')
    const placed = await placeOrder(api, 'code_signing', orderBody(key))
    runs.sim.issueNow(placed.id)
    const seen = await getOrder(api, placed.id)
    runs.sim.setStatus(placed.id, 'revoked')
    await expect(
      reissue(api, seen, { reason: 'key', key, product: 'code_signing', body: orderBody(key) })
    ).rejects.toThrow(
      `CertCentral refused to reissue order ${placed.id}: CertCentral answered 400 order_not_eligible_for_reissue: Order ${placed.id} (revoked) cannot be reissued: only issued, unexpired certificates can.`
    )
  })

  it.each([
    ['processed, its answer lost', { kind: 'drop-after-processing' } as const, true],
    ['refused at once', { kind: 'drop-before-processing' } as const, false]
  ])(
    'is never sent twice after a connection %s: the order info decides',
    async (_what, fault, accepted) => {
      const c = fakeClock(1, Date.now())
      const { api } = apiFor(runs.sim, c)
      runs.sim.setScenario({
        approval: 'immediate',
        pollsUntilIssued: 0,
        pollsUntilReissued: 1_000
      })
      const key = uniqueKey('lost')
      const placed = await placeOrder(api, 'code_signing', orderBody(key))
      runs.sim.issueNow(placed.id)
      const seen = await getOrder(api, placed.id)
      runs.sim.failNext({ method: 'POST', path: /\/reissue$/ }, fault)
      const before = runs.sim.requests.length
      const sending = reissue(api, seen, {
        reason: 'window',
        key,
        product: 'code_signing',
        body: orderBody(key)
      })
      if (accepted) {
        expect((await sending).reissue.answer).toBeUndefined()
      } else {
        await expect(sending).rejects.toThrow(
          `The reissue of order ${placed.id} got no usable answer`
        )
      }
      expect(sentDuring(before)).toEqual([
        `POST /order/certificate/${placed.id}/reissue`,
        `GET /order/certificate/${placed.id}`
      ])
      expect(runs.sim.orders.find(o => o.id === placed.id)?.reissues).toHaveLength(accepted ? 1 : 0)
    }
  )

  it('is never sent for an order whose info names another key or product', async () => {
    const c = fakeClock(1, Date.now())
    const { api } = apiFor(runs.sim, c)
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const key = uniqueKey('proof')
    const placed = await placeOrder(api, 'code_signing', orderBody(key))
    runs.sim.issueNow(placed.id)
    const seen = await getOrder(api, placed.id)
    const before = runs.sim.requests.length
    await expect(
      reissue(api, seen, {
        reason: 'key',
        key: 'other',
        product: 'code_signing',
        body: orderBody(key)
      })
    ).rejects.toThrow(
      `Order ${placed.id}, listed by the lookup of alternative order ID other, carries the alternative order ID ${key} in its info: it is not this certificate's order`
    )
    await expect(
      reissue(api, seen, { reason: 'key', key, product: 'code_signing_ev', body: orderBody(key) })
    ).rejects.toThrow(
      `Order ${placed.id}, listed under alternative order ID ${key}, is a code_signing order, but this run orders code_signing_ev`
    )
    expect(runs.sim.requests.length).toBe(before)
  })
})

describe('a run whose reissue is refused, or answered wrongly', () => {
  /** A three-year order whose certificate comes within renew-within, and the run's environment. */
  async function withinWindow() {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0, pollsUntilReissued: 1_000 })
    const env = workflowEnv()
    const first = await runInProcess(inputs({ 'validity-years': '3' }), clock(), env)
    const order = orderOf(first)
    runs.sim.setValidTill(order.id, inDays(20))
    return { env, order, key: first.outputs['alternative-order-id'] }
  }
  const REFUSED = {
    kind: 'status',
    status: 400,
    body: { errors: [{ code: 'invalid_status', message: 'Not now.' }] }
  } as const

  it('refused: exits 1 handing on the order, its key and the action it was on', async () => {
    const { env, order, key } = await withinWindow()
    runs.sim.failNext({ method: 'POST', path: /\/reissue$/ }, REFUSED)
    const run = await runInProcess(inputs({ 'validity-years': '3' }), clock(), env)
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toEqual({
      'order-id': String(order.id),
      'order-action': 'reused',
      'alternative-order-id': key
    })
    expect(run.log).toContain(
      `::error::CertCentral refused to reissue order ${order.id}: CertCentral answered 400 invalid_status: Not now.`
    )
  })

  it('refused for a new key: the action is resumed', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0 })
    const env = workflowEnv()
    const hsm = async () => inputs({ 'provisioning-method': 'email', csr: await generateCsrPem() })
    const first = await runInProcess(await hsm(), clock(), env)
    runs.sim.failNext({ method: 'POST', path: /\/reissue$/ }, REFUSED)
    const run = await runInProcess(await hsm(), clock(), env)
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({
      'order-id': first.outputs['order-id'],
      'order-action': 'resumed'
    })
  })

  it('refused although CertCentral took it: the run follows that reissue, and its summary says so', async () => {
    const { env, order } = await withinWindow()
    runs.sim.failNext({ method: 'POST', path: /\/reissue$/ }, { ...REFUSED, processed: true })
    const run = await runInProcess(inputs({ 'validity-years': '3' }), clock(), env)
    expect(run.exitCode, run.log).toBeUndefined()
    expect(run.outputs['order-action']).toBe('reused')
    expect(order.reissues).toHaveLength(1)
    expect(run.summaryText).toContain(
      `A reissue of order ${order.id} is already on its way (or done): this run follows it and sent no other.`
    )
  })
})

describe('a reissue canceled in CertCentral while the run waits for it', () => {
  it('ends the wait naming the order and the request, without the old certificate', async () => {
    runs.sim.setScenario({ approval: 'immediate', pollsUntilIssued: 0, pollsUntilReissued: 1_000 })
    const env = workflowEnv()
    const hsm = async () =>
      inputs({ 'provisioning-method': 'email', csr: await generateCsrPem(), 'wait-for': 'issued' })
    const first = await runInProcess(await hsm(), clock(), env)
    const order = orderOf(first)
    const c = clock()
    c.onSleep = count => {
      if (count === 2) runs.sim.cancelReissue(order.id)
    }
    const run = await runInProcess(await hsm(), c, env)
    expect(run.exitCode).toBe(1)
    const request = order.reissues[0]?.requestId
    expect(run.log).toContain(
      `::error::The reissue of order ${order.id} ended without a certificate: the order info shows its request ${request} rejected (canceled or rejected in CertCentral), and the order keeps the certificate it had. Nothing more was sent; the next run reissues the order again if its certificate is still of another key than the CSR.`
    )
    expect(order.reissues).toHaveLength(1)
    expect(run.outputs).toMatchObject({
      'order-id': String(order.id),
      'order-action': 'reissue-placed',
      'order-status': 'issued'
    })
    expect(run.outputs['certificate-id']).toBeUndefined()
    // Far from the step's timeout: the wait ended at the poll that saw the request rejected.
    expect(c.slept.reduce((a, b) => a + b, 0)).toBeLessThan(600_000)
  })
})
