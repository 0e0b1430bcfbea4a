// The object inputs (organization, ship-info, credit-card, ...) arrive as YAML parsed with the
// failsafe schema, so every scalar is a string as typed: a zip "02134" keeps its zero and a
// telephone stays as written. This table says what each field becomes and what it must satisfy.
import { isCountryCode } from './countries.js'
import { isEmailAddress } from './email.js'
import { failed, parsed, type Parsed } from './parsed.js'
import { parseBoolean, parseInteger, type IntegerRange } from './scalars.js'
import {
  CONTACT_TYPES,
  type BillingAddress,
  type CreditCard,
  type CustomField,
  type OrderContact,
  type Organization,
  type OrganizationContactEntry,
  type ShipInfo
} from './types.js'

interface TextField {
  type: 'string'
  required?: boolean
  maxLength?: number
  oneOf?: readonly string[]
  format?: 'email' | 'country'
  /** Allowed number of digits, when the field is digits only. */
  digits?: readonly [min: number, max: number]
  /** Never repeated in a message: the log would keep it. */
  secret?: boolean
}

interface IntField {
  type: 'int'
  required?: boolean
  range?: IntegerRange
  /** Checked on the text as typed, before it becomes a number (a CVV keeps its digit count). */
  digits?: readonly [min: number, max: number]
  secret?: boolean
}

interface BoolField {
  type: 'bool'
  required?: boolean
}

interface ObjectListField {
  type: 'objects'
  required?: boolean
  fields: FieldTable
}

type FieldSpec = TextField | IntField | BoolField | ObjectListField
type FieldTable = Readonly<Record<string, FieldSpec>>

/**
 * The kind of spec a field of type V takes: a string field a text spec, a number an int spec, a
 * boolean a bool spec, a list of objects an object-list spec whose table covers the entry's keys.
 */
type SpecFor<V> = [NonNullable<V>] extends [string]
  ? TextField
  : [NonNullable<V>] extends [number]
    ? IntField
    : [NonNullable<V>] extends [boolean]
      ? BoolField
      : [NonNullable<V>] extends [readonly (infer E)[]]
        ? ObjectListField & { fields: ObjectSpec<E> }
        : never

/**
 * One spec for every key of T, of the kind the key's type needs: a table missing a key, or with a
 * `cvv` read as text when the body's type says number, does not compile.
 */
export type ObjectSpec<T> = { readonly [K in keyof Required<T>]: SpecFor<T[K]> }

const ID: IntField = { type: 'int', range: { min: 1 } }

const CONTACT_LIMITS = {
  first_name: { type: 'string', maxLength: 128 },
  last_name: { type: 'string', maxLength: 128 },
  job_title: { type: 'string', maxLength: 64 },
  telephone: { type: 'string', maxLength: 32 },
  telephone_extension: { type: 'string', maxLength: 16 },
  email: { type: 'string', maxLength: 255, format: 'email' }
} as const satisfies Record<string, TextField>

// Which contact fields are needed depends on user_id and contact_type: see rules.ts.
const CONTACT_ENTRY_FIELDS = {
  contact_type: { type: 'string', required: true, oneOf: CONTACT_TYPES },
  user_id: ID,
  ...CONTACT_LIMITS
} as const satisfies ObjectSpec<OrganizationContactEntry>

// Required fields depend on whether this is a new organization or an ID: see rules.ts.
export const ORGANIZATION_FIELDS = {
  id: ID,
  name: { type: 'string', maxLength: 64 },
  // Its limit is shared with name (61 together): see rules.ts.
  assumed_name: { type: 'string' },
  country: { type: 'string', format: 'country' },
  address: { type: 'string', maxLength: 64 },
  address2: { type: 'string', maxLength: 64 },
  city: { type: 'string', maxLength: 64 },
  state: { type: 'string', maxLength: 64 },
  zip: { type: 'string', maxLength: 128 },
  telephone: { type: 'string', maxLength: 32 },
  contacts: { type: 'objects', fields: CONTACT_ENTRY_FIELDS },
  skip_duplicate_org_check: { type: 'bool' }
} as const satisfies ObjectSpec<Organization>

export const ORDER_CONTACT_FIELDS = {
  ...CONTACT_LIMITS,
  first_name: { ...CONTACT_LIMITS.first_name, required: true },
  last_name: { ...CONTACT_LIMITS.last_name, required: true },
  email: { ...CONTACT_LIMITS.email, required: true }
} as const satisfies ObjectSpec<OrderContact>

export const SHIP_INFO_FIELDS = {
  name: { type: 'string', required: true },
  addr1: { type: 'string', required: true },
  addr2: { type: 'string' },
  city: { type: 'string', required: true },
  state: { type: 'string', required: true },
  zip: { type: 'string', required: true },
  country: { type: 'string', required: true, format: 'country' },
  method: { type: 'string', required: true, oneOf: ['STANDARD', 'EXPEDITED'] }
} as const satisfies ObjectSpec<ShipInfo>

export const CUSTOM_FIELD_FIELDS = {
  metadata_id: { ...ID, required: true },
  value: { type: 'string', required: true }
} as const satisfies ObjectSpec<CustomField>

export const CREDIT_CARD_FIELDS = {
  number: { type: 'string', required: true, digits: [12, 19], secret: true },
  expiration_month: { type: 'int', required: true, range: { min: 1, max: 12 } },
  expiration_year: { type: 'int', required: true, digits: [4, 4], range: { min: 0 } },
  cvv: { type: 'int', required: true, digits: [3, 4], range: { min: 0 }, secret: true },
  cardholder_name: { type: 'string', required: true }
} as const satisfies ObjectSpec<CreditCard>

export const BILLING_ADDRESS_FIELDS = {
  address: { type: 'string', required: true },
  address2: { type: 'string' },
  city: { type: 'string', required: true },
  state: { type: 'string' },
  country: { type: 'string', required: true, format: 'country' },
  zip: { type: 'string' }
} as const satisfies ObjectSpec<BillingAddress>

/**
 * The mapping `raw` as T, or undefined when it has any problem (each one appended to `problems`,
 * phrased to follow the input's name). `path` prefixes field names inside lists, e.g. `contacts[1].`.
 */
export function coerceObject<T>(
  raw: unknown,
  spec: ObjectSpec<T>,
  problems: string[],
  path = ''
): T | undefined {
  const before = problems.length
  const value = coerceMapping(raw, spec, problems, path)
  // Safe: every key was checked against a table that covers exactly the keys of T.
  return problems.length === before ? (value as T) : undefined
}

/** A YAML list of mappings, e.g. custom-fields. */
export function coerceList<T>(
  raw: unknown,
  spec: ObjectSpec<T>,
  problems: string[]
): T[] | undefined {
  const before = problems.length
  const value = coerceObjects(raw, spec, problems, '')
  return problems.length === before ? (value as T[]) : undefined
}

function coerceMapping(
  raw: unknown,
  spec: FieldTable,
  problems: string[],
  path: string
): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  // An input that holds secrets (credit-card) never has its text or keys repeated: a card number
  // typed in the wrong place would otherwise reach the log.
  const hidden = Object.values(spec).some(field => 'secret' in field && field.secret === true)
  if (!isMapping(raw)) {
    problems.push(
      `${where(path)}must be a mapping of keys to values (YAML or JSON object), not ${describe(raw, hidden)}`
    )
    return result
  }
  for (const [key, value] of Object.entries(raw)) {
    const field = Object.hasOwn(spec, key) ? spec[key] : undefined
    if (field === undefined) {
      const named = hidden ? 'an unknown key' : `unknown key "${key}"`
      problems.push(`${where(path)}${named}; the keys are ${Object.keys(spec).join(', ')}`)
      continue
    }
    const coerced = coerceField(value, field, problems, `${path}${key}`)
    if (coerced !== undefined) result[key] = coerced
  }
  for (const [key, field] of Object.entries(spec)) {
    if (field.required === true && !Object.hasOwn(raw, key)) {
      problems.push(`${path}${key} is missing; add it (required: ${requiredKeys(spec)})`)
    }
  }
  return result
}

function coerceField(raw: unknown, field: FieldSpec, problems: string[], path: string): unknown {
  if (field.type === 'objects') return coerceObjects(raw, field.fields, problems, path)
  if (typeof raw !== 'string') {
    problems.push(`${path} must be a single value, not ${describe(raw)}`)
    return undefined
  }
  if (raw === '') {
    problems.push(`${path} is empty; give it a value or leave the key out`)
    return undefined
  }
  const value = fieldValue(raw, field)
  if (!value.ok) {
    problems.push(`${path} ${value.message}`)
    return undefined
  }
  return value.value
}

function coerceObjects(
  raw: unknown,
  fields: FieldTable,
  problems: string[],
  path: string
): unknown[] {
  if (!Array.isArray(raw)) {
    problems.push(
      `${path === '' ? 'must' : `${path} must`} be a list of mappings, not ${describe(raw)}`
    )
    return []
  }
  if (raw.length === 0)
    problems.push(`${path === '' ? 'is' : `${path} is`} an empty list; leave it out`)
  return raw.map((item, index) => coerceMapping(item, fields, problems, `${path}[${index}].`))
}

/** A non-empty text as the field's type, or what is wrong with it. */
function fieldValue(
  text: string,
  field: TextField | IntField | BoolField
): Parsed<string | number | boolean> {
  if (field.type === 'bool') return parseBoolean(text)
  const shown = field.secret === true ? '' : `${quote(text)} `
  if (field.digits !== undefined && !hasDigits(text, field.digits)) {
    const [min, max] = field.digits
    return failed(`${shown}must be ${min === max ? min : `${min} to ${max}`} digits (0-9) only`)
  }
  if (field.type === 'int') return parseInteger(text, field.range ?? { min: 1 })
  const length = [...text].length
  if (field.maxLength !== undefined && length > field.maxLength) {
    return failed(`${shown}is ${length} characters; the limit is ${field.maxLength}`)
  }
  if (field.oneOf !== undefined && !field.oneOf.includes(text)) {
    return failed(`${shown}is not allowed; use one of ${field.oneOf.join(', ')}`)
  }
  if (field.format === 'email' && !isEmailAddress(text)) {
    return failed(`${shown}is not an email address (local@domain.tld)`)
  }
  if (field.format === 'country' && !isCountryCode(text)) {
    return failed(`${shown}is not an ISO 3166-1 alpha-2 country code (such as US, DE or GB)`)
  }
  return parsed(text)
}

function hasDigits(text: string, [min, max]: readonly [number, number]): boolean {
  return /^\d+$/.test(text) && text.length >= min && text.length <= max
}

function isMapping(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw)
}

function describe(raw: unknown, hidden = false): string {
  if (Array.isArray(raw)) return 'a list'
  if (isMapping(raw)) return 'a mapping'
  if (typeof raw === 'string') return hidden ? 'a single value' : `the text ${quote(raw)}`
  return 'nothing'
}

function where(path: string): string {
  return path === '' ? '' : `${path.slice(0, -1)}: `
}

function requiredKeys(spec: FieldTable): string {
  return Object.keys(spec)
    .filter(key => spec[key]?.required === true)
    .join(', ')
}

const SHOWN_LENGTH = 40

/** Long values are cut so a pasted paragraph does not flood the log. */
function quote(text: string): string {
  const chars = [...text]
  return JSON.stringify(
    chars.length > SHOWN_LENGTH ? `${chars.slice(0, SHOWN_LENGTH).join('')}…` : text
  )
}
