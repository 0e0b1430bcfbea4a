// The CertCentral endpoints the action uses, one function each. Answers are checked for the
// fields the action relies on and turned into the types below; other fields are ignored.
import { optional } from '../order/optional.js'
import type { OrderBody, Product } from '../order/types.js'
import { requestJson, requestText, type Connection } from './http.js'
import { Answer } from './answer.js'
import { CertCentralError, ProtocolError } from './errors.js'
import { withRetries, type RetryPolicy } from './retry.js'
import { isAlternativeOrderId, isDate, isDateTime, isInitCode, isStatus } from './shapes.js'

export interface Api {
  conn: Connection
  retry: RetryPolicy
}

export interface OrderRequest {
  id: number
  status: string
  /** requests[].type of the order info (new_request, reissue, ...); the POST answers have none. */
  type?: string
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
  /**
   * order_valid_till: where the order itself ends (a date-time, or a date). A multi-year order
   * outlives its certificates, which are reissued until it ends.
   */
  orderValidTill?: string
  /** The order that renewed this one (renewed_order_id), here or in the console. */
  renewedOrderId?: number
}

/** An entry of GET /order/alternate/{alternative_order_id}. */
export interface AlternateOrder {
  orderId: number
  status: string
}

/**
 * A 2xx answer to the order POST whose content cannot be used (its ID is not a positive whole
 * number, or another field does not fit): the order was created, so it must not be sent again.
 * The caller looks it up by its alternative order ID instead (see submit.ts).
 */
export class UnusableOrderAnswerError extends Error {
  constructor(readonly reason: ProtocolError) {
    super(reason.message)
    this.name = 'UnusableOrderAnswerError'
  }
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
  const path = `/order/certificate/${product}`
  const a = new Answer(`POST ${path}`, api.conn.scrub)
  try {
    // A ProtocolError comes only with a 2xx (too large, too deep, or a field that does not fit).
    const answer = a.record(await requestJson(api.conn, 'POST', path, body), 'the answer')
    return {
      id: a.requiredId(answer.id, 'id'),
      requests: requests(a, answer.requests),
      ...optional('certificateId', a.id(answer.certificate_id, 'certificate_id')),
      ...optional(
        'organizationId',
        a.id(a.record(answer.organization, 'organization').id, 'organization.id')
      )
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw new UnusableOrderAnswerError(error)
    throw error
  }
}

export async function getOrder(api: Api, orderId: number): Promise<OrderInfo> {
  const path = `/order/certificate/${orderId}`
  const json = await withRetries(() => requestJson(api.conn, 'GET', path), api.retry)
  const a = new Answer(`GET ${path}`, api.conn.scrub)
  const answer = a.record(json, 'the answer')
  const certificate = a.record(answer.certificate, 'certificate')
  const id = a.id(answer.id, 'id')
  if (id !== undefined && id !== orderId) {
    throw a.misfit('id', id, `${orderId}, the order asked for`)
  }
  // Its place in the answer is not documented: the top level, or beside the certificate.
  const initCode = answer.hardware_init_code ?? certificate.hardware_init_code
  const field = answer.hardware_init_code === undefined ? 'certificate.' : ''
  return {
    id: orderId,
    status: a.status(answer.status, 'status'),
    requests: requests(a, answer.requests),
    ...optional('certificateId', a.id(certificate.id, 'certificate.id')),
    ...optional(
      'alternativeOrderId',
      a.optional(
        answer.alternative_order_id,
        'alternative_order_id',
        isAlternativeOrderId,
        ALTERNATIVE_ORDER_ID_SHAPE
      )
    ),
    ...optional(
      'dateCreated',
      a.optional(answer.date_created, 'date_created', isDateTime, 'an ISO 8601 date and time')
    ),
    ...optional(
      'organizationId',
      // DigiCert's own example has it under certificate; other clients read it at the top level.
      a.id(a.record(answer.organization, 'organization').id, 'organization.id') ??
        a.id(
          a.record(certificate.organization, 'certificate.organization').id,
          'certificate.organization.id'
        )
    ),
    ...optional(
      'hardwareInitCode',
      a.optional(
        initCode,
        `${field}hardware_init_code`,
        isInitCode,
        'printable ASCII of at most 256 characters',
        true
      )
    ),
    // Only compared with the known products and methods, never shown: anything else is ignored.
    ...optional('product', known(a.record(answer.product, 'product').name_id)),
    ...optional('provisioningMethod', known(answer.cs_provisioning_method)),
    ...optional(
      'validTill',
      a.optional(
        certificate.valid_till,
        'certificate.valid_till',
        value => isDate(value) || isDateTime(value),
        'a date (yyyy-MM-dd)'
      )
    ),
    ...optional('renewalOfOrderId', a.id(answer.renewal_of_order_id, 'renewal_of_order_id')),
    ...optional(
      'orderValidTill',
      a.optional(
        answer.order_valid_till,
        'order_valid_till',
        value => isDate(value) || isDateTime(value),
        'a date or an ISO 8601 date and time'
      )
    ),
    ...optional('renewedOrderId', a.id(answer.renewed_order_id, 'renewed_order_id'))
  }
}

/** The certificate object of a reissue: for code signing, no common name. */
export interface ReissueCertificate {
  /** The new CSR, for HSM (`email`) provisioning. */
  csr?: string
  signature_hash?: string
}

/** The answer to a reissue: the order's ID and the reissue's request. */
export interface ReissueAnswer {
  id: number
  requests: OrderRequest[]
}

/**
 * POST /order/certificate/{order_id}/reissue: a new certificate on the same order, at no cost. Never
 * retried here: whether a failed reissue was accepted is for the caller to find out in the order
 * info (see reissue.ts), so that one certificate is never reissued twice.
 */
export async function reissueOrder(
  api: Api,
  orderId: number,
  certificate: ReissueCertificate
): Promise<ReissueAnswer> {
  const path = `/order/certificate/${orderId}/reissue`
  const a = new Answer(`POST ${path}`, api.conn.scrub)
  const answer = a.record(await requestJson(api.conn, 'POST', path, { certificate }), 'the answer')
  const id = a.id(answer.id, 'id')
  if (id !== undefined && id !== orderId) {
    throw a.misfit('id', id, `${orderId}, the order reissued`)
  }
  return { id: orderId, requests: requests(a, answer.requests) }
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

/**
 * The most orders one key can list: a chain's key carries one order, a few more when runs raced.
 * A lookup listing more is not this chain's (a server answering for something else): it is an
 * error, and its entries are not kept.
 */
export const MAX_ORDERS_PER_KEY = 100

/**
 * A lookup that cannot prove its answer: a 404 that is not CertCentral's JSON "not found" (an HTML
 * page of a proxy, say). Nothing may be ordered on it, since the order may exist.
 */
export class UnprovenLookupError extends Error {
  constructor(url: string, cause: CertCentralError) {
    super(
      `The lookup GET ${url} answered 404, but not with CertCentral's JSON "not found" ` +
        `({"errors":[{"code":"not_found…"}]}): ${cause.message.split('\n')[0]}\nSo it does not ` +
        'prove that no order carries this key, and nothing was ordered. Check api-url (a proxy or ' +
        'another server answers in its place?) and that the API key may view orders.',
      { cause }
    )
    this.name = 'UnprovenLookupError'
  }
}

/**
 * GET /order/alternate/{id}: the orders carrying the key. No order is `[]`: an empty list, or a 404
 * in CertCentral's error shape with a code starting `not_found`; a 404 of any other kind proves
 * nothing and is an UnprovenLookupError.
 */
export async function findOrdersByAlternativeId(
  api: Api,
  alternativeOrderId: string
): Promise<AlternateOrder[]> {
  const path = `/order/alternate/${encodeURIComponent(alternativeOrderId)}`
  let json: unknown
  try {
    json = await withRetries(() => requestJson(api.conn, 'GET', path), api.retry)
  } catch (error) {
    if (error instanceof CertCentralError && error.status === 404) {
      if (error.errors.some(e => e.code.startsWith('not_found'))) return []
      throw new UnprovenLookupError(`${api.conn.apiUrl}${path}`, error)
    }
    throw error
  }
  // An entry that cannot be read might be the order this step placed: it is an error, not skipped.
  const a = new Answer(`GET ${path}`, api.conn.scrub)
  const answer = a.record(json, 'the answer')
  const entries = a.list(answer.orders, 'orders')
  if (entries.length > MAX_ORDERS_PER_KEY) {
    throw new ProtocolError(
      `CertCentral's answer to GET ${path} lists ${entries.length} orders; one key of this ` +
        `action carries a few at most (${MAX_ORDERS_PER_KEY} are read), so this is not the ` +
        "certificate's list: nothing was ordered. Check api-url."
    )
  }
  return entries.map((entry: unknown, i) => {
    const order = a.record(entry, `orders[${i}]`)
    return {
      orderId: a.requiredId(order.order_id, `orders[${i}].order_id`),
      status: a.status(order.status, `orders[${i}].status`)
    }
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

const ALTERNATIVE_ORDER_ID_SHAPE = 'an alternative order ID (letters, digits, ".", "_" or "-")'

/** A product or provisioning method name, or undefined: only compared with the known ones. */
function known(value: unknown): string | undefined {
  return isStatus(value) ? value : undefined
}

function requests(a: Answer, value: unknown): OrderRequest[] {
  return a.list(value, 'requests').map((entry: unknown, i) => {
    const request = a.record(entry, `requests[${i}]`)
    return {
      id: a.requiredId(request.id, `requests[${i}].id`),
      status: a.status(request.status, `requests[${i}].status`),
      // Only compared with `reissue`, never shown: anything else is ignored.
      ...optional('type', known(request.type))
    }
  })
}
