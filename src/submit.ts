// Placing an order exactly once. Every order carries an alternative order ID (the idempotency
// key); CertCentral lists the orders carrying one, so the action looks before it sends, and looks
// again whenever a POST failed in a way that leaves its outcome unknown.
import type { OrderBody, Product } from './order/types.js'
import { ProtocolError, RATE_LIMITS } from './certcentral/errors.js'
import { representative } from './chain/decide.js'
import { isLive } from './chain/status.js'
import { isRateLimited, isTransient, retryDelay } from './certcentral/retry.js'
import {
  findOrdersByAlternativeId,
  placeOrder,
  UnusableOrderAnswerError,
  type AlternateOrder,
  type Api,
  type PlacedOrder
} from './certcentral/orders.js'

export type Submission =
  | { kind: 'placed'; order: PlacedOrder }
  | { kind: 'found'; existing: AlternateOrder; others: number }

export interface SubmitLog {
  warning(message: string): void
}

export interface SubmitOptions {
  /** The key was looked up just before (by the survey): the first POST goes without a lookup. */
  lookedUp?: boolean
}

export async function submitOnce(
  api: Api,
  product: Product,
  body: OrderBody & { alternative_order_id: string },
  log: SubmitLog,
  options: SubmitOptions = {}
): Promise<Submission> {
  const key = body.alternative_order_id
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1 || !options.lookedUp) {
      const found = await findLiveOrder(api, key)
      if (found) return found
    }
    try {
      return { kind: 'placed', order: await placeOrder(api, product, body) }
    } catch (error) {
      if (error instanceof UnusableOrderAnswerError) return findAcceptedOrder(api, key, error, log)
      if (!isTransient(error)) {
        // An account that requires unique alternative order IDs refuses the second of two runs
        // that raced with the same key: the order the other run placed is the one to follow.
        const placedByAnother = await findLiveOrder(api, key).catch(() => undefined)
        if (placedByAnother) return placedByAnother
        throw error
      }
      const { clock, deadline, maxAttempts } = api.retry
      const delay = retryDelay(attempt, api.retry, clock.random(), error)
      if (attempt >= maxAttempts || clock.now() + delay > deadline) {
        const recovered = await findLiveOrder(api, key)
        if (recovered) return recovered
        throw new Error(
          `${error.message}\nNo order carries alternative order ID ${key}: none was created. ` +
            'Running the job again is safe: it looks for this ID before it orders.',
          { cause: error }
        )
      }
      const doubt = isRateLimited(error)
        ? `CertCentral's rate limit (${RATE_LIMITS}) was reached`
        : 'whether CertCentral created the order is not known'
      log.warning(
        `Order request failed (${error.message.split('\n')[0]}); ${doubt}. Looking for ` +
          `alternative order ID ${key} in ${Math.ceil(delay / 1000)}s before sending it again.`
      )
      await clock.sleep(delay)
    }
  }
}

async function findLiveOrder(api: Api, key: string): Promise<Submission | undefined> {
  const live = (await findOrdersByAlternativeId(api, key)).filter(o => isLive(o.status))
  // The lowest live ID is the one every run settles on when runs raced (see chain/race.ts).
  const kept: AlternateOrder | undefined = representative(live)
  return kept && { kind: 'found', existing: kept, others: live.length - 1 }
}

/**
 * CertCentral answered the POST with 2xx, so the order exists, but the answer cannot be used (its
 * ID is not an ID, say). Sending it again would order twice: the order is looked up once by its
 * alternative order ID, and adopted, or the step fails naming that ID so the user can find it.
 */
async function findAcceptedOrder(
  api: Api,
  key: string,
  error: UnusableOrderAnswerError,
  log: SubmitLog
): Promise<Submission> {
  log.warning(
    `${error.message.split('\n')[0]} CertCentral accepted the order, so it is not sent again: ` +
      `looking it up by alternative order ID ${key}.`
  )
  const found = await findLiveOrder(api, key)
  if (found) return found
  throw new ProtocolError(
    `${error.message}\nCertCentral accepted the order, so it was not sent again, but no order ` +
      `carrying alternative order ID ${key} was found. Look for alternative order ID ${key} in ` +
      'CertCentral before ordering again.'
  )
}
