// The simulator's certificate authority: a certificate of its own for each certificate ID (its
// own key, serial and thumbprint: the CSR's key for an HSM order), whose leaf ends on the order's
// valid_till day, so that what order info says and what the downloaded leaf says agree, and a
// renewal or a reissue brings a new thumbprint.
import { issueLeaf, type CertificateChain, type Issuer } from '../certificates.js'

const DAY_MS = 86_400_000
/** DigiCert's limit for public code signing certificates since 2026-02-24. */
const MAX_DAYS = 459
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']

/** What the authority reads of an order. */
export interface IssuableOrder {
  id: number
  body: Record<string, unknown>
  issuedAt?: Date
  /** certificate.valid_till, yyyy-MM-dd. */
  validTill?: string
  certificateId?: number
  /** The CSR of an HSM (`email`) order, or of its latest reissue: the certificate has its key. */
  csr?: string
  /** A multi-year order's end: no certificate of it outlives the order. */
  orderValidTill?: Date
}

export interface Authority {
  /**
   * The valid_till day of a certificate issued now: a custom expiration date, else the order's
   * validity (365 days by default), at most 459 days, and never after a multi-year order's end.
   */
  validTillAt(order: IssuableOrder, issuedAt: Date): string
  /**
   * The chain of a certificate of the order (its current one by default); a new leaf when its
   * valid_till moved (setValidTill).
   */
  chainOf(order: IssuableOrder, certificateId?: number): CertificateChain
}

export function createAuthority(issuer: Issuer): Authority {
  const issued = new Map<number, { validTill: string; chain: CertificateChain }>()
  const validTillAt = (order: IssuableOrder, issuedAt: Date): string => {
    const validity = (order.body.order_validity ?? {}) as Record<string, unknown>
    const custom = validity.custom_expiration_date ?? order.body.custom_expiration_date
    if (typeof custom === 'string') return isoDay(custom)
    const days =
      typeof validity.days === 'number'
        ? validity.days
        : typeof validity.years === 'number'
          ? validity.years * 365
          : 365
    const end = issuedAt.getTime() + Math.min(days, MAX_DAYS) * DAY_MS
    return day(new Date(Math.min(end, order.orderValidTill?.getTime() ?? Infinity)))
  }
  return {
    validTillAt,
    chainOf(order, certificateId = order.certificateId) {
      // An order without a certificate ID yet (the simulator issues with one) is keyed by -id.
      const key = certificateId ?? -order.id
      const known = issued.get(key)
      const current = certificateId === order.certificateId
      // A replaced certificate keeps its leaf; the current one follows its valid_till.
      if (known && (!current || known.validTill === order.validTill)) return known.chain
      const issuedAt = order.issuedAt ?? new Date()
      const validTill = order.validTill ?? validTillAt(order, issuedAt)
      const notAfter = new Date(`${validTill}T23:59:59Z`)
      const chain = issueLeaf(issuer, {
        // A day before issuance at most, never after the end (a valid_till moved into the past).
        notBefore: new Date(Math.min(issuedAt.getTime() - DAY_MS, notAfter.getTime() - DAY_MS)),
        notAfter,
        ...(current && order.csr !== undefined && { csrPem: order.csr })
      })
      issued.set(key, { validTill, chain })
      return chain
    }
  }
}

const day = (d: Date): string => d.toISOString().slice(0, 10)

/** yyyy-MM-dd of a custom expiration date, given as `dd MMM yyyy` (order_validity) or yyyy-MM-dd. */
export function isoDay(text: string): string {
  const m = /^(\d{2}) ([A-Z]{3}) (\d{4})$/i.exec(text)
  if (!m) return text
  const month = String(MONTHS.indexOf(m[2]!.toUpperCase()) + 1).padStart(2, '0')
  return `${m[3]}-${month}-${m[1]}`
}
