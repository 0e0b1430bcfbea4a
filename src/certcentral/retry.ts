// Retries for requests that may safely be sent again: full-jitter exponential backoff that
// honours Retry-After, bounded by an attempt limit and by the step's deadline.
import type { Clock } from '../clock.js'
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

/** Network failures, timeouts, 429 and 5xx may pass; other answers are final. */
export function isTransient(error: unknown): error is Error {
  if (error instanceof TransportError) return true
  return error instanceof CertCentralError && (error.status === 429 || error.status >= 500)
}

/**
 * Full jitter (a random delay up to the exponential ceiling) spreads the retries of many jobs
 * sharing one API key. A server's Retry-After is a floor.
 */
export function retryDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: number,
  retryAfterMs?: number
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  const jittered = Math.round(random * ceiling)
  return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered)
}

export async function withRetries<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      if (!isTransient(error) || attempt >= policy.maxAttempts) throw error
      const retryAfter = error instanceof CertCentralError ? error.retryAfterMs : undefined
      const delay = retryDelay(attempt, policy, policy.clock.random(), retryAfter)
      if (policy.clock.now() + delay > policy.deadline) throw error
      policy.onRetry?.(error, delay, attempt)
      await policy.clock.sleep(delay)
    }
  }
}
