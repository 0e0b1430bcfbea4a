// The request limit, which the fake clock does not shorten: a hung connection is cut after a real
// second at least. These runs wait for real, so the mutation run leaves them out
// (vitest.mutation.config.ts); everything else about retries runs on the fake clock in main.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runInProcess, type InProcessRun } from './fixtures/in-process-run.js'
import { API_KEY, orderInputs } from './support/action-inputs.js'
import { fakeClock } from './support/fake-clock.js'
import { startSimulator, UNLIMITED, type Simulator } from './support/simulator.js'

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, scenario: { rateLimit: UNLIMITED } })
})
afterAll(() => sim.close())
beforeEach(() => sim.reset())

const inputs = (more: Record<string, string> = {}) =>
  orderInputs(sim.url, { 'poll-interval': '10s', preflight: 'off', ...more })
const clock = () => fakeClock(1, Date.now())
const annotations = (run: InProcessRun, kind: 'warning' | 'error') =>
  run.log.split('\n').filter(line => line.startsWith(`::${kind}`))

describe('a connection that hangs', () => {
  it('gets past a hung connection at the request limit', async () => {
    sim.failNext({ method: 'GET', path: /\/order\/certificate\/\d+$/ }, { kind: 'hang' })
    const c = clock()
    const run = await runInProcess(inputs({ timeout: '3s' }), c)
    expect(run.exitCode, run.log).toBeUndefined()
    expect(c.slept).toEqual([1_000])
    expect(annotations(run, 'warning')).toEqual([
      // A 3 s timeout leaves no room for the 5 s settle window after the POST.
      expect.stringContaining("::warning::The step's timeout leaves no room for the settle window"),
      expect.stringMatching(
        /^::warning::GET .* failed: no complete answer within 1s; trying again in 1s\.$/
      )
    ])
  })

  it('fails when CertCentral never answers, within the step timeout', async () => {
    // Each lookup is cut at the request limit: a third of the 2 s timeout, and at least 1 s (real
    // time: the fake clock does not cut sockets). After the second, a retry would pass the deadline.
    sim.failNext({ method: 'GET', path: /\/order\/alternate\// }, { kind: 'hang' }, 10)
    const before = sim.requests.length
    const c = clock()
    const run = await runInProcess(inputs({ timeout: '2s' }), c)
    expect(run.exitCode).toBe(1)
    expect(sim.requests.slice(before).map(r => r.method)).toEqual(['GET', 'GET'])
    expect(c.slept).toEqual([1_000])
    expect(annotations(run, 'error')).toEqual([
      expect.stringMatching(
        /^::error::GET .*\/order\/alternate\/gha\w+ failed: no complete answer within 1s$/
      )
    ])
  })
})
