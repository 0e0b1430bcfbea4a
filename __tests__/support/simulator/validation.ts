// Validation of POST /order/certificate/{code_signing|code_signing_ev} bodies, written from the API
// page (shared/reference/order-code-signing.md, sections 3-5) and independent of src/. A small table of
// field rules does the per-field work (types, required, allowed values, lengths, unknown keys); a few
// cross-field rules follow the table.
import * as x509 from '@peculiar/x509'
import '../certificates.js' // sets the x509 crypto provider and loads reflect-metadata

export interface ApiError {
  code: string
  message: string
}

type Rule =
  | { type: 'string'; max?: number; oneOf?: readonly string[]; pattern?: RegExp; hint?: string }
  | { type: 'int'; min?: number; max?: number }
  | { type: 'bool' }
  | { type: 'object'; fields: Fields }
  | { type: 'array'; items: Rule }
  | { type: 'any-of'; rules: readonly Rule[]; hint: string }

type Field = Rule & { required?: boolean }
type Fields = Readonly<Record<string, Field>>

const str = (extra: Omit<Extract<Rule, { type: 'string' }>, 'type'> = {}): Rule => ({
  type: 'string',
  ...extra
})
const int = (extra: Omit<Extract<Rule, { type: 'int' }>, 'type'> = {}): Rule => ({
  type: 'int',
  ...extra
})
const bool: Rule = { type: 'bool' }
const obj = (fields: Fields): Rule => ({ type: 'object', fields })
const req = (rule: Rule): Field => ({ ...rule, required: true })

export const CONTACT_TYPES = [
  'organization_contact',
  'technical_contact',
  'verified_contact',
  'ev_approver'
] as const
export const PROVISIONING_METHODS = ['ship_token', 'client_app', 'email', 'keylocker'] as const
export const SIGNATURE_HASHES = ['sha256', 'sha384', 'sha512'] as const
/** The page names `card` and `profile`; `balance` is CertCentral's account-balance method. */
export const PAYMENT_METHODS = ['balance', 'card', 'profile'] as const

// ISO 3166-1 alpha-2 (officially assigned codes).
const ISO_COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS ' +
    'BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE ' +
    'EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM ' +
    'HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
    'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ' +
    'NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO ' +
    'TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' ')
)

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']

const CONTACT_FIELDS: Fields = {
  contact_type: req(str({ oneOf: CONTACT_TYPES })),
  // The page types user_id as string but its examples send numbers: accept both.
  user_id: {
    type: 'any-of',
    rules: [int({ min: 1 }), str({ pattern: /^\d+$/ })],
    hint: 'an integer user ID'
  },
  first_name: str({ max: 128 }),
  last_name: str({ max: 128 }),
  job_title: str({ max: 64 }),
  telephone: str({ max: 32 }),
  telephone_extension: str({ max: 16 }),
  email: str({ max: 255 })
}

const ORDER_CONTACT_FIELDS: Fields = {
  first_name: req(str()),
  last_name: req(str()),
  email: req(str()),
  job_title: str(),
  telephone: str(),
  telephone_extension: str()
}

const CUSTOM_FIELD = obj({ metadata_id: req(int()), value: req(str()) })

/** The request body table (section 3). */
export const ORDER_BODY: Fields = {
  certificate: req(
    obj({
      csr: str(),
      signature_hash: req(str({ oneOf: SIGNATURE_HASHES })),
      ca_cert_id: str(),
      server_platform: obj({ id: int() }),
      organization_units: { type: 'array', items: str() }
    })
  ),
  auto_renew: int({ min: 0 }),
  additional_emails: { type: 'array', items: str({ pattern: /^[^@\s]+@[^@\s]+$/, hint: 'email' }) },
  renewal_of_order_id: int({ min: 1 }),
  skip_approval: bool,
  organization_contact: obj(ORDER_CONTACT_FIELDS),
  technical_contact: obj(ORDER_CONTACT_FIELDS),
  organization: req(
    obj({
      id: int({ min: 1 }),
      name: str(), // the 64 / 61 limit depends on assumed_name: checked below
      assumed_name: str(),
      country: str(),
      address: str({ max: 64 }),
      address2: str({ max: 64 }),
      city: str({ max: 64 }),
      state: str({ max: 64 }),
      zip: str({ max: 128 }),
      telephone: str({ max: 32 }),
      contacts: { type: 'array', items: obj(CONTACT_FIELDS) },
      skip_duplicate_org_check: bool
    })
  ),
  container: obj({ id: req(int()) }),
  order_validity: req(
    obj({
      years: int({ min: 1, max: 3 }),
      days: int({ min: 1 }),
      custom_expiration_date: str()
    })
  ),
  validity_years: int({ min: 1, max: 3 }),
  custom_expiration_date: str({ pattern: /^\d{4}-\d{2}-\d{2}$/, hint: 'yyyy-MM-dd' }),
  cs_provisioning_method: str({ oneOf: PROVISIONING_METHODS }),
  ship_info: obj({
    name: req(str()),
    addr1: req(str()),
    addr2: str(),
    city: req(str()),
    state: req(str()),
    zip: req(str()),
    country: req(str()),
    method: req(str({ oneOf: ['STANDARD', 'EXPEDITED'] }))
  }),
  subject: obj({ email: str() }),
  // The page describes an object; CertCentral clients send an array of them: accept both.
  custom_fields: {
    type: 'any-of',
    rules: [CUSTOM_FIELD, { type: 'array', items: CUSTOM_FIELD }],
    hint: 'a custom field object or an array of them'
  },
  payment_method: str({ oneOf: PAYMENT_METHODS }),
  credit_card: obj({
    number: req(str({ pattern: /^\d{12,19}$/, hint: 'digits' })),
    expiration_month: req(int({ min: 1, max: 12 })),
    expiration_year: req(int({ min: 1000, max: 9999 })),
    cvv: req(int({ min: 0, max: 9999 })),
    cardholder_name: req(str())
  }),
  billing_address: obj({
    address: req(str()),
    address2: str(),
    city: req(str()),
    state: str(),
    country: req(str()),
    zip: str()
  }),
  vat_number: str(),
  alternative_order_id: str({ max: 64, pattern: /^[A-Za-z0-9]+$/, hint: 'alphanumeric' }),
  enable_guest_access: int({ min: 0, max: 1 })
}

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Checks one value against one rule; returns the violations (empty when it conforms). */
function checkRule(path: string, value: unknown, rule: Rule): ApiError[] {
  const wrongType = (expected: string): ApiError[] => [
    {
      code: 'invalid_type',
      message: `${path}: expected ${expected}, got ${jsonType(value)}`
    }
  ]
  switch (rule.type) {
    case 'string': {
      if (typeof value !== 'string') return wrongType('a string')
      const errors: ApiError[] = []
      if (rule.max !== undefined && value.length > rule.max)
        errors.push({
          code: 'value_too_long',
          message: `${path}: ${value.length} characters, the limit is ${rule.max}`
        })
      if (rule.oneOf !== undefined && !rule.oneOf.includes(value))
        errors.push({
          code: 'invalid_value',
          message: `${path}: '${value}' is not one of ${rule.oneOf.join(', ')}`
        })
      if (rule.pattern !== undefined && value !== '' && !rule.pattern.test(value))
        errors.push({
          code: 'invalid_value',
          message: `${path}: '${value}' is not ${rule.hint ?? `in the format ${String(rule.pattern)}`}`
        })
      return errors
    }
    case 'int': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType('an integer')
      if (
        (rule.min !== undefined && value < rule.min) ||
        (rule.max !== undefined && value > rule.max)
      )
        return [
          {
            code: 'invalid_value',
            message: `${path}: ${value} is outside ${rule.min ?? '-inf'}..${rule.max ?? 'inf'}`
          }
        ]
      return []
    }
    case 'bool':
      return typeof value === 'boolean' ? [] : wrongType('a boolean')
    case 'array':
      if (!Array.isArray(value)) return wrongType('an array')
      return value.flatMap((item, i) => checkRule(`${path}[${i}]`, item, rule.items))
    case 'object':
      if (!isObject(value)) return wrongType('an object')
      return checkFields(path, value, rule.fields)
    case 'any-of': {
      const attempts = rule.rules.map(r => checkRule(path, value, r))
      if (attempts.some(a => a.length === 0)) return []
      const typeOk = attempts.find(a => a.every(e => e.code !== 'invalid_type'))
      return typeOk ?? wrongType(rule.hint)
    }
  }
}

function checkFields(path: string, value: Record<string, unknown>, fields: Fields): ApiError[] {
  const prefix = path === '' ? '' : `${path}.`
  const errors: ApiError[] = []
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(fields, key))
      errors.push({ code: 'unknown_param', message: `${prefix}${key}: unknown parameter` })
  }
  for (const [key, field] of Object.entries(fields)) {
    const v = value[key]
    if (v === undefined) {
      if (field.required === true)
        errors.push({ code: 'missing_param', message: `${prefix}${key}: is required` })
      continue
    }
    if (field.required === true && typeof v === 'string' && v.trim() === '')
      errors.push({ code: 'invalid_value', message: `${prefix}${key}: is empty` })
    errors.push(...checkRule(`${prefix}${key}`, v, field))
  }
  return errors
}

const NEW_ORG_REQUIRED = [
  'name',
  'address',
  'city',
  'state',
  'zip',
  'country',
  'telephone'
] as const
const NEW_ORG_FIELDS = [...NEW_ORG_REQUIRED, 'assumed_name', 'address2'] as const

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null
}

/** Present and, for strings, not blank. */
function isGiven(value: unknown): boolean {
  return isPresent(value) && !(typeof value === 'string' && value.trim() === '')
}

function checkOrganization(org: Record<string, unknown>): ApiError[] {
  const errors: ApiError[] = []
  const hasId = isPresent(org.id)
  const newFields = NEW_ORG_FIELDS.filter(f => isPresent(org[f]))
  if (hasId && newFields.length > 0)
    errors.push({
      code: 'invalid_value',
      message: `organization: give either id (existing organization) or new organization details, not both (${newFields.join(', ')})`
    })
  if (!hasId) {
    for (const f of NEW_ORG_REQUIRED)
      if (!isGiven(org[f]))
        errors.push({
          code: 'missing_param',
          message: `organization.${f}: is required when creating a new organization (no organization.id)`
        })
  }
  const { name, assumed_name: assumed, country } = org
  if (typeof name === 'string') {
    if (typeof assumed === 'string' && assumed !== '') {
      if (name.length + assumed.length > 61)
        errors.push({
          code: 'value_too_long',
          message: `organization.name + organization.assumed_name: ${name.length + assumed.length} characters, the limit is 61`
        })
    } else if (name.length > 64) {
      errors.push({
        code: 'value_too_long',
        message: `organization.name: ${name.length} characters, the limit is 64`
      })
    }
  }
  if (typeof country === 'string' && !ISO_COUNTRIES.has(country.toUpperCase()))
    errors.push({
      code: 'invalid_value',
      message: `organization.country: '${country}' is not an ISO 3166-1 alpha-2 code`
    })
  const contacts = Array.isArray(org.contacts) ? org.contacts : []
  contacts.forEach((contact: unknown, i) => {
    if (!isObject(contact) || isPresent(contact.user_id)) return
    const type = contact.contact_type
    const verified = type === 'verified_contact' || type === 'ev_approver'
    const needed = [
      'first_name',
      'last_name',
      'email',
      ...(verified ? ['job_title', 'telephone'] : [])
    ]
    for (const f of needed)
      if (!isGiven(contact[f]))
        errors.push({
          code: 'missing_param',
          message: `organization.contacts[${i}].${f}: is required for a ${String(type)} without user_id`
        })
  })
  return errors
}

function checkValidity(validity: Record<string, unknown>, now: Date): ApiError[] {
  const given = (['years', 'days', 'custom_expiration_date'] as const).filter(k =>
    isPresent(validity[k])
  )
  if (given.length === 0)
    return [
      {
        code: 'missing_param',
        message: 'order_validity: give one of years, days or custom_expiration_date'
      }
    ]
  const errors: ApiError[] = []
  if (given.length > 1)
    errors.push({
      code: 'invalid_value',
      message: `order_validity: give exactly one of years, days or custom_expiration_date (got ${given.join(', ')})`
    })
  const date = validity.custom_expiration_date
  if (typeof date === 'string') {
    const m = /^(\d{2}) ([A-Za-z]{3}) (\d{4})$/.exec(date)
    const month = m === null ? -1 : MONTHS.indexOf((m[2] ?? '').toUpperCase())
    const day = Number(m?.[1])
    const parsed = new Date(Date.UTC(Number(m?.[3]), month, day))
    if (m === null || month < 0 || parsed.getUTCDate() !== day || parsed.getUTCMonth() !== month) {
      errors.push({
        code: 'invalid_date',
        message: `order_validity.custom_expiration_date: '${date}' is not a date in the format dd MMM YYYY (for example 09 JUN 2025)`
      })
    } else if (parsed.getTime() <= now.getTime()) {
      errors.push({
        code: 'invalid_date',
        message: `order_validity.custom_expiration_date: '${date}' is not in the future`
      })
    }
  }
  return errors
}

function checkCsr(csr: string): ApiError[] {
  const armor =
    /^\s*-----BEGIN (NEW )?CERTIFICATE REQUEST-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END (NEW )?CERTIFICATE REQUEST-----\s*$/
  if (!armor.test(csr))
    return [
      {
        code: 'invalid_csr',
        message:
          'certificate.csr: not a PEM certificate signing request (BEGIN CERTIFICATE REQUEST)'
      }
    ]
  let request: x509.Pkcs10CertificateRequest
  try {
    request = new x509.Pkcs10CertificateRequest(csr.replace('NEW CERTIFICATE', 'CERTIFICATE'))
  } catch (error) {
    return [
      {
        code: 'invalid_csr',
        message: `certificate.csr: cannot be parsed as PKCS#10 (${error instanceof Error ? error.message : String(error)})`
      }
    ]
  }
  const algorithm = request.publicKey.algorithm as { name?: string; modulusLength?: number }
  if (algorithm.name?.startsWith('RSA') === true && (algorithm.modulusLength ?? 0) < 3072)
    return [
      {
        code: 'invalid_csr',
        message: `certificate.csr: RSA keys for code signing must be 3072 bits or more (got ${algorithm.modulusLength ?? '?'})`
      }
    ]
  return []
}

/** Every violation in an order body; an empty array means the body is acceptable. */
export function validateOrderBody(body: unknown, now = new Date()): ApiError[] {
  if (!isObject(body))
    return [
      { code: 'bad_request_format', message: `body: expected a JSON object, got ${jsonType(body)}` }
    ]
  const errors = checkFields('', body, ORDER_BODY)
  if (isObject(body.organization)) errors.push(...checkOrganization(body.organization))
  if (isObject(body.order_validity)) errors.push(...checkValidity(body.order_validity, now))

  const method = body.cs_provisioning_method
  const certificate = isObject(body.certificate) ? body.certificate : {}
  const csr = certificate.csr
  if (method === 'email' && !isPresent(csr))
    errors.push({
      code: 'missing_param',
      message: 'certificate.csr: is required when cs_provisioning_method is email'
    })
  if (isPresent(csr) && method !== 'email')
    errors.push({
      code: 'invalid_csr',
      message: `certificate.csr: a CSR is only accepted when cs_provisioning_method is email (got ${typeof method === 'string' ? method : method === undefined ? 'none' : JSON.stringify(method)})`
    })
  if (typeof csr === 'string' && method === 'email') errors.push(...checkCsr(csr))
  if (method === 'client_app' && !isPresent(certificate.server_platform))
    errors.push({
      code: 'missing_param',
      message: 'certificate.server_platform: is required when cs_provisioning_method is client_app'
    })
  if (isPresent(body.ship_info) && method !== 'ship_token')
    errors.push({
      code: 'invalid_value',
      message: 'ship_info: only allowed when cs_provisioning_method is ship_token'
    })

  const card = body.payment_method === 'card'
  for (const key of ['credit_card', 'billing_address'] as const) {
    if (card && !isPresent(body[key]))
      errors.push({
        code: 'missing_param',
        message: `${key}: is required when payment_method is card`
      })
    if (!card && isPresent(body[key]))
      errors.push({
        code: 'invalid_value',
        message: `${key}: only allowed when payment_method is card`
      })
  }
  return errors
}
