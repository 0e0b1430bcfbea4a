// The pre-flight's judgments, pure: what the order asks for, and what CertCentral said of the
// organization, the key's user and the product, turned into one plain sentence per check. No I/O:
// the facts come in (src/certcentral/preflight.ts), the findings go out (./run.ts logs them).
import type {
  FactAnswer,
  PreflightFacts,
  PreflightQuestions,
  ProductFact,
  UserFact,
  ValidationFact
} from '../certcentral/preflight.js'
import { quoted } from '../server-text.js'
import { optional } from '../order/optional.js'
import type { OrderBody, Product } from '../order/types.js'

/** What the order about to be placed asks of CertCentral. */
export interface OrderIntent {
  product: Product
  /** An existing organization; undefined when the order creates one. */
  organizationId?: number
  /** user_id of each verified contact named in organization.contacts. */
  verifiedContactIds: number[]
  skipApproval: boolean
  /** order_validity.years, when the validity is given in years. */
  validityYears?: number
  signatureHash: string
  containerId?: number
}

export type Verdict = 'ok' | 'problem' | 'unchecked'

export type Check =
  | 'organization'
  | 'validation'
  | 'verified-contacts'
  | 'skip-approval'
  | 'product'
  | 'validity'
  | 'signature-hash'

/**
 * What a problem found by a check means for an order placed all the same: `refused`, CertCentral
 * refuses the order or can never issue it (nothing to gain by paying); `waits`, the order is
 * accepted and waits until someone acts (a validation, an approval), which may take days.
 */
export type Impact = 'refused' | 'waits'

export const PROBLEM_IMPACT: Readonly<Record<Check, Impact>> = {
  // Unknown: the POST is refused; inactive: DigiCert does not issue for it.
  organization: 'refused',
  // DigiCert validates the organization (again) after the order: it waits, typically for days.
  validation: 'waits',
  // A contact can still be made a verified contact of the organization: the order waits for it.
  'verified-contacts': 'waits',
  // A user who may not skip approval: the order is refused (or needs an approval it asked to skip).
  'skip-approval': 'refused',
  // The product's own rules: CertCentral refuses the order.
  product: 'refused',
  validity: 'refused',
  'signature-hash': 'refused'
}

/** One check's outcome, as one plain sentence. Server text in it is quoted. */
export interface PreflightFinding {
  check: Check
  verdict: Verdict
  message: string
}

export function intentOf(product: Product, body: OrderBody): OrderIntent {
  const contacts = body.organization.contacts ?? []
  const validity = body.order_validity
  return {
    product,
    ...optional('organizationId', body.organization.id),
    verifiedContactIds: contacts.flatMap(c =>
      (c.contact_type === 'verified_contact' || c.contact_type === 'ev_approver') &&
      c.user_id !== undefined
        ? [c.user_id]
        : []
    ),
    skipApproval: body.skip_approval === true,
    ...optional('validityYears', 'years' in validity ? validity.years : undefined),
    signatureHash: body.certificate.signature_hash,
    ...optional('containerId', body.container?.id)
  }
}

/** The facts worth reading: the organization only when there is one, the user only for skip-approval. */
export function questionsFor(intent: OrderIntent): PreflightQuestions {
  return {
    ...optional('organizationId', intent.organizationId),
    user: intent.skipApproval,
    product: {
      nameId: intent.product,
      ...optional('containerId', intent.containerId)
    }
  }
}

/**
 * A reissue is free and keeps the order's organization, validation, approval and validity: of all
 * the pre-flight's questions, only the product's (which signature hashes it allows) can tell why
 * CertCentral would refuse it.
 */
export function reissueQuestions(intent: OrderIntent): PreflightQuestions {
  return {
    user: false,
    product: { nameId: intent.product, ...optional('containerId', intent.containerId) }
  }
}

/** The reissue's one check: the signature hash it sends. */
export function judgeReissue(intent: OrderIntent, facts: PreflightFacts): PreflightFinding[] {
  const { validityYears: _, ...hashOnly } = intent
  return judgeProduct(hashOnly, facts.product)
}

/** The validation each product needs: Code Signing (cs) or EV Code Signing (ev_cs). */
const NEEDED_VALIDATION: Record<Product, { type: string; label: string }> = {
  code_signing: { type: 'cs', label: 'Code Signing (cs)' },
  code_signing_ev: { type: 'ev_cs', label: 'EV Code Signing (ev_cs)' }
}

/** Roles that may skip approval: Administrator (1) and Manager (4). */
const MAY_SKIP_APPROVAL = new Set([1, 4])
const ROLE_NAMES: Record<number, string> = {
  1: 'Administrator',
  2: 'Limited user',
  3: 'Finance manager',
  4: 'Manager',
  5: 'Standard user'
}

const VALIDATION_TAKES = 'DigiCert validates it before issuing, which usually takes days'

export function judge(intent: OrderIntent, facts: PreflightFacts, today: Date): PreflightFinding[] {
  return [
    ...judgeOrganization(intent, facts),
    ...judgeValidation(intent, facts, today),
    ...judgeVerifiedContacts(intent, facts),
    ...judgeSkipApproval(intent, facts.user),
    ...judgeProduct(intent, facts.product)
  ]
}

function judgeOrganization(intent: OrderIntent, facts: PreflightFacts): PreflightFinding[] {
  const id = intent.organizationId
  const answer = facts.organization
  if (id === undefined || answer === undefined) return []
  const check = 'organization'
  if (!answer.ok) {
    if (isMissing(answer)) {
      return [
        problem(
          check,
          `Organization ${id} was not found (${answer.reason}): check organization-id, and that ` +
            'api-key and api-url belong to the account that holds it.'
        )
      ]
    }
    return [unchecked(check, `Could not check organization ${id} (${answer.reason}).`)]
  }
  const org = answer.value
  const inactive = org.isActive === false || (org.status !== undefined && org.status !== 'active')
  if (inactive) {
    const status = org.status === undefined ? 'is_active false' : `status ${quoted(org.status)}`
    return [
      problem(
        check,
        `Organization ${id} is not active (${status}): DigiCert does not issue for it; activate ` +
          'it in CertCentral or use another organization-id.'
      )
    ]
  }
  return [ok(check, `Organization ${id} exists and is active.`)]
}

/**
 * A 404 in which CertCentral says the organization is missing (a `not_found` code); a missing
 * route is an endpoint not served, and a 404 without CertCentral's codes (a proxy's page) proves
 * nothing: both are "could not check".
 */
function isMissing(answer: Extract<FactAnswer<unknown>, { ok: false }>): boolean {
  return (
    answer.status === 404 &&
    answer.codes.some(code => code.startsWith('not_found') && code !== 'not_found|route')
  )
}

/** The validations, from their own endpoint or, failing that, from the organization's answer. */
function knownValidations(facts: PreflightFacts): ValidationFact[] | undefined {
  if (facts.validations?.ok) return facts.validations.value
  return facts.organization?.ok ? facts.organization.value.validations : undefined
}

function judgeValidation(
  intent: OrderIntent,
  facts: PreflightFacts,
  today: Date
): PreflightFinding[] {
  const id = intent.organizationId
  if (id === undefined || facts.validations === undefined) return []
  if (facts.organization !== undefined && !facts.organization.ok && isMissing(facts.organization)) {
    return [] // the organization finding says it all
  }
  const check = 'validation'
  const needed = NEEDED_VALIDATION[intent.product]
  const validations = knownValidations(facts)
  if (validations === undefined) {
    const reason = facts.validations.ok ? 'no validations in the answer' : facts.validations.reason
    return [
      unchecked(
        check,
        `Could not check the ${needed.label} validation of organization ${id} (${reason}).`
      )
    ]
  }
  const approvers = evApprovers(intent)
  const ofType = validations.filter(v => v.type === needed.type)
  const current = ofType.find(v => v.status === 'active' && endsAfter(v, today))
  if (current) {
    const until = dateOf(current.validatedUntil)
    return [
      ok(
        check,
        `Organization ${id} has an active ${needed.label} validation` +
          (until ? ` until ${until}.` : ' (its end date is not given).')
      )
    ]
  }
  const lapsed = ofType.find(v => v.status === 'active')
  if (lapsed) {
    return [
      problem(
        check,
        `Organization ${id}'s ${needed.label} validation ended on ${dateOf(lapsed.validatedUntil) ?? 'an unknown date'}: ` +
          `${VALIDATION_TAKES.replace('validates it', 'validates it again')}${approvers}.`
      )
    ]
  }
  const seen = ofType[0]
  // None of the type needed: what there is, is of other types.
  const about = seen
    ? `its ${quoted(seen.type)} validation is ${quoted(seen.status)}${endNote(seen, today)}`
    : validations.length > 0
      ? validations
          .map(v => `its ${quoted(v.type)} validation is ${quoted(v.status)}${endNote(v, today)}`)
          .join('; ')
      : 'it has no validation yet'
  return [
    problem(
      check,
      `Organization ${id} has no active ${needed.label} validation (${about}): ${VALIDATION_TAKES}${approvers}.`
    )
  ]
}

/** For EV orders, who must approve: "; the verified contacts 67890 must approve". */
function evApprovers(intent: OrderIntent): string {
  if (intent.product !== 'code_signing_ev' || intent.verifiedContactIds.length === 0) return ''
  const [first] = intent.verifiedContactIds
  return intent.verifiedContactIds.length === 1
    ? `; the verified contact ${first} must approve`
    : `; one of the verified contacts ${intent.verifiedContactIds.join(', ')} must approve`
}

function endsAfter(validation: ValidationFact, today: Date): boolean {
  if (validation.validatedUntil === undefined) return true
  const end = Date.parse(validation.validatedUntil)
  // An end date that cannot be read is not held against the organization.
  return Number.isNaN(end) || end > today.getTime()
}

function endNote(validation: ValidationFact, today: Date): string {
  const until = dateOf(validation.validatedUntil)
  if (until === undefined) return ''
  return endsAfter(validation, today) ? ` until ${until}` : `, ended ${until}`
}

/** YYYY-MM-DD of an ISO 8601 date-time; undefined when absent or unreadable. */
function dateOf(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined
  const time = Date.parse(iso)
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 10)
}

function judgeVerifiedContacts(intent: OrderIntent, facts: PreflightFacts): PreflightFinding[] {
  const id = intent.organizationId
  const given = intent.verifiedContactIds
  if (intent.product !== 'code_signing_ev' || id === undefined || given.length === 0) return []
  if (facts.organization === undefined && facts.validations === undefined) return []
  if (facts.organization && !facts.organization.ok && isMissing(facts.organization)) return []
  const check = 'verified-contacts'
  const known = verifiedContactsOf(facts)
  const named = given.join(', ')
  if (known === undefined) {
    const reasons = [facts.organization, facts.validations]
      .flatMap(a => (a && !a.ok ? [a.reason] : []))
      .join('; ')
    return [
      unchecked(
        check,
        `Could not check whether ${named} ${given.length === 1 ? 'is a verified contact' : 'are verified contacts'} of organization ${id} (${reasons || 'no verified contacts in the answers'}).`
      )
    ]
  }
  const unknown = given.filter(user => !known.includes(user))
  if (unknown.length > 0) {
    const list = known.length > 0 ? `its verified contacts are ${known.join(', ')}` : 'it has none'
    return [
      problem(
        check,
        `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a verified contact' : 'are not verified contacts'} ` +
          `of organization ${id} (${list}): an EV order must be approved by one of them; fix ` +
          'verified-contact-ids.'
      )
    ]
  }
  return [
    ok(
      check,
      `${named} ${given.length === 1 ? 'is a verified contact' : 'are verified contacts'} of organization ${id}.`
    )
  ]
}

/** The organization's verified contacts and the EV validation's verified users, together. */
function verifiedContactsOf(facts: PreflightFacts): number[] | undefined {
  const fromOrganization = facts.organization?.ok
    ? facts.organization.value.verifiedContactIds
    : undefined
  const fromValidation = knownValidations(facts)
    ?.filter(v => v.type === 'ev_cs')
    .flatMap(v => v.verifiedUserIds ?? [])
  const hasValidationUsers = knownValidations(facts)?.some(
    v => v.type === 'ev_cs' && v.verifiedUserIds !== undefined
  )
  if (fromOrganization === undefined && !hasValidationUsers) return undefined
  return [...new Set([...(fromOrganization ?? []), ...(fromValidation ?? [])])]
}

function judgeSkipApproval(
  intent: OrderIntent,
  answer: FactAnswer<UserFact> | undefined
): PreflightFinding[] {
  if (!intent.skipApproval || answer === undefined) return []
  const check = 'skip-approval'
  if (!answer.ok) {
    return [
      unchecked(
        check,
        `Could not check whether the API key's user may skip approval (${answer.reason}).`
      )
    ]
  }
  const who = answer.value.username
    ? `The API key's user ${quoted(answer.value.username)}`
    : "The API key's user"
  const roles = answer.value.roles
  const names = roles.map(roleName).filter(n => n !== undefined)
  if (names.length === 0) {
    return [
      unchecked(
        check,
        `Could not check whether the API key's user may skip approval (no role in the answer).`
      )
    ]
  }
  if (roles.some(mayApprove)) {
    return [ok(check, `${who} has the role ${names.join(', ')}: it may skip approval.`)]
  }
  return [
    problem(
      check,
      `${who} has the role ${names.join(', ')}, not Administrator or Manager: it may not skip approval, so ` +
        "the order is refused or waits for an administrator's approval; remove skip-approval or use " +
        "an administrator's or manager's API key."
    )
  ]
}

function mayApprove(role: { id?: number; name?: string }): boolean {
  if (role.id !== undefined) return MAY_SKIP_APPROVAL.has(role.id)
  return role.name === 'Administrator' || role.name === 'Manager'
}

/** A known role by its name; another by the name CertCentral sends, quoted, or its ID. */
function roleName(role: { id?: number; name?: string }): string | undefined {
  const known = role.id === undefined ? undefined : ROLE_NAMES[role.id]
  if (known !== undefined) return known
  if (role.name !== undefined) return quoted(role.name)
  return role.id === undefined ? undefined : `role ${role.id}`
}

function judgeProduct(
  intent: OrderIntent,
  answer: FactAnswer<ProductFact> | undefined
): PreflightFinding[] {
  if (answer === undefined) return []
  const product = intent.product
  if (!answer.ok) {
    return [
      unchecked(
        'product',
        `Could not check which validity and signature hashes ${product} allows (${answer.reason}).`
      )
    ]
  }
  const findings: PreflightFinding[] = []
  const { allowedYears, hashTypes } = answer.value
  const years = intent.validityYears
  if (years !== undefined) {
    if (allowedYears === undefined || allowedYears.length === 0) {
      findings.push(
        unchecked(
          'validity',
          `Could not check the validity: ${product}'s answer lists no allowed years.`
        )
      )
    } else if (!allowedYears.includes(years)) {
      const list = [...allowedYears].sort((a, b) => a - b).join(', ')
      findings.push(
        problem(
          'validity',
          `${product} allows a validity of ${list} year(s), not ${years}: CertCentral refuses the ` +
            'order; set validity-years to one of them.'
        )
      )
    } else {
      findings.push(ok('validity', `${product} allows a validity of ${years} year(s).`))
    }
  }
  const hash = intent.signatureHash
  if (hashTypes === undefined || hashTypes.length === 0) {
    findings.push(
      unchecked(
        'signature-hash',
        `Could not check the signature hash: ${product}'s answer lists no hash types.`
      )
    )
  } else if (!hashTypes.includes(hash)) {
    findings.push(
      problem(
        'signature-hash',
        `${product} allows the signature hashes ${hashTypes.map(quoted).join(', ')}, not ${hash}: ` +
          'CertCentral refuses the order; set signature-hash to one of them.'
      )
    )
  } else {
    findings.push(ok('signature-hash', `${product} allows the signature hash ${hash}.`))
  }
  return findings
}

const ok = (check: Check, message: string): PreflightFinding => ({ check, verdict: 'ok', message })
const problem = (check: Check, message: string): PreflightFinding => ({
  check,
  verdict: 'problem',
  message
})
const unchecked = (check: Check, message: string): PreflightFinding => ({
  check,
  verdict: 'unchecked',
  message
})
