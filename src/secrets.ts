// The run's secrets: which the runner masks, and the one scrubber that keeps every one of them out
// of the action's own text (the runner masks registered secrets in the log, but not the CVV, not a
// card number written with other spacing, and not where no runner reads the text).

const CARD_NUMBER = /\d(?:[ -]?\d){11,18}/g

/**
 * The shortest secret the runner is asked to mask. The runner replaces every occurrence of a masked
 * value in every later line and drops any output that contains one: masking "1" would hide every 1
 * in the log and drop every order ID with a 1 in it. A hardware init code shorter than this is
 * neither masked nor output (the step says where to read it in CertCentral).
 */
export const MIN_MASKED_CHARS = 6

/**
 * Every card-number-like run of 12 to 19 digits, as typed and as digits only, to mask before the
 * input is even parsed, so that no message about a malformed credit-card input can show the number.
 * The CVV is not masked: the runner would then mask every 3- or 4-digit run in the log and drop any
 * output containing one (an order ID, say). It is scrubbed from every message instead.
 */
export function cardNumbersIn(raw: string): string[] {
  return (raw.match(CARD_NUMBER) ?? []).flatMap(match => {
    const digits = match.replace(/\D/g, '')
    return digits === match ? [match] : [match, digits]
  })
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** What a secret looks like in text, so that the scrubber finds it however it is written. */
export type SecretKind =
  /** Found as it is (the API key, the hardware init code). */
  | 'text'
  /** A card number: its digits in order, with up to two spaces, dashes or dots between any two. */
  | 'card'
  /** A short number (the CVV): found only where it stands alone, not inside a longer number. */
  | 'number'

/**
 * Removes known secrets from text that came back from CertCentral or a proxy (an error message may
 * echo the request) before anything cuts it: a cut made first could leave part of a secret that no
 * pattern matches.
 */
export class Scrubber {
  private readonly patterns: RegExp[] = []

  add(secret: string | undefined, kind: SecretKind = 'text'): void {
    if (!secret) return
    const pattern =
      kind === 'card'
        ? secret.replace(/\D/g, '').split('').map(escapeRegExp).join('[ .-]{0,2}')
        : escapeRegExp(secret)
    if (pattern === '') return
    this.patterns.push(new RegExp(kind === 'text' ? pattern : `(?<!\\d)${pattern}(?!\\d)`, 'g'))
  }

  scrub(text: string): string {
    return this.patterns.reduce((result, pattern) => result.replace(pattern, '***'), text)
  }
}
