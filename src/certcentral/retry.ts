// Retries for requests that may safely be sent again: full-jitter exponential backoff that
// honours Retry-After, bounded by an attempt limit and by the step's deadline.
import type { Clock } from '../clock.js'
import { MIN_RETRY_MS } from '../intervals.js'
import { CertCentralError, TransportError } from './errors.js'

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Epoch ms after which no retry is started (the step's timeout). */
  deadline: number
  clock: Clock
  onRetry?: (error: Error, delayMs: number, attempt: number) => void
}

export const DEFAULT_RETRY = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 } as const

/** After a 429, wait out at least the short window of the rate limit (100 requests per 5 s). */
export const RATE_LIMITED_RETRY_MS = 5_000

/** Network failures, timeouts, 429 and 5xx may pass; other answers are final. */
export function isTransient(error: unknown): error is Error {
  if (error instanceof TransportError) return true
  return error instanceof CertCentralError && (error.status === 429 || error.status >= 500)
}

export function isRateLimited(error: unknown): error is CertCentralError {
  return error instanceof CertCentralError && error.status === 429
}

/**
 * Full jitter (a random delay up to the exponential ceiling) spreads the retries of many jobs
 * sharing one API key, above a floor that keeps to the rate limit. A server's Retry-After is a
 * floor too.
 */
export function retryDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: number,
  error?: Error
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  const floor = isRateLimited(error) ? RATE_LIMITED_RETRY_MS : MIN_RETRY_MS
  const retryAfter = error instanceof CertCentralError ? (error.retryAfterMs ?? 0) : 0
  return Math.max(floor, retryAfter, Math.round(random * ceiling))
}

/**
 * The one retry loop: `call` gets its attempt's number (1 for the first); a transient failure is
 * tried again after retryDelay while attempts and the deadline allow, anything else is thrown.
 */
export async function withRetries<T>(
  call: (attempt: number) => Promise<T>,
  policy: RetryPolicy
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt)
    } catch (error) {
      if (!isTransient(error) || attempt >= policy.maxAttempts) throw error
      const delay = retryDelay(attempt, policy, policy.clock.random(), error)
      if (policy.clock.now() + delay > policy.deadline) throw error
      policy.onRetry?.(error, delay, attempt)
      await policy.clock.sleep(delay)
    }
  }
}
