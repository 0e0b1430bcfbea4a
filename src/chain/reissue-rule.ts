// When an order gets a new certificate by a reissue (free) instead of a new order (paid): its
// certificate carries another key than the run's CSR, or it comes within renew-within while the
// order itself (a multi-year order) runs on. Pure, like decide.ts, which asks these questions.

/** Why an order is reissued: a certificate running out inside a longer order, or a new key. */
export type ReissueReason = 'window' | 'key'

/** Request statuses of a reissue not yet done (request info: submitted, pending, approved, rejected). */
const OPEN_REQUEST = new Set(['submitted', 'pending'])
const DAY_MS = 86_400_000
/** Since 2026-02-24 a code signing certificate lasts at most 459 days; an order may last 3 years. */
const MAX_CERTIFICATE_DAYS = 459

/** What the reissue rules read of an order's info (decide.ts's OrderFacts has them all). */
export interface ReissueFacts {
  status: string
  /** requests[] of the order info: a reissue shows there with type reissue. */
  requests?: readonly { status: string; type?: string }[] | undefined
  /** order_valid_till: where the order ends (a date-time or a date); absent: with its certificate. */
  orderValidTill?: string | undefined
  /** SHA-256 of the issued certificate's public key (SPKI DER), when it was read. */
  certificateKeySha256?: string | undefined
  /** date_created: where the order's time began. */
  dateCreated?: string | undefined
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
  const end = order.orderValidTill === undefined ? NaN : instant(order.orderValidTill)
  return Number.isNaN(end) ? certificateEnd : end
}

/**
 * A date (the end of that day, UTC) or a date-time as isDateTime accepts it: `T` or a space, an
 * offset with or without its colon, none meaning UTC (never the runner's local time).
 */
export function instant(text: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T23:59:59.999Z`)
  const iso = text.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(iso) ? iso : `${iso}Z`)
}

/**
 * The order runs beyond the renewal window and beyond its certificate (by more than a day, so that
 * a date and a date-time of the same day are not taken for a gain): a reissue gives a certificate
 * that lasts longer, at no cost. A reissued certificate ends with the order at the latest, so a
 * reissue is never sent again for the same end: once the certificate reaches the order's end, the
 * order is renewed. An order no longer than one certificate may last (459 days from date_created)
 * is a one-year order: it has no later certificate to give, whatever its dates say.
 */
export function outlivesWindow(
  order: ReissueFacts,
  certificateEnd: number,
  renewWithinMs: number,
  now: number
): boolean {
  const orderEnd = orderEndsAt(order, certificateEnd)
  const created = order.dateCreated === undefined ? NaN : instant(order.dateCreated)
  const multiYear = Number.isNaN(created) || orderEnd - created > MAX_CERTIFICATE_DAYS * DAY_MS
  return multiYear && orderEnd - now > renewWithinMs && orderEnd - certificateEnd > DAY_MS
}

/** A reissue decided before the renewal window is looked at: the decision adds the order. */
export interface KeyReissue {
  kind: 'reissue' | 'reissuing'
  reason: ReissueReason
  sentence: string
}

/**
 * A reissue on its way is followed (whatever its reason); a certificate of another key than the
 * CSR's is reissued. Undefined: neither, the renewal window decides.
 */
export function keyReissue(
  order: ReissueFacts & { id: number; validTill?: string | undefined },
  csrKeySha256: string | undefined
): KeyReissue | undefined {
  const reason: ReissueReason = keyDiffers(order, csrKeySha256) ? 'key' : 'window'
  if (reissuePending(order)) {
    return {
      kind: 'reissuing',
      reason,
      sentence:
        `A reissue of order ${order.id} is on its way: following it; no reissue or order is sent.` +
        (reason === 'key'
          ? ' Its certificate does not carry the CSR’s key yet.'
          : ` The certificate valid till ${order.validTill ?? 'its expiry'} stays in use until it is done.`)
    }
  }
  if (reason !== 'key') return undefined
  return {
    kind: 'reissue',
    reason,
    sentence:
      `The certificate of order ${order.id} carries another key than the CSR: reissuing the ` +
      'order with the new CSR (free); no new order is placed.'
  }
}
