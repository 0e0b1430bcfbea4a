// The facts the pre-flight reads before an order is placed: four GETs, one function each, sent
// together. Each is sent once, never retried, so that the pre-flight costs at most four requests;
// one that fails is a fact that could not be read, never an error of the run.
import { optional } from '../order/optional.js'
import { CertCentralError } from './errors.js'
import { requestJson } from './http.js'
import type { Api } from './orders.js'
import { oneLine } from '../server-text.js'

/** A pre-flight request may take this long: the diagnosis must not hold the order up. */
export const PREFLIGHT_REQUEST_MS = 10_000

export interface UserRef {
  id: number
}

/** An entry of GET /organization/{id}/validation. Strings are server text, unquoted. */
export interface ValidationFact {
  /** `cs`, `ev_cs`, ... */
  type: string
  status: string
  /** ISO 8601, as sent. */
  validatedUntil?: string
  /** undefined when the answer has no verified_users. */
  verifiedUserIds?: number[]
}

/** GET /organization/{id}. */
export interface OrganizationFact {
  status?: string
  isActive?: boolean
  /** undefined when the answer has no verified_contacts. */
  verifiedContactIds?: number[]
  /** Not documented on this endpoint, but some answers carry it. */
  validations?: ValidationFact[]
}

/** GET /user/me: the user the API key belongs to. */
export interface UserFact {
  id?: number
  username?: string
  roles: { id?: number; name?: string }[]
}

/** GET /product/{name_id}. */
export interface ProductFact {
  /** allowed_validity_years and allowed_order_validity_years together; undefined when neither. */
  allowedYears?: number[]
  /** allowed_hash_types[].id; undefined when absent. */
  hashTypes?: string[]
}

/** What one GET brought: the fact, or why it could not be read. */
export type FactAnswer<T> =
  | { ok: true; value: T }
  | {
      ok: false
      /** The HTTP status, when CertCentral answered. */
      status?: number
      /** CertCentral's error codes, server text. */
      codes: string[]
      /** One line, for the log: what failed. */
      reason: string
    }

/** Which facts to read; each one absent is not asked for. */
export interface PreflightQuestions {
  organizationId?: number
  user: boolean
  product?: { nameId: string; containerId?: number }
}

export interface PreflightFacts {
  validations?: FactAnswer<ValidationFact[]>
  organization?: FactAnswer<OrganizationFact>
  user?: FactAnswer<UserFact>
  product?: FactAnswer<ProductFact>
  /** Requests sent. */
  requests: number
}

export async function readPreflightFacts(
  api: Api,
  questions: PreflightQuestions
): Promise<PreflightFacts> {
  const conn = {
    ...api.conn,
    requestTimeoutMs: Math.min(api.conn.requestTimeoutMs, PREFLIGHT_REQUEST_MS)
  }
  // Secrets out of every text of the answers before any finding quotes (and cuts) them: an answer
  // may echo the request, and a cut made first could leave part of a card number.
  const get = (path: string) =>
    requestJson(conn, 'GET', path).then(body => record(scrubbed(body, conn.scrub)))
  const { organizationId: org, product } = questions
  // Sent together; each settles on its own, so one failure leaves the others' answers.
  const [v, o, u, p] = await Promise.allSettled([
    org === undefined ? undefined : get(`/organization/${org}/validation`),
    org === undefined ? undefined : get(`/organization/${org}`),
    questions.user ? get('/user/me') : undefined,
    product === undefined ? undefined : get(productPath(product.nameId, product.containerId))
  ])
  const facts = {
    validations: answer(v, validations),
    organization: answer(o, organization),
    user: answer(u, user),
    product: answer(p, productFact)
  }
  return {
    ...optional('validations', facts.validations),
    ...optional('organization', facts.organization),
    ...optional('user', facts.user),
    ...optional('product', facts.product),
    requests: Object.values(facts).filter(a => a !== undefined).length
  }
}

function productPath(nameId: string, containerId: number | undefined): string {
  const query = containerId === undefined ? '' : `?container_id=${containerId}`
  return `/product/${encodeURIComponent(nameId)}${query}`
}

/** The fact one GET brought, why it could not be read, or undefined when it was not asked. */
function answer<T>(
  result: PromiseSettledResult<Record<string, unknown> | undefined>,
  parse: (body: Record<string, unknown>) => T
): FactAnswer<T> | undefined {
  // A question not asked settles as fulfilled with undefined: allSettled wraps every value.
  if (result.status === 'fulfilled') {
    return result.value === undefined ? undefined : { ok: true, value: parse(result.value) }
  }
  const error: unknown = result.reason
  if (error instanceof CertCentralError) {
    const codes = error.errors.map(e => oneLine(e.code, 60))
    return {
      ok: false,
      status: error.status,
      codes,
      reason: `CertCentral answered ${error.status}${codes.length > 0 ? ` ${codes.join(', ')}` : ''}`
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { ok: false, codes: [], reason: oneLine(message.split('\n')[0] ?? '') }
}

function validations(body: Record<string, unknown>): ValidationFact[] {
  return validationList(body.validations) ?? []
}

function validationList(value: unknown): ValidationFact[] | undefined {
  if (!Array.isArray(value)) return undefined
  return value.flatMap((entry: unknown) => {
    const v = record(entry)
    const type = text(v.type)
    if (type === undefined) return []
    return [
      {
        type,
        status: text(v.status) ?? 'unknown',
        ...optional('validatedUntil', text(v.validated_until)),
        ...optional('verifiedUserIds', ids(v.verified_users))
      }
    ]
  })
}

function organization(body: Record<string, unknown>): OrganizationFact {
  return {
    ...optional('status', text(body.status)),
    ...optional('isActive', flag(body.is_active)),
    ...optional('verifiedContactIds', ids(body.verified_contacts)),
    ...optional('validations', validationList(body.validations))
  }
}

function user(body: Record<string, unknown>): UserFact {
  const roles = Array.isArray(body.access_roles) ? body.access_roles : []
  return {
    ...optional('id', integer(body.id)),
    ...optional('username', text(body.username)),
    roles: roles.map((entry: unknown) => {
      const role = record(entry)
      return { ...optional('id', integer(role.id)), ...optional('name', text(role.name)) }
    })
  }
}

function productFact(body: Record<string, unknown>): ProductFact {
  const years = [body.allowed_validity_years, body.allowed_order_validity_years].filter(
    Array.isArray
  )
  const hashes = record(body.signature_hash_types).allowed_hash_types
  return {
    ...optional(
      'allowedYears',
      years.length === 0 ? undefined : [...new Set(years.flat().flatMap(y => integerList(y)))]
    ),
    ...optional(
      'hashTypes',
      Array.isArray(hashes)
        ? hashes.flatMap((h: unknown) => {
            const id = text(record(h).id)
            return id === undefined ? [] : [id]
          })
        : undefined
    )
  }
}

/** Users as objects with an id (or bare IDs); undefined when the field is absent. */
function ids(value: unknown): number[] | undefined {
  if (!Array.isArray(value)) return undefined
  return value.flatMap((entry: unknown) => {
    const id = integer(typeof entry === 'object' ? record(entry).id : entry)
    return id === undefined ? [] : [id]
  })
}

function integerList(value: unknown): number[] {
  const n = integer(value)
  return n === undefined ? [] : [n]
}

/** Every string in a JSON value, scrubbed. */
function scrubbed(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value)
  if (Array.isArray(value)) return value.map(v => scrubbed(v, scrub))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubbed(v, scrub)]))
  }
  return value
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

/** Numbers, or numeric strings as some answers give them ("1"). */
function integer(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value)
  return typeof value === 'string' && value !== '' ? value : undefined
}

function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (value === 1 || value === '1' || value === 'true') return true
  if (value === 0 || value === '0' || value === 'false') return false
  return undefined
}
