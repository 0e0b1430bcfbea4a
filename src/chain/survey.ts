// The lookups that feed the decision: the chain's generations, newest last, and the info of the
// orders the decision needs, each checked to be this certificate's (proof.ts). Reads only: at most
// one lookup per generation, bounded by the step's deadline, and a few order infos. Each lookup
// keeps only the IDs and statuses of its orders.
import {
  downloadChain,
  findOrdersByAlternativeId,
  getOrder,
  type Api,
  type OrderInfo
} from '../certcentral/orders.js'
import { leafPublicKeySha256 } from '../certificate.js'
import { ordersToRead, type Generation, type ListedOrder } from './decide.js'
import { generationKey, MAX_GENERATIONS } from '../order/chain-key.js'
import { checkListedOrder, checkRenewal } from './proof.js'
import { orderKind } from './status.js'

/** Renewals followed at most from one order (renewed_order_id), a bound on a hostile server. */
export const MAX_RENEWALS_FOLLOWED = 10

/** An order's info, with the issued certificate's key when the run compared it with its CSR. */
export type SurveyedOrder = OrderInfo & { certificateKeySha256?: string }

export interface Survey {
  /** Every generation looked up, the last one (the next to order) without orders. */
  generations: Generation[]
  /** An order's info when it was read, else what the lookup listed. */
  read: (listed: ListedOrder) => SurveyedOrder
  /** The newest renewal of an order whose info says it was renewed, read and checked. */
  renewalOf: (order: OrderInfo) => SurveyedOrder | undefined
}

/** The step's timeout came during the survey: nothing was ordered. */
export class SurveyTimeoutError extends Error {
  constructor(generation: number) {
    super(
      `The timeout came while looking up the certificate's orders (after ${generation - 1} ` +
        'lookups): nothing was ordered. Run again, or give the step a longer timeout.'
    )
    this.name = 'SurveyTimeoutError'
  }
}

/**
 * `compareKey`: the run has a CSR (email provisioning), so the newest issued certificate (that of a
 * renewal made elsewhere, when the newest order was renewed) is downloaded once and its key
 * compared with the CSR's (a new key is a reissue, not a new order).
 */
export async function survey(
  api: Api,
  baseKey: string,
  product: string,
  compareKey = false
): Promise<Survey> {
  const { clock, deadline } = api.retry
  const generations: Generation[] = []
  for (let generation = 1; generation <= MAX_GENERATIONS; generation++) {
    if (clock.now() >= deadline) throw new SurveyTimeoutError(generation)
    const key = generationKey(baseKey, generation)
    const orders = await findOrdersByAlternativeId(api, key)
    generations.push({ generation, key, orders })
    // Generation n + 1 is only ever ordered after generation n: the first empty one is the end.
    if (orders.length === 0) break
  }
  // The key that listed each order: the order's alternative order ID, should its info omit it.
  const keys = new Map(generations.flatMap(g => g.orders.map(o => [o.orderId, g.key] as const)))
  const infos = new Map<number, SurveyedOrder>()
  for (const orderId of ordersToRead(generations)) {
    const info = await getOrder(api, orderId)
    checkListedOrder(info, keys.get(orderId) ?? '', product)
    infos.set(orderId, info)
  }
  const renewals = new Map<number, SurveyedOrder>()
  const newest = ordersToRead(generations)[0]
  const newestInfo = newest === undefined ? undefined : infos.get(newest)
  if (newestInfo?.renewedOrderId !== undefined) {
    const renewal = await followRenewals(api, newestInfo, product)
    if (renewal) renewals.set(newestInfo.id, renewal)
  }
  // The certificate the decision reads as the newest: a renewal made elsewhere (whose CSR may be
  // of another key) when there is one, else the newest listed order's.
  const inUse = (newestInfo && renewals.get(newestInfo.id)) ?? newestInfo
  if (compareKey && inUse?.certificateId !== undefined && orderKind(inUse) === 'issued') {
    inUse.certificateKeySha256 = leafPublicKeySha256(await downloadChain(api, inUse.certificateId))
  }
  return {
    generations,
    read: listed => {
      const info = infos.get(listed.orderId) ?? {
        id: listed.orderId,
        status: listed.status,
        requests: []
      }
      const key = keys.get(listed.orderId)
      return info.alternativeOrderId === undefined && key !== undefined
        ? { ...info, alternativeOrderId: key }
        : info
    },
    renewalOf: order => renewals.get(order.id)
  }
}

/**
 * The end of the renewals of `order` (renewed_order_id, then that order's, …): each one checked
 * against the product and its link back. Undefined when the order was not renewed.
 */
export async function followRenewals(
  api: Api,
  order: OrderInfo,
  product: string
): Promise<OrderInfo | undefined> {
  let renewed = order
  let renewal: OrderInfo | undefined
  for (let hop = 0; hop < MAX_RENEWALS_FOLLOWED && renewed.renewedOrderId !== undefined; hop++) {
    if (api.retry.clock.now() >= api.retry.deadline) break
    const next = await getOrder(api, renewed.renewedOrderId)
    checkRenewal(next, renewed, product)
    renewal = next
    renewed = next
  }
  return renewal
}
