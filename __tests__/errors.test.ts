// What the user is told when CertCentral answers with an error: the status, every error entry the
// body lists, and a hint where the status or code says what to check.
import { describe, expect, it } from 'vitest'
import {
  CertCentralError,
  ProtocolError,
  RATE_LIMITS,
  TransportError
} from '../src/certcentral/errors.js'

const AUTH_HINT =
  '\nHint: check that api-key is a current CertCentral API key, that its user or role may order ' +
  'code signing certificates (and skip approval, if skip-approval is set), and that the key ' +
  'belongs to api-url: a CertCentral Europe key works only with ' +
  'https://certcentral.digicert.eu/services/v2, a US key only with the default URL.'
const RATE_HINT =
  `\nHint: the API key went over CertCentral's rate limit (${RATE_LIMITS}). Every job and ` +
  'integration using this key counts against it: raise poll-interval, run fewer of them at ' +
  'once, or give them keys of their own.'
const NOT_FOUND_HINT =
  '\nHint: what the request names is not in this CertCentral account: check that api-url is the account’s (what a CertCentral Europe account holds is not found on the US URL).'
const SERVER_HINT = '\nHint: CertCentral had a problem of its own; try again later.'

const entry = (code: string, message = 'm') => ({ code, message })

describe('CertCentralError', () => {
  it('keeps the status, the error entries and the Retry-After', () => {
    const error = new CertCentralError(429, [entry('x')], 7_000)
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('CertCentralError')
    expect([error.status, error.errors, error.retryAfterMs]).toEqual([429, [entry('x')], 7_000])
  })

  it('lists every error entry as code: message, then the detail', () => {
    const errors = [entry('invalid_csr', 'CSR is bad'), entry('missing_field', 'no org')]
    expect(new CertCentralError(400, errors, undefined).message).toBe(
      'CertCentral answered 400 invalid_csr: CSR is bad; missing_field: no org'
    )
    expect(new CertCentralError(400, errors, undefined, '(from the proxy)').message).toBe(
      'CertCentral answered 400 invalid_csr: CSR is bad; missing_field: no org (from the proxy)'
    )
    expect(new CertCentralError(400, [], undefined, 'a body that is not JSON').message).toBe(
      'CertCentral answered 400 a body that is not JSON'
    )
  })

  it('says when the answer holds no details at all', () => {
    const message = 'CertCentral answered 400 no error details in the response'
    expect(new CertCentralError(400, [], undefined).message).toBe(message)
    expect(new CertCentralError(400, [], undefined, '').message).toBe(message)
  })

  it.each([401, 403])('after %i, points at the key, its permissions and its region', status => {
    expect(new CertCentralError(status, [entry('access_denied')], undefined).message).toBe(
      `CertCentral answered ${status} access_denied: m${AUTH_HINT}`
    )
  })

  it('after a 429 or a request_limit_exceeded code, points at the rate limit and who shares it', () => {
    expect(new CertCentralError(429, [], undefined).message).toBe(
      `CertCentral answered 429 no error details in the response${RATE_HINT}`
    )
    expect(new CertCentralError(400, [entry('request_limit_exceeded')], undefined).message).toBe(
      `CertCentral answered 400 request_limit_exceeded: m${RATE_HINT}`
    )
  })

  it('after a not_found code, points at the region of api-url, and at no input not given', () => {
    expect(new CertCentralError(404, [entry('not_found')], undefined).message).not.toContain(
      'order-id'
    )
    expect(new CertCentralError(404, [entry('not_found|order')], undefined).message).toBe(
      `CertCentral answered 404 not_found|order: m${NOT_FOUND_HINT}`
    )
    expect(new CertCentralError(400, [entry('x'), entry('not_found')], undefined).message).toBe(
      `CertCentral answered 400 x: m; not_found: m${NOT_FOUND_HINT}`
    )
  })

  it('after a 5xx, says the problem is on CertCentral’s side', () => {
    for (const status of [500, 503]) {
      expect(new CertCentralError(status, [], undefined).message).toBe(
        `CertCentral answered ${status} no error details in the response${SERVER_HINT}`
      )
    }
  })

  it('gives no hint where none helps', () => {
    for (const [status, code] of [
      [400, 'invalid_value'],
      [404, 'gone_not_found'],
      [499, 'x'],
      [402, 'access_denied']
    ] as const) {
      expect(new CertCentralError(status, [entry(code)], undefined).message).toBe(
        `CertCentral answered ${status} ${code}: m`
      )
    }
  })

  it('the hint follows the status before the code: a 403 with not_found points at the key', () => {
    expect(new CertCentralError(403, [entry('not_found')], undefined).message).toContain(AUTH_HINT)
    expect(new CertCentralError(500, [entry('not_found')], undefined).message).toContain(
      NOT_FOUND_HINT
    )
  })
})

describe('the other failures', () => {
  it('are errors named for what went wrong, with the message they were given', () => {
    const transport = new TransportError('connection reset')
    const protocol = new ProtocolError('status is 5, not a status')
    expect(transport).toBeInstanceOf(Error)
    expect([transport.name, transport.message]).toEqual(['TransportError', 'connection reset'])
    expect(protocol).toBeInstanceOf(Error)
    expect([protocol.name, protocol.message]).toEqual([
      'ProtocolError',
      'status is 5, not a status'
    ])
  })
})
