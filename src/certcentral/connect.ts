// The client for one run: where to send, how long one request may take, how to retry.
import type { Clock } from '../clock.js'
import { ACTION_NAME, ACTION_VERSION } from '../version.js'
import { RATE_LIMITS } from './errors.js'
import type { Api } from './orders.js'
import { Pace } from './pace.js'
import { DEFAULT_RETRY, isRateLimited } from './retry.js'

/**
 * One request may take 30 seconds, and never more than a third of the step's timeout, so that a
 * hung connection leaves time to retry.
 */
export function requestTimeoutMs(timeoutMs: number): number {
  return Math.min(30_000, Math.max(1_000, Math.round(timeoutMs / 3)))
}

/** Where the run sends its requests, with which key, and the step's timeout. */
export interface Endpoint {
  /** Without a trailing slash. */
  apiUrl: string
  apiKey: string
  timeoutMs: number
}

export function connect(
  settings: Endpoint,
  clock: Clock,
  deadline: number,
  warn: (message: string) => void,
  scrub: (text: string) => string
): Api {
  return {
    conn: {
      apiUrl: settings.apiUrl,
      apiKey: settings.apiKey,
      userAgent: `${ACTION_NAME}/${ACTION_VERSION}`,
      requestTimeoutMs: requestTimeoutMs(settings.timeoutMs),
      deadline,
      scrub,
      pace: new Pace(clock, deadline),
      clock
    },
    retry: {
      ...DEFAULT_RETRY,
      deadline,
      clock,
      onRetry: (error, delayMs) => warn(retryWarning(error, delayMs))
    }
  }
}

function retryWarning(error: Error, delayMs: number): string {
  const what = error.message.split('\n')[0]
  const again = `trying again in ${Math.ceil(delayMs / 1000)}s`
  return isRateLimited(error)
    ? `${what}: CertCentral's rate limit (${RATE_LIMITS}) was reached; ${again}.`
    : `${what}; ${again}.`
}
