// Every bad input of the corpus, a whole run in process: each fails naming the input (as an
// annotation titled with it), alone, sends nothing and shows no secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CORPUS } from './fixtures/bad-inputs.js'
import { runInProcess } from './fixtures/in-process-run.js'
import { API_KEY, CARD_NUMBER, CVV, orderInputs } from './support/action-inputs.js'
import { fakeClock } from './support/fake-clock.js'
import { startSimulator, type Simulator } from './support/simulator.js'

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY })
})
afterAll(() => sim.close())

describe('bad inputs', () => {
  for (const [what, inputs, input] of CORPUS) {
    it(`refuses ${what}, naming ${input}, sending nothing`, async () => {
      const before = sim.requests.length
      const run = await runInProcess(orderInputs(sim.url, inputs), fakeClock())
      expect(run.exitCode).toBe(1)
      const errors = run.log.split('\n').filter(line => line.startsWith('::error'))
      // The input's own problems (one or more), then the count; nothing else.
      expect(errors.at(-1)).toMatch(
        /^::error::\d+ input problems?; nothing was sent to CertCentral\.$/
      )
      const named = errors.slice(0, -1)
      expect(named.length).toBeGreaterThan(0)
      for (const line of named) {
        expect(line).toMatch(new RegExp(`^::error title=Input ${input}::${input}: `))
      }
      expect(sim.requests.length).toBe(before)
      expect(run.outputs).toEqual({})
      for (const secret of [API_KEY, CARD_NUMBER, CVV]) {
        expect(
          run.log
            .split('\n')
            .filter(l => !l.startsWith('::add-mask::'))
            .join('\n')
        ).not.toContain(secret)
      }
    })
  }
})
