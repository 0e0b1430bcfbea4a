// The simulator's certificate authority: a certificate of its own for each issued order (its own
// key, serial and thumbprint), whose leaf ends on the order's valid_till day, so that what order
// info says and what the downloaded leaf says agree, and a renewal brings a new thumbprint.
import { issueLeaf, type CertificateChain, type Issuer } from '../certificates.js'

const DAY_MS = 86_400_000
/** DigiCert's limit for public code signing certificates since 2026-02-24. */
const MAX_DAYS = 459

/** What the authority reads of an order. */
export interface IssuableOrder {
  id: number
  body: Record<string, unknown>
  issuedAt?: Date
  /** certificate.valid_till, yyyy-MM-dd. */
  validTill?: string
}

export interface Authority {
  /** The valid_till day of an order issued now: its order_validity, 365 days by default. */
  validTillAt(order: IssuableOrder, issuedAt: Date): string
  /** The chain of an issued order; a new leaf when its valid_till moved (setValidTill). */
  chainOf(order: IssuableOrder): CertificateChain
}

export function createAuthority(issuer: Issuer): Authority {
  const issued = new Map<number, { validTill: string; chain: CertificateChain }>()
  const validTillAt = (order: IssuableOrder, issuedAt: Date): string => {
    const validity = (order.body.order_validity ?? {}) as Record<string, unknown>
    const custom =
      typeof validity.custom_expiration_date === 'string'
        ? Date.parse(`${validity.custom_expiration_date} UTC`)
        : Number.NaN
    if (!Number.isNaN(custom)) return day(new Date(custom))
    const days =
      typeof validity.days === 'number'
        ? validity.days
        : typeof validity.years === 'number'
          ? validity.years * 365
          : 365
    return day(new Date(issuedAt.getTime() + Math.min(days, MAX_DAYS) * DAY_MS))
  }
  return {
    validTillAt,
    chainOf(order) {
      const issuedAt = order.issuedAt ?? new Date()
      const validTill = order.validTill ?? validTillAt(order, issuedAt)
      const known = issued.get(order.id)
      if (known?.validTill === validTill) return known.chain
      const notAfter = new Date(`${validTill}T23:59:59Z`)
      const chain = issueLeaf(issuer, {
        // A day before issuance at most, never after the end (a valid_till moved into the past).
        notBefore: new Date(Math.min(issuedAt.getTime() - DAY_MS, notAfter.getTime() - DAY_MS)),
        notAfter
      })
      issued.set(order.id, { validTill, chain })
      return chain
    }
  }
}

const day = (d: Date): string => d.toISOString().slice(0, 10)
