// The pre-flight through the bundled action, for what only a real process shows: a finding under
// `preflight: fail` is an error annotation titled Pre-flight, the step exits 1, and nothing is
// ordered. Every other pre-flight case runs in process, in preflight.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from './support/simulator.js'
import { isolatedRepository, runAction, WORKFLOW_ENV } from './support/run-action.js'
import { API_KEY, expectNoSecrets, orderInputs } from './support/action-inputs.js'

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY })
})
afterAll(() => sim.close())

describe('the pre-flight in the bundled action', () => {
  it('fail: exits 1 with the finding as an annotation, before ordering', async () => {
    sim.directory.setRole(5)
    const before = sim.requests.length
    const r = await runAction(orderInputs(sim.url, { preflight: 'fail' }), {
      env: { ...WORKFLOW_ENV, GITHUB_REPOSITORY: isolatedRepository() }
    })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /^::error title=Pre-flight::Pre-flight: The API key's user "release-bot" has the role Standard user/m
    )
    expect(r.stdout).toMatch(/^::error::The pre-flight found 1 problem \(see above\)/m)
    expect(sim.requests.slice(before).filter(q => q.method !== 'GET')).toEqual([])
    expect(r.summary).toContain(
      'With preflight: fail, no order was placed and nothing was paid for.'
    )
    expectNoSecrets(r)
  })
})
