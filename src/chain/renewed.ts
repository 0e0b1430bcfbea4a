// A renewal POST refused because the order was renewed already (order_renewed_already): elsewhere
// (CertCentral's automatic renewal, the console) or by a run whose key this one does not know. The
// run follows that renewal as the survey would have, had the order's info named it: never a
// failed run without outputs.
import { CertCentralError, isRenewedAlready } from '../certcentral/errors.js'
import { getOrder, type Api, type OrderInfo } from '../certcentral/orders.js'
import { orderKind } from './status.js'
import { followRenewals } from './survey.js'

export type RefusedRenewal =
  /** The renewal, issued; or the order renewed, when its info names no renewal. */
  | { kind: 'reuse'; order: OrderInfo; sentence: string }
  /** The renewal on its way, beside the certificate still in use. */
  | { kind: 'follow'; renewal: OrderInfo; current: OrderInfo; sentence: string }

/** What to do instead of the refused renewal of `renewed`; undefined for any other error. */
export async function afterRefusedRenewal(
  api: Api,
  error: unknown,
  renewed: OrderInfo,
  product: string
): Promise<RefusedRenewal | undefined> {
  if (!(error instanceof CertCentralError) || !isRenewedAlready(error)) return undefined
  const renewal = await followRenewals(api, await getOrder(api, renewed.id), product)
  if (renewal === undefined) {
    return {
      kind: 'reuse',
      order: renewed,
      sentence:
        `CertCentral refused to renew order ${renewed.id}: it was renewed already, but its info ` +
        `names no renewal. This run reuses the certificate of order ${renewed.id}` +
        (renewed.validTill ? `, valid till ${renewed.validTill},` : '') +
        " and placed no order: find the renewal in CertCentral (the order's page names it) and " +
        'resume it with order-id.'
    }
  }
  const sentence =
    `Order ${renewed.id} was renewed already, by order ${renewal.id} (${renewal.status}): ` +
    'this run follows that renewal and placed no order.'
  return orderKind(renewal) === 'issued'
    ? { kind: 'reuse', order: renewal, sentence }
    : { kind: 'follow', renewal, current: renewed, sentence }
}
