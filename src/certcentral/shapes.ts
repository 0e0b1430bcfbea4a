// The shapes of the values the action takes from CertCentral's answers. A value that does not fit
// its shape is a protocol error (see answer.ts): it is never logged raw nor passed on as an output.

/**
 * Order and request statuses: letters and `_` (pending, needs_approval, issued, …); some clients
 * see them in upper case, so the case is not part of the shape (answer.ts writes them in lower case).
 */
export function isStatus(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z_]{1,64}$/.test(value)
}

/** Order, request, certificate and organization IDs: positive safe integers. */
export function isPositiveId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
}

/** `0` (or "0") in an ID field: CertCentral's way of saying there is none. */
export function isNoId(value: unknown): boolean {
  return value === 0 || value === '0'
}

/** A positive ID sent as a number, or as a string of digits (some clients see both). */
export function toPositiveId(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value) ? Number(value) : value
  return isPositiveId(n) ? n : undefined
}

/** `yyyy-MM-dd`, a day that exists (certificate.valid_till). */
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

/**
 * An ISO 8601 date and time as CertCentral writes them (date_created: 2026-01-02T03:04:05+00:00),
 * with `T` or a space, optional fractions of a second and an optional offset.
 */
export function isDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false
  const match =
    /^(\d{4}-\d{2}-\d{2})[T ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      value
    )
  return match !== null && isDate(match[1])
}

/** A SHA-1 thumbprint: 40 hex digits. */
export function isThumbprint(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9A-Fa-f]{40}$/.test(value)
}

/**
 * An alternative order ID as CertCentral may hold it: 1 to 64 ASCII letters, digits, `.`, `_` or
 * `-` (the action sends letters and digits only; orders placed elsewhere may carry more).
 */
export function isAlternativeOrderId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(value)
}

/** A certificate serial number: hex digits (at most 20 octets, RFC 5280, with room to spare). */
export function isSerial(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9A-Fa-f]{1,64}$/.test(value)
}

/**
 * The hardware init code, a secret whose format DigiCert does not document: printable ASCII, at
 * most 256 characters, so that it can be masked and output as one line.
 */
export function isInitCode(value: unknown): value is string {
  return typeof value === 'string' && /^[\x21-\x7e](?:[\x20-\x7e]{0,254}[\x21-\x7e])?$/.test(value)
}
