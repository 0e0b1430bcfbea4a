// The certificate's default key follows the repository's ID (GITHUB_REPOSITORY_ID), which a rename
// or a transfer keeps: whole runs in process against the simulator on a fake clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from './support/simulator.js'
import { WORKFLOW_ENV } from './support/run-action.js'
import { API_KEY, orderInputs } from './support/action-inputs.js'
import { fakeClock } from './support/fake-clock.js'
import { runInProcess, type InProcessRun } from './fixtures/in-process-run.js'

let sim: Simulator
beforeEach(async () => {
  sim = await startSimulator({ apiKey: API_KEY, scenario: { pollsUntilIssued: 0 } })
})
afterEach(() => sim.close())

let ids = 0
/** A repository ID no other test uses. */
const repositoryId = () => String(7_000_000_000 + process.pid * 1000 + ++ids)

async function release(env: Record<string, string>): Promise<InProcessRun> {
  const { GITHUB_REPOSITORY: _name, ...rest } = WORKFLOW_ENV
  return runInProcess(orderInputs(sim.url), fakeClock(1, Date.now()), { ...rest, ...env })
}

const posts = () => sim.requests.filter(r => r.method === 'POST')
const FALLBACK =
  "GITHUB_REPOSITORY_ID is not set: the certificate's key derives from the repository's name"

describe('a key that survives a rename', () => {
  it('two runs with the same GITHUB_REPOSITORY_ID and different names place one order', async () => {
    const id = repositoryId()
    const before = await release({ GITHUB_REPOSITORY_ID: id, GITHUB_REPOSITORY: 'octo-org/app' })
    expect(before.exitCode, before.log).toBeUndefined()
    expect(before.outputs['order-action']).toBe('placed')
    const renamed = await release({
      GITHUB_REPOSITORY_ID: id,
      GITHUB_REPOSITORY: 'new-owner/app-renamed'
    })
    expect(renamed.exitCode, renamed.log).toBeUndefined()
    expect(renamed.outputs['order-action']).toBe('reused')
    expect(renamed.outputs['order-id']).toBe(before.outputs['order-id'])
    expect(renamed.outputs['alternative-order-id']).toBe(before.outputs['alternative-order-id'])
    expect(posts()).toHaveLength(1)
    expect(before.log + renamed.log).not.toContain('GITHUB_REPOSITORY_ID is not set')
  })

  it('two repositories of the same name but different IDs each have their own', async () => {
    const a = await release({ GITHUB_REPOSITORY_ID: repositoryId(), GITHUB_REPOSITORY: 'o/app' })
    const b = await release({ GITHUB_REPOSITORY_ID: repositoryId(), GITHUB_REPOSITORY: 'o/app' })
    expect([a.outputs['order-action'], b.outputs['order-action']]).toEqual(['placed', 'placed'])
    expect(b.outputs['alternative-order-id']).not.toBe(a.outputs['alternative-order-id'])
    expect(posts()).toHaveLength(2)
  })

  it('without GITHUB_REPOSITORY_ID, falls back to the name and says so', async () => {
    const name = `octo-org/fallback-${repositoryId()}`
    const first = await release({ GITHUB_REPOSITORY: name })
    expect(first.log.split(FALLBACK)).toHaveLength(2) // said once
    // A line of the log, not an annotation: nothing is wrong, the key is only less durable.
    expect(first.log).toMatch(/^GITHUB_REPOSITORY_ID is not set: /m)
    expect(first.outputs['order-action']).toBe('placed')
    const again = await release({ GITHUB_REPOSITORY: name, GITHUB_REPOSITORY_ID: '' })
    expect(again.log).toContain(FALLBACK)
    expect(again.outputs['order-id']).toBe(first.outputs['order-id'])
    const renamed = await release({ GITHUB_REPOSITORY: `${name}-renamed` })
    expect(renamed.outputs['order-action']).toBe('placed')
    expect(posts()).toHaveLength(2)
  })

  it('an alternative-order-id is the key whatever the repository: nothing to fall back from', async () => {
    const key = `shared${repositoryId()}`
    const a = await runInProcess(
      orderInputs(sim.url, { 'alternative-order-id': key }),
      fakeClock(1, Date.now()),
      { ...WORKFLOW_ENV, GITHUB_REPOSITORY: 'octo-org/one' }
    )
    const b = await runInProcess(
      orderInputs(sim.url, { 'alternative-order-id': key }),
      fakeClock(1, Date.now()),
      { ...WORKFLOW_ENV, GITHUB_REPOSITORY_ID: repositoryId(), GITHUB_REPOSITORY: 'other/two' }
    )
    expect(a.log).not.toContain('GITHUB_REPOSITORY_ID is not set')
    expect([a.outputs['order-action'], b.outputs['order-action']]).toEqual(['placed', 'reused'])
    expect(b.outputs['order-id']).toBe(a.outputs['order-id'])
    expect(posts()).toHaveLength(1)
  })
})
