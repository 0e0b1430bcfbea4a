// Two runs that decide at the same moment both find no order and both place one. Afterwards each
// looks the key up again: the lowest order ID wins, and a run whose own order is higher cancels
// it. Order IDs grow, so the later order's run always sees the earlier one: the race ends with one
// live order whatever the timing, without a lock.
import { CertCentralError } from '../certcentral/errors.js'
import {
  cancelOrder,
  findOrdersByAlternativeId,
  rejectRequest,
  type Api,
  type PlacedOrder
} from '../certcentral/orders.js'
import { isLive } from './status.js'

export type Settlement =
  { kind: 'won' } | { kind: 'lost'; winner: number; canceled: boolean; sentence: string }

export async function settleRace(api: Api, key: string, own: PlacedOrder): Promise<Settlement> {
  const listed = await findOrdersByAlternativeId(api, key)
  const earlier = listed
    .filter(order => order.orderId < own.id && isLive(order.status))
    .reduce<number | undefined>(
      (low, order) => Math.min(low ?? order.orderId, order.orderId),
      undefined
    )
  if (earlier === undefined) return { kind: 'won' }

  const note =
    `Duplicate of order ${earlier}: another run ordered the same certificate at the same moment ` +
    `(alternative order ID ${key}); the lower order ID is kept.`
  const canceled = await withdraw(api, own, note)
  const sentence = canceled
    ? `Order ${earlier} was placed at the same moment by another run with the same key; it has ` +
      `the lower ID and is kept: this run canceled its own order ${own.id} and follows ${earlier}.`
    : `Order ${earlier} was placed at the same moment by another run with the same key and is ` +
      `kept, but this run could not cancel its own order ${own.id}: cancel order ${own.id} in ` +
      `CertCentral (Orders > ${own.id} > Cancel order), or it may be charged too.`
  return { kind: 'lost', winner: earlier, canceled, sentence }
}

/**
 * Cancels the order; DigiCert allows that for pending and waiting_pickup orders. A request still
 * awaiting approval cannot be canceled, but it can be rejected, which ends the order the same way.
 */
async function withdraw(api: Api, own: PlacedOrder, note: string): Promise<boolean> {
  const canceled = await attempt(() => cancelOrder(api, own.id, note))
  if (canceled === 'done') return true
  const request = own.requests[0]
  if (canceled !== 'refused' || request === undefined) return false
  return (await attempt(() => rejectRequest(api, request.id, note))) === 'done'
}

/** `refused`: CertCentral answered no (the order's status does not allow it); `failed`: no answer. */
async function attempt(call: () => Promise<void>): Promise<'done' | 'refused' | 'failed'> {
  try {
    await call()
    return 'done'
  } catch (error) {
    return error instanceof CertCentralError && error.status < 500 ? 'refused' : 'failed'
  }
}
