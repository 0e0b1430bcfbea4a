// What can go wrong when talking to CertCentral, as values the rest of the action can reason about.

/** CertCentral's rate limits, as DigiCert documents them. */
export const RATE_LIMITS = '1,000 requests per 3 minutes and 100 per 5 seconds, counted per API key'

/** One entry of CertCentral's error body: {"errors":[{"code":"…","message":"…"}]}. */
export interface ApiErrorEntry {
  code: string
  message: string
}

/** CertCentral answered, with an HTTP error status. */
export class CertCentralError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ApiErrorEntry[],
    readonly retryAfterMs: number | undefined,
    detail?: string
  ) {
    super(describeApiError(status, errors, detail))
    this.name = 'CertCentralError'
  }
}

/**
 * No usable answer: the connection failed or timed out, the body was cut short or was not the
 * JSON CertCentral sends. After a POST, such a failure leaves the outcome unknown.
 */
export class TransportError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TransportError'
  }
}

/** `403 access_denied|missing_permission: message` and a hint where one helps. */
function describeApiError(status: number, errors: ApiErrorEntry[], detail?: string): string {
  const listed = errors.map(e => `${e.code}: ${e.message}`).join('; ')
  const what =
    [listed, detail].filter(part => part !== undefined && part !== '').join(' ') ||
    'no error details in the response'
  const hint = hintFor(status, errors)
  return `CertCentral answered ${status} ${what}${hint ? `\nHint: ${hint}` : ''}`
}

function hintFor(status: number, errors: ApiErrorEntry[]): string | undefined {
  const codes = errors.map(e => e.code)
  if (status === 401 || status === 403) {
    return (
      'check that api-key is a current CertCentral API key, that its user or role may order ' +
      'code signing certificates (and skip approval, if skip-approval is set), and that the key ' +
      'belongs to api-url: a CertCentral Europe key works only with ' +
      'https://certcentral.digicert.eu/services/v2, a US key only with the default URL.'
    )
  }
  if (status === 429 || codes.includes('request_limit_exceeded')) {
    return `the API key went over CertCentral's rate limit (${RATE_LIMITS}). Every job and integration using this key counts against it: raise poll-interval, run fewer of them at once, or give them keys of their own.`
  }
  if (codes.some(c => c.startsWith('not_found'))) {
    // Said of whatever the request named (an order, an organization, a product): the request's
    // ID came from an input only sometimes, so no input is named here.
    return 'what the request names is not in this CertCentral account: check that api-url is the account’s (what a CertCentral Europe account holds is not found on the US URL).'
  }
  if (status >= 500) {
    return 'CertCentral had a problem of its own; try again later.'
  }
  return undefined
}

/**
 * CertCentral (or whatever answered in its place) sent an answer whose content does not fit the
 * API: a value the action would log, output or act on is not of its documented shape. Not retried:
 * an answer of the wrong shape says nothing about the next one, and none of it is used.
 */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProtocolError'
  }
}

/** A renewal refused because the order was renewed already (order_renewed_already). */
export function isRenewedAlready(error: CertCentralError): boolean {
  return error.status < 500 && error.errors.some(e => e.code === 'order_renewed_already')
}
