// Waiting for an order, in process: the poll schedule, the deadline, ended orders and failing polls,
// against the simulator on a fake clock, so a wait of an hour takes milliseconds.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { placeOrder, type OrderInfo } from '../src/certcentral/orders.js'
import {
  describeStatus,
  isReached,
  nextPollDelay,
  OrderEndedError,
  reissueEnded,
  statusLine,
  waitForOrder,
  WaitTimeoutError,
  type Goal
} from '../src/wait.js'
import { apiFor, orderBody } from './fixtures/api.js'
import { fakeClock, type FakeClock } from './support/fake-clock.js'
import { startSimulator, UNLIMITED, type Scenario, type Simulator } from './support/simulator.js'

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ scenario: { rateLimit: UNLIMITED } })
})
afterAll(() => sim.close())
beforeEach(() => sim.reset())

interface Waiting {
  clock: FakeClock
  orderId: number
  logs: string[]
  warnings: string[]
  wait: () => Promise<OrderInfo>
  /** Order-info GETs this wait sent, by fake time since the start. */
  polls: () => number
}

async function waiting(
  scenario: Partial<Scenario>,
  {
    goal = 'certificate-id',
    initialPollMs = 10_000,
    timeoutMs = 600_000,
    random = 1
  }: { goal?: Goal; initialPollMs?: number; timeoutMs?: number; random?: number } = {}
): Promise<Waiting> {
  sim.setScenario(scenario)
  const clock = fakeClock(random)
  const { api } = apiFor(sim, clock, timeoutMs)
  const placed = await placeOrder(api, 'code_signing', orderBody())
  const logs: string[] = []
  const warnings: string[] = []
  const before = sim.requests.length
  const path = `/order/certificate/${placed.id}`
  return {
    clock,
    orderId: placed.id,
    logs,
    warnings,
    wait: () =>
      waitForOrder(api, placed.id, {
        goal,
        initialPollMs,
        deadline: clock.now() + timeoutMs,
        clock,
        log: m => logs.push(m),
        warn: m => warnings.push(m)
      }),
    polls: () => sim.requests.slice(before).filter(r => r.path.endsWith(path)).length
  }
}

/** The delays a wait of `count` polls sleeps, by the schedule alone. */
function schedule(count: number, initialMs: number, random: number): number[] {
  const delays: number[] = []
  let elapsed = 0
  for (let i = 0; i < count; i++) {
    const delay = nextPollDelay(elapsed, initialMs, random)
    delays.push(delay)
    elapsed += delay
  }
  return delays
}

describe('the poll schedule', () => {
  it('polls by the schedule until the certificate ID appears', async () => {
    const w = await waiting({ approval: 'after-polls', pollsUntilCertificateId: 4, issue: false })
    const info = await w.wait()
    expect(info.certificateId).toBe(sim.orders.find(o => o.id === w.orderId)?.certificateId)
    expect(w.polls()).toBe(4)
    expect(w.clock.slept).toEqual(schedule(3, 10_000, 1))
    expect(w.clock.slept).toEqual([9_000, 9_810, 10_693])
  })

  it('draws the shortening at random between 5% and 10%', async () => {
    const w = await waiting(
      { approval: 'after-polls', pollsUntilCertificateId: 3, issue: false },
      { random: 0 }
    )
    await w.wait()
    expect(w.clock.slept).toEqual([9_500, 10_403])
  })

  it('stops at once when the first poll finds the goal reached', async () => {
    const w = await waiting({ approval: 'immediate', pollsUntilIssued: 0 }, { goal: 'issued' })
    const info = await w.wait()
    expect(info.status).toBe('issued')
    expect(w.polls()).toBe(1)
    expect(w.clock.slept).toEqual([])
  })

  it('with goal issued, waits past the certificate ID for the issued status', async () => {
    const w = await waiting({ approval: 'immediate', pollsUntilIssued: 3 }, { goal: 'issued' })
    const info = await w.wait()
    expect(info.status).toBe('issued')
    expect(w.polls()).toBe(3)
  })

  it('with goal certificate-id, stops at the certificate ID without waiting for issuance', async () => {
    const w = await waiting({ approval: 'immediate', pollsUntilIssued: 3 })
    const info = await w.wait()
    expect(info.status).toBe('pending')
    expect(info.certificateId).toBeDefined()
    expect(w.polls()).toBe(1)
  })

  it('logs a status when it changes, the first time with the creation date', async () => {
    const w = await waiting({ approval: 'needs-approval', issue: false }, { timeoutMs: 60_000 })
    // An administrator approves the request while the action sleeps after its second poll.
    w.clock.onSleep = count => count === 2 && sim.approve(w.orderId)
    await w.wait()
    expect(w.polls()).toBe(3)
    expect(w.logs).toHaveLength(2)
    expect(w.logs[0]).toMatch(
      new RegExp(
        `^Order ${w.orderId} \\(created \\d{4}-\\d\\d-\\d\\dT[\\d:]+\\+00:00\\): needs_approval: waiting for an administrator to approve the request in CertCentral$`
      )
    )
    expect(w.logs[1]).toBe(
      `Order ${w.orderId}: pending: waiting for DigiCert to validate the organization`
    )
  })
})

describe('the deadline', () => {
  it('polls a last time on the deadline, then times out with the last status', async () => {
    const w = await waiting({ approval: 'needs-approval' }, { timeoutMs: 25_000 })
    const error = await w.wait().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    // The name is what a debug log's stack shows first.
    expect((error as Error).name).toBe('WaitTimeoutError')
    const timeout = error as WaitTimeoutError
    expect(timeout.orderId).toBe(w.orderId)
    expect(timeout.info?.status).toBe('needs_approval')
    expect(timeout.message).toBe(
      `Order ${w.orderId} is still needs_approval: waiting for an administrator to approve the request in CertCentral.`
    )
    // 9 s, 9.81 s, then not the 10.693 s due but what is left of the 25 s: the last poll falls
    // on the deadline.
    expect(w.clock.slept).toEqual([9_000, 9_810, 6_190])
    expect(w.polls()).toBe(4)
    expect(w.logs).toHaveLength(1)
  })

  it('waits at least a second before the last poll, even when less is left', async () => {
    const w = await waiting({ approval: 'needs-approval' }, { timeoutMs: 500 })
    await expect(w.wait()).rejects.toBeInstanceOf(WaitTimeoutError)
    expect(w.clock.slept).toEqual([1_000])
    expect(w.polls()).toBe(2)
  })

  it('says when no poll could be read before the timeout', async () => {
    const w = await waiting({ approval: 'needs-approval' }, { timeoutMs: 3_000 })
    sim.failNext(
      { method: 'GET', path: /\/order\/certificate\// },
      { kind: 'status', status: 503 },
      99
    )
    const error = (await w.wait().catch((e: unknown) => e)) as WaitTimeoutError
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(error.info).toBeUndefined()
    expect(error.message).toBe(`Order ${w.orderId} could not be read before the timeout.`)
    expect(w.warnings.every(m => m.startsWith(`Could not read order ${w.orderId} (`))).toBe(true)
    expect(w.clock.now() - w.clock.slept.reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
  })
})

describe('orders that will not be issued', () => {
  for (const status of ['canceled', 'revoked', 'expired', 'denied'] as const) {
    it(`ends the wait on a ${status} order`, async () => {
      const w = await waiting({ approval: 'needs-approval' })
      sim.setStatus(w.orderId, status)
      const error = (await w.wait().catch((e: unknown) => e)) as OrderEndedError
      expect(error).toBeInstanceOf(OrderEndedError)
      expect(error.name).toBe('OrderEndedError')
      expect(error.message).toBe(`Order ${w.orderId} is ${status}: it will not be issued.`)
      expect(error.info.status).toBe(status)
      expect(w.clock.slept).toEqual([])
    })
  }

  it('ends the wait when the request is rejected while waiting', async () => {
    const w = await waiting({ approval: 'reject' })
    await expect(w.wait()).rejects.toBeInstanceOf(OrderEndedError)
    expect(w.polls()).toBe(1)
  })

  it('waits on through statuses that may still be issued', async () => {
    const w = await waiting({ approval: 'needs-approval' }, { timeoutMs: 20_000 })
    sim.setStatus(w.orderId, 'approved')
    await expect(w.wait()).rejects.toBeInstanceOf(WaitTimeoutError)
    expect(w.warnings).toEqual([])
  })
})

describe('a reissue this run sent', () => {
  const info = (status: string, requests: OrderInfo['requests']): OrderInfo => ({
    id: 1,
    status,
    requests,
    certificateId: 10
  })
  const reissue = (status: string, id = 7) => ({ id, status, type: 'reissue' })
  it.each([
    ['its request rejected, the order issued', info('issued', [reissue('rejected')]), 7, true],
    ['its request REJECTED (any case)', info('issued', [reissue('REJECTED')]), 7, true],
    ['its request still pending', info('reissue_pending', [reissue('pending')]), 7, false],
    [
      'its request rejected, the order still reissue_pending',
      info('reissue_pending', [reissue('rejected')]),
      7,
      false
    ],
    [
      'its request rejected, another reissue pending',
      info('issued', [reissue('rejected'), reissue('pending', 8)]),
      7,
      false
    ],
    ['another request rejected', info('issued', [reissue('rejected', 8)]), 7, false],
    ['its request approved', info('issued', [reissue('approved')]), 7, false],
    [
      'no request of its own (a reissue followed)',
      info('issued', [reissue('rejected')]),
      undefined,
      false
    ]
  ] as const)('%s: ended %s', (_, order, requestId, ended) => {
    expect(reissueEnded(order, requestId)).toBe(ended)
  })
})

describe('a status the action does not know', () => {
  it('is warned about once, quoted, and waited on', async () => {
    const w = await waiting({ approval: 'needs-approval' }, { timeoutMs: 20_000 })
    // Shaped as a status (lower-case letters and _), but not one DigiCert documents.
    const odd = 'on_hold'
    sim.failNext(
      { method: 'GET', path: /\/order\/certificate\// },
      { kind: 'status', status: 200, body: { id: w.orderId, status: odd } },
      3
    )
    await expect(w.wait()).rejects.toBeInstanceOf(WaitTimeoutError)
    expect(w.warnings).toEqual([
      `Order ${w.orderId} has the status "on_hold", which this action does not know: it polls on until the order is issued, ends or the timeout comes. Check the order in CertCentral.`
    ])
    expect(w.logs[0]).toBe(`Order ${w.orderId}: "on_hold"`)
    expect(w.logs[1]).toBe(
      `Order ${w.orderId}: needs_approval: waiting for an administrator to approve the request in CertCentral`
    )
  })
})

describe('a poll that fails', () => {
  it('polls on after a poll whose retries are spent, and reaches the goal', async () => {
    const w = await waiting({ approval: 'after-polls', pollsUntilCertificateId: 1, issue: false })
    sim.failNext(
      { method: 'GET', path: /\/order\/certificate\// },
      { kind: 'status', status: 503 },
      5
    )
    const info = await w.wait()
    expect(info.certificateId).toBeDefined()
    expect(w.warnings).toEqual([
      `Could not read order ${w.orderId} (CertCentral answered 503 service_unavailable: Service unavailable.); polling on.`
    ])
    // Four retries (1, 2, 4, 8 s), then the schedule's first delay, then the poll that succeeds.
    expect(w.clock.slept).toEqual([1_000, 2_000, 4_000, 8_000, nextPollDelay(15_000, 10_000, 1)])
  })

  it('ends the wait on an answer no retry would change', async () => {
    const w = await waiting({ approval: 'needs-approval' })
    sim.failNext({ method: 'GET', path: /\/order\/certificate\// }, { kind: 'status', status: 403 })
    await expect(w.wait()).rejects.toThrow(/^CertCentral answered 403 /)
    expect(w.clock.slept).toEqual([])
  })
})

describe('the words for a status', () => {
  it('names what each waiting status waits for', () => {
    // Only an EV order waits for a verified contact too; no EV clause on any other order.
    expect(describeStatus('pending', 'code_signing')).toBe(
      'pending: waiting for DigiCert to validate the organization'
    )
    expect(describeStatus('pending')).toBe(
      'pending: waiting for DigiCert to validate the organization'
    )
    expect(describeStatus('pending', 'code_signing_ev')).toBe(
      'pending: waiting for DigiCert to validate the organization and a verified contact to approve the order'
    )
    expect(describeStatus('needs_approval', 'code_signing_ev')).toBe(
      'needs_approval: waiting for an administrator to approve the request in CertCentral'
    )
    expect(describeStatus('processing')).toBe(
      'processing: waiting for DigiCert to process the order'
    )
    expect(describeStatus('waiting_pickup')).toBe(
      'waiting_pickup: waiting for the certificate to be picked up'
    )
    expect(describeStatus('reissue_pending')).toBe(
      'reissue_pending: waiting for a reissue to complete'
    )
    expect(describeStatus('approved')).toBe(
      'approved: waiting for DigiCert to validate and issue the approved order'
    )
    expect(describeStatus('needs_csr')).toBe(
      'needs_csr: waiting for a CSR to be submitted for the order in CertCentral'
    )
    expect(describeStatus('issued')).toBe('issued')
    expect(describeStatus('issued', 'code_signing_ev')).toBe('issued')
    expect(describeStatus('toString')).toBe('"toString"')
  })

  it('says when the order was created on the first line only', () => {
    const info = { id: 7, status: 'issued', requests: [], dateCreated: '2026-01-02T03:04:05+00:00' }
    expect(statusLine(info, true)).toBe('Order 7 (created 2026-01-02T03:04:05+00:00): issued')
    expect(statusLine(info, false)).toBe('Order 7: issued')
    expect(statusLine({ id: 7, status: 'issued', requests: [] }, true)).toBe('Order 7: issued')
  })

  it('judges the goal: issued reaches both, a certificate ID only certificate-id', () => {
    const pendingWithId = { id: 1, status: 'pending', requests: [], certificateId: 5 }
    expect(isReached(pendingWithId, 'certificate-id')).toBe(true)
    expect(isReached(pendingWithId, 'issued')).toBe(false)
    expect(isReached({ id: 1, status: 'issued', requests: [] }, 'issued')).toBe(true)
    expect(isReached({ id: 1, status: 'issued', requests: [] }, 'certificate-id')).toBe(true)
    expect(isReached({ id: 1, status: 'pending', requests: [] }, 'certificate-id')).toBe(false)
  })
})
