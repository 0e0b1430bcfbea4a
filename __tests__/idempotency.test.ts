import { describe, expect, it } from 'vitest'
import { defaultAlternativeOrderId, stepIdentity } from '../src/idempotency.js'

const run = {
  GITHUB_REPOSITORY: 'octo-org/app',
  GITHUB_RUN_ID: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'release',
  GITHUB_ACTION: 'order'
}

describe('the default alternative order ID', () => {
  const id = (env: NodeJS.ProcessEnv, product = 'code_signing' as const) =>
    defaultAlternativeOrderId(stepIdentity(env), product)

  it('is alphanumeric and at most 64 characters', () => {
    expect(id(run)).toMatch(/^[A-Za-z0-9]{1,64}$/)
  })

  it('is the same for every attempt of a workflow run', () => {
    expect(id({ ...run, GITHUB_RUN_ATTEMPT: '2' })).toBe(id(run))
  })

  it('differs for another run, job, step, repository or product', () => {
    const ids = new Set([
      id(run),
      id({ ...run, GITHUB_RUN_ID: '43' }),
      id({ ...run, GITHUB_JOB: 'other' }),
      id({ ...run, GITHUB_ACTION: 'order2' }),
      id({ ...run, GITHUB_REPOSITORY: 'octo-org/other' }),
      defaultAlternativeOrderId(stepIdentity(run), 'code_signing_ev')
    ])
    expect(ids.size).toBe(6)
  })

  it('is random outside a workflow run', () => {
    expect(stepIdentity({})).toBeUndefined()
    expect(id({})).not.toBe(id({}))
  })
})
