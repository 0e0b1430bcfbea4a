// The CertCentral endpoints the action uses, one function each. Answers are checked for the
// fields the action relies on and turned into the types below; other fields are ignored.
import { optional } from '../order/optional.js'
import type { OrderBody, Product } from '../order/types.js'
import { requestJson, requestText, type Connection } from './http.js'
import { CertCentralError, TransportError } from './errors.js'
import { withRetries, type RetryPolicy } from './retry.js'

export interface Api {
  conn: Connection
  retry: RetryPolicy
}

export interface OrderRequest {
  id: number
  status: string
}

/** The answer to the order POST. */
export interface PlacedOrder {
  id: number
  requests: OrderRequest[]
  certificateId?: number
  organizationId?: number
}

/** GET /order/certificate/{order_id}, the fields the action reads. */
export interface OrderInfo {
  id: number
  status: string
  certificateId?: number
  requests: OrderRequest[]
  alternativeOrderId?: string
  dateCreated?: string
  organizationId?: number
  hardwareInitCode?: string
  /** product.name_id, e.g. code_signing. */
  product?: string
  /** cs_provisioning_method, when the answer has it (the beyond page does not list it). */
  provisioningMethod?: string
  /** certificate.valid_till (yyyy-MM-dd), once issued: when the certificate expires. */
  validTill?: string
  /** The order this one renews. */
  renewalOfOrderId?: number
}

/** An entry of GET /order/alternate/{alternative_order_id}. */
export interface AlternateOrder {
  orderId: number
  status: string
}

/**
 * POST /order/certificate/{product}. Never retried here: whether a failed POST created an order
 * is for the caller to find out (see submit.ts).
 */
export async function placeOrder(
  api: Api,
  product: Product,
  body: OrderBody
): Promise<PlacedOrder> {
  const answer = record(await requestJson(api.conn, 'POST', `/order/certificate/${product}`, body))
  const id = integer(answer.id)
  if (id === undefined) {
    throw new TransportError(`CertCentral accepted the order but its answer has no order ID`)
  }
  return {
    id,
    requests: requests(answer.requests),
    ...optional('certificateId', integer(answer.certificate_id)),
    ...optional('organizationId', integer(record(answer.organization).id))
  }
}

export async function getOrder(api: Api, orderId: number): Promise<OrderInfo> {
  const answer = record(
    await withRetries(
      () => requestJson(api.conn, 'GET', `/order/certificate/${orderId}`),
      api.retry
    )
  )
  const certificate = record(answer.certificate)
  return {
    id: integer(answer.id) ?? orderId,
    status: typeof answer.status === 'string' ? answer.status : 'unknown',
    requests: requests(answer.requests),
    ...optional('certificateId', integer(certificate.id)),
    ...optional('alternativeOrderId', text(answer.alternative_order_id)),
    ...optional('dateCreated', text(answer.date_created)),
    // DigiCert's own example has it under certificate; other clients read it at the top level.
    ...optional(
      'organizationId',
      integer(record(answer.organization).id) ?? integer(record(certificate.organization).id)
    ),
    // Its place in the answer is not documented: the top level, or beside the certificate.
    ...optional(
      'hardwareInitCode',
      text(answer.hardware_init_code) ?? text(certificate.hardware_init_code)
    ),
    ...optional('product', text(record(answer.product).name_id)),
    ...optional('provisioningMethod', text(answer.cs_provisioning_method)),
    ...optional('validTill', text(certificate.valid_till)),
    ...optional('renewalOfOrderId', integer(answer.renewal_of_order_id))
  }
}

/**
 * PUT /order/certificate/{order_id}/status with `canceled`: DigiCert allows it for pending and
 * waiting_pickup orders and answers 204. Not retried on an unknown outcome: the caller looks again.
 */
export async function cancelOrder(api: Api, orderId: number, note: string): Promise<void> {
  await requestJson(api.conn, 'PUT', `/order/certificate/${orderId}/status`, {
    status: 'canceled',
    note
  })
}

/** PUT /request/{request_id}/status with `rejected`: how a request awaiting approval is withdrawn. */
export async function rejectRequest(api: Api, requestId: number, comment: string): Promise<void> {
  await requestJson(api.conn, 'PUT', `/request/${requestId}/status`, {
    status: 'rejected',
    processor_comment: comment
  })
}

export async function findOrdersByAlternativeId(
  api: Api,
  alternativeOrderId: string
): Promise<AlternateOrder[]> {
  const path = `/order/alternate/${encodeURIComponent(alternativeOrderId)}`
  let answer: Record<string, unknown>
  try {
    answer = record(await withRetries(() => requestJson(api.conn, 'GET', path), api.retry))
  } catch (error) {
    // "No order carries this ID" may come as a 404 rather than an empty list.
    if (error instanceof CertCentralError && error.status === 404) return []
    throw error
  }
  const orders = Array.isArray(answer.orders) ? answer.orders : []
  return orders.flatMap((entry: unknown) => {
    const order = record(entry)
    const orderId = integer(order.order_id)
    if (orderId === undefined) return []
    return [{ orderId, status: text(order.status) ?? 'unknown' }]
  })
}

/** The issued certificate with its chain, leaf first, as one PEM text. */
export async function downloadChain(api: Api, certificateId: number): Promise<string> {
  return withRetries(
    () =>
      requestText(
        api.conn,
        `/certificate/${certificateId}/download/format/pem_all`,
        'application/x-pem-file, */*'
      ),
    api.retry
  )
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

/** CertCentral sends IDs as numbers; a numeric string is accepted too. */
function integer(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value)
  return typeof value === 'string' && value !== '' ? value : undefined
}

function requests(value: unknown): OrderRequest[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((entry: unknown) => {
    const request = record(entry)
    const id = integer(request.id)
    return id === undefined ? [] : [{ id, status: text(request.status) ?? 'unknown' }]
  })
}
