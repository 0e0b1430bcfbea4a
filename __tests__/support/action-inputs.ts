// Inputs and checks shared by the tests that run the bundled action.
import { expect } from 'vitest'
import { visibleLog, type ActionRun } from './run-action.js'

export const API_KEY = 'sk9Xq2Lr7TzP4vWm8Ns3Kd6Hb1Yc5Fg0'
export const CARD_NUMBER = '4111111111111111'
export const CVV = '9731'

/** An order for an existing, validated organization, polled fast enough for a test. */
export function orderInputs(
  apiUrl: string,
  more: Record<string, string> = {}
): Record<string, string> {
  return {
    'api-key': API_KEY,
    'api-url': apiUrl,
    'organization-id': '12345',
    'verified-contact-ids': '12345',
    'skip-approval': 'true',
    'poll-interval': '1s',
    timeout: '30s',
    ...more
  }
}

export const CREDIT_CARD = `number: "${CARD_NUMBER}"
expiration_month: 12
expiration_year: 2030
cvv: ${CVV}
cardholder_name: Jane Doe`

export const BILLING_ADDRESS = `address: 360 Taylor Street
city: Richmond
state: Virginia
zip: "23219"
country: us`

/** Nothing a user can see or pass on holds a secret (the runner's mask commands aside). */
export function expectNoSecrets(
  run: ActionRun,
  secrets: string[] = [API_KEY, CARD_NUMBER, CVV]
): void {
  const visible = visibleLog(run)
  for (const secret of secrets) {
    // A CVV is three or four digits: as such they turn up inside any hex hash or longer number (the
    // certificate's key, derived from a repository name that differs from run to run, held 9731
    // once). Shown, it would stand alone, as the action's scrubber also looks for it.
    if (/^\d{3,4}$/.test(secret)) {
      expect(visible).not.toMatch(new RegExp(`(?<![0-9A-Za-z])${secret}(?![0-9A-Za-z])`))
    } else {
      expect(visible).not.toContain(secret)
    }
  }
}
