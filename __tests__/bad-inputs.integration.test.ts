// A corpus of bad inputs, each run through the bundled action: each fails with an error that names
// the input, sends nothing, and shows no stack trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from './support/simulator.js'
import { runAction } from './support/run-action.js'
import {
  API_KEY,
  BILLING_ADDRESS,
  CREDIT_CARD,
  expectNoSecrets,
  orderInputs
} from './support/action-inputs.js'

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY })
})
afterAll(() => sim.close())

const NEW_ORGANIZATION = `name: Example Software Ltd
address: 1 Example Street
city: Lehi
state: Utah
zip: "84043"
country: us
telephone: 801-555-0100`

const without = (name: string) =>
  NEW_ORGANIZATION.split('\n')
    .filter(l => !l.startsWith(`${name}:`))
    .join('\n')

/** [what is wrong, the inputs over a valid order, the input the error must name] */
const CORPUS: [string, Record<string, string>, string][] = [
  ['no API key', { 'api-key': '' }, 'api-key'],
  ['an API URL that is not a URL', { 'api-url': 'digicert' }, 'api-url'],
  ['an API URL in plain HTTP', { 'api-url': 'http://www.digicert.com/services/v2' }, 'api-url'],
  ['an unknown product', { product: 'code_signing_ov' }, 'product'],
  ['an unknown provisioning method', { 'provisioning-method': 'usb' }, 'provisioning-method'],
  ['a weak signature hash', { 'signature-hash': 'sha1' }, 'signature-hash'],
  ['four years of validity', { 'validity-years': '4' }, 'validity-years'],
  ['zero years of validity', { 'validity-years': '0' }, 'validity-years'],
  ['years in words', { 'validity-years': 'one' }, 'validity-years'],
  ['negative days', { 'validity-days': '-5' }, 'validity-days'],
  ['two validity inputs', { 'validity-years': '1', 'validity-days': '365' }, 'validity-days'],
  [
    'a date that does not exist',
    { 'custom-expiration-date': '2027-02-30' },
    'custom-expiration-date'
  ],
  [
    'a date in another format',
    { 'custom-expiration-date': '31/12/2027' },
    'custom-expiration-date'
  ],
  ['a date in the past', { 'custom-expiration-date': '2020-01-01' }, 'custom-expiration-date'],
  ['an organization ID that is not a number', { 'organization-id': 'acme' }, 'organization-id'],
  ['no organization at all', { 'organization-id': '', 'verified-contact-ids': '' }, 'organization'],
  [
    'an organization name over 64 characters',
    {
      'organization-id': '',
      organization: NEW_ORGANIZATION.replace('Example Software Ltd', 'N'.repeat(71))
    },
    'organization'
  ],
  [
    'name and assumed name over 61 together',
    {
      'organization-id': '',
      organization: `${NEW_ORGANIZATION}\nassumed_name: ${'A'.repeat(30)}`.replace(
        'Example Software Ltd',
        'B'.repeat(35)
      )
    },
    'organization'
  ],
  ['malformed YAML', { organization: 'name: [unclosed' }, 'organization'],
  [
    'YAML of the wrong shape: a list',
    { 'organization-id': '', organization: '- name: a\n- name: b' },
    'organization'
  ],
  [
    'YAML of the wrong shape: a scalar',
    { 'organization-id': '', organization: 'just text' },
    'organization'
  ],
  [
    'a country that is not ISO 3166',
    { 'organization-id': '', organization: NEW_ORGANIZATION.replace('country: us', 'country: XX') },
    'organization'
  ],
  [
    'a new organization without a city',
    { 'organization-id': '', organization: without('city') },
    'organization'
  ],
  [
    'a zip code over 128 characters',
    { 'organization-id': '', organization: NEW_ORGANIZATION.replace('"84043"', '9'.repeat(129)) },
    'organization'
  ],
  [
    'an unknown organization key',
    { 'organization-id': '', organization: `${NEW_ORGANIZATION}\nnmae: typo` },
    'organization'
  ],
  [
    'a verified contact ID that is not a number',
    { 'verified-contact-ids': 'alice' },
    'verified-contact-ids'
  ],
  [
    'a verified contact without job title',
    {
      organization:
        'contacts:\n  - contact_type: verified_contact\n    first_name: J\n    last_name: D\n    email: j@example.com\n    telephone: "1"'
    },
    'organization'
  ],
  [
    'a contact email that is not one',
    {
      organization:
        'contacts:\n  - contact_type: technical_contact\n    first_name: J\n    last_name: D\n    email: nobody'
    },
    'organization'
  ],
  [
    'a CSR with KeyLocker',
    { csr: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----' },
    'csr'
  ],
  ['email provisioning without a CSR', { 'provisioning-method': 'email' }, 'csr'],
  [
    'a CSR that is not PKCS#10',
    {
      'provisioning-method': 'email',
      csr: '-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3Ny\n-----END CERTIFICATE REQUEST-----'
    },
    'csr'
  ],
  [
    'a CSR file that does not exist',
    { 'provisioning-method': 'email', csr: './no-such-request.csr' },
    'csr'
  ],
  ['a boolean that is not YAML 1.2', { 'skip-approval': 'yes' }, 'skip-approval'],
  ['guest access as a word', { 'enable-guest-access': 'maybe' }, 'enable-guest-access'],
  [
    'an alternative order ID with a hyphen',
    { 'alternative-order-id': 'release-1' },
    'alternative-order-id'
  ],
  [
    'an alternative order ID of 65 characters',
    { 'alternative-order-id': 'a'.repeat(65) },
    'alternative-order-id'
  ],
  [
    'payment by card without the card',
    { 'payment-method': 'card', 'billing-address': BILLING_ADDRESS },
    'credit-card'
  ],
  [
    'a card without payment by card',
    { 'payment-method': 'balance', 'credit-card': CREDIT_CARD },
    'credit-card'
  ],
  [
    'a card with a bad CVV',
    {
      'payment-method': 'card',
      'billing-address': BILLING_ADDRESS,
      'credit-card': CREDIT_CARD.replace('cvv: 9731', 'cvv: 97')
    },
    'credit-card'
  ],
  ['an unknown payment method', { 'payment-method': 'bitcoin' }, 'payment-method'],
  [
    'shipping info for KeyLocker',
    {
      'ship-info': 'name: J\naddr1: a\ncity: c\nstate: s\nzip: "1"\ncountry: us\nmethod: STANDARD'
    },
    'ship-info'
  ],
  [
    'an unknown shipping method',
    {
      'provisioning-method': 'ship_token',
      'ship-info': 'name: J\naddr1: a\ncity: c\nstate: s\nzip: "1"\ncountry: us\nmethod: OVERNIGHT'
    },
    'ship-info'
  ],
  [
    'additional emails that are not',
    { 'additional-emails': 'ops@example.com, not-an-email' },
    'additional-emails'
  ],
  ['a subject email without a domain', { 'subject-email': 'signing@' }, 'subject-email'],
  ['a timeout in words', { timeout: '10 minutes' }, 'timeout'],
  ['a poll interval under a second', { 'poll-interval': '0.5s' }, 'poll-interval'],
  ['an unknown wait-for', { 'wait-for': 'forever' }, 'wait-for'],
  [
    'an organization contact without email',
    { 'organization-contact': 'first_name: J\nlast_name: D' },
    'organization-contact'
  ],
  ['a custom field without a value', { 'custom-fields': 'metadata_id: 1' }, 'custom-fields'],
  ['client_app without a platform', { 'provisioning-method': 'client_app' }, 'server-platform-id'],
  [
    'card data typed as one line',
    {
      'payment-method': 'card',
      'billing-address': BILLING_ADDRESS,
      'credit-card': '4111111111111111/9731'
    },
    'credit-card'
  ],
  [
    'a huge organization input',
    { 'organization-id': '', organization: `name: ${'x'.repeat(100_000)}` },
    'organization'
  ],
  ['control characters', { 'organization-units': 'Dev\u0007Ops' }, 'organization-units'],
  ['a fractional order ID', { 'renewal-of-order-id': '12.5' }, 'renewal-of-order-id'],
  ['an exponent as an ID', { 'container-id': '1e3' }, 'container-id'],
  ['a negative auto-renew', { 'auto-renew': '-1' }, 'auto-renew'],
  ['a server platform that is not a number', { 'server-platform-id': 'hsm' }, 'server-platform-id'],
  ['dry-run as a word', { 'dry-run': 'sometimes' }, 'dry-run'],
  ['a pre-flight mode that does not exist', { preflight: 'strict' }, 'preflight'],
  ['an order ID to resume that is not a number', { 'order-id': 'latest' }, 'order-id']
]

describe('bad inputs', () => {
  it('has a case for at least 30 rules', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30)
  })

  for (const [what, inputs, input] of CORPUS) {
    it(`refuses ${what}, naming ${input}, sending nothing`, async () => {
      const before = sim.requests.length
      const run = await runAction(orderInputs(sim.url, inputs))
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(new RegExp(`^::error title=Input ${input}::${input}: `, 'm'))
      expect(run.stdout).toMatch(/nothing was sent to CertCentral/)
      expect(sim.requests.length).toBe(before)
      expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
      expectNoSecrets(run)
    })
  }

  it('reports every problem at once', async () => {
    const run = await runAction(
      orderInputs(sim.url, { product: 'x', 'signature-hash': 'md5', 'validity-years': '9' })
    )
    expect(run.code).toBe(1)
    for (const input of ['product', 'signature-hash', 'validity-years']) {
      expect(run.stdout).toContain(`::error title=Input ${input}::`)
    }
  })
})
