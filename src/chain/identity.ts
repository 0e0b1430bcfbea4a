// The identity of a certificate: the key that finds its orders again, run after run.
//
// One code signing certificate signs every release of its validity period, so the key is not
// derived from the workflow run (that would order, and pay, once per release) but from what makes
// the certificate: the repository (its ID, which a rename or a transfer keeps), the product, the
// provisioning method and the organization. Not the CSR's key: a new HSM key is a reissue of the
// same order (decide.ts), not a new one. Each later order of
// the chain (a renewal, a replacement) carries the key with a generation suffix, so it is found
// by the same alternate lookup and accepted by accounts that require unique alternative order IDs.
import { createHash } from 'node:crypto'
import type { OrderBody, Product, ProvisioningMethod } from '../order/types.js'

/** CertCentral's limit for alternative_order_id. */
export const MAX_KEY_LENGTH = 64
/** Generations looked up at most: decades of yearly renewals, and a bound on a hostile server. */
export const MAX_GENERATIONS = 100

export interface IdentitySource {
  /** GITHUB_REPOSITORY_ID: kept when the repository is renamed or transferred. Absent on older runners and in a local run. */
  repositoryId: string | undefined
  /** GITHUB_REPOSITORY (owner/name), used only when the ID is absent; absent in a local run. */
  repository: string | undefined
  product: Product
  provisioningMethod: ProvisioningMethod
  organization: Pick<OrderBody['organization'], 'id' | 'name'>
}

export interface BaseKey {
  key: string
  /**
   * Set when GITHUB_REPOSITORY_ID is absent: a sentence for the log saying what the key derives
   * from instead (the repository's name, or nothing of the repository in a local run).
   */
  fallback?: string
}

/**
 * `gha` and 40 hex digits of a SHA-256: alphanumeric, and leaves room for a generation suffix.
 * The version tag in the seed lets a future change of the recipe start new chains on purpose.
 */
export function defaultBaseKey(source: IdentitySource): BaseKey {
  const { id, name } = source.organization
  const repository = repositoryPart(source)
  const seed = [
    'certificate-chain/v2',
    repository.part,
    source.product,
    source.provisioningMethod,
    id === undefined ? `name:${(name ?? '').trim().toLowerCase()}` : `id:${id}`
  ].join('\n')
  const key = `gha${createHash('sha256').update(seed).digest('hex').slice(0, 40)}`
  return repository.fallback === undefined ? { key } : { key, fallback: repository.fallback }
}

function repositoryPart(source: IdentitySource): { part: string; fallback?: string } {
  const id = source.repositoryId?.trim()
  if (id) return { part: `repository-id:${id}` }
  const name = source.repository?.trim()
  if (name) {
    return {
      part: `repository:${name}`,
      fallback:
        "GITHUB_REPOSITORY_ID is not set: the certificate's key derives from the repository's " +
        'name (GITHUB_REPOSITORY) instead of its ID, so renaming or transferring the repository ' +
        'would start a new certificate. Set alternative-order-id to keep one across such changes.'
    }
  }
  return {
    part: '',
    fallback:
      "Neither GITHUB_REPOSITORY_ID nor GITHUB_REPOSITORY is set (a local run?): the certificate's " +
      'key derives from the product, the provisioning method and the organization alone.'
  }
}

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
