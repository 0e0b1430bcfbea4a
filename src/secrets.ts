// Masking card data before the input is even parsed, so that no message about a malformed
// credit-card input can show the number.

const CARD_NUMBER = /\d(?:[ -]?\d){11,18}/g

/**
 * Registers every card-number-like run of 12 to 19 digits, as typed and as digits only.
 * The CVV is not registered: the runner would then mask every 3- or 4-digit run in the log and
 * drop any output containing one (an order ID, say). It is kept out of every message instead.
 */
export function maskCardData(raw: string, setSecret: (secret: string) => void): void {
  for (const match of raw.match(CARD_NUMBER) ?? []) {
    setSecret(match)
    const digits = match.replace(/\D/g, '')
    if (digits !== match) setSecret(digits)
  }
}
