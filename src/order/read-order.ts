// The order inputs, each read and checked on its own, gathered into one OrderSpec.
import type { CsrInfo } from './csr.js'
import { baseKeyProblem } from './chain-key.js'
import { parseCalendarDate } from './dates.js'
import { isEmailAddress } from './email.js'
import {
  BILLING_ADDRESS_FIELDS,
  CREDIT_CARD_FIELDS,
  CUSTOM_FIELD_FIELDS,
  ORDER_CONTACT_FIELDS,
  ORGANIZATION_FIELDS,
  SHIP_INFO_FIELDS
} from './fields.js'
import { Findings } from './findings.js'
import { InputSource } from './input-source.js'
import { failed, parsed, type Parsed } from './parsed.js'
import { optional } from './optional.js'
import type { OrderDraft, OrderSpec, Validity } from './request.js'
import { parseInteger } from './scalars.js'
import {
  SIGNATURE_HASHES,
  type BillingAddress,
  type CreditCard,
  type CustomField,
  type OrderContact,
  type Organization,
  type ShipInfo
} from './types.js'

export const PAYMENT_METHODS = ['balance', 'card', 'profile'] as const

/**
 * The inputs that describe the order (as opposed to how the action runs): the names that
 * readOrderDraft reads, learned by letting it read nothing, so no list of them is kept by hand.
 */
export async function orderInputNames(): Promise<string[]> {
  const names = new Set<string>()
  const findings = new Findings()
  const nothing = (name: string) => (names.add(name), '')
  await readOrderDraft(new InputSource(nothing, findings), findings, {})
  return [...names]
}

const VALIDITY_INPUTS = ['validity-years', 'validity-days', 'custom-expiration-date'] as const
const ID = { min: 1 }

/** Each input read on its own; whatever is wrong is in `findings` and left out of the draft. */
export async function readOrderDraft(
  source: InputSource,
  findings: Findings,
  settings: Pick<OrderDraft, 'product' | 'provisioningMethod'>
): Promise<OrderDraft> {
  return {
    ...settings,
    ...optional('signatureHash', source.choice('signature-hash', SIGNATURE_HASHES, 'sha256')),
    ...optional('csr', await readCsr(source, findings)),
    ...optional('serverPlatformId', source.integer('server-platform-id', { min: -1 })),
    ...optional('caCertId', source.value('ca-cert-id', parsed)),
    ...optional('organizationUnits', source.list('organization-units', parsed)),
    validity: readValidity(source, findings),
    ...optional('organizationId', source.integer('organization-id', ID)),
    ...optional(
      'organization',
      await source.object<Organization>('organization', ORGANIZATION_FIELDS)
    ),
    ...optional(
      'verifiedContactIds',
      source.list('verified-contact-ids', id => parseInteger(id, ID))
    ),
    ...optional('skipApproval', source.boolean('skip-approval')),
    ...optional('shipInfo', await source.object<ShipInfo>('ship-info', SHIP_INFO_FIELDS)),
    ...optional('autoRenew', source.integer('auto-renew', { min: 0 })),
    ...optional('additionalEmails', source.list('additional-emails', emailAddress)),
    ...optional('renewalOfOrderId', source.integer('renewal-of-order-id', ID)),
    ...optional(
      'organizationContact',
      await source.object<OrderContact>('organization-contact', ORDER_CONTACT_FIELDS)
    ),
    ...optional(
      'technicalContact',
      await source.object<OrderContact>('technical-contact', ORDER_CONTACT_FIELDS)
    ),
    ...optional('containerId', source.integer('container-id', ID)),
    ...optional('subjectEmail', source.value('subject-email', emailAddress)),
    ...optional(
      'customFields',
      await source.objectOrList<CustomField>('custom-fields', CUSTOM_FIELD_FIELDS)
    ),
    ...optional('paymentMethod', source.choice('payment-method', PAYMENT_METHODS)),
    ...optional('creditCard', await source.object<CreditCard>('credit-card', CREDIT_CARD_FIELDS)),
    ...optional(
      'billingAddress',
      await source.object<BillingAddress>('billing-address', BILLING_ADDRESS_FIELDS)
    ),
    ...optional('vatNumber', source.value('vat-number', parsed)),
    ...optional('alternativeOrderId', source.value('alternative-order-id', alternativeOrderId)),
    ...optional('enableGuestAccess', source.boolean('enable-guest-access'))
  }
}

/** The draft as a request the body can be built from, when nothing it needs is missing. */
export function completeRequest(draft: OrderDraft): OrderSpec | undefined {
  const { provisioningMethod, signatureHash } = draft
  if (provisioningMethod === undefined || signatureHash === undefined) return undefined
  return { ...draft, provisioningMethod, signatureHash }
}

async function readCsr(source: InputSource, findings: Findings): Promise<CsrInfo | undefined> {
  const value = source.text('csr', 'lines')
  if (value === '') return undefined
  // Loaded only now: the ASN.1 libraries cost start-up time that runs without a CSR need not pay.
  const { loadCsr, describeCsr } = await import('./csr.js')
  const csr = await loadCsr(value)
  if (!csr.ok) {
    findings.problem('csr', csr.message)
    return undefined
  }
  findings.notes.push(describeCsr(csr.value))
  return csr.value
}

/** years 1 when none of the three validity inputs is given; giving two is a problem. */
function readValidity(source: InputSource, findings: Findings): Validity {
  const given = VALIDITY_INPUTS.filter(input => source.given(input))
  const last = given[given.length - 1]
  if (given.length > 1 && last !== undefined) {
    findings.problem(
      last,
      `give only one of ${VALIDITY_INPUTS.join(', ')}; ${given.join(' and ')} are given`
    )
  }
  const years = source.integer('validity-years', { min: 1, max: 3 })
  const days = source.integer('validity-days', { min: 1 })
  const expires = source.value('custom-expiration-date', parseCalendarDate)
  if (expires !== undefined) return { expires }
  if (days !== undefined) return { days }
  return { years: years ?? 1 }
}

function emailAddress(text: string): Parsed<string> {
  return isEmailAddress(text)
    ? parsed(text)
    : failed(`"${text}" is not an email address (local@domain.tld)`)
}

// Alphanumeric only: the page calls it a custom alphanumeric ID, and it is the idempotency key
// looked up later in a URL path (GET /order/alternate/{id}).
// It is the base of the certificate's chain of keys (chain/identity.ts): room for the suffix of
// later orders, and no ending that a later order's key has.
function alternativeOrderId(text: string): Parsed<string> {
  if (!/^[A-Za-z0-9]+$/.test(text)) {
    return failed(
      `"${text}" has characters other than A-Z, a-z and 0-9; use letters and digits only`
    )
  }
  const problem = baseKeyProblem(text)
  return problem === undefined ? parsed(text) : failed(problem)
}
