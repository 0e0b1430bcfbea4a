// The page's rules, one test each: every problem names the action input and the field at fault.
import { describe, expect, it } from 'vitest'
import {
  BASE,
  NOW,
  fixturePath,
  matching,
  parse,
  problemsOf,
  readFixture,
  warningsOf,
  type Inputs
} from './fixtures/run-inputs.js'

/** Asserts one problem for `input` whose message mentions all of `mentions`. */
async function expectProblem(inputs: Inputs, input: string, ...mentions: string[]): Promise<void> {
  const problems = await problemsOf(inputs)
  expect(matching(problems, input, ...mentions), JSON.stringify(problems, null, 2)).toHaveLength(1)
}

async function expectNoProblems(inputs: Inputs): Promise<void> {
  expect(await problemsOf(inputs)).toEqual([])
}

async function expectWarning(inputs: Inputs, input: string, ...mentions: string[]): Promise<void> {
  const warnings = await warningsOf(inputs)
  expect(matching(warnings, input, ...mentions), JSON.stringify(warnings, null, 2)).toHaveLength(1)
}

const NEW_ORGANIZATION = {
  name: 'Example Corp',
  address: '1 Main St',
  city: 'Lehi',
  state: 'Utah',
  zip: '84043',
  country: 'US',
  telephone: '801-555-0100'
}

/** A new organization with some fields replaced (undefined removes one), as organization JSON. */
function newOrganization(changes: Record<string, unknown> = {}): Inputs {
  return {
    'api-key': 'test-key',
    organization: JSON.stringify({ ...NEW_ORGANIZATION, ...changes })
  }
}

const CARD = {
  number: '4111111111111111',
  expiration_month: '12',
  expiration_year: '2028',
  cvv: '123',
  cardholder_name: 'Jane Doe'
}
const BILLING = { address: '1 Main St', city: 'Lehi', country: 'US' }

function cardPayment(card: Record<string, unknown> = {}): Inputs {
  return {
    ...BASE,
    'payment-method': 'card',
    'credit-card': JSON.stringify({ ...CARD, ...card }),
    'billing-address': JSON.stringify(BILLING)
  }
}

const SHIP_INFO = {
  name: 'John Doe',
  addr1: '360 Taylor Street',
  city: 'Richmond',
  state: 'va',
  zip: '69662',
  country: 'us',
  method: 'STANDARD'
}

function shipping(changes: Record<string, unknown> = {}): Inputs {
  return {
    ...BASE,
    'provisioning-method': 'ship_token',
    'ship-info': JSON.stringify({ ...SHIP_INFO, ...changes })
  }
}

function withContact(contact: Record<string, unknown>): Inputs {
  return { ...BASE, organization: JSON.stringify({ contacts: [contact] }) }
}

const PERSON = { first_name: 'Jane', last_name: 'Doe', email: 'jane@example.com' }
const VERIFIED_PERSON = {
  contact_type: 'verified_contact',
  ...PERSON,
  job_title: 'CTO',
  telephone: '801-555-0100'
}

describe('the baselines the tests below change one thing of', () => {
  it.each([
    ['an existing organization', BASE],
    ['a new organization', newOrganization()],
    ['a card payment', cardPayment()],
    ['a shipped token', shipping()],
    ['a new verified contact', withContact(VERIFIED_PERSON)]
  ])('%s is valid', async (_name, inputs) => {
    await expectNoProblems(inputs)
  })
})

describe('allowed values', () => {
  it.each([
    ['product', 'code_signing_ev'],
    ['provisioning-method', 'keylocker'],
    ['signature-hash', 'sha512'],
    ['wait-for', 'certificate-id'],
    ['payment-method', 'profile']
  ])('refuses an unknown %s and lists the allowed values', async (input, allowed) => {
    await expectProblem({ ...BASE, [input]: 'bogus' }, input, '"bogus"', allowed)
  })

  it('refuses a ship-info method other than STANDARD or EXPEDITED', async () => {
    await expectProblem(shipping({ method: 'overnight' }), 'ship-info', 'method', 'EXPEDITED')
  })

  it('refuses an unknown contact_type', async () => {
    await expectProblem(
      withContact({ contact_type: 'approver', user_id: '5' }),
      'organization',
      'contacts[0].contact_type',
      'verified_contact'
    )
  })
})

describe('character limits', () => {
  it('allows an organization name of 64 characters', async () => {
    await expectNoProblems(newOrganization({ name: 'n'.repeat(64) }))
  })

  it('refuses an organization name of 65 characters', async () => {
    await expectProblem(
      newOrganization({ name: 'n'.repeat(65) }),
      'organization',
      'name',
      '65 characters; the limit is 64'
    )
  })

  it('limits name and assumed_name together to 61 characters', async () => {
    await expectNoProblems(newOrganization({ name: 'n'.repeat(31), assumed_name: 'a'.repeat(30) }))
    await expectProblem(
      newOrganization({ name: 'n'.repeat(31), assumed_name: 'a'.repeat(31) }),
      'organization',
      'name and assumed_name',
      '62 characters',
      '61'
    )
  })

  it.each([
    ['address', 64],
    ['address2', 64],
    ['city', 64],
    ['state', 64],
    ['zip', 128],
    ['telephone', 32]
  ])('limits organization %s to %i characters', async (field, limit) => {
    await expectNoProblems(newOrganization({ [field]: 'x'.repeat(limit) }))
    await expectProblem(
      newOrganization({ [field]: 'x'.repeat(limit + 1) }),
      'organization',
      field,
      `the limit is ${limit}`
    )
  })

  const CONTACT_LIMITS: [string, number][] = [
    ['first_name', 128],
    ['last_name', 128],
    ['job_title', 64],
    ['telephone', 32],
    ['telephone_extension', 16]
  ]

  it.each(CONTACT_LIMITS)(
    'limits organization.contacts %s to %i characters',
    async (field, limit) => {
      await expectNoProblems(withContact({ ...VERIFIED_PERSON, [field]: 'x'.repeat(limit) }))
      await expectProblem(
        withContact({ ...VERIFIED_PERSON, [field]: 'x'.repeat(limit + 1) }),
        'organization',
        `contacts[0].${field}`,
        `the limit is ${limit}`
      )
    }
  )

  it('limits contact emails to 255 characters', async () => {
    const email = (length: number): string =>
      `${'x'.repeat(length - '@example.com'.length)}@example.com`
    await expectNoProblems(withContact({ ...VERIFIED_PERSON, email: email(255) }))
    await expectProblem(
      withContact({ ...VERIFIED_PERSON, email: email(256) }),
      'organization',
      'contacts[0].email',
      'the limit is 255'
    )
  })

  it.each(['organization-contact', 'technical-contact'])(
    'applies the contact limits to %s',
    async input => {
      for (const [field, limit] of CONTACT_LIMITS) {
        await expectProblem(
          { ...BASE, [input]: JSON.stringify({ ...PERSON, [field]: 'x'.repeat(limit + 1) }) },
          input,
          field,
          `the limit is ${limit}`
        )
      }
    }
  )

  it("limits alternative-order-id to 60 characters, leaving room for later orders' suffix", async () => {
    await expectNoProblems({ ...BASE, 'alternative-order-id': 'a'.repeat(60) })
    await expectProblem(
      { ...BASE, 'alternative-order-id': 'a'.repeat(61) },
      'alternative-order-id',
      "is 61 characters; the limit is 60, so that the keys of later orders of the certificate (the ID and g002 … g100) fit in CertCentral's 64"
    )
  })

  it('refuses an alternative-order-id that ends like the key of a later order', async () => {
    await expectNoProblems({ ...BASE, 'alternative-order-id': 'releaseg2' })
    await expectProblem(
      { ...BASE, 'alternative-order-id': 'releaseG002' },
      'alternative-order-id',
      '"releaseG002" ends with g and three digits, as the keys of later orders of a certificate do'
    )
  })

  it('allows only letters and digits in alternative-order-id', async () => {
    await expectProblem(
      { ...BASE, 'alternative-order-id': 'run-42' },
      'alternative-order-id',
      '"run-42"',
      'A-Z, a-z and 0-9'
    )
  })
})

describe('country codes (ISO 3166-1 alpha-2)', () => {
  it('accepts any case and keeps the code as typed', async () => {
    const result = await parse(newOrganization({ country: 'de' }))
    expect(
      result.ok &&
        result.inputs.plan.kind === 'order' &&
        result.inputs.plan.body.organization.country
    ).toBe('de')
  })

  it('refuses an unassigned code in organization.country', async () => {
    await expectProblem(
      newOrganization({ country: 'UK' }),
      'organization',
      'country',
      '"UK"',
      'ISO 3166-1'
    )
  })

  it('refuses an unknown ship_info.country', async () => {
    await expectProblem(shipping({ country: 'USA' }), 'ship-info', 'country', '"USA"')
  })

  it('refuses an unknown billing_address.country', async () => {
    await expectProblem(
      { ...cardPayment(), 'billing-address': JSON.stringify({ ...BILLING, country: 'XX' }) },
      'billing-address',
      'country',
      '"XX"'
    )
  })
})

describe('validity', () => {
  it('accepts validity-years 1 to 3 only', async () => {
    await expectNoProblems({ ...BASE, 'validity-years': '3' })
    await expectProblem({ ...BASE, 'validity-years': '4' }, 'validity-years', '1 to 3')
    await expectProblem({ ...BASE, 'validity-years': '0' }, 'validity-years', '1 to 3')
  })

  it('needs validity-days to be a positive whole number', async () => {
    await expectProblem({ ...BASE, 'validity-days': '0' }, 'validity-days', 'at least 1')
    await expectProblem({ ...BASE, 'validity-days': '30.5' }, 'validity-days', 'whole number')
  })

  it('refuses more than one of validity-years, validity-days and custom-expiration-date', async () => {
    await expectProblem(
      { ...BASE, 'validity-years': '1', 'custom-expiration-date': '2026-12-01' },
      'custom-expiration-date',
      'only one of',
      'validity-years and custom-expiration-date'
    )
  })

  it('refuses a malformed custom-expiration-date', async () => {
    await expectProblem(
      { ...BASE, 'custom-expiration-date': '12/01/2026' },
      'custom-expiration-date',
      'YYYY-MM-DD',
      'dd MMM YYYY'
    )
  })

  it('refuses a date that is not in the calendar', async () => {
    await expectProblem(
      { ...BASE, 'custom-expiration-date': '2026-02-29' },
      'custom-expiration-date',
      'not a day of the calendar'
    )
  })

  it('refuses a custom-expiration-date that is not in the future', async () => {
    await expectProblem(
      { ...BASE, 'custom-expiration-date': '01 MAR 2026' },
      'custom-expiration-date',
      'not in the future'
    )
    await expectNoProblems({ ...BASE, 'custom-expiration-date': '02 MAR 2026' })
  })
})

describe('csr and provisioning method', () => {
  it('requires a csr with provisioning-method email', async () => {
    await expectProblem({ ...BASE, 'provisioning-method': 'email' }, 'csr', 'required', 'email')
  })

  it.each(['keylocker', 'ship_token', 'client_app'])(
    'refuses a csr with provisioning-method %s',
    async method => {
      await expectProblem(
        { ...BASE, 'provisioning-method': method, csr: readFixture('csr-rsa3072.pem') },
        'csr',
        method,
        'email'
      )
    }
  )

  it('refuses an RSA key below 3072 bits for an HSM (email) order', async () => {
    await expectProblem(
      { ...BASE, 'provisioning-method': 'email', csr: readFixture('csr-rsa2048.pem') },
      'csr',
      '2048-bit',
      '3072'
    )
  })

  it('accepts an RSA-3072 CSR and notes its key and subject', async () => {
    const result = await parse({
      ...BASE,
      'provisioning-method': 'email',
      csr: readFixture('csr-rsa3072.pem')
    })
    expect(result.ok && result.notes).toEqual([
      'csr: RSA 3072-bit key, subject C=US, ST=Utah, L=Lehi, O=Example Corp, CN=Example Corp Code Signing'
    ])
  })

  it('accepts an EC P-256 CSR', async () => {
    const result = await parse({
      ...BASE,
      'provisioning-method': 'email',
      csr: fixturePath('csr-ec-p256.pem')
    })
    expect(result.ok && result.notes).toEqual([
      'csr: EC P-256 key, subject C=US, O=Example Corp, CN=Example Corp EC'
    ])
  })

  it('names the path when the csr file does not exist', async () => {
    await expectProblem(
      { ...BASE, 'provisioning-method': 'email', csr: '/nonexistent/request.csr' },
      'csr',
      '/nonexistent/request.csr'
    )
  })
})

describe('payment', () => {
  it.each(['credit-card', 'billing-address'])(
    'requires %s when payment-method is card',
    async input => {
      await expectProblem(
        { ...cardPayment(), [input]: '' },
        input,
        'required',
        'payment-method is card'
      )
    }
  )

  it.each(['credit-card', 'billing-address'])(
    'refuses %s when payment-method is not card',
    async input => {
      await expectProblem(
        { ...cardPayment(), 'payment-method': 'balance' },
        input,
        'payment-method'
      )
      await expectProblem({ ...cardPayment(), 'payment-method': '' }, input, 'payment-method')
    }
  )

  it.each([
    ['number', '4111-1111-1111-1111', '12 to 19 digits'],
    ['number', '41111111111', '12 to 19 digits'],
    ['expiration_month', '13', '1 to 12'],
    ['expiration_month', '0', '1 to 12'],
    ['expiration_year', '28', '4 digits'],
    ['cvv', '12', '3 to 4 digits'],
    ['cvv', '12345', '3 to 4 digits']
  ])('refuses credit card %s %s', async (field, value, mention) => {
    await expectProblem(cardPayment({ [field]: value }), 'credit-card', field, mention)
  })

  it('requires cardholder_name', async () => {
    await expectProblem(
      cardPayment({ cardholder_name: undefined }),
      'credit-card',
      'cardholder_name',
      'missing'
    )
  })

  it('never repeats the card number or CVV in a message', async () => {
    const problems = await problemsOf(cardPayment({ number: '4111x11111111111', cvv: '9x9' }))
    expect(problems.map(problem => problem.input)).toEqual(['credit-card', 'credit-card'])
    expect(JSON.stringify(problems)).not.toMatch(/4111x|9x9/)
  })
})

describe('ship-info', () => {
  it('is refused unless provisioning-method is ship_token', async () => {
    await expectProblem(
      { ...shipping(), 'provisioning-method': 'keylocker' },
      'ship-info',
      'ship_token'
    )
  })

  it('needs every required field', async () => {
    await expectProblem(shipping({ city: undefined }), 'ship-info', 'city is missing')
  })
})

describe('organization', () => {
  it.each(['name', 'address', 'city', 'state', 'zip', 'country', 'telephone'])(
    'reports a new organization without %s',
    async field => {
      await expectProblem(
        newOrganization({ [field]: undefined }),
        'organization',
        `${field} is missing`
      )
    }
  )

  it('reports each missing field of a new organization as its own problem', async () => {
    const problems = await problemsOf({ 'api-key': 'k', organization: 'name: Example Corp' })
    expect(problems.filter(problem => problem.message.includes('is missing'))).toHaveLength(6)
  })

  it('refuses organization-id together with new-organization details', async () => {
    await expectProblem(
      { ...newOrganization(), 'organization-id': '12345' },
      'organization',
      'name, address',
      'ID'
    )
  })

  it('allows contacts and skip_duplicate_org_check with organization-id', async () => {
    await expectNoProblems({
      ...BASE,
      organization:
        'skip_duplicate_org_check: false\ncontacts: [{contact_type: verified_contact, user_id: 5}]'
    })
  })

  it('refuses organization-id and organization.id that differ', async () => {
    await expectProblem(
      { ...BASE, organization: 'id: 54321' },
      'organization',
      'id 54321',
      'organization-id 12345'
    )
    await expectNoProblems({ ...BASE, organization: 'id: 12345' })
  })

  it('needs organization-id or organization', async () => {
    await expectProblem({ 'api-key': 'k' }, 'organization', 'organization-id', 'required')
  })

  it('needs contact_type in every contact', async () => {
    await expectProblem(
      withContact({ user_id: '5' }),
      'organization',
      'contacts[0].contact_type is missing'
    )
  })

  it('needs only contact_type with a user_id', async () => {
    await expectNoProblems(withContact({ contact_type: 'technical_contact', user_id: '5' }))
  })

  it.each(['first_name', 'last_name', 'email'])(
    'needs %s in a contact without user_id',
    async field => {
      await expectProblem(
        withContact({ contact_type: 'technical_contact', ...PERSON, [field]: undefined }),
        'organization',
        `contacts[0].${field} is missing`
      )
    }
  )

  it.each([
    ['verified_contact', 'job_title'],
    ['verified_contact', 'telephone'],
    ['ev_approver', 'job_title']
  ])('needs %s contacts without user_id to have %s', async (type, field) => {
    await expectNoProblems(withContact({ contact_type: 'technical_contact', ...PERSON }))
    await expectProblem(
      withContact({ ...VERIFIED_PERSON, contact_type: type, [field]: undefined }),
      'organization',
      `contacts[0].${field} is missing`
    )
  })

  it.each(['organization-contact', 'technical-contact'])(
    '%s needs first_name, last_name and email',
    async input => {
      const problems = await problemsOf({ ...BASE, [input]: 'job_title: CTO' })
      for (const field of ['first_name', 'last_name', 'email']) {
        expect(matching(problems, input, `${field} is missing`)).toHaveLength(1)
      }
    }
  )
})

describe('email addresses', () => {
  it('checks every additional-emails item', async () => {
    const problems = await problemsOf({
      ...BASE,
      'additional-emails': 'ok@example.com, nope, also@bad'
    })
    expect(matching(problems, 'additional-emails', '"nope"')).toHaveLength(1)
    expect(matching(problems, 'additional-emails', '"also@bad"')).toHaveLength(1)
  })

  it('checks subject-email', async () => {
    await expectProblem(
      { ...BASE, 'subject-email': 'Jane Doe <jane@example.com>' },
      'subject-email',
      'email address'
    )
  })

  it('checks contact emails', async () => {
    await expectProblem(
      withContact({ ...VERIFIED_PERSON, email: 'jane.example.com' }),
      'organization',
      'contacts[0].email',
      '"jane.example.com"'
    )
  })
})

describe('object inputs (YAML or JSON)', () => {
  it('names an unknown key and lists the known ones', async () => {
    await expectProblem(
      { ...BASE, organization: 'nmae: Example' },
      'organization',
      'unknown key "nmae"',
      'name, assumed_name'
    )
  })

  it('refuses a list where a mapping is expected', async () => {
    await expectProblem(
      { ...BASE, 'organization-contact': '- Jane' },
      'organization-contact',
      'mapping',
      'list'
    )
  })

  it('refuses a plain value where a mapping is expected', async () => {
    await expectProblem({ ...BASE, organization: '12345' }, 'organization', 'mapping', '"12345"')
  })

  it('refuses a nested mapping where a single value is expected', async () => {
    await expectProblem(
      shipping({ city: { name: 'Richmond' } }),
      'ship-info',
      'city',
      'single value'
    )
  })

  it('refuses an empty value', async () => {
    await expectProblem(shipping({ addr2: '' }), 'ship-info', 'addr2 is empty')
  })

  it('names the line of malformed YAML', async () => {
    await expectProblem(
      { ...BASE, organization: 'contacts:\n  - contact_type: a: b' },
      'organization',
      'not valid YAML',
      'line 2'
    )
  })

  it('refuses a duplicate key', async () => {
    await expectProblem(
      { ...BASE, organization: 'id: 1\nid: 2' },
      'organization',
      'unique',
      'line 2'
    )
  })

  it('reads custom-fields as one mapping or a list of them, of metadata_id and value', async () => {
    await expectNoProblems({ ...BASE, 'custom-fields': '[{metadata_id: 1, value: x}]' })
    await expectNoProblems({ ...BASE, 'custom-fields': 'metadata_id: 1\nvalue: x' })
    await expectProblem({ ...BASE, 'custom-fields': 'just text' }, 'custom-fields', 'mapping')
    await expectProblem(
      { ...BASE, 'custom-fields': '- value: x' },
      'custom-fields',
      'metadata_id is missing'
    )
  })

  it('refuses a boolean that is not YAML 1.2 core', async () => {
    await expectProblem(
      { ...BASE, organization: 'skip_duplicate_org_check: yes' },
      'organization',
      '"yes"',
      'true or false'
    )
  })

  it('refuses a non-numeric id', async () => {
    await expectProblem(
      { ...BASE, organization: 'contacts: [{contact_type: verified_contact, user_id: abc}]' },
      'organization',
      'contacts[0].user_id',
      '"abc"'
    )
  })
})

describe('input text', () => {
  it('refuses an input over 64 KiB', async () => {
    await expectProblem(
      { ...BASE, 'vat-number': 'x'.repeat(64 * 1024 + 1) },
      'vat-number',
      '65537 bytes',
      '64 KiB'
    )
  })

  it('refuses control characters, naming the character and its position', async () => {
    await expectProblem({ ...BASE, 'api-key': 'abc\u0007def' }, 'api-key', 'U+0007', 'position 4')
  })

  it('refuses a newline in a single-line input', async () => {
    await expectProblem({ ...BASE, 'vat-number': 'GB1\nGB2' }, 'vat-number', 'U+000A')
  })

  it('allows tabs and line breaks in multi-line inputs', async () => {
    await expectNoProblems({ ...BASE, organization: 'skip_duplicate_org_check:\ttrue\r\n' })
  })

  it('allows line breaks in every input read as lines (YAML, a list, PEM), and no other', async () => {
    const csr = readFixture('csr-rsa3072.pem')
    await expectNoProblems({
      ...BASE,
      'organization-id': '',
      organization:
        'name: Example Software Ltd\r\naddress: 1 Example Street\ncity: Lehi\nstate: Utah\nzip: "84043"\ncountry: us\ntelephone: 801-555-0100\n',
      'organization-units': 'Dev\nOps',
      'additional-emails': 'a@example.com\nb@example.com',
      'custom-fields': 'metadata_id: 1\nvalue: x',
      'technical-contact':
        'first_name: J\nlast_name: D\nemail: j@example.com\ntelephone: "1"\njob_title: Ops',
      'provisioning-method': 'email',
      'server-platform-id': '-1',
      csr
    })
    const problems = await problemsOf({
      ...BASE,
      'verified-contact-ids': '1\n2',
      'ca-cert-id': 'a\nb'
    })
    expect(problems.map(p => p.input)).toEqual(['ca-cert-id'])
  })
})

describe('settings', () => {
  it('requires api-key', async () => {
    await expectProblem({ 'organization-id': '1' }, 'api-key', 'required')
  })

  it('requires https for api-url', async () => {
    await expectProblem(
      { ...BASE, 'api-url': 'http://www.digicert.com/services/v2' },
      'api-url',
      'https://'
    )
  })
})

describe('reporting', () => {
  it('reports every problem together, each under its own input', async () => {
    const problems = await problemsOf({
      'api-url': 'ftp://example.com',
      'provisioning-method': 'email',
      'validity-years': '5',
      'alternative-order-id': 'a-b',
      organization: 'name: Example'
    })
    expect(new Set(problems.map(problem => problem.input))).toEqual(
      new Set([
        'api-key',
        'api-url',
        'validity-years',
        'alternative-order-id',
        'organization',
        'csr'
      ])
    )
  })

  it('returns the warnings with the problems', async () => {
    const result = await parse({ 'api-key': '', 'server-platform-id': '55' })
    expect(result.ok).toBe(false)
    expect(matching(result.warnings, 'server-platform-id', '-1')).toHaveLength(1)
  })
})

describe('warnings (the run goes on)', () => {
  it('warns that server-platform-id 51-57 becomes -1', async () => {
    for (const id of ['51', '57']) {
      await expectWarning(
        { ...BASE, 'server-platform-id': id },
        'server-platform-id',
        id,
        '-1 (other)'
      )
    }
    expect(await warningsOf({ ...BASE, 'server-platform-id': '50' })).toEqual([])
    expect(await warningsOf({ ...BASE, 'server-platform-id': '58' })).toEqual([])
  })

  it('warns that subject-email is ignored for code_signing_ev', async () => {
    await expectWarning(
      { ...BASE, product: 'code_signing_ev', 'subject-email': 'a@example.com' },
      'subject-email',
      'code_signing_ev'
    )
    expect(await warningsOf({ ...BASE, 'subject-email': 'a@example.com' })).toEqual([])
  })

  it('warns that vat-number is ignored unless the payment is card or profile', async () => {
    await expectWarning(
      { ...BASE, 'payment-method': 'balance', 'vat-number': 'GB1' },
      'vat-number',
      'balance'
    )
    expect(await warningsOf({ ...BASE, 'payment-method': 'profile', 'vat-number': 'GB1' })).toEqual(
      []
    )
  })

  it.each([2, 3])(
    'notes, without a warning, that an order of %i years gets its certificates by reissues',
    async years => {
      const result = await parse({ ...BASE, 'validity-years': String(years) })
      expect(result.warnings).toEqual([])
      expect(result.ok && result.notes).toContain(
        `validity-years: an order of ${years} years; public code signing certificates are ` +
          'limited to 459 days since 2026-02-24, so later runs reissue the order (free) for a ' +
          'new certificate until the order ends.'
      )
    }
  )

  it.each([
    ['validity-days', '460'],
    ['custom-expiration-date', '2027-06-04']
  ])('warns of the 459-day limit for %s %s', async (input, value) => {
    await expectWarning({ ...BASE, [input]: value }, input, '459 days since 2026-02-24')
  })

  it.each([
    ['validity-years', '1'],
    ['validity-days', '459'],
    ['custom-expiration-date', '2027-06-03']
  ])('does not warn for %s %s', async (input, value) => {
    expect(await warningsOf({ ...BASE, [input]: value })).toEqual([])
  })

  it('warns that ev_approver is a legacy alias', async () => {
    await expectWarning(
      withContact({ contact_type: 'ev_approver', user_id: '5' }),
      'organization',
      'ev_approver',
      'verified_contact'
    )
  })

  it('measures the 459 days from now', () => {
    // 2027-06-03 is 459 days after NOW (2026-03-01).
    expect((Date.UTC(2027, 5, 3) - Date.UTC(2026, 2, 1)) / 86_400_000).toBe(459)
    expect(NOW.toISOString().startsWith('2026-03-01')).toBe(true)
  })
})

describe('CSR inspection', () => {
  const RSA_3072 = readFixture('csr-rsa3072.pem')

  /** The fixture's DER with one byte changed by `edit`, as PEM again. */
  function tampered(edit: (der: Buffer) => void): string {
    const der = Buffer.from(RSA_3072.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64')
    edit(der)
    const body = der.toString('base64').replace(/.{64}/g, '$&\n')
    return `-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----\n`
  }

  it('reads an RSA-3072 CSR: key, size and subject', async () => {
    const { inspectCsr } = await import('../src/order/csr.js')
    expect(inspectCsr(RSA_3072)).toMatchObject({
      ok: true,
      value: {
        keyAlgorithm: 'RSA',
        keySize: 3072,
        subject: expect.stringContaining('CN=Example Corp Code Signing') as string
      }
    })
  })

  it('reads an EC P-256 CSR', async () => {
    const { inspectCsr } = await import('../src/order/csr.js')
    expect(inspectCsr(readFixture('csr-ec-p256.pem'))).toMatchObject({
      ok: true,
      value: { keyAlgorithm: 'EC', curve: 'P-256' }
    })
  })

  it('normalizes the PEM it sends: surrounding text and line breaks do not matter', async () => {
    const { inspectCsr } = await import('../src/order/csr.js')
    const messy = `Subject: whatever\r\n${RSA_3072.replace(/\n/g, '\r\n')}trailing words`
    expect(inspectCsr(messy)).toMatchObject({ ok: true, value: { pem: RSA_3072 } })
  })

  it('accepts the BEGIN NEW CERTIFICATE REQUEST header', async () => {
    const { inspectCsr } = await import('../src/order/csr.js')
    const legacy = RSA_3072.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST')
    expect(inspectCsr(legacy)).toMatchObject({ ok: true, value: { pem: RSA_3072 } })
  })

  it('refuses text without a CSR block', async () => {
    await expectProblem(
      {
        ...BASE,
        'provisioning-method': 'email',
        csr: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'
      },
      'csr',
      'BEGIN CERTIFICATE REQUEST'
    )
  })

  it('refuses garbage between BEGIN and END', async () => {
    await expectProblem(
      {
        ...BASE,
        'provisioning-method': 'email',
        csr: '-----BEGIN CERTIFICATE REQUEST-----\nnot base64 at all!\n-----END CERTIFICATE REQUEST-----'
      },
      'csr',
      'base64'
    )
  })

  it('refuses base64 that is not a PKCS#10 request', async () => {
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from('hello world!').toString('base64')}\n-----END CERTIFICATE REQUEST-----`
    await expectProblem({ ...BASE, 'provisioning-method': 'email', csr: pem }, 'csr', 'PKCS#10')
  })

  it('refuses a CSR whose signature was tampered with', async () => {
    const pem = tampered(der => {
      der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01
    })
    await expectProblem(
      { ...BASE, 'provisioning-method': 'email', csr: pem },
      'csr',
      'does not verify'
    )
  })

  it('refuses a CSR whose subject was edited after signing', async () => {
    const pem = tampered(der => {
      const at = der.indexOf('Example Corp Code Signing')
      der[at] = 'X'.charCodeAt(0)
    })
    await expectProblem(
      { ...BASE, 'provisioning-method': 'email', csr: pem },
      'csr',
      'does not verify'
    )
  })

  it('refuses bytes after the end of the request', async () => {
    const der = Buffer.from(RSA_3072.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64')
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.concat([der, Buffer.from([0, 0, 0])]).toString('base64')}\n-----END CERTIFICATE REQUEST-----`
    await expectProblem(
      { ...BASE, 'provisioning-method': 'email', csr: pem },
      'csr',
      'bytes after the end'
    )
  })

  it('reads a CSR from a file path', async () => {
    const { loadCsr } = await import('../src/order/csr.js')
    expect(await loadCsr(fixturePath('csr-rsa3072.pem'))).toMatchObject({
      ok: true,
      value: { pem: RSA_3072 }
    })
  })
})

describe('client_app', () => {
  it('needs server-platform-id, to identify the token', async () => {
    await expectProblem(
      { ...BASE, 'provisioning-method': 'client_app' },
      'server-platform-id',
      'client_app'
    )
    await expectNoProblems({
      ...BASE,
      'provisioning-method': 'client_app',
      'server-platform-id': '23'
    })
  })
})

describe('a new organization', () => {
  it('is warned about when it names no organization_contact', async () => {
    await expectWarning(newOrganization(), 'organization', 'organization_contact')
  })

  it('is not, when it names one', async () => {
    const contact = {
      contact_type: 'organization_contact',
      first_name: 'Jane',
      last_name: 'Doe',
      email: 'jane@example.com'
    }
    expect(await warningsOf(newOrganization({ contacts: [contact] }))).toEqual([])
  })
})
