// The reissue: a new certificate on the same order, at no cost, instead of a paid order. Sent at
// most once per certificate: only for an order this run's lookup proved its own (chain/proof.ts:
// its info shows the run's key and product), never while a reissue of it is on its way, and never
// again after an answer that was lost (the order info says whether it was accepted). A reissue CertCentral refuses stops the run, unless the refusal came
// because another run's reissue is on its way: then the run follows that one.
import {
  getOrder,
  reissueOrder,
  type Api,
  type OrderInfo,
  type ReissueCertificate
} from './certcentral/orders.js'
import { CertCentralError } from './certcentral/errors.js'
import { checkListedOrder } from './chain/proof.js'
import { reissuePending, type ReissueReason } from './chain/reissue-rule.js'
import type { OrderBody, Product } from './order/types.js'
import { orderFields, type Outcome, type PendingReissue } from './result.js'

export interface ReissueOutcome {
  reissue: PendingReissue
  /** Set when this run's reissue was not sent or not needed: what it followed instead. */
  note?: string
}

/**
 * Sends the reissue of `order` (its info as the survey read it, listed under `key`), or follows one
 * on its way.
 */
export async function reissue(
  api: Api,
  order: OrderInfo,
  {
    reason,
    key,
    product,
    body,
    signatureHash,
    say = () => {}
  }: {
    reason: ReissueReason
    key: string
    product: Product
    body: OrderBody
    /** signature-hash as the user gave it; without it, the order's own. */
    signatureHash?: string | undefined
    /** The run's log. */
    say?: (line: string) => void
  }
): Promise<ReissueOutcome> {
  // The survey checked it; checked again here, where money-like effects start: one rule, proof.ts.
  checkListedOrder(order, key, product)
  const replaces = reason === 'key' ? order.certificateId : undefined
  const base = { reason, ...(replaces !== undefined && { replaces }) }
  const certificate: ReissueCertificate = {
    // The new key for an HSM order; the order's own method and key otherwise.
    ...(body.certificate.csr !== undefined && { csr: body.certificate.csr }),
    ...(signatureHash !== undefined && { signature_hash: signatureHash })
  }
  try {
    const answer = await reissueOrder(api, order.id, certificate)
    const request = answer.requests[0]
    say(
      `Reissue of order ${order.id} accepted` +
        (request ? ` (request ${request.id}: ${request.status})` : '') +
        '.'
    )
    return { reissue: { ...base, answer } }
  } catch (error) {
    // Refused or lost: the order info says whether a reissue is on its way (another run's, or
    // this one's whose answer was lost). It is never sent again.
    const now = await getOrder(api, order.id).catch(() => undefined)
    const reissued =
      now !== undefined &&
      (reissuePending(now) ||
        (now.certificateId !== undefined && now.certificateId !== order.certificateId))
    if (reissued) {
      const note =
        `A reissue of order ${order.id} is already on its way (or done): this run follows it ` +
        'and sent no other.'
      say(note)
      return { reissue: base, note }
    }
    const why = error instanceof Error ? error.message : String(error)
    throw new Error(
      error instanceof CertCentralError
        ? `CertCentral refused to reissue order ${order.id}: ${why}`
        : `The reissue of order ${order.id} got no usable answer (${why}), and the order info ` +
            'shows no reissue: nothing more was sent. The next run looks at the order first and ' +
            'reissues only if none is on its way.',
      { cause: error }
    )
  }
}

/**
 * The order info as the outputs may show it while a new key's reissue is on its way: without the
 * certificate it replaces, which does not belong to the run's key.
 */
export function withoutReplaced(order: OrderInfo, replaces: number | undefined): OrderInfo {
  if (replaces === undefined || order.certificateId !== replaces) return order
  const { certificateId: _, validTill: __, ...rest } = order
  return rest
}

/**
 * The outcome of a run that sent or follows a reissue. For a certificate within renew-within, the
 * certificate in use stays (the run succeeds with it, as with a renewal on its way); for a new key,
 * the order is followed as wait-for says, and the outputs describe the new certificate once issued.
 */
export function reissueOutcome(
  common: Omit<Outcome, 'action' | 'orderId'> & { origin: 'found' },
  order: OrderInfo,
  reissue: PendingReissue
): Outcome {
  const replaces = reissue.reason === 'key' ? order.certificateId : undefined
  const pending = { ...reissue, ...(replaces !== undefined && { replaces }) }
  const action = reissue.answer
    ? 'reissue-placed'
    : reissue.reason === 'window'
      ? 'reused'
      : 'resumed'
  if (reissue.reason === 'window')
    return { ...common, action, ...orderFields(order), reissue: pending }
  const { info: _, ...described } = orderFields(order)
  return { ...common, action, ...described, reissue: pending }
}
