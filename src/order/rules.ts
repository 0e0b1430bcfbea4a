// The page's rules that span more than one input (a single input's own format is checked as it
// is read). Every rule adds its problem and the checks go on, so all are reported at once.
import { daysAfter, formatOrderDate } from './dates.js'
import type { Findings } from './findings.js'
import type { OrderDraft } from './request.js'
import type { Organization, OrganizationContactEntry } from './types.js'

export interface RuleContext {
  now: Date
  /** Whether the user gave an input, even one whose text was refused. */
  given: (input: string) => boolean
}

const MIN_HSM_RSA_BITS = 3072
const MAX_VALIDITY_DAYS = 459
const VALIDITY_LIMIT_NOTE = `public code signing certificates are limited to ${MAX_VALIDITY_DAYS} days since 2026-02-24`
const NEW_ORGANIZATION_FIELDS = [
  'name',
  'address',
  'city',
  'state',
  'zip',
  'country',
  'telephone'
] as const
const NAME_AND_ASSUMED_NAME_LIMIT = 61

export function checkOrderRules(
  request: OrderDraft,
  context: RuleContext,
  findings: Findings
): void {
  checkCsr(request, context, findings)
  checkPayment(request, context, findings)
  checkShipping(request, context, findings)
  checkPlatform(request, context, findings)
  checkOrganization(request, context, findings)
  checkValidity(request, context, findings)
  warnIgnoredValues(request, findings)
}

function checkCsr(
  { provisioningMethod, csr }: OrderDraft,
  { given }: RuleContext,
  findings: Findings
): void {
  if (provisioningMethod === undefined) return
  if (provisioningMethod === 'email' && !given('csr')) {
    findings.problem(
      'csr',
      'is required with provisioning-method email (your own HSM); give the PEM CSR or the path of its file'
    )
  }
  if (provisioningMethod !== 'email' && given('csr')) {
    findings.problem(
      'csr',
      `is refused with provisioning-method ${provisioningMethod} (DigiCert rejects a CSR unless the method is email); remove csr or use email`
    )
  }
  if (
    provisioningMethod === 'email' &&
    csr?.keyAlgorithm === 'RSA' &&
    (csr.keySize ?? 0) < MIN_HSM_RSA_BITS
  ) {
    findings.problem(
      'csr',
      `has an RSA ${csr.keySize}-bit key; DigiCert requires RSA keys of ${MIN_HSM_RSA_BITS} bits or more for HSM (email) orders: create a new key and CSR`
    )
  }
}

function checkPayment(
  { paymentMethod }: OrderDraft,
  { given }: RuleContext,
  findings: Findings
): void {
  for (const input of ['credit-card', 'billing-address']) {
    if (paymentMethod === 'card' && !given(input)) {
      findings.problem(input, 'is required when payment-method is card')
    }
    if (paymentMethod !== 'card' && given(input)) {
      findings.problem(
        input,
        `is only sent when payment-method is card (card data is not sent needlessly); remove ${input} or set payment-method: card`
      )
    }
  }
}

function checkShipping(
  { provisioningMethod }: OrderDraft,
  { given }: RuleContext,
  findings: Findings
): void {
  if (
    provisioningMethod !== undefined &&
    provisioningMethod !== 'ship_token' &&
    given('ship-info')
  ) {
    findings.problem(
      'ship-info',
      `is only for provisioning-method ship_token (a token DigiCert ships), not ${provisioningMethod}; remove ship-info`
    )
  }
}

/** The page: a client_app order identifies the token the certificate goes on by its platform. */
function checkPlatform(
  { provisioningMethod }: OrderDraft,
  { given }: RuleContext,
  findings: Findings
): void {
  if (provisioningMethod === 'client_app' && !given('server-platform-id')) {
    findings.problem(
      'server-platform-id',
      "is required with provisioning-method client_app, to identify your token (for example 23); see DigiCert's list of code signing hardware platforms"
    )
  }
}

function checkOrganization(request: OrderDraft, { given }: RuleContext, findings: Findings): void {
  if (!given('organization-id') && !given('organization')) {
    findings.problem(
      'organization',
      'is required: give organization-id (an existing organization) or organization (the details of a new one)'
    )
  }
  const organization = request.organization
  if (organization === undefined) return
  const idFromInput = request.organizationId
  if (
    idFromInput !== undefined &&
    organization.id !== undefined &&
    idFromInput !== organization.id
  ) {
    findings.problem(
      'organization',
      `id ${organization.id} differs from organization-id ${idFromInput}; give the ID once`
    )
  }
  const details = NEW_ORGANIZATION_FIELDS.filter(field => organization[field] !== undefined)
  const hasId = given('organization-id') || organization.id !== undefined
  if (hasId && details.length > 0) {
    findings.problem(
      'organization',
      `${details.join(', ')} describe a new organization, but an ID is given too; with an ID give only contacts and skip_duplicate_org_check, or leave out the ID`
    )
  }
  if (!hasId) {
    for (const field of NEW_ORGANIZATION_FIELDS.filter(
      field => organization[field] === undefined
    )) {
      findings.problem(
        'organization',
        `${field} is missing; a new organization (no organization-id) needs ${NEW_ORGANIZATION_FIELDS.join(', ')}`
      )
    }
  }
  if (!hasId && !organization.contacts?.some(c => c.contact_type === 'organization_contact')) {
    findings.warning(
      'organization',
      'a new organization should name its organization_contact in contacts, as the page asks; without one DigiCert may not be able to validate it'
    )
  }
  checkCombinedName(organization, findings)
  organization.contacts?.forEach((contact, index) =>
    checkContact(contact, `contacts[${index}]`, findings)
  )
}

// The page reserves 3 of the 64 characters for the spacing and punctuation around a DBA name.
function checkCombinedName({ name, assumed_name }: Organization, findings: Findings): void {
  if (name === undefined || assumed_name === undefined) return
  const length = [...name].length + [...assumed_name].length
  if (length > NAME_AND_ASSUMED_NAME_LIMIT) {
    findings.problem(
      'organization',
      `name and assumed_name are ${length} characters together; the limit is ${NAME_AND_ASSUMED_NAME_LIMIT} when assumed_name is given`
    )
  }
}

// An existing user (user_id) is identified already; a new person must be described.
function checkContact(contact: OrganizationContactEntry, path: string, findings: Findings): void {
  if (contact.contact_type === 'ev_approver') {
    findings.warning(
      'organization',
      `${path}.contact_type ev_approver is a legacy alias; use verified_contact`
    )
  }
  if (contact.user_id !== undefined) return
  for (const field of ['first_name', 'last_name', 'email'] as const) {
    if (contact[field] === undefined) {
      findings.problem(
        'organization',
        `${path}.${field} is missing; a contact without user_id needs first_name, last_name and email`
      )
    }
  }
  if (contact.contact_type !== 'verified_contact' && contact.contact_type !== 'ev_approver') return
  for (const field of ['job_title', 'telephone'] as const) {
    if (contact[field] === undefined) {
      findings.problem(
        'organization',
        `${path}.${field} is missing; a verified contact without user_id also needs job_title and telephone`
      )
    }
  }
}

function checkValidity({ validity }: OrderDraft, { now }: RuleContext, findings: Findings): void {
  if ('years' in validity && validity.years * 365 > MAX_VALIDITY_DAYS) {
    // A Multi-year Plan: the order lasts that long, its certificates do not.
    findings.notes.push(
      `validity-years: an order of ${validity.years} years; ${VALIDITY_LIMIT_NOTE}, so later ` +
        'runs reissue the order (free) for a new certificate until the order ends.'
    )
  }
  if ('days' in validity && validity.days > MAX_VALIDITY_DAYS) {
    findings.warning(
      'validity-days',
      `${validity.days} days is more than ${MAX_VALIDITY_DAYS}: ${VALIDITY_LIMIT_NOTE}`
    )
  }
  if ('expires' in validity) {
    const days = daysAfter(now, validity.expires)
    if (days <= 0) {
      findings.problem(
        'custom-expiration-date',
        `${formatOrderDate(validity.expires)} is not in the future; give a later date`
      )
    } else if (days > MAX_VALIDITY_DAYS) {
      findings.warning(
        'custom-expiration-date',
        `is ${days} days away, more than ${MAX_VALIDITY_DAYS}: ${VALIDITY_LIMIT_NOTE}`
      )
    }
  }
}

// Values DigiCert accepts but changes or drops: the run goes on, the user hears about it.
function warnIgnoredValues(request: OrderDraft, findings: Findings): void {
  const platform = request.serverPlatformId
  if (platform !== undefined && platform >= 51 && platform <= 57) {
    findings.warning('server-platform-id', `${platform}: DigiCert converts 51-57 to -1 (other)`)
  }
  if (request.subjectEmail !== undefined && request.product === 'code_signing_ev') {
    findings.warning('subject-email', 'DigiCert ignores subject.email for code_signing_ev')
  }
  const payment = request.paymentMethod
  if (
    request.vatNumber !== undefined &&
    payment !== undefined &&
    payment !== 'card' &&
    payment !== 'profile'
  ) {
    findings.warning(
      'vat-number',
      `DigiCert stores vat_number only for card and profile payments, so it is ignored with payment-method ${payment}`
    )
  }
}
