// The lookups that feed the decision: the chain's generations, newest last, and the info of the
// orders the decision needs. Reads only; at most one lookup per generation and two order infos.
import {
  downloadChain,
  findOrdersByAlternativeId,
  getOrder,
  type Api,
  type OrderInfo
} from '../certcentral/orders.js'
import { leafPublicKeySha256 } from '../certificate.js'
import { ordersToRead, type Generation, type ListedOrder } from './decide.js'
import { generationKey, MAX_GENERATIONS } from './identity.js'
import { statusKind } from './status.js'

/** An order's info, with the issued certificate's key when the run compared it with its CSR. */
export type SurveyedOrder = OrderInfo & { certificateKeySha256?: string }

export interface Survey {
  /** Every generation looked up, the last one (the next to order) without orders. */
  generations: Generation[]
  /** An order's info when it was read, else what the lookup listed. */
  read: (listed: ListedOrder) => SurveyedOrder
}

/**
 * `compareKey`: the run has a CSR (email provisioning), so the newest issued certificate is
 * downloaded once and its key compared with the CSR's (a new key is a reissue, not a new order).
 */
export async function survey(api: Api, baseKey: string, compareKey = false): Promise<Survey> {
  const generations: Generation[] = []
  for (let generation = 1; generation <= MAX_GENERATIONS; generation++) {
    const key = generationKey(baseKey, generation)
    const orders = await findOrdersByAlternativeId(api, key)
    generations.push({ generation, key, orders })
    // Generation n + 1 is only ever ordered after generation n: the first empty one is the end.
    if (orders.length === 0) break
  }
  // The key that listed each order: the order's alternative order ID, should its info omit it.
  const keys = new Map(generations.flatMap(g => g.orders.map(o => [o.orderId, g.key] as const)))
  const infos = new Map<number, SurveyedOrder>()
  for (const orderId of ordersToRead(generations)) infos.set(orderId, await getOrder(api, orderId))
  const [newest] = infos.values()
  if (compareKey && newest?.certificateId !== undefined && statusKind(newest.status) === 'issued') {
    newest.certificateKeySha256 = leafPublicKeySha256(
      await downloadChain(api, newest.certificateId)
    )
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
    }
  }
}
