// The request body of POST /order/certificate/{product}, in the API's own snake_case shape.
// Field names and types follow ../shared/reference/order-code-signing.md section 3.
// Optional keys are absent (never undefined) when the user did not ask for them.

export const PRODUCTS = ['code_signing', 'code_signing_ev'] as const
export type Product = (typeof PRODUCTS)[number]

export const PROVISIONING_METHODS = ['keylocker', 'email', 'ship_token', 'client_app'] as const
export type ProvisioningMethod = (typeof PROVISIONING_METHODS)[number]

export const SIGNATURE_HASHES = ['sha256', 'sha384', 'sha512'] as const
export type SignatureHash = (typeof SIGNATURE_HASHES)[number]

export const CONTACT_TYPES = [
  'organization_contact',
  'technical_contact',
  'verified_contact',
  'ev_approver'
] as const
export type ContactType = (typeof CONTACT_TYPES)[number]

export interface CertificateSection {
  signature_hash: SignatureHash
  csr?: string
  server_platform?: { id: number }
  ca_cert_id?: string
  organization_units?: string[]
}

/** A contact in organization.contacts: an existing user (user_id) or a new person. */
export interface OrganizationContactEntry {
  contact_type: ContactType
  user_id?: number
  first_name?: string
  last_name?: string
  job_title?: string
  telephone?: string
  telephone_extension?: string
  email?: string
}

export interface Organization {
  id?: number
  name?: string
  assumed_name?: string
  country?: string
  address?: string
  address2?: string
  city?: string
  state?: string
  zip?: string
  telephone?: string
  contacts?: OrganizationContactEntry[]
  skip_duplicate_org_check?: boolean
}

/** Root-level organization_contact / technical_contact of the order. */
export interface OrderContact {
  first_name: string
  last_name: string
  email: string
  job_title?: string
  telephone?: string
  telephone_extension?: string
}

/** Exactly one of the three, by the page's precedence: custom_expiration_date > days > years. */
export type OrderValidity =
  { years: number } | { days: number } | { custom_expiration_date: string }

export interface ShipInfo {
  name: string
  addr1: string
  addr2?: string
  city: string
  state: string
  zip: string
  country: string
  method: 'STANDARD' | 'EXPEDITED'
}

export interface CustomField {
  metadata_id: number
  value: string
}

export interface CreditCard {
  number: string
  expiration_month: number
  expiration_year: number
  cvv: number
  cardholder_name: string
}

export interface BillingAddress {
  address: string
  address2?: string
  city: string
  state?: string
  country: string
  zip?: string
}

export interface OrderBody {
  certificate: CertificateSection
  order_validity: OrderValidity
  organization: Organization
  skip_approval?: boolean
  cs_provisioning_method: ProvisioningMethod
  ship_info?: ShipInfo
  auto_renew?: number
  additional_emails?: string[]
  renewal_of_order_id?: number
  organization_contact?: OrderContact
  technical_contact?: OrderContact
  container?: { id: number }
  subject?: { email: string }
  /** The page types it as one object; a list of them is what DigiCert's clients send. */
  custom_fields?: CustomField | CustomField[]
  payment_method?: string
  credit_card?: CreditCard
  billing_address?: BillingAddress
  vat_number?: string
  alternative_order_id?: string
  enable_guest_access?: 0 | 1
}
