// The pre-flight's pure judgments, as a table: the order's intent and CertCentral's facts in, one
// finding per check out (its verdict and the words a user must see).
import { describe, expect, it } from 'vitest'
import type { FactAnswer, PreflightFacts } from '../src/certcentral/preflight.js'
import {
  intentOf,
  judge,
  PROBLEM_IMPACT,
  questionsFor,
  type Check,
  type Impact,
  type OrderIntent,
  type PreflightFinding,
  type Verdict
} from '../src/preflight/judge.js'
import { stopsTheOrder } from '../src/preflight/run.js'
import { CS, EV, TODAY, validation, yes } from './fixtures/preflight-facts.js'

const no = (status: number | undefined, codes: string[] = []): FactAnswer<never> => ({
  ok: false,
  ...(status === undefined ? {} : { status }),
  codes,
  reason:
    status === undefined ? 'ECONNREFUSED' : `CertCentral answered ${status} ${codes.join(', ')}`
})

/** Everything in order: the organization validated for both, the key's user an administrator. */
function facts(patch: Partial<PreflightFacts> = {}): PreflightFacts {
  return {
    organization: yes({ status: 'active', isActive: true, verifiedContactIds: [12345, 67890] }),
    validations: yes([
      validation('cs', 'active', '2027-03-01T00:00:00+00:00', [12345]),
      validation('ev_cs', 'active', '2027-03-01T00:00:00+00:00', [12345, 67890])
    ]),
    user: yes({ username: 'release-bot', roles: [{ id: 1, name: 'Administrator' }] }),
    product: yes({ allowedYears: [1, 2, 3], hashTypes: ['sha256', 'sha384', 'sha512'] }),
    requests: 4,
    ...patch
  }
}

function finding(intent: OrderIntent, given: PreflightFacts, check: Check) {
  const found = judge(intent, given, TODAY).filter(f => f.check === check)
  expect(found, `exactly one ${check} finding`).toHaveLength(1)
  return found[0]!
}

type Row = [string, OrderIntent, PreflightFacts, Check, Verdict, RegExp]

const ROWS: Row[] = [
  // The organization
  [
    'an active organization',
    EV,
    facts(),
    'organization',
    'ok',
    /^Organization 12345 exists and is active\.$/
  ],
  [
    'a missing organization',
    EV,
    facts({ organization: no(404, ['not_found|organization']) }),
    'organization',
    'problem',
    /Organization 12345 was not found \(CertCentral answered 404.*check organization-id/
  ],
  [
    'an inactive organization',
    EV,
    facts({ organization: yes({ status: 'inactive', isActive: false }) }),
    'organization',
    'problem',
    /Organization 12345 is not active \(status "inactive"\): DigiCert does not issue for it/
  ],
  [
    'an organization the key may not read',
    EV,
    facts({ organization: no(403, ['access_denied|missing_permission']) }),
    'organization',
    'unchecked',
    /^Could not check organization 12345 \(CertCentral answered 403 access_denied\|missing_permission\)\.$/
  ],
  [
    'an organization endpoint not served (404 route)',
    EV,
    facts({ organization: no(404, ['not_found|route']) }),
    'organization',
    'unchecked',
    /^Could not check organization 12345/
  ],
  [
    'a 404 without CertCentral’s codes (a proxy’s page)',
    EV,
    facts({ organization: no(404) }),
    'organization',
    'unchecked',
    /^Could not check organization 12345 \(CertCentral answered 404 \)\.$/
  ],
  [
    'a missing organization among other codes',
    EV,
    facts({ organization: no(404, ['not_found|route', 'not_found']) }),
    'organization',
    'problem',
    /^Organization 12345 was not found/
  ],
  // The validation the product needs
  [
    'an active EV validation, with its end',
    EV,
    facts(),
    'validation',
    'ok',
    /^Organization 12345 has an active EV Code Signing \(ev_cs\) validation until 2027-03-01\.$/
  ],
  [
    'only a cs validation, for an EV order',
    EV,
    facts({ validations: yes([validation('cs', 'active', '2027-03-01T00:00:00+00:00')]) }),
    'validation',
    'problem',
    /^Organization 12345 has no active EV Code Signing \(ev_cs\) validation \(its "cs" validation is "active" until 2027-03-01\): DigiCert validates it before issuing, which usually takes days; the verified contact 67890 must approve\.$/
  ],
  [
    'a pending validation',
    CS,
    facts({ validations: yes([validation('cs', 'pending')]) }),
    'validation',
    'problem',
    /no active Code Signing \(cs\) validation \(its "cs" validation is "pending"\): DigiCert validates it before issuing, which usually takes days\.$/
  ],
  [
    'an active validation whose date has passed',
    CS,
    facts({ validations: yes([validation('cs', 'active', '2026-05-01T00:00:00+00:00')]) }),
    'validation',
    'problem',
    /^Organization 12345's Code Signing \(cs\) validation ended on 2026-05-01: DigiCert validates it again before issuing/
  ],
  [
    'an expired validation',
    CS,
    facts({ validations: yes([validation('cs', 'expired', '2026-05-01T00:00:00+00:00')]) }),
    'validation',
    'problem',
    /its "cs" validation is "expired", ended 2026-05-01/
  ],
  [
    'no validation at all',
    CS,
    facts({ validations: yes([]) }),
    'validation',
    'problem',
    /\(it has no validation yet\)/
  ],
  [
    'validations from the organization answer when their own GET failed',
    CS,
    facts({
      validations: no(500),
      organization: yes({
        status: 'active',
        validations: [validation('cs', 'active', '2027-01-01T00:00:00Z')]
      })
    }),
    'validation',
    'ok',
    /active Code Signing \(cs\) validation until 2027-01-01/
  ],
  [
    'validations that could not be read',
    CS,
    facts({ validations: no(undefined) }),
    'validation',
    'unchecked',
    /^Could not check the Code Signing \(cs\) validation of organization 12345 \(ECONNREFUSED\)\.$/
  ],
  // EV verified contacts
  [
    'a verified contact of the organization',
    EV,
    facts(),
    'verified-contacts',
    'ok',
    /^67890 is a verified contact of organization 12345\.$/
  ],
  [
    'a contact who is not verified',
    { ...EV, verifiedContactIds: [67890, 11111] },
    facts(),
    'verified-contacts',
    'problem',
    /^11111 is not a verified contact of organization 12345 \(its verified contacts are 12345, 67890\): an EV order must be approved by one of them; fix verified-contact-ids\.$/
  ],
  [
    'verified users of the EV validation count when the organization lists none',
    EV,
    facts({ organization: yes({ status: 'active' }) }),
    'verified-contacts',
    'ok',
    /67890 is a verified contact/
  ],
  [
    'verified contacts that could not be read',
    EV,
    facts({ organization: no(403), validations: no(403) }),
    'verified-contacts',
    'unchecked',
    /^Could not check whether 67890 is a verified contact of organization 12345 \(CertCentral answered 403/
  ],
  // skip-approval
  [
    'an administrator skipping approval',
    EV,
    facts(),
    'skip-approval',
    'ok',
    /^The API key's user "release-bot" has the role Administrator: it may skip approval\.$/
  ],
  [
    'a manager skipping approval',
    EV,
    facts({ user: yes({ roles: [{ id: 4, name: 'Manager' }] }) }),
    'skip-approval',
    'ok',
    /has the role Manager: it may skip approval/
  ],
  ...([2, 3, 5] as const).map((id): Row => [
    `role ${id} skipping approval`,
    EV,
    facts({ user: yes({ username: 'ci', roles: [{ id, name: 'whatever' }] }) }),
    'skip-approval',
    'problem',
    /has the role (Limited user|Finance manager|Standard user), not Administrator or Manager: it may not skip approval.*remove skip-approval/
  ]),
  [
    'a role known only by a name CertCentral sends',
    EV,
    facts({ user: yes({ roles: [{ name: 'Auditor' }] }) }),
    'skip-approval',
    'problem',
    /has the role "Auditor", not Administrator/
  ],
  [
    'a key that may not read its user',
    EV,
    facts({ user: no(403, ['access_denied|missing_permission']) }),
    'skip-approval',
    'unchecked',
    /^Could not check whether the API key's user may skip approval \(CertCentral answered 403/
  ],
  // The product
  [
    'an allowed validity',
    EV,
    facts(),
    'validity',
    'ok',
    /^code_signing_ev allows a validity of 1 year\(s\)\.$/
  ],
  [
    'a validity the product does not allow',
    { ...EV, validityYears: 3 },
    facts({ product: yes({ allowedYears: [1], hashTypes: ['sha256'] }) }),
    'validity',
    'problem',
    /^code_signing_ev allows a validity of 1 year\(s\), not 3: CertCentral refuses the order; set validity-years to one of them\.$/
  ],
  [
    'a hash the product allows',
    EV,
    facts(),
    'signature-hash',
    'ok',
    /^code_signing_ev allows the signature hash sha256\.$/
  ],
  [
    'a hash the product does not allow',
    { ...EV, signatureHash: 'sha512' },
    facts({ product: yes({ allowedYears: [1], hashTypes: ['sha256', 'sha384'] }) }),
    'signature-hash',
    'problem',
    /allows the signature hashes "sha256", "sha384", not sha512: CertCentral refuses the order; set signature-hash/
  ],
  [
    'a product that could not be read',
    EV,
    facts({ product: no(404, ['not_found|route']) }),
    'product',
    'unchecked',
    /^Could not check which validity and signature hashes code_signing_ev allows/
  ]
]

describe('pre-flight judgments', () => {
  it.each(ROWS)('%s', (_name, intent, given, check, verdict, message) => {
    const found = finding(intent, given, check)
    expect(found.verdict).toBe(verdict)
    expect(found.message).toMatch(message)
  })

  it('finds nothing wrong when everything is in order', () => {
    expect(judge(EV, facts(), TODAY).filter(f => f.verdict !== 'ok')).toEqual([])
  })

  it('says nothing more of the validation or contacts of an organization that is missing', () => {
    const checks = judge(EV, facts({ organization: no(404, ['not_found|organization']) }), TODAY)
    expect(checks.map(f => f.check)).toEqual([
      'organization',
      'skip-approval',
      'validity',
      'signature-hash'
    ])
  })

  it('checks verified contacts only for EV orders that name them', () => {
    expect(judge(CS, facts(), TODAY).some(f => f.check === 'verified-contacts')).toBe(false)
    const none = { ...EV, verifiedContactIds: [] }
    expect(judge(none, facts(), TODAY).some(f => f.check === 'verified-contacts')).toBe(false)
  })

  it('does not check validity years when the validity is in days or a date', () => {
    const days: OrderIntent = { ...EV }
    delete days.validityYears
    expect(judge(days, facts(), TODAY).some(f => f.check === 'validity')).toBe(false)
  })

  it('quotes server text, so that it cannot start a workflow command or break a line', () => {
    const sneaky = facts({
      organization: yes({ status: 'gone\n::error::injected', isActive: false })
    })
    const { message } = finding(EV, sneaky, 'organization')
    expect(message).not.toContain('\n')
    expect(message).toContain('"gone\\n::error::injected"')
  })
})

describe('what the pre-flight asks', () => {
  it('asks about the organization only when the order names one, and the user only for skip-approval', () => {
    expect(questionsFor(EV)).toEqual({
      organizationId: 12345,
      user: true,
      product: { nameId: 'code_signing_ev' }
    })
    const newOrganization: OrderIntent = { ...CS, skipApproval: false, containerId: 7 }
    delete newOrganization.organizationId
    expect(questionsFor(newOrganization)).toEqual({
      user: false,
      product: { nameId: 'code_signing', containerId: 7 }
    })
  })

  it('reads the intent from the order body', () => {
    const intent = intentOf('code_signing_ev', {
      certificate: { signature_hash: 'sha384' },
      order_validity: { years: 2 },
      organization: {
        id: 12345,
        contacts: [
          { contact_type: 'verified_contact', user_id: 67890 },
          { contact_type: 'ev_approver', user_id: 5 },
          { contact_type: 'organization_contact', user_id: 6 },
          { contact_type: 'verified_contact', first_name: 'New', last_name: 'Person' }
        ]
      },
      cs_provisioning_method: 'keylocker',
      container: { id: 9 }
    })
    expect(intent).toEqual({
      product: 'code_signing_ev',
      organizationId: 12345,
      verifiedContactIds: [67890, 5],
      skipApproval: false,
      validityYears: 2,
      signatureHash: 'sha384',
      containerId: 9
    })
  })
})

describe('what a problem means for an order placed all the same', () => {
  it.each<[Check, Impact]>([
    ['organization', 'refused'],
    ['validation', 'waits'],
    ['verified-contacts', 'waits'],
    ['skip-approval', 'refused'],
    ['product', 'refused'],
    ['validity', 'refused'],
    ['signature-hash', 'refused']
  ])('%s: %s', (check, impact) => {
    expect(PROBLEM_IMPACT[check]).toBe(impact)
  })

  // Whether a finding stops the order, by mode: only problems ever do; block stops what CertCentral
  // refuses, fail every problem, warn none.
  const finding = (check: Check, verdict: Verdict): PreflightFinding => ({
    check,
    verdict,
    message: 'm'
  })
  it.each<[Check, Verdict, { block: boolean; warn: boolean; fail: boolean }]>([
    ['organization', 'problem', { block: true, warn: false, fail: true }],
    ['skip-approval', 'problem', { block: true, warn: false, fail: true }],
    ['validity', 'problem', { block: true, warn: false, fail: true }],
    ['signature-hash', 'problem', { block: true, warn: false, fail: true }],
    ['validation', 'problem', { block: false, warn: false, fail: true }],
    ['verified-contacts', 'problem', { block: false, warn: false, fail: true }],
    ['organization', 'unchecked', { block: false, warn: false, fail: false }],
    ['validation', 'unchecked', { block: false, warn: false, fail: false }],
    ['organization', 'ok', { block: false, warn: false, fail: false }]
  ])('%s, %s: stops with %o', (check, verdict, stops) => {
    for (const mode of ['block', 'warn', 'fail'] as const) {
      expect(stopsTheOrder(finding(check, verdict), mode), mode).toBe(stops[mode])
    }
  })
})
