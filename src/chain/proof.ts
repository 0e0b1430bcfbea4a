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

/** Throws a ChainMismatchError unless the order found under `key` shows that key and `product`. */
export function checkListedOrder(info: OrderInfo, key: string, product: string): void {
  if (info.alternativeOrderId !== undefined && info.alternativeOrderId !== key) {
    throw new ChainMismatchError(
      `Order ${info.id}, listed by the lookup of alternative order ID ${key}, carries the ` +
        `alternative order ID ${info.alternativeOrderId} in its info: it is not this ` +
        `certificate's order (${key} and ${info.alternativeOrderId} differ), so it is neither ` +
        'reused nor renewed, and nothing was ordered. Check api-url and the order in CertCentral.'
    )
  }
  checkProduct(info, product, `listed under alternative order ID ${key}`)
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
  checkProduct(renewal, product, `the renewal of order ${renewed.id}`)
}

function checkProduct(info: OrderInfo, product: string, how: string): void {
  if (info.product !== undefined && info.product !== product) {
    throw new ChainMismatchError(
      `Order ${info.id}, ${how}, is a ${info.product} order, but this run orders ${product}: ` +
        `it is not this certificate (${info.product} and ${product} differ), so it is neither ` +
        'reused nor renewed, and nothing was ordered. Give this product its own ' +
        'alternative-order-id, or set product to the one ordered before.'
    )
  }
}
