// The identity of a certificate: the key that finds its orders again, run after run.
//
// One code signing certificate signs every release of its validity period, so the key is not
// derived from the workflow run (that would order, and pay, once per release) but from what makes
// the certificate: the repository, the product, the provisioning method and the organization. Not
// the CSR's key: a new HSM key is a reissue of the same order (decide.ts), not a new one. Each later order of
// the chain (a renewal, a replacement) carries the key with a generation suffix, so it is found
// by the same alternate lookup and accepted by accounts that require unique alternative order IDs.
import { createHash } from 'node:crypto'
import type { OrderBody, Product, ProvisioningMethod } from '../order/types.js'

/** CertCentral's limit for alternative_order_id. */
export const MAX_KEY_LENGTH = 64
/** Generations looked up at most: decades of yearly renewals, and a bound on a hostile server. */
export const MAX_GENERATIONS = 100

export interface IdentitySource {
  /** GITHUB_REPOSITORY; absent in a local run. */
  repository: string | undefined
  product: Product
  provisioningMethod: ProvisioningMethod
  organization: Pick<OrderBody['organization'], 'id' | 'name'>
}

/**
 * `gha` and 40 hex digits of a SHA-256: alphanumeric, and leaves room for a generation suffix.
 * The version tag in the seed lets a future change of the recipe start new chains on purpose.
 */
export function defaultBaseKey(source: IdentitySource): string {
  const { id, name } = source.organization
  const seed = [
    'certificate-chain/v1',
    source.repository ?? '',
    source.product,
    source.provisioningMethod,
    id === undefined ? `name:${(name ?? '').trim().toLowerCase()}` : `id:${id}`
  ].join('\n')
  return `gha${createHash('sha256').update(seed).digest('hex').slice(0, 40)}`
}

/**
 * The key of generation `n` (1 for the first order): the base itself, then `base` + `g` + n. A base
 * too long for the suffix is cut at the end, so the key stays within 64 characters.
 */
export function generationKey(base: string, generation: number): string {
  if (!Number.isSafeInteger(generation) || generation < 1) {
    throw new RangeError(`generation ${generation} is not a positive integer`)
  }
  if (generation === 1) return base
  const suffix = `g${generation}`
  return base.slice(0, MAX_KEY_LENGTH - suffix.length) + suffix
}
