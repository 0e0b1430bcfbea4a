import { describe, expect, it } from 'vitest'
import type { Clock } from '../src/clock.js'
import { CertCentralError, TransportError } from '../src/certcentral/errors.js'
import { parseRetryAfter } from '../src/certcentral/http.js'
import { isTransient, retryDelay, withRetries, type RetryPolicy } from '../src/certcentral/retry.js'

function fakeClock(random = 1): Clock & { slept: number[] } {
  let now = 0
  const slept: number[] = []
  return {
    slept,
    now: () => now,
    random: () => random,
    sleep: ms => {
      slept.push(ms)
      now += ms
      return Promise.resolve()
    }
  }
}

function policy(clock: Clock, overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    maxAttempts: 4,
    baseDelayMs: 1_000,
    maxDelayMs: 8_000,
    deadline: 1e9,
    clock,
    ...overrides
  }
}

const unavailable = () => new CertCentralError(503, [], undefined, 'busy')

describe('which failures are retried', () => {
  it('retries network failures, 429 and 5xx', () => {
    expect(isTransient(new TransportError('reset'))).toBe(true)
    expect(isTransient(new CertCentralError(429, [], undefined))).toBe(true)
    expect(isTransient(new CertCentralError(502, [], undefined))).toBe(true)
  })

  it('does not retry answers that will not change', () => {
    expect(isTransient(new CertCentralError(400, [], undefined))).toBe(false)
    expect(isTransient(new CertCentralError(403, [], undefined))).toBe(false)
    expect(isTransient(new Error('bug'))).toBe(false)
  })
})

describe('the retry delay', () => {
  it('is full jitter under an exponential ceiling', () => {
    expect(retryDelay(1, { baseDelayMs: 1_000, maxDelayMs: 8_000 }, 1)).toBe(1_000)
    expect(retryDelay(3, { baseDelayMs: 1_000, maxDelayMs: 8_000 }, 1)).toBe(4_000)
    expect(retryDelay(3, { baseDelayMs: 1_000, maxDelayMs: 8_000 }, 0.5)).toBe(2_000)
    expect(retryDelay(9, { baseDelayMs: 1_000, maxDelayMs: 8_000 }, 1)).toBe(8_000)
  })

  it('never retries sooner than a second', () => {
    expect(retryDelay(1, { baseDelayMs: 1_000, maxDelayMs: 8_000 }, 0)).toBe(1_000)
    expect(retryDelay(2, { baseDelayMs: 1_000, maxDelayMs: 8_000 }, 0.1)).toBe(1_000)
  })

  it('waits out the 5-second window of the rate limit after a 429', () => {
    const limited = new CertCentralError(429, [], undefined)
    expect(retryDelay(1, { baseDelayMs: 1_000, maxDelayMs: 8_000 }, 0, limited)).toBe(5_000)
    expect(retryDelay(4, { baseDelayMs: 1_000, maxDelayMs: 8_000 }, 1, limited)).toBe(8_000)
  })

  it('waits at least what Retry-After asks', () => {
    const busy = new CertCentralError(503, [], 7_000)
    expect(retryDelay(1, { baseDelayMs: 1_000, maxDelayMs: 8_000 }, 0, busy)).toBe(7_000)
  })

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('3')).toBe(3_000)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.UTC(2026, 0, 1))).toBe(10_000)
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter(undefined)).toBeUndefined()
  })
})

describe('withRetries', () => {
  it('returns the first success', async () => {
    const clock = fakeClock()
    let calls = 0
    const result = await withRetries(
      () => (++calls < 3 ? Promise.reject(unavailable()) : Promise.resolve('ok')),
      policy(clock)
    )
    expect(result).toBe('ok')
    expect(clock.slept).toEqual([1_000, 2_000])
  })

  it('gives up after the attempt limit with the last error', async () => {
    const clock = fakeClock()
    let calls = 0
    await expect(
      withRetries(() => {
        calls++
        return Promise.reject(unavailable())
      }, policy(clock))
    ).rejects.toThrow(/503/)
    expect(calls).toBe(4)
  })

  it('does not start a retry that would end after the deadline', async () => {
    const clock = fakeClock()
    let calls = 0
    await expect(
      withRetries(
        () => {
          calls++
          return Promise.reject(unavailable())
        },
        policy(clock, { deadline: 2_500 })
      )
    ).rejects.toThrow(/503/)
    expect(calls).toBe(2)
  })

  it('fails at once on a final answer', async () => {
    const clock = fakeClock()
    await expect(
      withRetries(() => Promise.reject(new CertCentralError(400, [], undefined)), policy(clock))
    ).rejects.toThrow(/400/)
    expect(clock.slept).toEqual([])
  })
})
