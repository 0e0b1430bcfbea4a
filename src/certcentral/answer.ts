// Reading the fields of one CertCentral answer, each only in the shape the action expects: absent
// is allowed where the API allows it, anything else that does not fit is a ProtocolError.
import { quoteValue } from '../server-text.js'
import { ProtocolError } from './errors.js'
import { isNoId, isStatus, toPositiveId } from './shapes.js'

export class Answer {
  /** `source` names the request, e.g. `GET /order/certificate/123`; `scrub` removes secrets. */
  constructor(
    readonly source: string,
    private readonly scrub: (text: string) => string
  ) {}

  /**
   * The error for a field that does not fit; its value is quoted scrubbed, escaped and short, or
   * not at all when the field holds a secret (the hardware init code).
   */
  misfit(field: string, value: unknown, shape: string, secret = false): ProtocolError {
    const quoted = secret
      ? 'a value not shown here (the field holds a secret)'
      : quoteValue(value, this.scrub)
    return new ProtocolError(
      `CertCentral's answer to ${this.source} does not fit the API: ${field} is ` +
        `${quoted}, not ${shape}. Nothing from this answer was used.`
    )
  }

  /** Undefined when absent or null; the value when it fits; a ProtocolError otherwise. */
  optional<T>(
    value: unknown,
    field: string,
    fits: (value: unknown) => value is T,
    shape: string,
    secret = false
  ): T | undefined {
    if (value === undefined || value === null) return undefined
    if (fits(value)) return value
    throw this.misfit(field, value, shape, secret)
  }

  required<T>(
    value: unknown,
    field: string,
    fits: (value: unknown) => value is T,
    shape: string
  ): T {
    const fitting = this.optional(value, field, fits, shape)
    if (fitting === undefined) throw this.misfit(field, value, shape)
    return fitting
  }

  /** An ID (a number, or a string of digits), undefined when absent or 0 (none). */
  id(value: unknown, field: string): number | undefined {
    if (value === undefined || value === null || isNoId(value)) return undefined
    const id = toPositiveId(value)
    if (id === undefined) throw this.misfit(field, value, ID_SHAPE)
    return id
  }

  requiredId(value: unknown, field: string): number {
    const id = this.id(value, field)
    if (id === undefined) throw this.misfit(field, value, ID_SHAPE)
    return id
  }

  /** A status, in lower case whatever case it came in: statuses are compared as lower case. */
  status(value: unknown, field: string): string {
    return this.required(value, field, isStatus, STATUS_SHAPE).toLowerCase()
  }

  /** An object, or {} when absent; a ProtocolError when it is anything else. */
  record(value: unknown, field: string): Record<string, unknown> {
    if (value === undefined || value === null) return {}
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
    throw this.misfit(field, value, 'an object')
  }

  /** A list, or [] when absent; a ProtocolError when it is anything else. */
  list(value: unknown, field: string): unknown[] {
    if (value === undefined || value === null) return []
    if (Array.isArray(value)) return value
    throw this.misfit(field, value, 'a list')
  }
}

export const ID_SHAPE = 'a positive whole number below 2^53'
export const STATUS_SHAPE = 'a status (letters and _)'
