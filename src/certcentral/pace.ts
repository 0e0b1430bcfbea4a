// One gate for every request of a run: after a 429, nothing is sent before CertCentral's rate limit
// allows it, whichever part of the action (lookup, order, poll, download) sends next.
import type { Clock } from '../clock.js'
import { RATE_LIMITS } from './errors.js'
import { RATE_LIMITED_RETRY_MS } from './retry.js'

/**
 * The rate limit would let the next request go only after the step's timeout. Not retried: there
 * is no time left to wait.
 */
export class RateLimitError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RateLimitError'
  }
}

export class Pace {
  /** Epoch ms before which no request is sent. */
  private notBefore = 0
  private why = ''

  constructor(
    private readonly clock: Clock,
    /** Epoch ms: the step's timeout. */
    private readonly deadline: number
  ) {}

  /**
   * Records a 429: no request for 5 s, or for as long as Retry-After asks, if longer. Throws a
   * RateLimitError when that pause would outlast the step.
   */
  rateLimited(retryAfterMs: number | undefined): void {
    const pauseMs = Math.max(RATE_LIMITED_RETRY_MS, retryAfterMs ?? 0)
    const until = this.clock.now() + pauseMs
    if (until > this.notBefore) {
      this.notBefore = until
      this.why =
        retryAfterMs !== undefined && retryAfterMs > RATE_LIMITED_RETRY_MS
          ? `CertCentral asked for a pause of ${Math.ceil(retryAfterMs / 1000)}s (Retry-After)`
          : `the action pauses ${RATE_LIMITED_RETRY_MS / 1000}s after a 429`
    }
    this.check()
  }

  /** Waits until a request may be sent; throws a RateLimitError when that is after the deadline. */
  async ready(): Promise<void> {
    this.check()
    const waitMs = this.notBefore - this.clock.now()
    if (waitMs > 0) await this.clock.sleep(waitMs)
  }

  private check(): void {
    if (this.notBefore <= this.deadline) return
    throw new RateLimitError(
      `CertCentral's rate limit (${RATE_LIMITS}) was reached, and ${this.why}: the next request ` +
        `could be sent in ${Math.ceil((this.notBefore - this.clock.now()) / 1000)}s, after this step's timeout. ` +
        'Stopped without sending more; raise timeout or poll-interval, or run fewer jobs with this API key at once.'
    )
  }
}
