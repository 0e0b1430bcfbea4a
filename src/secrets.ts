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

/**
 * Removes known secrets from text that came back from CertCentral or a proxy: an error message may
 * echo the request. The runner masks registered secrets in the log, but not the CVV (see above),
 * and not where no runner reads the output; this covers both.
 */
export class Scrubber {
  private readonly patterns: RegExp[] = []

  /** `wholeNumber`: a short number (the CVV) is replaced only where it stands alone. */
  add(secret: string | undefined, wholeNumber = false): void {
    if (!secret) return
    const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    this.patterns.push(new RegExp(wholeNumber ? `(?<!\\d)${escaped}(?!\\d)` : escaped, 'g'))
  }

  scrub(text: string): string {
    return this.patterns.reduce((result, pattern) => result.replace(pattern, '***'), text)
  }
}
