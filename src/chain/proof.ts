// What makes an order this certificate's: the lookup listed it under the run's key, and its info
// shows that key and the run's product; an order reached through renewed_order_id (a renewal made
// in the console carries no key) shows the product and names the order it renews. A mismatch
// stops the run before anything is paid or withdrawn.
import type { OrderInfo } from '../certcentral/orders.js'

export class ChainMismatchError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ChainMismatchError'
  }
}

/** What an order's info shows that is not the run's: another key (or none), or another product. */
export type Mismatch =
  { kind: 'key'; shown: string | undefined } | { kind: 'product'; shown: string }

/**
 * The one rule of proof: an order is this certificate's when its info shows the run's key (when
 * one is asked for) and product. An info that omits them proves nothing against it, unless
 * `strict` (a withdrawal, which must see the key itself).
 */
export function mismatchOf(
  info: OrderInfo,
  key: string | undefined,
  product: string,
  strict = false
): Mismatch | undefined {
  const shown = info.alternativeOrderId
  if (key !== undefined && shown !== key && (strict || shown !== undefined)) {
    return { kind: 'key', shown }
  }
  if (info.product !== undefined && info.product !== product) {
    return { kind: 'product', shown: info.product }
  }
  return undefined
}

/** Throws a ChainMismatchError unless the order found under `key` shows that key and `product`. */
export function checkListedOrder(info: OrderInfo, key: string, product: string): void {
  const mismatch = mismatchOf(info, key, product)
  if (mismatch?.kind === 'key') {
    const shown = mismatch.shown ?? ''
    throw new ChainMismatchError(
      `Order ${info.id}, listed by the lookup of alternative order ID ${key}, carries the ` +
        `alternative order ID ${shown} in its info: it is not this certificate's order ` +
        `(${key} and ${shown} differ), so it is neither reused nor renewed, and nothing was ` +
        'ordered. Check api-url and the order in CertCentral.'
    )
  }
  if (mismatch)
    throw productMismatch(info, mismatch.shown, product, `listed under alternative order ID ${key}`)
}

/** Throws a ChainMismatchError unless `renewal` is a renewal of `renewed` of the run's product. */
export function checkRenewal(renewal: OrderInfo, renewed: OrderInfo, product: string): void {
  if (renewal.renewalOfOrderId !== renewed.id) {
    throw new ChainMismatchError(
      `Order ${renewed.id} says order ${renewal.id} renewed it, but order ${renewal.id} ` +
        (renewal.renewalOfOrderId === undefined
          ? 'names no order it renews'
          : `renews order ${renewal.renewalOfOrderId}`) +
        `: the two do not match, so order ${renewal.id} is not used and nothing was ordered. ` +
        'Check both orders in CertCentral.'
    )
  }
  const mismatch = mismatchOf(renewal, undefined, product)
  if (mismatch?.kind === 'product') {
    throw productMismatch(renewal, mismatch.shown, product, `the renewal of order ${renewed.id}`)
  }
}

function productMismatch(
  info: OrderInfo,
  shown: string,
  product: string,
  how: string
): ChainMismatchError {
  return new ChainMismatchError(
    `Order ${info.id}, ${how}, is a ${shown} order, but this run orders ${product}: ` +
      `it is not this certificate (${shown} and ${product} differ), so it is neither ` +
      'reused nor renewed, and nothing was ordered. Give this product its own ' +
      'alternative-order-id, or set product to the one ordered before.'
  )
}
