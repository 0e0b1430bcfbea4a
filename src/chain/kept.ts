// Which of the orders carrying one key is kept when runs raced: the live one with the lowest ID.
// One rule for every run, whatever it saw first, so that all of them settle on the same order:
// the decision's representative (decide.ts), the order a retried POST follows (submit.ts) and the
// orders a run withdraws (race.ts) all come from here.
import { isLive } from './status.js'

export interface Listed {
  orderId: number
  status: string
}

/** The live order with the lowest ID, the one every run keeps. */
export function keptOrder<T extends Listed>(orders: readonly T[]): T | undefined {
  return orders
    .filter(order => isLive(order.status))
    .reduce<T | undefined>(
      (low, order) => (low === undefined || order.orderId < low.orderId ? order : low),
      undefined
    )
}

/** The other live orders: duplicates of the kept one, to withdraw. */
export function duplicatesOf<T extends Listed>(orders: readonly T[]): T[] {
  const kept = keptOrder(orders)
  return orders.filter(order => order !== kept && isLive(order.status))
}
