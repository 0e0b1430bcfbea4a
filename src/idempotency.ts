// The default alternative order ID: the same for every attempt of one step of one workflow run
// (a re-run finds the order the first attempt placed), different for every other step and run.
import { createHash, randomBytes } from 'node:crypto'
import type { Product } from './order/types.js'

/** The runner's variables that name a step; read directly, as @actions/github would. */
export interface StepIdentity {
  repository: string
  runId: string
  job: string
  step: string
}

export function stepIdentity(env: NodeJS.ProcessEnv): StepIdentity | undefined {
  const { GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_JOB, GITHUB_ACTION } = env
  if (!GITHUB_REPOSITORY || !GITHUB_RUN_ID) return undefined
  return {
    repository: GITHUB_REPOSITORY,
    runId: GITHUB_RUN_ID,
    job: GITHUB_JOB ?? '',
    step: GITHUB_ACTION ?? ''
  }
}

/**
 * `gha` and 40 hex digits of a SHA-256: alphanumeric and well under CertCentral's 64 characters.
 * The run attempt is left out on purpose, so that re-running a workflow run resumes its order.
 * Outside a workflow run (a local run) there is nothing stable to derive from: a random ID still
 * protects the retries of this one run.
 */
export function defaultAlternativeOrderId(
  identity: StepIdentity | undefined,
  product: Product
): string {
  const seed = identity
    ? [identity.repository, identity.runId, identity.job, identity.step, product].join('\n')
    : randomBytes(32).toString('hex')
  return `gha${createHash('sha256').update(seed).digest('hex').slice(0, 40)}`
}
