// The client of one run: how long one request may take, and what the log says before a retry.
import { describe, expect, it } from 'vitest'
import { connect, requestTimeoutMs } from '../src/certcentral/connect.js'
import { CertCentralError, RATE_LIMITS, TransportError } from '../src/certcentral/errors.js'
import { fakeClock, FAKE_START } from './support/fake-clock.js'
import packageJson from '../package.json' with { type: 'json' }

describe('requestTimeoutMs', () => {
  it.each([
    [3_600_000, 30_000], // 30 s at most
    [90_000, 30_000],
    [60_000, 20_000], // a third of the step's timeout
    [4_500, 1_500],
    [3_000, 1_000],
    [1_500, 1_000] // 1 s at least
  ])('gives a step of %i ms %i ms a request', (timeoutMs, expected) => {
    expect(requestTimeoutMs(timeoutMs)).toBe(expected)
  })
})

describe('connect', () => {
  it('sends to api-url with the key, and names the action and its version as User-Agent', () => {
    const api = connect(
      { apiUrl: 'https://cc.example/services/v2', apiKey: 'k', timeoutMs: 60_000 },
      fakeClock(),
      FAKE_START + 60_000,
      () => undefined,
      text => text
    )
    expect(api.conn).toMatchObject({
      apiUrl: 'https://cc.example/services/v2',
      apiKey: 'k',
      userAgent: `digicert-code-signing-order-action/${packageJson.version}`,
      deadline: FAKE_START + 60_000
    })
  })
})

describe('the warning before a retry', () => {
  function warningFor(error: Error, delayMs: number): string[] {
    const warnings: string[] = []
    const api = connect(
      { apiUrl: 'https://cc.example/services/v2', apiKey: 'k', timeoutMs: 60_000 },
      fakeClock(),
      FAKE_START + 60_000,
      message => warnings.push(message),
      text => text
    )
    expect(api.conn.requestTimeoutMs).toBe(20_000)
    api.retry.onRetry?.(error, delayMs, 1)
    return warnings
  }

  it('names the failure (its first line) and when the next try is, in whole seconds', () => {
    expect(warningFor(new TransportError('connection reset\nmore'), 1_200)).toEqual([
      'connection reset; trying again in 2s.'
    ])
  })

  it('names the rate limit after a 429', () => {
    expect(warningFor(new CertCentralError(429, [], 7_000), 7_000)).toEqual([
      `CertCentral answered 429 no error details in the response: CertCentral's rate limit (${RATE_LIMITS}) was reached; trying again in 7s.`
    ])
  })
})
