// A wait of hours logs a line at least every 10 minutes (status, time waited, next poll), so that a
// waiting step is told from a hung one. The order info comes from a stub, time from a fake clock.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Clock } from '../src/clock.js'
import { TransportError } from '../src/certcentral/errors.js'
import type { Api, OrderInfo } from '../src/certcentral/orders.js'
import { HEARTBEAT_MS, heartbeatLine, waitForOrder } from '../src/wait.js'

const orders = vi.hoisted(() => ({ statusAt: (_ms: number): OrderInfo | Error => new Error() }))
vi.mock('../src/certcentral/orders.js', () => ({
  getOrder: vi.fn(() => {
    const answer = orders.statusAt(clock.now() - START)
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer)
  })
}))

const MINUTE = 60_000
/** The wait starts at a time of day, not at 0: times are measured from it. */
const START = Date.UTC(2026, 10, 27, 9, 0)
let clock: Clock & { sleeps: number[] }

function fakeClock(): Clock & { sleeps: number[] } {
  let now = START
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    random: () => 0.5,
    sleep: ms => {
      sleeps.push(ms)
      now += ms
      return Promise.resolve()
    }
  }
}

const info = (status: string, certificateId?: number): OrderInfo => ({
  id: 7,
  status,
  requests: [],
  ...(certificateId !== undefined && { certificateId })
})

/** Waits as the action does, recording each log line with the fake time it was logged at. */
async function wait(initialPollMs: number, deadlineMs: number) {
  const lines: { at: number; line: string }[] = []
  const log = (line: string): void => void lines.push({ at: clock.now() - START, line })
  const outcome = await waitForOrder({} as Api, 7, {
    goal: 'certificate-id',
    initialPollMs,
    deadline: START + deadlineMs,
    clock,
    log,
    warn: log
  }).catch((error: unknown) => error)
  return { lines, outcome }
}

function longestSilence(lines: { at: number }[], endMs: number): number {
  const times = [0, ...lines.map(l => l.at), endMs]
  return Math.max(...times.slice(1).map((t, i) => t - (times[i] ?? 0)))
}

beforeEach(() => {
  clock = fakeClock()
})

describe('a long wait', () => {
  it('logs status, time waited and next poll at least every 10 minutes while the status stays', async () => {
    // Approved after 2 h 5 min: one status line at the start, one at the end, heartbeats between.
    orders.statusAt = ms => (ms < 125 * MINUTE ? info('needs_approval') : info('pending', 9))
    const { lines, outcome } = await wait(10_000, 5.5 * 60 * MINUTE)
    expect(outcome).toMatchObject({ certificateId: 9 })
    const end = clock.now() - START
    expect(end).toBeGreaterThanOrEqual(125 * MINUTE)
    expect(longestSilence(lines, end)).toBeLessThanOrEqual(HEARTBEAT_MS)
    const beats = lines.filter(l => l.line.includes('still'))
    expect(beats.length).toBe(12)
    expect(beats[0]).toEqual({
      at: 10 * MINUTE,
      line: expect.stringMatching(
        /^Order 7 still needs_approval: waiting for an administrator to approve the request in CertCentral; waited 10m 00s, next poll in \d+s\.$/
      ) as string
    })
    expect(beats[11]?.line).toMatch(/; waited 2h 00m, next poll in \d+s\.$/)
    // No more lines than that: the status lines and a heartbeat every 10 minutes.
    expect(lines.length).toBe(2 + 12)
  })

  it('logs between polls further apart than 10 minutes, saying when the next comes', async () => {
    orders.statusAt = ms => (ms < 60 * MINUTE ? info('pending') : info('pending', 9))
    const { lines } = await wait(25 * MINUTE, 5 * 60 * MINUTE)
    expect(longestSilence(lines, clock.now() - START)).toBeLessThanOrEqual(HEARTBEAT_MS)
    expect(lines.map(l => l.line).slice(1, 3)).toEqual([
      expect.stringMatching(/still pending: .*; waited 10m 00s, next poll in 1[0-4]m \d\ds\.$/),
      expect.stringMatching(/still pending: .*; waited 20m 00s, next poll in [0-4]m \d\ds\.$/)
    ])
  })

  it('keeps logging when no poll succeeds, and times out as before', async () => {
    orders.statusAt = () => new TransportError('connect ECONNREFUSED')
    const { lines, outcome } = await wait(10_000, 30 * MINUTE)
    expect(outcome).toBeInstanceOf(Error)
    expect(
      lines.some(l => /^Order 7 not read yet; waited 10m 00s, next poll in/.test(l.line))
    ).toBe(true)
  })
})

describe('heartbeatLine', () => {
  it('names the order, its status and what it waits for, the time waited and the next poll', () => {
    expect(heartbeatLine(7, info('pending'), 3 * 60 * MINUTE + 5 * MINUTE, 45_000)).toBe(
      'Order 7 still pending: waiting for DigiCert to validate the organization; waited 3h 05m, next poll in 45s.'
    )
    expect(heartbeatLine(7, { ...info('pending'), product: 'code_signing_ev' }, 0, 1_000)).toBe(
      'Order 7 still pending: waiting for DigiCert to validate the organization and a verified contact to approve the order; waited 0s, next poll in 1s.'
    )
  })
})
