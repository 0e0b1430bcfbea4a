// Placing an order exactly once. Every order carries an alternative order ID (the idempotency
// key); CertCentral lists the orders carrying one, so the action looks before it sends, and looks
// again whenever a POST failed in a way that leaves its outcome unknown.
import type { OrderBody, Product } from './order/types.js'
import { ProtocolError, RATE_LIMITS } from './certcentral/errors.js'
import { duplicatesOf, keptOrder } from './chain/kept.js'
import { isRateLimited, isTransient, withRetries, type RetryPolicy } from './certcentral/retry.js'
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
  // Each attempt looks for the key first (but the first, when the survey just did), then posts.
  const policy: RetryPolicy = {
    ...api.retry,
    onRetry: (error, delay) => {
      const doubt = isRateLimited(error)
        ? `CertCentral's rate limit (${RATE_LIMITS}) was reached`
        : 'whether CertCentral created the order is not known'
      log.warning(
        `Order request failed (${error.message.split('\n')[0]}); ${doubt}. Looking for ` +
          `alternative order ID ${key} in ${Math.ceil(delay / 1000)}s before sending it again.`
      )
    }
  }
  try {
    return await withRetries(async attempt => {
      if (attempt > 1 || !options.lookedUp) {
        const found = await findLiveOrder(api, key)
        if (found) return found
      }
      return { kind: 'placed', order: await placeOrder(api, product, body) }
    }, policy)
  } catch (error) {
    if (error instanceof UnusableOrderAnswerError) return findAcceptedOrder(api, key, error, log)
    if (!isTransient(error)) {
      // An account that requires unique alternative order IDs refuses the second of two runs
      // that raced with the same key: the order the other run placed is the one to follow.
      const placedByAnother = await findLiveOrder(api, key).catch(() => undefined)
      if (placedByAnother) return placedByAnother
      throw error
    }
    // Attempts or time ran out: one last look, since the last POST may have created the order.
    const recovered = await findLiveOrder(api, key)
    if (recovered) return recovered
    throw new Error(
      `${error.message}\nNo order carries alternative order ID ${key}: none was created. ` +
        'Running the job again is safe: it looks for this ID before it orders.',
      { cause: error }
    )
  }
}

async function findLiveOrder(api: Api, key: string): Promise<Submission | undefined> {
  const listed = await findOrdersByAlternativeId(api, key)
  // The order every run keeps when runs raced (see chain/kept.ts).
  const kept = keptOrder(listed)
  return kept && { kind: 'found', existing: kept, others: duplicatesOf(listed).length }
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
