// The order as the inputs describe it, before it takes the API's shape (body.ts) and after each
// input was read on its own (read-order.ts). The rules across inputs (rules.ts) are checked on it.
import type { CsrInfo } from './csr.js'
import type { CalendarDate } from './dates.js'
import type {
  BillingAddress,
  CreditCard,
  CustomField,
  OrderContact,
  Organization,
  Product,
  ProvisioningMethod,
  ShipInfo,
  SignatureHash
} from './types.js'

export type Validity = { years: number } | { days: number } | { expires: CalendarDate }

/** The order as the inputs describe it: what the order body is built from. (Not
 * certcentral/orders.ts's request entries, which are CertCentral's approval requests.) */
export interface OrderSpec {
  provisioningMethod: ProvisioningMethod
  signatureHash: SignatureHash
  csr?: CsrInfo
  serverPlatformId?: number
  caCertId?: string
  organizationUnits?: string[]
  validity: Validity
  organizationId?: number
  organization?: Organization
  verifiedContactIds?: number[]
  skipApproval?: boolean
  shipInfo?: ShipInfo
  autoRenew?: number
  additionalEmails?: string[]
  renewalOfOrderId?: number
  organizationContact?: OrderContact
  technicalContact?: OrderContact
  containerId?: number
  subjectEmail?: string
  customFields?: CustomField | CustomField[]
  paymentMethod?: string
  creditCard?: CreditCard
  billingAddress?: BillingAddress
  vatNumber?: string
  alternativeOrderId?: string
  enableGuestAccess?: boolean
}

/**
 * The inputs as read, for the rules: product, method and hash are absent when their input was
 * wrong, so the rules that depend on them stay silent instead of adding noise.
 */
export type OrderDraft = Omit<OrderSpec, 'provisioningMethod' | 'signatureHash'> &
  Partial<Pick<OrderSpec, 'provisioningMethod' | 'signatureHash'>> & { product?: Product }
