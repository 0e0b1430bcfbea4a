// One result per run: what the run did, as one immutable value built from the decision and what
// happened after it. The step's outputs and its job summary are derived from it in one place
// (outputs.ts); nothing edits it once built.
import type { OrderInfo, PlacedOrder, ReissueAnswer } from './certcentral/orders.js'
import type { IssuedCertificate } from './certificate.js'
import type { ReissueReason } from './chain/reissue-rule.js'
import type { Product, ProvisioningMethod } from './order/types.js'

/** What the run did about the order, the `order-action` output. */
export type OrderAction = 'reused' | 'resumed' | 'placed' | 'renewal-placed' | 'reissue-placed'

/** A new order on its way while the certificate the outputs describe is still valid. */
export interface PendingRenewal {
  readonly orderId: number
  readonly alternativeOrderId?: string
  readonly placed?: PlacedOrder
  readonly info?: OrderInfo
}

/** A reissue sent or followed: what the run waits for, if anything. */
export interface PendingReissue {
  readonly reason: ReissueReason
  /** The certificate the reissue replaces: the one to wait past (a new key). */
  readonly replaces?: number
  /** The answer to this run's reissue; absent when the run follows another run's. */
  readonly answer?: ReissueAnswer
}

/** What is known of the order the outputs describe, however the run came to it. */
interface OrderFacts {
  readonly action: OrderAction
  /** The decision, as the one plain sentence the log showed. */
  readonly decision: string
  readonly product: Product
  readonly provisioningMethod: ProvisioningMethod
  readonly orderId: number
  readonly alternativeOrderId?: string
  /** The body described a new organization: its ID is an output once known. */
  readonly newOrganization: boolean
  readonly info?: OrderInfo
  readonly issued?: IssuedCertificate & { readonly path: string }
  readonly renewal?: PendingRenewal
  /** A reissue of the order sent or followed by this run. */
  readonly reissue?: PendingReissue
  /** What else happened that a reader of the summary should know (a race settled). */
  readonly notes: readonly string[]
}

/**
 * The order the run ends with. `orderId` and the fields after it describe the order whose
 * certificate the signing steps use; `origin` says whether this run's POST created that order (then
 * its answer is known) or the order existed (found by the survey, by order-id, or placed by another
 * run a moment before).
 */
export type Outcome = OrderFacts &
  ({ readonly origin: 'placed'; readonly placed: PlacedOrder } | { readonly origin: 'found' })

/** The POST answer of the order the outcome describes, when this run placed it. */
export function placedOrder(outcome: Outcome): PlacedOrder | undefined {
  return outcome.origin === 'placed' ? outcome.placed : undefined
}

/** The fields for an order whose info was read: the order the outcome describes, or a renewal. */
export function orderFields(
  info: OrderInfo
): Pick<Outcome, 'orderId' | 'info' | 'alternativeOrderId'> {
  return {
    orderId: info.id,
    info,
    ...(info.alternativeOrderId !== undefined && { alternativeOrderId: info.alternativeOrderId })
  }
}

/**
 * How the run ended. The order kinds (reused, resumed, placed, renewal-placed, reissue-placed) succeeded; every
 * other kind fails the step with `reason`.
 */
export type RunResult = (
  | { readonly kind: OrderAction; readonly order: Outcome }
  /** The order exists (this run placed or found it), and then something failed. */
  | { readonly kind: 'failed-after-ordering'; readonly order: Outcome; readonly reason: string }
  /** The newest order of the chain was ended by a person (revoked, rejected): nothing is ordered. */
  | {
      readonly kind: 'stopped'
      readonly ended: OrderInfo
      readonly product: Product
      readonly provisioningMethod: ProvisioningMethod
      readonly reason: string
    }
  /** Nothing was ordered, and no order is known. */
  | { readonly kind: 'failed-before-ordering'; readonly reason: string }
) & { readonly waitedMs: number }

/** The order a result describes, when there is one. */
export function orderOf(result: RunResult): Outcome | undefined {
  return 'order' in result ? result.order : undefined
}
