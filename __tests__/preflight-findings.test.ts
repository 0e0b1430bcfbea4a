// Every sentence the pre-flight can say, word for word, and when it says it: the order's intent and
// CertCentral's facts in, the findings out. A finding names the input to fix and how; what the
// pre-flight could not read is "could not check", never a problem. Pure: no server, no clock.
import { describe, expect, it } from 'vitest'
import type { FactAnswer, PreflightFacts } from '../src/certcentral/preflight.js'
import { judge, type Check, type OrderIntent, type Verdict } from '../src/preflight/judge.js'
import { CS, EV, TODAY, validation, yes } from './fixtures/preflight-facts.js'

const LATER = '2027-03-01T00:00:00+00:00'
const EARLIER = '2026-05-01T00:00:00+00:00'

/** An order that creates its organization: nothing to ask of one. */
const NEW_ORGANIZATION: OrderIntent = { ...EV }
delete NEW_ORGANIZATION.organizationId

const no = (
  status: number | undefined,
  reason: string,
  codes: string[] = []
): FactAnswer<never> => ({
  ok: false,
  ...(status === undefined ? {} : { status }),
  codes,
  reason
})
const DENIED = no(403, 'CertCentral answered 403 access_denied', ['access_denied'])

/** Everything in order, as four answers would say it. */
function facts(patch: Partial<PreflightFacts> = {}): PreflightFacts {
  return {
    organization: yes({ status: 'active', isActive: true, verifiedContactIds: [12345, 67890] }),
    validations: yes([
      validation('cs', 'active', LATER, [12345]),
      validation('ev_cs', 'active', LATER, [12345, 67890])
    ]),
    user: yes({ username: 'release-bot', roles: [{ id: 1, name: 'Administrator' }] }),
    product: yes({ allowedYears: [1, 2, 3], hashTypes: ['sha256', 'sha384'] }),
    requests: 4,
    ...patch
  }
}
/** The facts without some answers (questions not asked). */
function without(...keys: (keyof PreflightFacts)[]): PreflightFacts {
  const f = facts()
  for (const key of keys) delete f[key]
  return f
}

function findingsOf(intent: OrderIntent, given: PreflightFacts, check: Check) {
  return judge(intent, given, TODAY).filter(f => f.check === check)
}

type Row = [string, OrderIntent, PreflightFacts, Verdict, string]

function table(check: Check, rows: Row[]) {
  it.each(rows)('%s', (_name, intent, given, verdict, message) => {
    expect(findingsOf(intent, given, check)).toEqual([{ check, verdict, message }])
  })
}

describe('the organization', () => {
  table('organization', [
    [
      'missing: names organization-id, api-key and api-url',
      EV,
      facts({
        organization: no(404, 'CertCentral answered 404 not_found|organization', [
          'not_found|organization'
        ])
      }),
      'problem',
      'Organization 12345 was not found (CertCentral answered 404 not_found|organization): check ' +
        'organization-id, and that api-key and api-url belong to the account that holds it.'
    ],
    [
      'is_active false, no status',
      EV,
      facts({ organization: yes({ isActive: false }) }),
      'problem',
      'Organization 12345 is not active (is_active false): DigiCert does not issue for it; activate ' +
        'it in CertCentral or use another organization-id.'
    ],
    [
      'a status other than active, no is_active',
      EV,
      facts({ organization: yes({ status: 'suspended' }) }),
      'problem',
      'Organization 12345 is not active (status "suspended"): DigiCert does not issue for it; ' +
        'activate it in CertCentral or use another organization-id.'
    ],
    [
      'is_active true but a status other than active',
      EV,
      facts({ organization: yes({ status: 'inactive', isActive: true }) }),
      'problem',
      'Organization 12345 is not active (status "inactive"): DigiCert does not issue for it; ' +
        'activate it in CertCentral or use another organization-id.'
    ],
    [
      'neither status nor is_active: not held against it',
      EV,
      facts({ organization: yes({}) }),
      'ok',
      'Organization 12345 exists and is active.'
    ],
    [
      'is_active true alone',
      EV,
      facts({ organization: yes({ isActive: true }) }),
      'ok',
      'Organization 12345 exists and is active.'
    ],
    [
      'no answer at all',
      EV,
      facts({ organization: no(undefined, 'GET …/organization/12345 failed: ECONNRESET') }),
      'unchecked',
      'Could not check organization 12345 (GET …/organization/12345 failed: ECONNRESET).'
    ]
  ])

  it('says nothing of an organization the order creates, whatever the facts hold', () => {
    expect(judge(NEW_ORGANIZATION, facts(), TODAY).map(f => f.check)).toEqual([
      'skip-approval',
      'validity',
      'signature-hash'
    ])
  })

  it('says nothing of an organization it did not ask about', () => {
    expect(findingsOf(EV, without('organization'), 'organization')).toEqual([])
  })
})

describe('the validation the product needs', () => {
  table('validation', [
    [
      'active without an end date',
      CS,
      facts({ validations: yes([validation('cs', 'active')]) }),
      'ok',
      'Organization 12345 has an active Code Signing (cs) validation (its end date is not given).'
    ],
    [
      'active with an end date that cannot be read: not held against it',
      CS,
      facts({ validations: yes([validation('cs', 'active', 'soon')]) }),
      'ok',
      'Organization 12345 has an active Code Signing (cs) validation (its end date is not given).'
    ],
    [
      'active, ending at this very moment: ended',
      CS,
      facts({ validations: yes([validation('cs', 'active', TODAY.toISOString())]) }),
      'problem',
      "Organization 12345's Code Signing (cs) validation ended on 2026-06-01: DigiCert validates it " +
        'again before issuing, which usually takes days.'
    ],
    [
      'an EV validation that ended: the verified contact must approve the new one',
      EV,
      facts({ validations: yes([validation('ev_cs', 'active', EARLIER)]) }),
      'problem',
      "Organization 12345's EV Code Signing (ev_cs) validation ended on 2026-05-01: DigiCert " +
        'validates it again before issuing, which usually takes days; the verified contact 67890 ' +
        'must approve.'
    ],
    [
      'none of the type needed: each other one named',
      EV,
      facts({
        validations: yes([validation('cs', 'active', LATER), validation('ov', 'expired', EARLIER)])
      }),
      'problem',
      'Organization 12345 has no active EV Code Signing (ev_cs) validation (its "cs" validation is ' +
        '"active" until 2027-03-01; its "ov" validation is "expired", ended 2026-05-01): DigiCert ' +
        'validates it before issuing, which usually takes days; the verified contact 67890 must approve.'
    ],
    [
      'an EV order naming two verified contacts: one of them approves',
      { ...EV, verifiedContactIds: [12345, 67890] },
      facts({ validations: yes([]) }),
      'problem',
      'Organization 12345 has no active EV Code Signing (ev_cs) validation (it has no validation ' +
        'yet): DigiCert validates it before issuing, which usually takes days; one of the verified ' +
        'contacts 12345, 67890 must approve.'
    ],
    [
      'an EV order naming no verified contact: nobody named',
      { ...EV, verifiedContactIds: [] },
      facts({ validations: yes([]) }),
      'problem',
      'Organization 12345 has no active EV Code Signing (ev_cs) validation (it has no validation ' +
        'yet): DigiCert validates it before issuing, which usually takes days.'
    ],
    [
      'a Code Signing order naming a verified contact: no approver named (not an EV order)',
      { ...CS, verifiedContactIds: [67890] },
      facts({ validations: yes([validation('cs', 'pending')]) }),
      'problem',
      'Organization 12345 has no active Code Signing (cs) validation (its "cs" validation is ' +
        '"pending"): DigiCert validates it before issuing, which usually takes days.'
    ],
    [
      'judged from its own answer when the organization was not read',
      CS,
      without('organization'),
      'ok',
      'Organization 12345 has an active Code Signing (cs) validation until 2027-03-01.'
    ],
    [
      'its own GET failed, the organization not read: could not check, with the reason',
      CS,
      { ...without('organization'), validations: DENIED },
      'unchecked',
      'Could not check the Code Signing (cs) validation of organization 12345 (CertCentral ' +
        'answered 403 access_denied).'
    ],
    [
      'its own GET failed, the organization’s answer has none: could not check',
      CS,
      facts({ validations: DENIED }),
      'unchecked',
      'Could not check the Code Signing (cs) validation of organization 12345 (CertCentral ' +
        'answered 403 access_denied).'
    ],
    [
      'the organization could not be read for another reason: the validation still judged',
      CS,
      facts({ organization: DENIED }),
      'ok',
      'Organization 12345 has an active Code Signing (cs) validation until 2027-03-01.'
    ]
  ])

  it('says nothing when the validations were not asked about, or the order creates its organization', () => {
    expect(findingsOf(CS, without('validations'), 'validation')).toEqual([])
    expect(findingsOf(NEW_ORGANIZATION, facts(), 'validation')).toEqual([])
  })
})

describe('the verified contacts of an EV order', () => {
  const TWO: OrderIntent = { ...EV, verifiedContactIds: [12345, 67890] }
  table('verified-contacts', [
    [
      'two, both verified',
      TWO,
      facts(),
      'ok',
      '12345, 67890 are verified contacts of organization 12345.'
    ],
    [
      'two, neither verified',
      { ...EV, verifiedContactIds: [11111, 22222] },
      facts(),
      'problem',
      '11111, 22222 are not verified contacts of organization 12345 (its verified contacts are ' +
        '12345, 67890): an EV order must be approved by one of them; fix verified-contact-ids.'
    ],
    [
      'an organization with none',
      EV,
      facts({
        organization: yes({ status: 'active', verifiedContactIds: [] }),
        validations: yes([validation('ev_cs', 'active', LATER)])
      }),
      'problem',
      '67890 is not a verified contact of organization 12345 (it has none): an EV order must be ' +
        'approved by one of them; fix verified-contact-ids.'
    ],
    [
      'from the organization alone, when the validations were not asked about',
      EV,
      {
        ...without('validations'),
        organization: yes({ status: 'active', verifiedContactIds: [12345] })
      },
      'problem',
      '67890 is not a verified contact of organization 12345 (its verified contacts are 12345): ' +
        'an EV order must be approved by one of them; fix verified-contact-ids.'
    ],
    [
      'from the organization alone, when the validations could not be read',
      EV,
      facts({
        organization: yes({ status: 'active', verifiedContactIds: [12345] }),
        validations: DENIED
      }),
      'problem',
      '67890 is not a verified contact of organization 12345 (its verified contacts are 12345): ' +
        'an EV order must be approved by one of them; fix verified-contact-ids.'
    ],
    [
      'from the EV validation’s verified users alone, when the organization was not read',
      EV,
      without('organization'),
      'ok',
      '67890 is a verified contact of organization 12345.'
    ],
    [
      'the EV validation’s users, when the organization lists none',
      EV,
      facts({
        organization: yes({ status: 'active' }),
        validations: yes([validation('ev_cs', 'active', LATER, [12345])])
      }),
      'problem',
      '67890 is not a verified contact of organization 12345 (its verified contacts are 12345): ' +
        'an EV order must be approved by one of them; fix verified-contact-ids.'
    ],
    [
      'the users of another validation do not count',
      EV,
      facts({
        organization: yes({ status: 'active', verifiedContactIds: [12345] }),
        validations: yes([
          validation('cs', 'active', LATER, [67890]),
          validation('ev_cs', 'active', LATER, [12345])
        ])
      }),
      'problem',
      '67890 is not a verified contact of organization 12345 (its verified contacts are 12345): ' +
        'an EV order must be approved by one of them; fix verified-contact-ids.'
    ],
    [
      'an EV validation without users does not say "none"',
      EV,
      facts({
        organization: yes({ status: 'active', verifiedContactIds: [67890] }),
        validations: yes([validation('ev_cs', 'active', LATER)])
      }),
      'ok',
      '67890 is a verified contact of organization 12345.'
    ],
    [
      'no list anywhere (users only on another validation): could not check',
      EV,
      facts({
        organization: yes({ status: 'active' }),
        validations: yes([validation('cs', 'active', LATER, [67890])])
      }),
      'unchecked',
      'Could not check whether 67890 is a verified contact of organization 12345 (no verified ' +
        'contacts in the answers).'
    ],
    [
      'no list anywhere (an EV validation without users): could not check',
      { ...EV, verifiedContactIds: [12345, 67890] },
      facts({
        organization: yes({ status: 'active' }),
        validations: yes([validation('ev_cs', 'active', LATER)])
      }),
      'unchecked',
      'Could not check whether 12345, 67890 are verified contacts of organization 12345 (no ' +
        'verified contacts in the answers).'
    ],
    [
      'the validations could not be read and the organization lists none: that reason',
      EV,
      facts({ organization: yes({ status: 'active' }), validations: DENIED }),
      'unchecked',
      'Could not check whether 67890 is a verified contact of organization 12345 (CertCentral ' +
        'answered 403 access_denied).'
    ],
    [
      'neither could be read: both reasons',
      EV,
      facts({
        organization: no(500, 'CertCentral answered 500'),
        validations: no(undefined, 'GET …/validation failed: ECONNRESET')
      }),
      'unchecked',
      'Could not check whether 67890 is a verified contact of organization 12345 (CertCentral ' +
        'answered 500; GET …/validation failed: ECONNRESET).'
    ]
  ])

  it.each<[string, OrderIntent, PreflightFacts]>([
    ['a Code Signing order, even naming contacts', { ...CS, verifiedContactIds: [11111] }, facts()],
    [
      'an EV order creating its organization',
      { ...NEW_ORGANIZATION, verifiedContactIds: [11111] },
      facts()
    ],
    ['an EV order naming none', { ...EV, verifiedContactIds: [] }, facts()],
    ['nothing asked about the organization', EV, without('organization', 'validations')],
    [
      'an organization that was not found',
      EV,
      {
        ...without('validations'),
        organization: no(404, 'CertCentral answered 404 not_found', ['not_found'])
      }
    ]
  ])('says nothing for %s', (_name, intent, given) => {
    expect(findingsOf(intent, given, 'verified-contacts')).toEqual([])
  })

  it('says nothing more than the rest when nothing was asked about the organization', () => {
    const found = judge(EV, without('organization', 'validations'), TODAY)
    expect(found.map(f => f.check)).toEqual(['skip-approval', 'validity', 'signature-hash'])
  })
})

describe('skip-approval', () => {
  const asUser = (value: { username?: string; roles: { id?: number; name?: string }[] }) =>
    facts({ user: yes(value) })
  const MAY_NOT =
    'not Administrator or Manager: it may not skip approval, so the order is refused or waits for ' +
    "an administrator's approval; remove skip-approval or use an administrator's or manager's API key."
  table('skip-approval', [
    [
      'a user without a username, an administrator by name alone',
      EV,
      asUser({ roles: [{ name: 'Administrator' }] }),
      'ok',
      'The API key\'s user has the role "Administrator": it may skip approval.'
    ],
    [
      'a manager by name alone',
      EV,
      asUser({ roles: [{ name: 'Manager' }] }),
      'ok',
      'The API key\'s user has the role "Manager": it may skip approval.'
    ],
    [
      'the role ID decides over the name',
      EV,
      asUser({ roles: [{ id: 1, name: 'Limited user' }] }),
      'ok',
      "The API key's user has the role Administrator: it may skip approval."
    ],
    [
      'a manager by ID, another name sent',
      EV,
      asUser({ roles: [{ id: 4, name: 'whatever' }] }),
      'ok',
      "The API key's user has the role Manager: it may skip approval."
    ],
    [
      'an administrator by ID alone',
      EV,
      asUser({ username: 'bot', roles: [{ id: 1 }] }),
      'ok',
      'The API key\'s user "bot" has the role Administrator: it may skip approval.'
    ],
    [
      'one of two roles may: all named',
      EV,
      asUser({ roles: [{ id: 5 }, { id: 1 }] }),
      'ok',
      "The API key's user has the role Standard user, Administrator: it may skip approval."
    ],
    [
      'neither of two roles may: all named',
      EV,
      asUser({ username: 'ci', roles: [{ id: 2 }, { id: 3 }] }),
      'problem',
      `The API key's user "ci" has the role Limited user, Finance manager, ${MAY_NOT}`
    ],
    [
      'an unknown role ID without a name: by its ID',
      EV,
      asUser({ roles: [{ id: 9 }] }),
      'problem',
      `The API key's user has the role role 9, ${MAY_NOT}`
    ],
    [
      'an unknown role ID with a name: by the name sent',
      EV,
      asUser({ roles: [{ id: 9, name: 'Auditor' }] }),
      'problem',
      `The API key's user has the role "Auditor", ${MAY_NOT}`
    ],
    [
      'an Administrator name on an unknown ID: the ID decides',
      EV,
      asUser({ roles: [{ id: 9, name: 'Administrator' }] }),
      'problem',
      `The API key's user has the role "Administrator", ${MAY_NOT}`
    ],
    [
      'no roles: could not check',
      EV,
      asUser({ roles: [] }),
      'unchecked',
      "Could not check whether the API key's user may skip approval (no role in the answer)."
    ],
    [
      'roles with neither an ID nor a name: could not check',
      EV,
      asUser({ roles: [{}, {}] }),
      'unchecked',
      "Could not check whether the API key's user may skip approval (no role in the answer)."
    ]
  ])

  it('says nothing without skip-approval, or when the user was not asked about', () => {
    expect(findingsOf({ ...EV, skipApproval: false }, facts(), 'skip-approval')).toEqual([])
    expect(findingsOf(EV, without('user'), 'skip-approval')).toEqual([])
  })
})

describe('the product', () => {
  const product = (value: { allowedYears?: number[]; hashTypes?: string[] }) =>
    facts({ product: yes(value) })
  describe('validity', () => {
    table('validity', [
      [
        'the allowed years listed in order',
        { ...EV, validityYears: 4 },
        product({ allowedYears: [3, 1, 2], hashTypes: ['sha256'] }),
        'problem',
        'code_signing_ev allows a validity of 1, 2, 3 year(s), not 4: CertCentral refuses the ' +
          'order; set validity-years to one of them.'
      ],
      [
        'no years listed',
        EV,
        product({ hashTypes: ['sha256'] }),
        'unchecked',
        "Could not check the validity: code_signing_ev's answer lists no allowed years."
      ],
      [
        'an empty list of years',
        CS,
        product({ allowedYears: [], hashTypes: ['sha256'] }),
        'unchecked',
        "Could not check the validity: code_signing's answer lists no allowed years."
      ]
    ])
  })
  describe('signature hash', () => {
    table('signature-hash', [
      [
        'no hash types listed',
        EV,
        product({ allowedYears: [1] }),
        'unchecked',
        "Could not check the signature hash: code_signing_ev's answer lists no hash types."
      ],
      [
        'an empty list of hash types',
        CS,
        product({ allowedYears: [1], hashTypes: [] }),
        'unchecked',
        "Could not check the signature hash: code_signing's answer lists no hash types."
      ],
      [
        'one allowed, another asked for',
        { ...CS, signatureHash: 'sha384' },
        product({ allowedYears: [1], hashTypes: ['sha256'] }),
        'problem',
        'code_signing allows the signature hashes "sha256", not sha384: CertCentral refuses the ' +
          'order; set signature-hash to one of them.'
      ]
    ])
  })

  it('says nothing of the product when it was not asked about', () => {
    const found = judge(EV, without('product'), TODAY).map(f => f.check)
    expect(found).toEqual(['organization', 'validation', 'verified-contacts', 'skip-approval'])
  })

  it('says one thing when the product could not be read', () => {
    const given = facts({ product: no(404, 'CertCentral answered 404 not_found|product') })
    expect(judge(EV, given, TODAY).filter(f => f.verdict !== 'ok')).toEqual([
      {
        check: 'product',
        verdict: 'unchecked',
        message:
          'Could not check which validity and signature hashes code_signing_ev allows ' +
          '(CertCentral answered 404 not_found|product).'
      }
    ])
  })
})
