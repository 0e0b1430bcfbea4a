// The bundled action in dry-run mode: the body it would send, printed, and nothing sent.
import { describe, expect, it } from 'vitest'
import { runAction } from './support/run-action.js'
import { startSimulator } from './support/simulator.js'
import {
  API_KEY,
  BILLING_ADDRESS,
  CARD_NUMBER,
  CREDIT_CARD,
  CVV,
  expectNoSecrets,
  orderInputs
} from './support/action-inputs.js'

/** A URL nothing listens on: a request would fail the run. */
const NOWHERE = 'http://127.0.0.1:9/services/v2'

/** A dry run of an order paid by card: card data that must never be shown. Without an api-key,
 * nothing at all is sent (dry-run.test.ts runs dry runs that ask CertCentral). */
const PAID_BY_CARD = orderInputs(NOWHERE, {
  'dry-run': 'true',
  'api-key': '',
  'payment-method': 'card',
  'credit-card': CREDIT_CARD,
  'billing-address': BILLING_ADDRESS
})

function printedBody(stdout: string): unknown {
  const start = stdout.indexOf('{')
  const end = stdout.lastIndexOf('}')
  return JSON.parse(stdout.slice(start, end + 1))
}

describe('dry run', () => {
  it('prints the request body and exits 0 without sending anything', async () => {
    const run = await runAction(orderInputs(NOWHERE, { 'dry-run': 'true', 'api-key': '' }))
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toContain('nothing was sent')
    expect(printedBody(run.stdout)).toEqual({
      certificate: { signature_hash: 'sha256' },
      order_validity: { years: 1 },
      organization: { id: 12345, contacts: [{ contact_type: 'verified_contact', user_id: 12345 }] },
      skip_approval: true,
      cs_provisioning_method: 'keylocker',
      alternative_order_id: run.outputs['alternative-order-id']
    })
  })

  it('with an api-key, asks CertCentral: a URL nothing listens on fails it', async () => {
    const run = await runAction(orderInputs(NOWHERE, { 'dry-run': 'true', preflight: 'off' }))
    expect(run.code, run.stdout).toBe(1)
    expect(run.stdout).not.toContain('nothing was sent')
  })

  it('needs no API key, since nothing is sent', async () => {
    const run = await runAction(orderInputs(NOWHERE, { 'dry-run': 'true', 'api-key': '' }))
    expect(run.code, run.stdout).toBe(0)
    expect(printedBody(run.stdout)).toMatchObject({ cs_provisioning_method: 'keylocker' })
  })

  it('redacts the card number and CVV', async () => {
    const run = await runAction(PAID_BY_CARD)
    expect(run.code, run.stdout).toBe(0)
    const body = printedBody(run.stdout) as { credit_card: Record<string, unknown> }
    expect(body.credit_card).toEqual({
      number: '***REDACTED***',
      expiration_month: 12,
      expiration_year: 2030,
      cvv: '***REDACTED***',
      cardholder_name: 'Jane Doe'
    })
    expectNoSecrets(run, [API_KEY, CARD_NUMBER, CVV])
  })

  it('keeps secrets out of step debug logging too, where a real order logs its body', async () => {
    // A dry run writes no debug line; an order does (the body, redacted), so it is the one to check.
    const sim = await startSimulator({ apiKey: API_KEY })
    try {
      const run = await runAction(
        { ...PAID_BY_CARD, 'api-key': API_KEY, 'api-url': sim.url, 'dry-run': 'false' },
        { env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' } }
      )
      expect(run.code, run.stdout).toBe(0)
      const debug = run.stdout.split('\n').filter(line => line.startsWith('::debug::Order body: '))
      expect(debug).toHaveLength(1)
      expect(debug[0]).toContain('"number":"***REDACTED***"')
      expect(debug[0]).toContain('"cvv":"***REDACTED***"')
      expectNoSecrets(run)
    } finally {
      await sim.close()
    }
  })
})
