// The object inputs' field table: what each field becomes, what it must satisfy, and the exact
// problem a person reads (the field's path, the text unless it is secret, and the fix).
import { describe, expect, it } from 'vitest'
import {
  BILLING_ADDRESS_FIELDS,
  CREDIT_CARD_FIELDS,
  CUSTOM_FIELD_FIELDS,
  ORDER_CONTACT_FIELDS,
  ORGANIZATION_FIELDS,
  SHIP_INFO_FIELDS,
  coerceList,
  coerceObject,
  type ObjectSpec
} from '../src/order/fields.js'
import type { CustomField } from '../src/order/types.js'

/** Any of the tables: the problems do not depend on the type the table builds. */
type AnySpec = ObjectSpec<Record<string, string>>

/** The value and the problems of coercing `raw` with `spec`. */
function coerced(raw: unknown, spec: object): { value: unknown; problems: string[] } {
  const problems: string[] = []
  const value = coerceObject(raw, spec as AnySpec, problems)
  return { value, problems }
}

function problemsOf(raw: unknown, spec: object): string[] {
  return coerced(raw, spec).problems
}

const SHIP = {
  name: 'Jane Doe',
  addr1: '1 Main St',
  city: 'Richmond',
  state: 'VA',
  zip: '02134',
  country: 'US',
  method: 'STANDARD'
}

const CARD = {
  number: '4111111111111111',
  expiration_month: '12',
  expiration_year: '2030',
  cvv: '123',
  cardholder_name: 'Jane Doe'
}

const MAPPING = 'must be a mapping of keys to values (YAML or JSON object), not'

describe('coerceObject', () => {
  it('keeps text as typed and turns ints and booleans into numbers and booleans', () => {
    expect(
      coerced({ id: '5', zip: '02134', skip_duplicate_org_check: 'true' }, ORGANIZATION_FIELDS)
    ).toEqual({ value: { id: 5, zip: '02134', skip_duplicate_org_check: true }, problems: [] })
    expect(coerced(SHIP, SHIP_INFO_FIELDS)).toEqual({ value: SHIP, problems: [] })
    expect(coerced(CARD, CREDIT_CARD_FIELDS)).toEqual({
      value: { ...CARD, expiration_month: 12, expiration_year: 2030, cvv: 123 },
      problems: []
    })
  })

  it('refuses an ID below 1, and a text ID', () => {
    expect(problemsOf({ id: '0' }, ORGANIZATION_FIELDS)).toEqual([
      'id 0 is out of range; use a whole number of at least 1'
    ])
    expect(problemsOf({ id: 'abc' }, ORGANIZATION_FIELDS)).toEqual([
      'id "abc" is not a whole number; use a whole number of at least 1'
    ])
  })

  it('refuses what is not a mapping, quoting text unless the input holds secrets', () => {
    expect(problemsOf('12345', ORGANIZATION_FIELDS)).toEqual([`${MAPPING} the text "12345"`])
    expect(problemsOf(['a'], ORGANIZATION_FIELDS)).toEqual([`${MAPPING} a list`])
    expect(problemsOf(null, ORGANIZATION_FIELDS)).toEqual([`${MAPPING} nothing`])
    expect(problemsOf('4111111111111111', CREDIT_CARD_FIELDS)).toEqual([
      `${MAPPING} a single value`
    ])
    expect(coerced('x', SHIP_INFO_FIELDS).value).toBeUndefined()
  })

  it('names an unknown key, unless the input holds secrets', () => {
    expect(problemsOf({ nmae: 'x' }, CUSTOM_FIELD_FIELDS)).toEqual([
      'unknown key "nmae"; the keys are metadata_id, value',
      'metadata_id is missing; add it (required: metadata_id, value)',
      'value is missing; add it (required: metadata_id, value)'
    ])
    expect(problemsOf({ ...CARD, '4111111111111111': 'x' }, CREDIT_CARD_FIELDS)).toEqual([
      'an unknown key; the keys are number, expiration_month, expiration_year, cvv, cardholder_name'
    ])
  })

  it('lists only the required keys when one is missing', () => {
    const { method: _method, ...noMethod } = SHIP
    expect(problemsOf(noMethod, SHIP_INFO_FIELDS)).toEqual([
      'method is missing; add it (required: name, addr1, city, state, zip, country, method)'
    ])
    expect(problemsOf({ city: 'Richmond', country: 'US' }, BILLING_ADDRESS_FIELDS)).toEqual([
      'address is missing; add it (required: address, city, country)'
    ])
  })

  it('refuses a field that is not a single value, or empty', () => {
    expect(problemsOf({ ...SHIP, city: { name: 'Richmond' } }, SHIP_INFO_FIELDS)).toEqual([
      'city must be a single value, not a mapping'
    ])
    expect(problemsOf({ ...SHIP, city: ['a'] }, SHIP_INFO_FIELDS)).toEqual([
      'city must be a single value, not a list'
    ])
    expect(problemsOf({ ...SHIP, city: null }, SHIP_INFO_FIELDS)).toEqual([
      'city must be a single value, not nothing'
    ])
    expect(problemsOf({ ...SHIP, addr2: '' }, SHIP_INFO_FIELDS)).toEqual([
      'addr2 is empty; give it a value or leave the key out'
    ])
  })

  it('refuses a value past its length limit, counting characters', () => {
    expect(problemsOf({ name: 'é'.repeat(64) }, ORGANIZATION_FIELDS)).toEqual([])
    expect(problemsOf({ name: 'é'.repeat(65) }, ORGANIZATION_FIELDS)).toEqual([
      `name "${'é'.repeat(40)}…" is 65 characters; the limit is 64`
    ])
  })

  it('quotes at most 40 characters of a value', () => {
    const forty = 'A'.repeat(40)
    expect(problemsOf({ ...SHIP, method: forty }, SHIP_INFO_FIELDS)).toEqual([
      `method "${forty}" is not allowed; use one of STANDARD, EXPEDITED`
    ])
    expect(problemsOf({ ...SHIP, method: `${forty}BC` }, SHIP_INFO_FIELDS)).toEqual([
      `method "${forty}…" is not allowed; use one of STANDARD, EXPEDITED`
    ])
  })

  it('checks email and country formats', () => {
    expect(
      problemsOf({ first_name: 'J', last_name: 'D', email: 'nope' }, ORDER_CONTACT_FIELDS)
    ).toEqual(['email "nope" is not an email address (local@domain.tld)'])
    expect(problemsOf({ ...SHIP, country: 'USA' }, SHIP_INFO_FIELDS)).toEqual([
      'country "USA" is not an ISO 3166-1 alpha-2 country code (such as US, DE or GB)'
    ])
  })

  it('counts the digits of card fields without repeating secret ones', () => {
    expect(problemsOf({ ...CARD, number: '41111111111' }, CREDIT_CARD_FIELDS)).toEqual([
      'number must be 12 to 19 digits (0-9) only'
    ])
    expect(problemsOf({ ...CARD, number: '4111-1111-1111-1111' }, CREDIT_CARD_FIELDS)).toEqual([
      'number must be 12 to 19 digits (0-9) only'
    ])
    expect(problemsOf({ ...CARD, cvv: '12' }, CREDIT_CARD_FIELDS)).toEqual([
      'cvv must be 3 to 4 digits (0-9) only'
    ])
    expect(problemsOf({ ...CARD, cvv: '0123' }, CREDIT_CARD_FIELDS)).toEqual([])
    expect(problemsOf({ ...CARD, expiration_year: '30' }, CREDIT_CARD_FIELDS)).toEqual([
      'expiration_year "30" must be 4 digits (0-9) only'
    ])
    expect(problemsOf({ ...CARD, expiration_month: '13' }, CREDIT_CARD_FIELDS)).toEqual([
      'expiration_month 13 is out of range; use 1 to 12'
    ])
  })

  it('reads a list of contacts, naming each entry by its index', () => {
    const contact = { contact_type: 'technical_contact', user_id: '7' }
    expect(coerced({ contacts: [contact] }, ORGANIZATION_FIELDS)).toEqual({
      value: { contacts: [{ contact_type: 'technical_contact', user_id: 7 }] },
      problems: []
    })
    expect(
      problemsOf({ contacts: [contact, 'x', { contact_type: 'boss' }] }, ORGANIZATION_FIELDS)
    ).toEqual([
      `contacts[1]: ${MAPPING} the text "x"`,
      'contacts[2].contact_type "boss" is not allowed; use one of organization_contact, technical_contact, verified_contact, ev_approver'
    ])
    expect(
      problemsOf({ contacts: [{ contact_type: 'technical_contact', x: '1' }] }, ORGANIZATION_FIELDS)
    ).toEqual([
      'contacts[0]: unknown key "x"; the keys are contact_type, user_id, first_name, last_name, job_title, telephone, telephone_extension, email'
    ])
    expect(problemsOf({ contacts: [{}] }, ORGANIZATION_FIELDS)).toEqual([
      'contacts[0].contact_type is missing; add it (required: contact_type)'
    ])
  })

  it('refuses contacts that are not a list, or an empty one', () => {
    expect(problemsOf({ contacts: 'x' }, ORGANIZATION_FIELDS)).toEqual([
      'contacts must be a list of mappings, not the text "x"'
    ])
    expect(problemsOf({ contacts: [] }, ORGANIZATION_FIELDS)).toEqual([
      'contacts is an empty list; leave it out'
    ])
  })
})

describe('coerceList', () => {
  it('reads a list of mappings', () => {
    const problems: string[] = []
    expect(
      coerceList<CustomField>([{ metadata_id: '3', value: 'x' }], CUSTOM_FIELD_FIELDS, problems)
    ).toEqual([{ metadata_id: 3, value: 'x' }])
    expect(problems).toEqual([])
  })

  it('gives nothing when an entry has a problem, and names the entry', () => {
    const problems: string[] = []
    expect(
      coerceList<CustomField>([{ metadata_id: '3' }], CUSTOM_FIELD_FIELDS, problems)
    ).toBeUndefined()
    expect(problems).toEqual(['[0].value is missing; add it (required: metadata_id, value)'])
  })

  it('refuses what is not a list, and an empty list', () => {
    const problems: string[] = []
    expect(
      coerceList<CustomField>({ metadata_id: '3' }, CUSTOM_FIELD_FIELDS, problems)
    ).toBeUndefined()
    expect(coerceList<CustomField>([], CUSTOM_FIELD_FIELDS, problems)).toBeUndefined()
    expect(problems).toEqual([
      'must be a list of mappings, not a mapping',
      'is an empty list; leave it out'
    ])
  })
})
