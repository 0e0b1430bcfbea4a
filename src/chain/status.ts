// Order statuses, as CertCentral reports them, in the four kinds the action's decisions need.
// One place: the decision (reuse, resume, renew, place), the wait loop and the log all judge
// statuses through this module.

/** Statuses DigiCert documents, and those seen in real clients (approved, denied, needs_csr). */
export const ORDER_STATUSES = [
  'needs_approval',
  'pending',
  'processing',
  'approved',
  'needs_csr',
  'waiting_pickup',
  'reissue_pending',
  'issued',
  'rejected',
  'denied',
  'canceled',
  'revoked',
  'expired'
] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

/**
 * - `issued`: a certificate exists (a reissue in progress keeps the one issued before);
 * - `on-its-way`: it may still be issued, so it is waited for, never ordered again;
 * - `ended`: a person ended it (at DigiCert or in the account): it is not re-ordered unasked;
 * - `expired`: its certificate ran out: nothing valid is left.
 */
export type StatusKind = 'issued' | 'on-its-way' | 'ended' | 'expired'

/**
 * The kind of a known status. Written as a function, not a table built at import, so that a test of
 * statusKind tests every line of it.
 */
function kindOf(status: OrderStatus): StatusKind {
  switch (status) {
    case 'reissue_pending':
    case 'issued':
      return 'issued'
    case 'rejected':
    case 'denied':
    case 'canceled':
    case 'revoked':
      return 'ended'
    case 'expired':
      return 'expired'
    default:
      return 'on-its-way'
  }
}

/**
 * An unknown status is taken as on its way: waiting on it is safe, ordering again is not. Statuses
 * are compared without regard to case (some clients see them in upper case).
 */
export function statusKind(status: string): StatusKind {
  const known = status.toLowerCase()
  return isKnownStatus(known) ? kindOf(known) : 'on-its-way'
}

export function isKnownStatus(status: string): status is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(status)
}

/** What the order info says of an order: its status, and the certificate once there is one. */
export interface OrderState {
  status: string
  certificateId?: number | undefined
  validTill?: string | undefined
}

/**
 * The kind of an order as its info shows it: an `approved` or `waiting_pickup` order whose info
 * carries the certificate's ID and end (certificate.id, certificate.valid_till) is issued. Reuse,
 * renewal and `wait-for: issued` all judge an order by this.
 */
export function orderKind(order: OrderState): StatusKind {
  const status = order.status.toLowerCase()
  if (
    // Statuses that older answers keep after the certificate was issued.
    (status === 'approved' || status === 'waiting_pickup') &&
    order.certificateId !== undefined &&
    order.validTill !== undefined
  )
    return 'issued'
  return statusKind(status)
}

/** Whether an order still counts: it is issued or may be. */
export function isLive(status: string): boolean {
  const kind = statusKind(status)
  return kind === 'issued' || kind === 'on-its-way'
}
