// The identity of a certificate: the key that finds its orders again, run after run.
//
// One code signing certificate signs every release of its validity period, so the key is not
// derived from the workflow run (that would order, and pay, once per release) but from what makes
// the certificate: the repository (its ID, which a rename or a transfer keeps), the product, the
// provisioning method and the organization. Not the CSR's key: a new HSM key is a reissue of the
// same order (decide.ts), not a new one. Each later order of
// the chain (a renewal, a replacement) carries the key with a generation suffix, so it is found
// by the same alternate lookup and accepted by accounts that require unique alternative order IDs
// (the suffix and the rule that keeps keys apart: order/chain-key.ts).
import { createHash } from 'node:crypto'
import type { OrderBody, Product, ProvisioningMethod } from '../order/types.js'

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
