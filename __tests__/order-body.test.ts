// Golden tests: the four request bodies of the order page (section 6.2), produced from inputs.
import { describe, expect, it } from 'vitest'
import { buildOrderBody } from '../src/order/body.js'
import { REDACTED, redactOrderBody } from '../src/order/redact.js'
import type { OrderBody } from '../src/order/types.js'
import { BASE, bodyOf, builtBodyOf, fixturePath, readFixture } from './fixtures/run-inputs.js'
// The four bodies of section 6.2, copied from the page.
import PAGE_EXAMPLES from './fixtures/page-examples.json' with { type: 'json' }

// What the four examples share: organization 12345 with verified contact 12345, skip_approval.
const EXAMPLE_INPUTS = {
  'api-key': 'test-key',
  'organization-id': '12345',
  'verified-contact-ids': '12345',
  'skip-approval': 'true'
}

/** Equal to the page's JSON, key order included, as the bytes sent would be. */
function expectExample(body: unknown, example: unknown): void {
  expect(body).toStrictEqual(example)
  expect(JSON.stringify(body)).toBe(JSON.stringify(example))
}

describe('the page examples (section 6.2)', () => {
  it('ship_token: ship-info YAML becomes ship_info, and zip 69662 stays a string', async () => {
    const body = await bodyOf({
      ...EXAMPLE_INPUTS,
      'provisioning-method': 'ship_token',
      'ship-info': [
        'name: John Doe',
        'addr1: 360 Taylor Street',
        'addr2: Floor 74',
        'city: Richmond',
        'state: va',
        'zip: 69662',
        'country: us',
        'method: EXPEDITED'
      ].join('\n')
    })
    expectExample(body, PAGE_EXAMPLES.ship_token)
  })

  it('client_app: server-platform-id 23 becomes certificate.server_platform', async () => {
    const body = await bodyOf({
      ...EXAMPLE_INPUTS,
      'provisioning-method': 'client_app',
      'server-platform-id': '23'
    })
    expectExample(body, PAGE_EXAMPLES.client_app)
  })

  it('email: the CSR is sent as PEM (the page shows "<csr>"), before server_platform -1', async () => {
    const csr = readFixture('csr-rsa3072.pem')
    const body = await bodyOf({
      ...EXAMPLE_INPUTS,
      'provisioning-method': 'email',
      csr,
      'server-platform-id': '-1'
    })
    const example = PAGE_EXAMPLES.email
    expectExample(body, { ...example, certificate: { ...example.certificate, csr } })
  })

  it('keylocker: organization-id, verified-contact-ids and skip-approval, defaults elsewhere', async () => {
    const body = await bodyOf({ ...EXAMPLE_INPUTS, 'provisioning-method': 'keylocker' })
    expectExample(body, PAGE_EXAMPLES.keylocker)
  })
})

describe('the body holds only what was asked for', () => {
  it('has no key for an input not given, not even one holding undefined', async () => {
    expect(await builtBodyOf(BASE)).toStrictEqual({
      certificate: { signature_hash: 'sha256' },
      order_validity: { years: 1 },
      organization: { id: 12345 },
      cs_provisioning_method: 'keylocker'
    })
  })

  it('sends skip_approval false when skip-approval is false', async () => {
    const body = await builtBodyOf({ ...BASE, 'skip-approval': 'false' })
    expect(body.skip_approval).toBe(false)
  })

  it('uses the file when csr is a path', async () => {
    const body = await builtBodyOf({
      ...BASE,
      'provisioning-method': 'email',
      csr: fixturePath('csr-ec-p256.pem')
    })
    expect(body.certificate.csr).toBe(readFixture('csr-ec-p256.pem'))
  })

  it('maps every optional input to its field, in the documented order', async () => {
    const body = await bodyOf({
      ...BASE,
      product: 'code_signing',
      'signature-hash': 'sha384',
      'ca-cert-id': '5E2B0D1A',
      'organization-units': 'Engineering\nRelease, QA',
      'validity-days': '400',
      'skip-approval': 'false',
      'auto-renew': '0',
      'additional-emails': 'a@example.com, b@example.com',
      'renewal-of-order-id': '98765',
      'organization-contact': 'first_name: Jane\nlast_name: Doe\nemail: jane@example.com',
      'technical-contact':
        '{"first_name": "Alex", "last_name": "Doe", "email": "alex@example.com", "telephone": "+1 555 0100"}',
      'container-id': '7',
      'subject-email': 'signing@example.com',
      'custom-fields': '- metadata_id: 12\n  value: "00042"',
      'payment-method': 'card',
      'credit-card':
        'number: "4111111111111111"\nexpiration_month: 09\nexpiration_year: 2028\ncvv: 123\ncardholder_name: Jane Doe',
      'billing-address': 'address: 1 Main St\ncity: Lehi\nstate: Utah\ncountry: US\nzip: "84043"',
      'vat-number': 'GB123456789',
      'alternative-order-id': 'run42job7',
      'enable-guest-access': 'FALSE'
    })
    expect(body).toStrictEqual({
      certificate: {
        signature_hash: 'sha384',
        ca_cert_id: '5E2B0D1A',
        organization_units: ['Engineering', 'Release', 'QA']
      },
      order_validity: { days: 400 },
      organization: { id: 12345 },
      skip_approval: false,
      cs_provisioning_method: 'keylocker',
      auto_renew: 0,
      additional_emails: ['a@example.com', 'b@example.com'],
      renewal_of_order_id: 98765,
      organization_contact: { first_name: 'Jane', last_name: 'Doe', email: 'jane@example.com' },
      technical_contact: {
        first_name: 'Alex',
        last_name: 'Doe',
        email: 'alex@example.com',
        telephone: '+1 555 0100'
      },
      container: { id: 7 },
      subject: { email: 'signing@example.com' },
      custom_fields: [{ metadata_id: 12, value: '00042' }],
      payment_method: 'card',
      credit_card: {
        number: '4111111111111111',
        expiration_month: 9,
        expiration_year: 2028,
        cvv: 123,
        cardholder_name: 'Jane Doe'
      },
      billing_address: {
        address: '1 Main St',
        city: 'Lehi',
        state: 'Utah',
        country: 'US',
        zip: '84043'
      },
      vat_number: 'GB123456789',
      alternative_order_id: 'run42job7',
      enable_guest_access: 0
    })
  })

  it('sends enable_guest_access 1 for true', async () => {
    expect(await bodyOf({ ...BASE, 'enable-guest-access': 'true' })).toMatchObject({
      enable_guest_access: 1
    })
  })
})

describe('order_validity', () => {
  it('is years 1 when no validity input is given', async () => {
    expect(await bodyOf(BASE)).toMatchObject({ order_validity: { years: 1 } })
  })

  it('sends validity-years as years', async () => {
    expect(await bodyOf({ ...BASE, 'validity-years': '2' })).toMatchObject({
      order_validity: { years: 2 }
    })
  })

  it('sends a YYYY-MM-DD custom-expiration-date as dd MMM YYYY with an upper-case month', async () => {
    const body = await bodyOf({ ...BASE, 'custom-expiration-date': '2026-06-09' })
    expect(body).toMatchObject({ order_validity: { custom_expiration_date: '09 JUN 2026' } })
  })

  it('accepts dd MMM YYYY in any case and sends it upper-case', async () => {
    const body = await bodyOf({ ...BASE, 'custom-expiration-date': '9 jun 2026' })
    expect(body).toMatchObject({ order_validity: { custom_expiration_date: '09 JUN 2026' } })
  })

  it('never sends the deprecated root validity_years or custom_expiration_date', async () => {
    const body = await bodyOf({ ...BASE, 'custom-expiration-date': '2026-06-09' })
    expect(body).not.toHaveProperty('validity_years')
    expect(body).not.toHaveProperty('custom_expiration_date')
  })
})

describe('organization', () => {
  it('merges organization-id, the organization object and verified-contact-ids', async () => {
    const body = await bodyOf({
      ...BASE,
      'verified-contact-ids': '111\n222',
      organization: [
        'skip_duplicate_org_check: true',
        'contacts:',
        '  - contact_type: organization_contact',
        '    user_id: 56789'
      ].join('\n')
    })
    expect(body).toMatchObject({
      organization: {
        id: 12345,
        skip_duplicate_org_check: true,
        contacts: [
          { contact_type: 'organization_contact', user_id: 56789 },
          { contact_type: 'verified_contact', user_id: 111 },
          { contact_type: 'verified_contact', user_id: 222 }
        ]
      }
    })
  })

  it('sends a new organization as typed, telephone and zip included', async () => {
    const organization = {
      name: 'New Organization',
      assumed_name: 'New Org',
      country: 'us',
      address: '123 Example Street',
      address2: 'Floor 08',
      city: 'Lehi',
      state: 'Utah',
      zip: '02134',
      telephone: '+1 (801) 555-0100'
    }
    const body = await bodyOf({
      'api-key': 'test-key',
      organization: JSON.stringify(organization)
    })
    expect(body).toMatchObject({ organization })
  })

  it('takes the id from the organization object when organization-id is not given', async () => {
    const body = await bodyOf({ 'api-key': 'test-key', organization: 'id: 777' })
    expect(body).toMatchObject({ organization: { id: 777 } })
  })
})

describe('redactOrderBody', () => {
  const card = {
    number: '4111111111111111',
    expiration_month: 9,
    expiration_year: 2028,
    cvv: 123,
    cardholder_name: 'Jane Doe'
  }
  const body: OrderBody = {
    certificate: { signature_hash: 'sha256' },
    order_validity: { years: 1 },
    organization: { id: 1 },
    cs_provisioning_method: 'keylocker',
    payment_method: 'card',
    credit_card: card,
    vat_number: 'GB1'
  }

  it('replaces the card number and CVV, and nothing else', () => {
    expect(redactOrderBody(body)).toStrictEqual({
      ...body,
      credit_card: { ...card, number: REDACTED, cvv: REDACTED }
    })
  })

  it('leaves the body it was given unchanged', () => {
    redactOrderBody(body)
    expect(body.credit_card).toStrictEqual(card)
  })

  it('returns a body without a card as it is', () => {
    const plain = buildOrderBody({
      provisioningMethod: 'keylocker',
      signatureHash: 'sha256',
      validity: { years: 1 },
      organizationId: 1
    })
    expect(redactOrderBody(plain)).toStrictEqual(plain)
  })
})
