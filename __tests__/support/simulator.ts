// A CertCentral Services API simulator for tests: a real HTTP server on 127.0.0.1 that answers the
// endpoints the action uses, enforces the order page's body rules (./simulator/validation.ts), moves
// orders through statuses by scenario, serves a real certificate chain and injects faults on demand.
// Written from shared/reference only; it must not import anything from src/. Test support, never bundled.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { generateIssuer, type CertificateChain } from './certificates.js'
import { createAuthority } from './simulator/issued.js'
import { validateOrderBody, type ApiError } from './simulator/validation.js'
import { answerPreflight, createDirectory, type PreflightDirectory } from './simulator/preflight.js'

export type { ApiError } from './simulator/validation.js'

export type Approval = 'immediate' | 'after-polls' | 'needs-approval' | 'reject'

export interface RateLimit {
  perFiveSeconds: number
  perThreeMinutes: number
  /** Sent as Retry-After on 429 when set; CertCentral does not document the header. */
  retryAfterSeconds?: number | undefined
}

export interface Scenario {
  /** How new orders progress. */
  approval: Approval
  /** With 'after-polls': the certificate ID appears on the Nth order-info GET (0 and 1 both mean the first). */
  pollsUntilCertificateId: number
  /** The order is issued N order-info GETs after its certificate ID appeared (0 = at once / same poll). */
  pollsUntilIssued: number
  /** Whether orders ever reach 'issued'. */
  issue: boolean
  /** Returned at the top level of order info for ship_token / client_app orders. */
  hardwareInitCode?: string | undefined
  /**
   * Where order info puts the organization: `top` ({organization: {id}}, as most clients read it),
   * `certificate` (certificate.organization.id, as DigiCert's own example), or `top-without-id`
   * (an organization without an id, as one client's fixture). Default `top`.
   */
  organizationAt?: 'top' | 'certificate' | 'top-without-id' | undefined
  /** Whether a body with a new organization (no organization.id) gets organization.id in the POST answer. */
  createOrganization: boolean
  /** Per API key, rolling windows. Read when each request arrives (not frozen per order). */
  rateLimit: RateLimit
  /** The account setting "Require unique alternative order IDs": a used ID is refused. */
  uniqueAlternativeOrderIds: boolean
  /**
   * Order POSTs are held until this many are waiting (or 10 s passed), then processed in the order
   * they arrived: runs started together all look up before any order exists, as in a real race.
   */
  holdOrderPostsUntil: number
  /** A reissue is issued on the Nth order-info GET after it was accepted (0: at the next one). */
  pollsUntilReissued: number
  /** Reissue POSTs are held like order POSTs (holdOrderPostsUntil): runs that raced both decided. */
  holdReissuePostsUntil?: number | undefined
  /**
   * How long after its ID is assigned (when the POST arrives) an order is listed by the alternate
   * lookup, in ms: a number, or [least, most] for a random delay each. Default 0. Measured on the
   * simulator's clock (SimulatorOptions.clock), so in-process races on a fake clock follow it.
   */
  visibilityDelayMs?: number | readonly [number, number] | undefined
  /** The delays of the next orders, one each, in the order their POSTs arrive (then visibilityDelayMs). */
  visibilityDelaysMs?: readonly number[] | undefined
  /**
   * How the alternate lookup answers: `list` ({orders: [...]}, [] when none; the default),
   * `json-404-when-none` / `html-404-when-none` (a 404 in CertCentral's JSON, or an nginx page,
   * instead of an empty list), `json-404-always` / `html-404-always` (a 404 whatever it holds).
   */
  lookup?:
    | 'list'
    | 'json-404-when-none'
    | 'html-404-when-none'
    | 'json-404-always'
    | 'html-404-always'
    | undefined
  /** Statuses in upper case (ISSUED, PENDING), as some clients see them. */
  upperCaseStatuses?: boolean | undefined
  /** An issued order's status as older answers show it, certificate fields included. */
  issuedStatus?: 'issued' | 'approved' | 'waiting_pickup' | undefined
  /**
   * CertCentral's automatic renewal: an issued order whose certificate ends within this many days
   * is renewed (a new order without an alternative order ID) when its info is read.
   */
  autoRenewWithinDays?: number | undefined
  /**
   * When order info names a renewal (is_renewed, renewed_order_id): `shown` (the default),
   * `after-refusal` (only once a renewal POST for the order was refused as order_renewed_already:
   * renewed elsewhere between a run's lookup and its POST) or `never` (not every answer links an
   * order to its renewal).
   */
  renewedLink?: 'shown' | 'after-refusal' | 'never' | undefined
}

export const DEFAULT_SCENARIO: Readonly<Scenario> = Object.freeze({
  approval: 'immediate',
  pollsUntilCertificateId: 1,
  pollsUntilIssued: 1,
  issue: true,
  createOrganization: true,
  rateLimit: Object.freeze({ perFiveSeconds: 100, perThreeMinutes: 1000 }),
  uniqueAlternativeOrderIds: false,
  holdOrderPostsUntil: 0,
  pollsUntilReissued: 1
})

/** For tests that are not about the rate limit but send many requests to one simulator. */
export const UNLIMITED: Readonly<RateLimit> = Object.freeze({
  perFiveSeconds: 1_000_000,
  perThreeMinutes: 1_000_000
})

export interface SimulatorOptions {
  /** Default 'test-api-key'. */
  apiKey?: string
  /** Default '/services/v2'. Any path prefix before it is accepted (e.g. '/eu/services/v2'). */
  basePath?: string
  /** Default scenario for new orders (merged over DEFAULT_SCENARIO). */
  scenario?: Partial<Scenario>
  /** Port to listen on (default 0: a free port). */
  port?: number
  /** The clock that visibility delays are measured on (default Date.now). */
  clock?: () => number
}

export interface RecordedRequest {
  method: string
  /** Path as received, query included. */
  path: string
  headers: Record<string, string | string[] | undefined>
  /** Parsed JSON, the raw string when it is not JSON, undefined when empty. */
  body: unknown
  at: number
}

export type Product = 'code_signing' | 'code_signing_ev'
export type OrderStatus =
  | 'needs_approval'
  | 'pending'
  | 'waiting_pickup'
  | 'reissue_pending'
  | 'issued'
  | 'rejected'
  | 'canceled'
  | 'revoked'
  | 'expired'
  // Seen in real clients' answers (shared/reference "Where the organization ID sits").
  | 'denied'
  | 'approved'
  | 'needs_csr'

/** Statuses after which an order no longer moves. */
const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'issued',
  'rejected',
  'canceled',
  'revoked',
  'expired',
  'denied'
])
export type RequestStatus = 'pending' | 'submitted' | 'approved' | 'rejected'

export interface SimOrder {
  id: number
  product: Product
  /** The accepted POST body. */
  body: Record<string, unknown>
  status: OrderStatus
  requestId: number
  requestStatus: RequestStatus
  certificateId?: number
  organizationId: number
  /** True when the body described a new organization and the scenario created it. */
  createdOrganization: boolean
  alternativeOrderId?: string
  provisioningMethod?: string
  /** The scenario in force when the order was created. */
  scenario: Scenario
  /** Order-info GETs answered for this order. */
  polls: number
  certificateIdAtPoll?: number
  createdAt: Date
  issuedAt?: Date
  /** certificate.valid_till, yyyy-MM-dd, set on issuance (or by setValidTill). */
  validTill?: string
  /** renewal_of_order_id of the body, when the renewal was accepted. */
  renewalOfOrderId?: number
  /** The order that renewed this one. */
  renewedOrderId?: number
  /** A renewal POST for this order was refused as order_renewed_already. */
  renewalRefused?: boolean
  /** The note of a cancellation through the API. */
  cancelNote?: string
  /**
   * order_valid_till of a multi-year order (order_validity.years 2 or 3): the order outlives its
   * certificates (459 days at most). Absent for a one-year order: it ends with its certificate.
   */
  orderValidTill?: Date
  /** The reissues accepted for this order, newest last. */
  reissues: SimReissue[]
  /** Certificates the order had before its reissues: still downloadable. */
  replacedCertificateIds: number[]
  /** The CSR of the order's current certificate (the body's, or the last reissue's). */
  csr?: string
  /** When the alternate lookup starts listing it (simulator clock ms). */
  visibleAt: number
  /** `api`: placed by an order POST; `console`: a renewal made elsewhere (renewElsewhere). */
  placedBy: 'api' | 'console'
}

export interface SimReissue {
  requestId: number
  status: RequestStatus
  /** The accepted `certificate` object of the reissue body. */
  certificate: Record<string, unknown>
  createdAt: Date
  /** Order-info GETs answered since the reissue was accepted. */
  polls: number
}

export type Fault =
  /** Answer with this status (body default: an errors body fitting the status). */
  | {
      kind: 'status'
      status: number
      body?: unknown
      headers?: Record<string, string>
      processed?: boolean
    }
  /** The request is processed (a POST creates its order), then the socket is destroyed unanswered. */
  | { kind: 'drop-after-processing' }
  /** The socket is destroyed unanswered; nothing is processed. */
  | { kind: 'drop-before-processing' }
  /** Never answer (until close()). */
  | { kind: 'hang'; processed?: boolean }
  /** The request is processed; headers with the full content-length and half the body go out, then the socket ends. */
  | { kind: 'truncate-body' }
  /** 200 text/plain 'OK but not json'. */
  | { kind: 'not-json'; processed?: boolean }
  /** An HTML error page as a proxy would send. */
  | { kind: 'html'; status: number; processed?: boolean }
  /** The normal answer, after ms milliseconds. */
  | { kind: 'delay'; ms: number }
// `processed: true` makes status / hang / not-json / html faults process the request first (so a POST
// creates its order) and then replace the answer; by default those faults process nothing.

export interface FaultMatch {
  method?: string
  /** Tested against the request path without the query, base path included. */
  path?: RegExp
}

export interface Simulator {
  /** http://127.0.0.1:PORT/services/v2 */
  url: string
  /** http://127.0.0.1:PORT/eu/services/v2: the same server under another prefix. */
  euUrl: string
  apiKey: string
  requests: RecordedRequest[]
  orders: SimOrder[]
  /** Organizations, the key's user and products, for the pre-flight GETs (./simulator/preflight.ts). */
  directory: PreflightDirectory
  /** Changes the scenario of orders placed from now on, over the scenario in force. */
  setScenario(scenario: Partial<Scenario>): void
  /**
   * Back to the scenario the simulator started with, faults dropped: for beforeEach, so that no
   * test inherits another's scenario. Orders and recorded requests stay (IDs keep growing).
   */
  reset(): void
  /** Queue a fault for the next `times` (default 1) requests matching `match`; faults are consumed in the order queued. */
  failNext(match: FaultMatch, fault: Fault, times?: number): void
  /** Drop the faults not yet consumed, so one test's leftovers never reach the next. */
  clearFaults(): void
  /** Administrator approval of a 'needs-approval' order. */
  approve(orderId: number): void
  issueNow(orderId: number): void
  /** What happens to orders outside the API: an administrator cancels one, a certificate is revoked. */
  setStatus(orderId: number, status: OrderStatus): void
  /** Moves an issued certificate's expiry (yyyy-MM-dd), e.g. to 20 days from now. */
  setValidTill(orderId: number, validTill: string): void
  /** Completes an order's pending reissue now: a new certificate on the same order. */
  issueReissue(orderId: number): void
  /** The certificate an order's current certificate ID downloads as (its own leaf, or the shared chain). */
  certificateOf(orderId: number): Promise<CertificateChain>
  /** Orders not canceled, rejected, revoked or expired. */
  liveOrders(): SimOrder[]
  /** The certificate of an issued order: each order has its own (key, serial, thumbprint, end). */
  chainOf(orderId: number): CertificateChain
  /** The chain of the order issued last (for a test with one order): what pem_all returns. */
  readonly chain: CertificateChain
  /** Leaf, intermediate, root of the order issued last. */
  readonly chainPem: string
  /** The leaf of the order issued last. */
  readonly leafDer: Buffer
  /**
   * A renewal made outside the API (the console, automatic renewal): a new order without an
   * alternative order ID, linked both ways, in `status` (default issued).
   */
  renewElsewhere(orderId: number, status?: OrderStatus): SimOrder
  /**
   * A person cancels the pending reissue of an order in CertCentral: the order goes back to issued
   * with its certificate, and the reissue's request becomes rejected.
   */
  cancelReissue(orderId: number): void
  /**
   * Every PUT (from the `since`th request on) that names an order or a request not created by an
   * order POST carrying `key` (or, without `key`, by an order POST carrying a key): what the action
   * must never send.
   */
  foreignPuts(key?: string, since?: number): RecordedRequest[]
  close(): Promise<void>
}

const NINETY_DAYS = 90 * 86_400_000
const FIVE_SECONDS = 5_000
const THREE_MINUTES = 180_000
const PRODUCTS: Record<Product, string> = {
  code_signing: 'Code Signing Certificate',
  code_signing_ev: 'EV Code Signing Certificate'
}
const HARDWARE_METHODS = new Set(['ship_token', 'client_app'])

interface Reply {
  status: number
  headers: Record<string, string>
  body: string
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ApiError[],
    readonly headers: Record<string, string> = {}
  ) {
    super(errors.map(e => e.code).join(', '))
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body)
})
const errorReply = (status: number, code: string, message: string): Reply =>
  json(status, { errors: [{ code, message }] })
const routeNotFound = (): HttpError =>
  new HttpError(404, [{ code: 'not_found|route', message: 'The requested route was not found.' }])

/** DigiCert-style timestamps: 2026-01-02T03:04:05+00:00. */
const timestamp = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, '+00:00')
const day = (d: Date): string => d.toISOString().slice(0, 10)
function defaultFaultBody(status: number): unknown {
  const codes: Record<number, [string, string]> = {
    400: ['bad_request_format', 'Bad request.'],
    401: ['access_denied|invalid_api_key', 'Invalid API key.'],
    403: ['access_denied|missing_permission', 'Missing permission.'],
    404: ['not_found|route', 'Not found.'],
    409: ['conflict', 'Conflict.'],
    429: ['request_limit_exceeded', 'Request limit exceeded.'],
    500: ['internal_server_error', 'Internal server error.'],
    502: ['bad_gateway', 'Bad gateway.'],
    503: ['service_unavailable', 'Service unavailable.'],
    504: ['gateway_timeout', 'Gateway timeout.']
  }
  const [code, message] = codes[status] ?? ['error', `HTTP ${status}`]
  return { errors: [{ code, message }] }
}

const SIGNATURE_HASHES = new Set(['sha256', 'sha384', 'sha512'])

/** The reissue's certificate object, as the reissue page describes it for code signing. */
function reissueBodyErrors(certificate: Record<string, unknown>, hsm: boolean): ApiError[] {
  const errors: ApiError[] = []
  if (certificate.common_name !== undefined)
    errors.push({
      code: 'invalid_param|common_name',
      message: 'certificate.common_name: code signing reissues take no common name.'
    })
  const hash = certificate.signature_hash
  if (hash !== undefined && (typeof hash !== 'string' || !SIGNATURE_HASHES.has(hash)))
    errors.push({
      code: 'invalid_param|signature_hash',
      message: 'certificate.signature_hash: one of sha256, sha384, sha512.'
    })
  const csr = certificate.csr
  if (hsm && (typeof csr !== 'string' || !csr.includes('CERTIFICATE REQUEST')))
    errors.push({
      code: 'missing_param|csr',
      message: 'certificate.csr: an HSM (email) order is reissued with a CSR of the new key.'
    })
  if (!hsm && csr !== undefined)
    errors.push({
      code: 'invalid_param|csr',
      message: 'certificate.csr: only HSM (email) orders take a CSR.'
    })
  return errors
}

function htmlPage(status: number): string {
  const title = `${status} ${status >= 500 ? 'Bad Gateway' : 'Error'}`
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
}

function parseBody(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const apiKey = options.apiKey ?? 'test-api-key'
  const basePath = (options.basePath ?? '/services/v2').replace(/\/+$/, '')
  const initialScenario: Scenario = mergeScenario(DEFAULT_SCENARIO, options.scenario ?? {})
  let scenario: Scenario = initialScenario
  const authority = createAuthority(await generateIssuer())

  const requests: RecordedRequest[] = []
  const orders: SimOrder[] = []
  const faults: { match: FaultMatch; fault: Fault; remaining: number }[] = []
  const hits = new Map<string, number[]>()
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const ids = { order: 100001, certificate: 200001, request: 300001, organization: 400001 }
  const directory = createDirectory()

  function mergeScenario(base: Readonly<Scenario>, patch: Partial<Scenario>): Scenario {
    const merged: Scenario = { ...base, rateLimit: { ...base.rateLimit } }
    for (const [key, value] of Object.entries(patch) as [keyof Scenario, unknown][]) {
      if (key === 'hardwareInitCode' && value === undefined) delete merged.hardwareInitCode
      else if (value !== undefined) Object.assign(merged, { [key]: value })
    }
    return merged
  }

  // ---- order life cycle -------------------------------------------------------------------------

  function findOrder(orderId: number): SimOrder {
    const order = orders.find(o => o.id === orderId)
    if (order === undefined) throw new Error(`simulator: no order ${orderId}`)
    return order
  }

  function assignCertificate(order: SimOrder): void {
    if (order.certificateId === undefined) {
      order.certificateId = ids.certificate++
      order.certificateIdAtPoll = order.polls
    }
    order.requestStatus = 'approved'
    if (order.status === 'needs_approval') order.status = 'pending'
  }

  function markIssued(order: SimOrder): void {
    assignCertificate(order)
    order.status = 'issued'
    order.issuedAt = new Date()
    // Its own certificate's end: order info and the downloaded leaf agree (./simulator/issued.ts).
    order.validTill ??= authority.validTillAt(order, order.issuedAt)
  }

  /** order_validity.years 2 or 3 (or validity_years): a multi-year order, ending that many years on. */
  function multiYearEnd(body: Record<string, unknown>, created: Date): Date | undefined {
    const validity = body.order_validity as Record<string, unknown> | undefined
    const years = validity?.years ?? body.validity_years
    if (typeof years !== 'number' || years < 2) return undefined
    const end = new Date(created)
    end.setUTCFullYear(end.getUTCFullYear() + years)
    return end
  }

  /**
   * POST /order/certificate/{id}/reissue: a new certificate on the same order. Only an issued,
   * unexpired certificate, one reissue at a time (the code of that refusal is assumed: CertCentral
   * does not document it); a CSR for HSM (`email`) orders only, and then required.
   */
  function reissueOrder(orderId: number, text: string): Reply {
    const order = orders.find(o => o.id === orderId)
    if (order === undefined)
      throw new HttpError(404, [
        { code: 'not_found|order', message: `Order ${orderId} not found.` }
      ])
    const body = parseBody(text) as { certificate?: unknown } | undefined
    const certificate = body?.certificate
    if (typeof certificate !== 'object' || certificate === null || Array.isArray(certificate))
      throw new HttpError(400, [
        { code: 'missing_param|certificate', message: 'A certificate object is required.' }
      ])
    const given = certificate as Record<string, unknown>
    if (order.status === 'reissue_pending')
      throw new HttpError(400, [
        {
          code: 'reissue_pending',
          message: `Order ${orderId} already has a pending reissue; cancel it or wait for it.`
        }
      ])
    const expired =
      order.validTill !== undefined && Date.parse(`${order.validTill}T23:59:59Z`) < Date.now()
    if (order.status !== 'issued' || expired)
      throw new HttpError(400, [
        {
          code: 'order_not_eligible_for_reissue',
          message: `Order ${orderId} (${order.status}${expired ? ', expired' : ''}) cannot be reissued: only issued, unexpired certificates can.`
        }
      ])
    const method =
      typeof given.cs_provisioning_method === 'string'
        ? given.cs_provisioning_method
        : order.provisioningMethod
    const errors = reissueBodyErrors(given, method === 'email')
    if (errors.length > 0) throw new HttpError(400, errors)
    order.reissues.push({
      requestId: ids.request++,
      status: 'pending',
      certificate: given,
      createdAt: new Date(),
      polls: 0
    })
    order.status = 'reissue_pending'
    const reissue = order.reissues.at(-1)
    return json(201, {
      id: order.id,
      requests: [{ id: reissue?.requestId, status: reissue?.status }]
    })
  }

  /** The pending reissue is done: a new certificate ID (and leaf) on the same order. */
  function completeReissue(order: SimOrder): void {
    const reissue = order.reissues.at(-1)
    if (order.status !== 'reissue_pending' || reissue === undefined) return
    if (order.certificateId !== undefined) order.replacedCertificateIds.push(order.certificateId)
    reissue.status = 'approved'
    if (typeof reissue.certificate.csr === 'string') order.csr = reissue.certificate.csr
    order.certificateId = ids.certificate++
    order.status = 'issued'
    order.issuedAt = new Date()
    order.validTill = authority.validTillAt(order, order.issuedAt)
  }

  const now = options.clock ?? Date.now
  let delaysUsed = 0
  function visibilityDelay(s: Scenario): number {
    const next = scenario.visibilityDelaysMs?.[delaysUsed++]
    if (next !== undefined) return next
    const delay = s.visibilityDelayMs ?? 0
    if (typeof delay === 'number') return delay
    return delay[0] + Math.random() * (delay[1] - delay[0])
  }
  const shownStatus = (order: SimOrder, s: Scenario): string => {
    const status =
      order.status === 'issued' && s.issuedStatus !== undefined ? s.issuedStatus : order.status
    return s.upperCaseStatuses ? status.toUpperCase() : status
  }

  function renewElsewhere(old: SimOrder, status: OrderStatus): SimOrder {
    const order: SimOrder = {
      ...old,
      id: ids.order++,
      body: { ...old.body, renewal_of_order_id: old.id },
      status,
      requestId: ids.request++,
      requestStatus: status === 'issued' ? 'approved' : 'pending',
      createdOrganization: false,
      polls: 0,
      createdAt: new Date(),
      renewalOfOrderId: old.id,
      visibleAt: now(),
      placedBy: 'console',
      reissues: [],
      replacedCertificateIds: [],
      // A renewal on its way stays so until the test issues it (issueNow).
      scenario: status === 'issued' ? old.scenario : { ...old.scenario, issue: false }
    }
    delete order.alternativeOrderId
    delete order.certificateId
    delete order.certificateIdAtPoll
    delete order.renewedOrderId
    delete order.cancelNote
    delete order.validTill
    delete order.issuedAt
    if (status === 'issued') {
      markIssued(order)
      order.validTill = day(new Date(Date.now() + 400 * 86_400_000))
    }
    old.renewedOrderId = order.id
    orders.push(order)
    return order
  }

  /**
   * DigiCert's renewal rules: the order renewed exists in the account, is issued, expires within
   * 90 days and was not renewed already.
   */
  function checkRenewal(body: Record<string, unknown>): SimOrder | undefined {
    const renewed = body.renewal_of_order_id
    if (typeof renewed !== 'number') return undefined
    const old = orders.find(o => o.id === renewed)
    if (old === undefined)
      throw new HttpError(404, [
        { code: 'not_found|order', message: `Order ${renewed} to renew was not found.` }
      ])
    if (old.renewedOrderId !== undefined) old.renewalRefused = true
    if (old.renewedOrderId !== undefined)
      throw new HttpError(400, [
        {
          code: 'order_renewed_already',
          message: `Order ${renewed} was already renewed by order ${old.renewedOrderId}.`
        }
      ])
    const expires = old.validTill === undefined ? NaN : Date.parse(`${old.validTill}T23:59:59Z`)
    if (old.status !== 'issued' || !(expires - Date.now() <= NINETY_DAYS))
      throw new HttpError(400, [
        {
          code: 'order_not_eligible_for_renewal',
          message: `Order ${renewed} (${old.status}, valid till ${old.validTill ?? 'unknown'}) cannot be renewed yet: renewal opens 90 days before expiry.`
        }
      ])
    return old
  }

  /** PUT /order/certificate/{id}/status: cancellation of pending and waiting_pickup orders. */
  function changeOrderStatus(orderId: number, text: string): Reply {
    const order = orders.find(o => o.id === orderId)
    if (order === undefined)
      throw new HttpError(404, [
        { code: 'not_found|order', message: `Order ${orderId} not found.` }
      ])
    const body = parseBody(text) as { status?: unknown; note?: unknown } | undefined
    if (body?.status !== 'canceled')
      throw new HttpError(400, [
        { code: 'invalid_status', message: 'status must be "canceled" (lower case).' }
      ])
    if (typeof body.note !== 'string' || body.note.trim() === '')
      throw new HttpError(400, [
        { code: 'missing_param|note', message: 'A note is required to cancel an order.' }
      ])
    if (order.status !== 'pending' && order.status !== 'waiting_pickup')
      throw new HttpError(400, [
        {
          code: 'invalid_order_status',
          message: `Order ${orderId} is ${order.status}; only pending and waiting_pickup orders can be canceled.`
        }
      ])
    order.status = 'canceled'
    order.cancelNote = body.note
    return { status: 204, headers: {}, body: '' }
  }

  /** PUT /request/{id}/status: rejecting a request that still awaits approval. */
  function changeRequestStatus(requestId: number, text: string): Reply {
    const order = orders.find(o => o.requestId === requestId)
    if (order === undefined)
      throw new HttpError(404, [
        { code: 'not_found|request', message: `Request ${requestId} not found.` }
      ])
    const body = parseBody(text) as { status?: unknown } | undefined
    if (body?.status !== 'rejected' && body?.status !== 'approved')
      throw new HttpError(400, [
        { code: 'invalid_status', message: 'status must be "approved" or "rejected".' }
      ])
    if (order.requestStatus !== 'pending' && order.requestStatus !== 'submitted')
      throw new HttpError(400, [
        {
          code: 'invalid_request_status',
          message: `Request ${requestId} is ${order.requestStatus} and can no longer change.`
        }
      ])
    if (body.status === 'approved') assignCertificate(order)
    else {
      order.requestStatus = 'rejected'
      order.status = 'rejected'
    }
    return { status: 204, headers: {}, body: '' }
  }

  /** Moves an order along its scenario; `poll` is true for an order-info GET. */
  function progress(order: SimOrder, poll: boolean): void {
    if (poll) order.polls++
    const reissue = order.reissues.at(-1)
    if (order.status === 'reissue_pending' && reissue && poll) {
      if (++reissue.polls >= Math.max(1, order.scenario.pollsUntilReissued)) completeReissue(order)
      return
    }
    if (FINAL_STATUSES.has(order.status)) return
    const s = order.scenario
    if (s.approval === 'reject') {
      if (poll) {
        order.status = 'rejected'
        order.requestStatus = 'rejected'
      }
      return
    }
    if (order.certificateId === undefined) {
      const dueAfterPolls =
        s.approval === 'after-polls' &&
        poll &&
        order.polls >= Math.max(1, s.pollsUntilCertificateId)
      if (s.approval === 'immediate' || dueAfterPolls) assignCertificate(order)
    }
    if (
      order.certificateId !== undefined &&
      s.issue &&
      order.polls - (order.certificateIdAtPoll ?? 0) >= s.pollsUntilIssued
    )
      markIssued(order)
  }

  // ---- endpoints --------------------------------------------------------------------------------

  function createOrder(product: string, headers: IncomingMessage['headers'], text: string): Reply {
    if (!Object.hasOwn(PRODUCTS, product))
      throw new HttpError(404, [
        {
          code: 'not_found|product',
          message: `Unknown product '${product}'; this simulator orders code_signing and code_signing_ev.`
        }
      ])
    const contentType = headers['content-type'] ?? ''
    if (!/^application\/json\s*(;|$)/i.test(contentType))
      throw new HttpError(400, [
        {
          code: 'bad_request_format',
          message: `Content-Type must be application/json (got '${contentType}').`
        }
      ])
    let body: unknown
    try {
      body = JSON.parse(text) as unknown
    } catch {
      throw new HttpError(400, [
        { code: 'bad_request_format', message: 'The request body is not valid JSON.' }
      ])
    }
    const errors = validateOrderBody(body)
    if (errors.length > 0) throw new HttpError(400, errors)
    const accepted = body as Record<string, unknown>
    const renewed = checkRenewal(accepted)
    const alternativeId = accepted.alternative_order_id
    if (
      scenario.uniqueAlternativeOrderIds &&
      typeof alternativeId === 'string' &&
      orders.some(o => o.alternativeOrderId === alternativeId)
    )
      throw new HttpError(400, [
        {
          code: 'duplicate_alternative_order_id',
          message: `Alternative order ID ${alternativeId} is already in use; this account requires unique alternative order IDs.`
        }
      ])
    const org = accepted.organization as Record<string, unknown>
    const existingOrgId = typeof org.id === 'number' ? org.id : undefined
    const s = mergeScenario(scenario, {})
    const order: SimOrder = {
      id: ids.order++,
      product: product as Product,
      body: accepted,
      status: s.approval === 'needs-approval' ? 'needs_approval' : 'pending',
      requestId: ids.request++,
      requestStatus: 'pending',
      organizationId: existingOrgId ?? ids.organization++,
      createdOrganization: existingOrgId === undefined && s.createOrganization,
      scenario: s,
      polls: 0,
      createdAt: new Date(),
      reissues: [],
      replacedCertificateIds: [],
      visibleAt: now() + visibilityDelay(s),
      placedBy: 'api'
    }
    const orderEnd = multiYearEnd(accepted, order.createdAt)
    if (orderEnd !== undefined) order.orderValidTill = orderEnd
    const csr = (accepted.certificate as Record<string, unknown>).csr
    if (typeof csr === 'string') order.csr = csr
    if (typeof accepted.alternative_order_id === 'string')
      order.alternativeOrderId = accepted.alternative_order_id
    if (typeof accepted.cs_provisioning_method === 'string')
      order.provisioningMethod = accepted.cs_provisioning_method
    if (renewed !== undefined) {
      order.renewalOfOrderId = renewed.id
      renewed.renewedOrderId = order.id
    }
    orders.push(order)
    progress(order, false)
    return json(201, {
      id: order.id,
      requests: [{ id: order.requestId, status: order.requestStatus }],
      ...(order.certificateId !== undefined &&
        order.requestStatus === 'approved' && { certificate_id: order.certificateId }),
      ...(order.createdOrganization && { organization: { id: order.organizationId } })
    })
  }

  function requestInfo(order: SimOrder): Record<string, unknown> {
    return {
      id: order.requestId,
      type: 'new_request',
      status: order.requestStatus,
      date_created: timestamp(order.createdAt)
    }
  }

  function orderInfo(orderId: number): Reply {
    const order = orders.find(o => o.id === orderId)
    if (order === undefined)
      throw new HttpError(404, [
        { code: 'not_found|order', message: `Order ${orderId} not found.` }
      ])
    progress(order, true)
    const renewBefore = order.scenario.autoRenewWithinDays
    if (
      renewBefore !== undefined &&
      order.status === 'issued' &&
      order.renewedOrderId === undefined &&
      order.validTill !== undefined &&
      Date.parse(`${order.validTill}T23:59:59Z`) - Date.now() <= renewBefore * 86_400_000
    )
      renewElsewhere(order, 'pending')
    const certificateBody = order.body.certificate as Record<string, unknown>
    // During a reissue the order keeps the certificate issued before it.
    const issued = order.status === 'issued' || order.status === 'reissue_pending'
    const chain = issued ? authority.chainOf(order) : undefined
    const certificate: Record<string, unknown> = {
      ...(order.certificateId !== undefined && { id: order.certificateId }),
      signature_hash: certificateBody.signature_hash,
      ...(chain && {
        common_name: chain.commonName,
        thumbprint: chain.sha1Thumbprint.toUpperCase(),
        serial_number: chain.serialNumber,
        valid_from: day(chain.notBefore),
        valid_till: day(chain.notAfter),
        date_issued: timestamp(order.issuedAt ?? new Date())
      })
    }
    const s = order.scenario
    const organizationAt = s.organizationAt ?? 'top'
    if (organizationAt === 'certificate') certificate.organization = { id: order.organizationId }
    return json(200, {
      id: order.id,
      status: shownStatus(order, s),
      certificate,
      date_created: timestamp(order.createdAt),
      ...(organizationAt === 'top' && { organization: { id: order.organizationId } }),
      ...(organizationAt === 'top-without-id' && { organization: { name: 'Example Org' } }),
      product: {
        name_id: order.product,
        name: PRODUCTS[order.product],
        type: 'code_signing_certificate'
      },
      requests: [
        requestInfo(order),
        ...order.reissues.map(r => ({
          id: r.requestId,
          type: 'reissue',
          status: r.status,
          date_created: timestamp(r.createdAt)
        }))
      ],
      // A one-year order ends with its certificate; a multi-year order outlives it.
      ...(issued && {
        order_valid_till: order.orderValidTill
          ? timestamp(order.orderValidTill)
          : `${chain ? day(chain.notAfter) : order.validTill}T23:59:59+00:00`
      }),
      ...(order.alternativeOrderId !== undefined && {
        alternative_order_id: order.alternativeOrderId
      }),
      ...(order.provisioningMethod !== undefined && {
        cs_provisioning_method: order.provisioningMethod
      }),
      ...(order.renewalOfOrderId !== undefined && {
        is_renewal: true,
        renewal_of_order_id: order.renewalOfOrderId
      }),
      ...(order.renewedOrderId !== undefined &&
        ((scenario.renewedLink ?? 'shown') === 'shown' ||
          (scenario.renewedLink === 'after-refusal' && order.renewalRefused === true)) && {
          is_renewed: true,
          renewed_order_id: order.renewedOrderId
        }),
      ...(s.hardwareInitCode !== undefined &&
        HARDWARE_METHODS.has(order.provisioningMethod ?? '') && {
          hardware_init_code: s.hardwareInitCode
        })
    })
  }

  function download(
    order: SimOrder | undefined,
    what: string,
    format: string,
    certificateId = order?.certificateId
  ): Reply {
    if (order === undefined)
      throw new HttpError(404, [{ code: 'not_found|certificate', message: `${what} not found.` }])
    if (order.status !== 'issued' && order.status !== 'reissue_pending')
      throw new HttpError(400, [
        {
          code: 'certificate_not_issued',
          message: `The certificate for order ${order.id} has not been issued (order status ${order.status}).`
        }
      ])
    const served = authority.chainOf(order, certificateId)
    const bodies: Record<string, string> = {
      pem_all: served.pem,
      pem_noroot: [served.leafPem, served.intermediatePem].join('\n') + '\n'
    }
    const body = bodies[format]
    if (body === undefined)
      throw new HttpError(400, [
        {
          code: 'invalid_format',
          message: `Format '${format}' is not supported by the simulator (pem_all, pem_noroot).`
        }
      ])
    return { status: 200, headers: { 'content-type': 'application/x-pem-file' }, body }
  }

  function checkRateLimit(key: string): void {
    const now = Date.now()
    const log = (hits.get(key) ?? []).filter(t => now - t < THREE_MINUTES)
    hits.set(key, log)
    const recent = log.filter(t => now - t < FIVE_SECONDS).length
    const { perFiveSeconds, perThreeMinutes, retryAfterSeconds } = scenario.rateLimit
    if (recent >= perFiveSeconds || log.length >= perThreeMinutes)
      throw new HttpError(
        429,
        [
          {
            code: 'request_limit_exceeded',
            message: `Request limit exceeded: ${perFiveSeconds} per 5 seconds, ${perThreeMinutes} per 3 minutes.`
          }
        ],
        retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }
      )
    log.push(now)
  }

  /** The whole API minus faults: every request ends here, answered or not. */
  function handle(method: string, pathname: string, req: IncomingMessage, text: string): Reply {
    try {
      const at = pathname.indexOf(`${basePath}/`)
      if (at < 0 || !/^(\/[\w.-]+)*$/.test(pathname.slice(0, at))) throw routeNotFound()
      const route = pathname.slice(at + basePath.length)

      const given = req.headers['x-dc-devkey']
      const key = Array.isArray(given) ? given[0] : given
      if (key !== apiKey)
        throw new HttpError(401, [
          {
            code: 'access_denied|invalid_api_key',
            message: key === undefined ? 'Missing X-DC-DEVKEY header.' : 'The API key is invalid.'
          }
        ])
      checkRateLimit(key)

      let m: RegExpExecArray | null
      if (method === 'POST' && (m = /^\/order\/certificate\/([^/]+)$/.exec(route)))
        return createOrder(decodeURIComponent(m[1] ?? ''), req.headers, text)
      if (method === 'GET' && (m = /^\/order\/certificate\/(\d+)$/.exec(route)))
        return orderInfo(Number(m[1]))
      if (method === 'POST' && (m = /^\/order\/certificate\/(\d+)\/reissue$/.exec(route)))
        return reissueOrder(Number(m[1]), text)
      if (method === 'PUT' && (m = /^\/order\/certificate\/(\d+)\/status$/.exec(route)))
        return changeOrderStatus(Number(m[1]), text)
      if (method === 'PUT' && (m = /^\/request\/(\d+)\/status$/.exec(route)))
        return changeRequestStatus(Number(m[1]), text)
      if (method === 'GET' && (m = /^\/request\/(\d+)$/.exec(route))) {
        const requestId = Number(m[1])
        const order = orders.find(o => o.requestId === requestId)
        if (order === undefined)
          throw new HttpError(404, [
            { code: 'not_found|request', message: `Request ${requestId} not found.` }
          ])
        return json(200, { ...requestInfo(order), order: { id: order.id } })
      }
      if (method === 'GET' && (m = /^\/order\/alternate\/([^/]+)$/.exec(route))) {
        const alternativeId = decodeURIComponent(m[1] ?? '')
        const at = now()
        const found = orders.filter(
          o => o.alternativeOrderId === alternativeId && o.visibleAt <= at
        )
        const lookup = scenario.lookup ?? 'list'
        if (lookup.endsWith('always') || (lookup.endsWith('when-none') && found.length === 0)) {
          if (lookup.startsWith('html'))
            return { status: 404, headers: { 'content-type': 'text/html' }, body: htmlPage(404) }
          throw new HttpError(404, [
            { code: 'not_found|order', message: `No order carries ${alternativeId}.` }
          ])
        }
        return json(200, {
          orders: found.map(o => ({
            order_id: o.id,
            ...(o.certificateId !== undefined && { certificate_id: o.certificateId }),
            status: shownStatus(o, o.scenario)
          })),
          page: { total: found.length, limit: 1000, offset: 0 }
        })
      }
      if (
        method === 'GET' &&
        (m = /^\/certificate\/(\d+)\/download\/format\/([^/]+)$/.exec(route))
      ) {
        const certificateId = Number(m[1])
        const order = orders.find(
          o => o.certificateId === certificateId || o.replacedCertificateIds.includes(certificateId)
        )
        return download(order, `Certificate ${certificateId}`, m[2] ?? '', certificateId)
      }
      if (
        method === 'GET' &&
        (m = /^\/certificate\/download\/order\/(\d+)\/format\/([^/]+)$/.exec(route))
      ) {
        const orderId = Number(m[1])
        return download(
          orders.find(o => o.id === orderId),
          `Order ${orderId}`,
          m[2] ?? ''
        )
      }
      const createdIds = orders.filter(o => o.createdOrganization).map(o => o.organizationId)
      const preflight = answerPreflight(directory, method, route, createdIds)
      if (preflight) return json(preflight.status, preflight.body)
      throw routeNotFound()
    } catch (error) {
      if (error instanceof HttpError)
        return json(error.status, { errors: error.errors }, error.headers)
      return errorReply(
        500,
        'internal_server_error',
        `Simulator error: ${error instanceof Error ? error.message : String(error)}`
      )
    }
  }

  // ---- transport and faults ---------------------------------------------------------------------

  const heldPosts: (() => void)[] = []
  const heldReissues: (() => void)[] = []
  /** Holds an order POST until holdOrderPostsUntil of them wait; the last to arrive frees them all. */
  function orderPostBarrier(
    needed = scenario.holdOrderPostsUntil,
    held = heldPosts
  ): Promise<void> {
    const heldPosts = held
    if (needed <= 1) return Promise.resolve()
    return new Promise(resolve => {
      heldPosts.push(resolve)
      const release = (): void => {
        for (const next of heldPosts.splice(0)) next()
      }
      if (heldPosts.length >= needed) release()
      else {
        const timer = setTimeout(() => {
          timers.delete(timer)
          release()
        }, 10_000)
        timers.add(timer)
      }
    })
  }

  function send(res: ServerResponse, reply: Reply): void {
    if (res.destroyed) return
    res.writeHead(reply.status, {
      ...reply.headers,
      'content-length': String(Buffer.byteLength(reply.body))
    })
    res.end(reply.body)
  }

  function takeFault(method: string, pathname: string): Fault | undefined {
    const index = faults.findIndex(
      f =>
        (f.match.method === undefined || f.match.method.toUpperCase() === method) &&
        (f.match.path === undefined ||
          new RegExp(f.match.path.source, f.match.path.flags.replace(/[gy]/g, '')).test(pathname))
    )
    const entry = faults[index]
    if (entry === undefined) return undefined
    if (--entry.remaining <= 0) faults.splice(index, 1)
    return entry.fault
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now()
    const method = (req.method ?? 'GET').toUpperCase()
    const path = req.url ?? '/'
    const pathname = path.split('?')[0] ?? '/'
    const text = await readBody(req)
    requests.push({ method, path, headers: { ...req.headers }, body: parseBody(text), at })

    if (method === 'POST' && /\/order\/certificate\/[^/]+$/.test(pathname)) await orderPostBarrier()
    if (method === 'POST' && /\/reissue$/.test(pathname))
      await orderPostBarrier(scenario.holdReissuePostsUntil ?? 0, heldReissues)
    const fault = takeFault(method, pathname)
    const run = (): Reply => handle(method, pathname, req, text)
    if (fault === undefined) return send(res, run())
    if ('processed' in fault && fault.processed === true) run()
    switch (fault.kind) {
      case 'status': {
        const body = fault.body === undefined ? defaultFaultBody(fault.status) : fault.body
        const reply =
          typeof body === 'string'
            ? { status: fault.status, headers: { 'content-type': 'text/plain' }, body }
            : json(fault.status, body)
        return send(res, { ...reply, headers: { ...reply.headers, ...fault.headers } })
      }
      case 'drop-after-processing':
        run()
        req.socket.destroy()
        return
      case 'drop-before-processing':
        req.socket.destroy()
        return
      case 'hang':
        return // the socket is destroyed by close()
      case 'truncate-body': {
        const reply = run()
        const full = Buffer.from(reply.body)
        res.writeHead(reply.status, { ...reply.headers, 'content-length': String(full.length) })
        res.write(full.subarray(0, Math.floor(full.length / 2)), () => req.socket.destroy())
        return
      }
      case 'not-json':
        return send(res, {
          status: 200,
          headers: { 'content-type': 'text/plain' },
          body: 'OK but not json'
        })
      case 'html':
        return send(res, {
          status: fault.status,
          headers: { 'content-type': 'text/html' },
          body: htmlPage(fault.status)
        })
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer)
          send(res, run())
        }, fault.ms)
        timers.add(timer)
        return
      }
    }
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) send(res, errorReply(500, 'internal_server_error', 'Simulator error.'))
      else res.destroy()
    })
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('clientError', (_error, socket) => socket.destroy())

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('simulator: no TCP address')
  const origin = `http://127.0.0.1:${address.port}`

  function lastIssued(): CertificateChain {
    const issued = orders.filter(o => o.status === 'issued' && o.issuedAt !== undefined)
    const last = issued
      .sort((a, b) => a.issuedAt!.getTime() - b.issuedAt!.getTime() || a.id - b.id)
      .at(-1)
    if (last === undefined) throw new Error('simulator: no order is issued')
    return authority.chainOf(last)
  }

  let closing: Promise<void> | undefined
  return {
    url: `${origin}${basePath}`,
    euUrl: `${origin}/eu${basePath}`,
    apiKey,
    requests,
    orders,
    directory,
    chainOf(orderId) {
      const order = findOrder(orderId)
      if (order.status !== 'issued') throw new Error(`simulator: order ${orderId} is not issued`)
      return authority.chainOf(order)
    },
    get chain() {
      return lastIssued()
    },
    get chainPem() {
      return lastIssued().pem
    },
    get leafDer() {
      return lastIssued().leafDer
    },
    setScenario(patch) {
      scenario = mergeScenario(scenario, patch)
    },
    reset() {
      scenario = mergeScenario(initialScenario, {})
      delaysUsed = 0
      faults.length = 0
    },
    clearFaults() {
      faults.length = 0
    },
    failNext(match, fault, times = 1) {
      if (times < 1) throw new Error('simulator: failNext times must be 1 or more')
      faults.push({ match, fault, remaining: times })
    },
    approve(orderId) {
      const order = findOrder(orderId)
      if (FINAL_STATUSES.has(order.status)) return
      assignCertificate(order)
      progress(order, false)
    },
    issueNow(orderId) {
      markIssued(findOrder(orderId))
    },
    issueReissue(orderId) {
      completeReissue(findOrder(orderId))
    },
    certificateOf(orderId) {
      return Promise.resolve(authority.chainOf(findOrder(orderId)))
    },
    setStatus(orderId, status) {
      findOrder(orderId).status = status
    },
    setValidTill(orderId, validTill) {
      findOrder(orderId).validTill = validTill
    },
    liveOrders() {
      return orders.filter(o => !['canceled', 'rejected', 'revoked', 'expired'].includes(o.status))
    },
    renewElsewhere(orderId, status = 'issued') {
      return renewElsewhere(findOrder(orderId), status)
    },
    cancelReissue(orderId) {
      const order = findOrder(orderId)
      const reissue = order.reissues.at(-1)
      if (order.status !== 'reissue_pending' || reissue === undefined)
        throw new Error(`simulator: order ${orderId} has no pending reissue`)
      reissue.status = 'rejected'
      order.status = 'issued'
    },
    foreignPuts(key, since = 0) {
      return requests.slice(since).filter(r => {
        if (r.method !== 'PUT') return false
        const order = /\/order\/certificate\/(\d+)\/status$/.exec(r.path)
        const request = /\/request\/(\d+)\/status$/.exec(r.path)
        const target = order
          ? orders.find(o => o.id === Number(order[1]))
          : request && orders.find(o => o.requestId === Number(request[1]))
        return (
          !target ||
          target.placedBy !== 'api' ||
          target.alternativeOrderId === undefined ||
          (key !== undefined && target.alternativeOrderId !== key)
        )
      })
    },
    close() {
      closing ??= new Promise<void>(resolve => {
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
      return closing
    }
  }
}

// `npx tsx __tests__/support/simulator.ts`: a simulator for local demos. Environment: SIMULATOR_PORT,
// SIMULATOR_API_KEY, SIMULATOR_APPROVAL. Everything goes to stderr; stops on SIGINT/SIGTERM.
async function main(): Promise<void> {
  const approval = process.env.SIMULATOR_APPROVAL as Approval | undefined
  const sim = await startSimulator({
    port: Number(process.env.SIMULATOR_PORT ?? 0),
    ...(process.env.SIMULATOR_API_KEY !== undefined && { apiKey: process.env.SIMULATOR_API_KEY }),
    ...(approval !== undefined && { scenario: { approval } })
  })
  process.stderr.write(
    `CertCentral simulator listening\n  api-url:    ${sim.url}\n  EU api-url: ${sim.euUrl}\n  api-key:    ${sim.apiKey}\n`
  )
  const stop = (): void => {
    void sim.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

function isMainModule(): boolean {
  const script = process.argv[1]
  if (script === undefined) return false
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isMainModule()) {
  main().catch((error: unknown) => {
    process.stderr.write(`simulator failed: ${String(error)}\n`)
    process.exitCode = 1
  })
}
