// The simulator's answers to the pre-flight GETs, in DigiCert's shapes (shared/reference
// certcentral-beyond-the-order-page.md, "Pre-flight facts"): organizations and their validations,
// the API key's user and the products. A directory of fixed organizations covers each case:
//
//   12345  active; cs and ev_cs validations active for a year; verified contacts 12345 and 67890
//   22222  active; cs and ev_cs validations pending
//   33333  active; its cs validation says active but ended 30 days ago, its ev_cs one is expired
//   44444  active; a cs validation only (active for a year), no ev_cs
//   55555  inactive
//   any other id: 404 not_found|organization (missing), unless an order created it (then it is
//   active, its validations pending)
//
// Tests change the directory in place (`sim.directory`): the user's role, a product's lists, a
// key limited by its own role (`limitedKey`: every pre-flight endpoint answers 403).
// Must not import anything from src/.

export interface SimUser {
  id: number
  first_name: string
  last_name: string
}

export interface SimValidation {
  type: string
  name: string
  description: string
  date_created: string
  validated_until?: string
  status: string
  verified_users: SimUser[]
}

export interface SimOrganization {
  id: number
  status: string
  name: string
  display_name: string
  is_active: boolean
  country: string
  verified_contacts: SimUser[]
  validations: SimValidation[]
}

/** CertCentral's access roles; only administrators and managers may skip approval. */
export const ROLES = {
  1: 'Administrator',
  2: 'Limited user',
  3: 'Finance manager',
  4: 'Manager',
  5: 'Standard user'
} as const
export type RoleId = keyof typeof ROLES

export interface SimApiUser {
  id: number
  username: string
  first_name: string
  last_name: string
  email: string
  access_roles: { id: number; name: string }[]
}

export interface PreflightDirectory {
  organizations: Map<number, SimOrganization>
  /** The user the API key belongs to (GET /user/me). */
  user: SimApiUser
  /** GET /product/{name_id} answers, by name_id. */
  products: Map<string, Record<string, unknown>>
  /** A key limited by its own role (orders only): every pre-flight endpoint answers 403. */
  limitedKey: boolean
  /** Gives the key's user this one role. */
  setRole(role: RoleId): void
}

export interface PreflightReply {
  status: number
  body: unknown
}

const DAY = 86_400_000
const JANE: SimUser = { id: 12345, first_name: 'Jane', last_name: 'Doe' }
const JOHN: SimUser = { id: 67890, first_name: 'John', last_name: 'Roe' }

/** DigiCert-style timestamps: 2026-01-02T03:04:05+00:00. */
const timestamp = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, '+00:00')

const DESCRIPTIONS: Record<string, [string, string]> = {
  cs: ['CS', 'Code Signing Organization Validation'],
  ev_cs: ['EV CS', 'EV Code Signing Organization Validation']
}

function validation(
  type: 'cs' | 'ev_cs',
  status: string,
  until: Date | undefined,
  users: SimUser[],
  now: Date
): SimValidation {
  const [name, description] = DESCRIPTIONS[type] ?? [type, type]
  return {
    type,
    name,
    description,
    date_created: timestamp(new Date(now.getTime() - 400 * DAY)),
    ...(until && { validated_until: timestamp(until) }),
    status,
    verified_users: users
  }
}

function organization(
  id: number,
  name: string,
  active: boolean,
  contacts: SimUser[],
  validations: SimValidation[]
): SimOrganization {
  return {
    id,
    status: active ? 'active' : 'inactive',
    name,
    display_name: name,
    is_active: active,
    country: 'us',
    verified_contacts: contacts,
    validations
  }
}

function product(nameId: string, name: string, validationType: string): Record<string, unknown> {
  return {
    group_name: 'code_signing_certificate',
    name_id: nameId,
    name,
    type: 'code_signing_certificate',
    validation_type: validationType,
    allowed_validity_years: [1, 2, 3],
    allowed_order_validity_years: [1, 2, 3],
    signature_hash_types: {
      allowed_hash_types: [
        { id: 'sha256', name: 'SHA-256' },
        { id: 'sha384', name: 'SHA-384' },
        { id: 'sha512', name: 'SHA-512' }
      ],
      default_hash_type_id: 'sha256'
    }
  }
}

export function createDirectory(now = new Date()): PreflightDirectory {
  const inAYear = new Date(now.getTime() + 365 * DAY)
  const ended = new Date(now.getTime() - 30 * DAY)
  const both = [JANE, JOHN]
  const organizations = new Map<number, SimOrganization>(
    [
      organization(12345, 'Example Software Ltd', true, both, [
        validation('cs', 'active', inAYear, both, now),
        validation('ev_cs', 'active', inAYear, both, now)
      ]),
      organization(
        22222,
        'Pending Validation Inc',
        true,
        [JANE],
        [
          validation('cs', 'pending', undefined, [], now),
          validation('ev_cs', 'pending', undefined, [], now)
        ]
      ),
      organization(
        33333,
        'Lapsed Validation GmbH',
        true,
        [JANE],
        [
          validation('cs', 'active', ended, [JANE], now),
          validation('ev_cs', 'expired', ended, [JANE], now)
        ]
      ),
      organization(
        44444,
        'Code Signing Only LLC',
        true,
        [JANE],
        [validation('cs', 'active', inAYear, [JANE], now)]
      ),
      organization(55555, 'Dormant Corp', false, [], [])
    ].map(org => [org.id, org])
  )
  const directory: PreflightDirectory = {
    organizations,
    user: {
      id: 900001,
      username: 'release-bot',
      first_name: 'Release',
      last_name: 'Bot',
      email: 'release-bot@example.com',
      access_roles: [{ id: 1, name: ROLES[1] }]
    },
    products: new Map([
      ['code_signing', product('code_signing', 'Code Signing Certificate', 'ov')],
      ['code_signing_ev', product('code_signing_ev', 'EV Code Signing Certificate', 'ev')]
    ]),
    limitedKey: false,
    setRole(role) {
      directory.user.access_roles = [{ id: role, name: ROLES[role] }]
    }
  }
  return directory
}

const notFound = (code: string, message: string): PreflightReply => ({
  status: 404,
  body: { errors: [{ code, message }] }
})

/** An organization an order created: it exists, and DigiCert has yet to validate it. */
function created(id: number, now: Date): SimOrganization {
  return organization(
    id,
    `Organization ${id}`,
    true,
    [],
    [
      validation('cs', 'pending', undefined, [], now),
      validation('ev_cs', 'pending', undefined, [], now)
    ]
  )
}

/**
 * The answer to a pre-flight GET, or undefined when `route` is none of them. `createdIds` are the
 * organizations that orders created.
 */
export function answerPreflight(
  directory: PreflightDirectory,
  method: string,
  route: string,
  createdIds: readonly number[]
): PreflightReply | undefined {
  if (method !== 'GET') return undefined
  const org = /^\/organization\/(\d+)(\/validation)?$/.exec(route)
  const isPreflight = org !== null || route === '/user/me' || /^\/product\/[^/]+$/.test(route)
  if (!isPreflight) return undefined
  if (directory.limitedKey) {
    return {
      status: 403,
      body: {
        errors: [
          {
            code: 'access_denied|missing_permission',
            message: 'The API key does not have permission to this resource.'
          }
        ]
      }
    }
  }
  if (org) {
    const id = Number(org[1])
    const found =
      directory.organizations.get(id) ??
      (createdIds.includes(id) ? created(id, new Date()) : undefined)
    if (!found) return notFound('not_found|organization', `Organization ${id} not found.`)
    if (org[2]) return { status: 200, body: { validations: found.validations } }
    // The organization endpoint does not document `validations`; it is left out here.
    const info: Partial<SimOrganization> = { ...found }
    delete info.validations
    return { status: 200, body: info }
  }
  if (route === '/user/me') return { status: 200, body: directory.user }
  const nameId = decodeURIComponent(route.slice('/product/'.length))
  const answer = directory.products.get(nameId)
  return answer
    ? { status: 200, body: answer }
    : notFound('not_found|product', `Product ${nameId} not found.`)
}
