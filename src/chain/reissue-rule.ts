// When an order gets a new certificate by a reissue (free) instead of a new order (paid): its
// certificate carries another key than the run's CSR, or it comes within renew-within while the
// order itself (a multi-year order) runs on. Pure, like decide.ts, which asks these questions.

/** Why an order is reissued: a certificate running out inside a longer order, or a new key. */
export type ReissueReason = 'window' | 'key'

/** Request statuses of a reissue not yet done (request info: submitted, pending, approved, rejected). */
const OPEN_REQUEST = new Set(['submitted', 'pending'])
const DAY_MS = 86_400_000

/** What the reissue rules read of an order's info (decide.ts's OrderFacts has them all). */
export interface ReissueFacts {
  status: string
  /** requests[] of the order info: a reissue shows there with type reissue. */
  requests?: readonly { status: string; type?: string }[] | undefined
  /** order_valid_till: where the order ends (a date-time or a date); absent: with its certificate. */
  orderValidTill?: string | undefined
  /** SHA-256 of the issued certificate's public key (SPKI DER), when it was read. */
  certificateKeySha256?: string | undefined
}

/**
 * A reissue of the order is on its way: the order is reissue_pending, or its info lists a reissue
 * request still open. Such an order is never reissued again: the run follows that reissue.
 */
export function reissuePending(order: ReissueFacts): boolean {
  if (order.status.toLowerCase() === 'reissue_pending') return true
  return (order.requests ?? []).some(
    request =>
      request.type?.toLowerCase() === 'reissue' && OPEN_REQUEST.has(request.status.toLowerCase())
  )
}

/** The issued certificate's key is known and is not the key of the run's CSR. */
export function keyDiffers(order: ReissueFacts, csrKeySha256: string | undefined): boolean {
  return (
    csrKeySha256 !== undefined &&
    order.certificateKeySha256 !== undefined &&
    order.certificateKeySha256 !== csrKeySha256
  )
}

/** The end of the order itself: order_valid_till, or, without it, the certificate's end. */
export function orderEndsAt(order: ReissueFacts, certificateEnd: number): number {
  const given = order.orderValidTill === undefined ? NaN : Date.parse(order.orderValidTill)
  const day = order.orderValidTill !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(order.orderValidTill)
  return Number.isNaN(given) ? certificateEnd : day ? given + DAY_MS - 1 : given
}

/**
 * The order runs beyond the renewal window and beyond its certificate (by more than a day, so that
 * a date and a date-time of the same day are not taken for a gain): a reissue gives a certificate
 * that lasts longer, at no cost. A reissued certificate ends with the order at the latest, so a
 * reissue is never sent again for the same end: once the certificate reaches the order's end, the
 * order is renewed.
 */
export function outlivesWindow(
  order: ReissueFacts,
  certificateEnd: number,
  renewWithinMs: number,
  now: number
): boolean {
  const orderEnd = orderEndsAt(order, certificateEnd)
  return orderEnd - now > renewWithinMs && orderEnd - certificateEnd > DAY_MS
}
