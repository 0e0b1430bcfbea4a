// The keys of a certificate's orders: the base key (the alternative-order-id input, or the default
// of chain/identity.ts) for the first order, and the base with a generation suffix for each later
// one. One rule keeps every key apart from every other key and its generations; the inputs check a
// given base key by it before anything is sent, and the chain builds its keys by it.

/** CertCentral's limit for alternative_order_id. */
export const MAX_KEY_LENGTH = 64
/** Generations looked up at most: decades of yearly renewals, and a bound on a hostile server. */
export const MAX_GENERATIONS = 100

/** The suffix of generation 2 onwards: `g` and the generation in three digits (g002 … g100). */
export const GENERATION_SUFFIX_LENGTH = 4
/** The longest base key: it leaves room for the suffix, so no key is ever cut. */
export const MAX_BASE_KEY_LENGTH = MAX_KEY_LENGTH - GENERATION_SUFFIX_LENGTH
/** What a generation suffix looks like, in any case: a base key may not end so. */
const GENERATION_SUFFIX = /[Gg]\d{3}$/

/**
 * Why a base key cannot start a chain, or undefined when it can. A base key leaves room for the
 * suffix and does not end like one: then no generation of one key is another key or another key's
 * generation (a key of generation 2 or later is its base plus exactly four characters that no base
 * ends with, so the base and the generation can be read back from it).
 */
export function baseKeyProblem(base: string): string | undefined {
  if (base.length > MAX_BASE_KEY_LENGTH) {
    return (
      `is ${base.length} characters; the limit is ${MAX_BASE_KEY_LENGTH}, so that the keys of ` +
      `later orders of the certificate (the ID and g002 … g${MAX_GENERATIONS}) fit in CertCentral's ${MAX_KEY_LENGTH}`
    )
  }
  if (GENERATION_SUFFIX.test(base)) {
    return (
      `"${base}" ends with g and three digits, as the keys of later orders of a certificate do ` +
      `(ID + g002 … g${MAX_GENERATIONS}), so it could be another certificate's key; end it otherwise`
    )
  }
  return undefined
}

/**
 * The key of generation `n` (1 for the first order): the base itself, then the base and `g` with
 * the generation in three digits (`release`, `releaseg002`, …). Until version 1.0 the suffix was
 * `g` + n (`releaseg2`); orders of such keys are found again through the order they renewed
 * (its renewed_order_id), as any renewal made elsewhere is.
 */
export function generationKey(base: string, generation: number): string {
  if (!Number.isSafeInteger(generation) || generation < 1 || generation > MAX_GENERATIONS) {
    throw new RangeError(`generation ${generation} is not between 1 and ${MAX_GENERATIONS}`)
  }
  const problem = baseKeyProblem(base)
  if (problem !== undefined) throw new RangeError(`The base key ${problem}.`)
  if (generation === 1) return base
  return `${base}g${String(generation).padStart(3, '0')}`
}
