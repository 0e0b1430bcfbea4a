// OrderSpec -> the JSON body of POST /order/certificate/{product}. Keys appear only when the
// user asked for them, in the order of the page's examples (certificate, order_validity,
// organization, skip_approval, cs_provisioning_method, ship_info, then the rest).
import { formatOrderDate } from './dates.js'
import { optional } from './optional.js'
import type { OrderSpec, Validity } from './request.js'
import type { CertificateSection, OrderBody, OrderValidity, Organization } from './types.js'

export function buildOrderBody(request: OrderSpec): OrderBody {
  return {
    certificate: certificateSection(request),
    order_validity: orderValidity(request.validity),
    organization: organization(request),
    ...optional('skip_approval', request.skipApproval),
    cs_provisioning_method: request.provisioningMethod,
    ...optional('ship_info', request.shipInfo),
    ...optional('auto_renew', request.autoRenew),
    ...optional('additional_emails', request.additionalEmails),
    ...optional('renewal_of_order_id', request.renewalOfOrderId),
    ...optional('organization_contact', request.organizationContact),
    ...optional('technical_contact', request.technicalContact),
    ...optional('container', wrapId(request.containerId)),
    ...optional(
      'subject',
      request.subjectEmail === undefined ? undefined : { email: request.subjectEmail }
    ),
    ...optional('custom_fields', request.customFields),
    ...optional('payment_method', request.paymentMethod),
    ...optional('credit_card', request.creditCard),
    ...optional('billing_address', request.billingAddress),
    ...optional('vat_number', request.vatNumber),
    ...optional('alternative_order_id', request.alternativeOrderId),
    ...optional('enable_guest_access', asFlag(request.enableGuestAccess))
  }
}

function certificateSection(request: OrderSpec): CertificateSection {
  return {
    signature_hash: request.signatureHash,
    ...optional('csr', request.csr?.pem),
    ...optional('server_platform', wrapId(request.serverPlatformId)),
    ...optional('ca_cert_id', request.caCertId),
    ...optional('organization_units', request.organizationUnits)
  }
}

function orderValidity(validity: Validity): OrderValidity {
  return 'expires' in validity
    ? { custom_expiration_date: formatOrderDate(validity.expires) }
    : validity
}

/** organization-id, the `organization` object and verified-contact-ids, merged into one object. */
function organization(request: OrderSpec): Organization {
  const { id, contacts = [], ...details } = request.organization ?? {}
  const verifiedContacts = (request.verifiedContactIds ?? []).map(userId => ({
    contact_type: 'verified_contact' as const,
    user_id: userId
  }))
  const allContacts = [...contacts, ...verifiedContacts]
  return {
    ...optional('id', request.organizationId ?? id),
    ...details,
    ...optional('contacts', allContacts.length === 0 ? undefined : allContacts)
  }
}

function wrapId(id: number | undefined): { id: number } | undefined {
  return id === undefined ? undefined : { id }
}

function asFlag(enabled: boolean | undefined): 0 | 1 | undefined {
  return enabled === undefined ? undefined : enabled ? 1 : 0
}
