// Bad inputs through the bundled action: a few, for what only a real process shows (exit code 1,
// the runner's `::error title=...` annotations, no stack trace, nothing sent, no secret shown).
// The whole corpus runs in process, in bad-inputs.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from './support/simulator.js'
import { runAction } from './support/run-action.js'
import { API_KEY, expectNoSecrets, orderInputs } from './support/action-inputs.js'
import { CORPUS } from './fixtures/bad-inputs.js'

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY })
})
afterAll(() => sim.close())

/** A YAML input (the card's, malformed), a card rule and a setting: the three kinds of reading. */
const SAMPLE = [
  'card YAML whose error would quote the CVV',
  'a card with a bad CVV',
  'a timeout in words'
]

describe('bad inputs', () => {
  for (const [what, inputs, input] of CORPUS.filter(([what]) => SAMPLE.includes(what))) {
    it(`refuses ${what}, naming ${input}, sending nothing`, async () => {
      const before = sim.requests.length
      const run = await runAction(orderInputs(sim.url, inputs))
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(new RegExp(`^::error title=Input ${input}::${input}: `, 'm'))
      expect(run.stdout).toMatch(/^::error::1 input problem; nothing was sent to CertCentral\.$/m)
      expect(sim.requests.length).toBe(before)
      expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
      expectNoSecrets(run)
    })
  }

  it('runs each of the sample', () => {
    expect(CORPUS.filter(([what]) => SAMPLE.includes(what))).toHaveLength(SAMPLE.length)
  })

  it('reports every problem at once', async () => {
    const run = await runAction(
      orderInputs(sim.url, { product: 'x', 'signature-hash': 'md5', 'validity-years': '9' })
    )
    expect(run.code).toBe(1)
    for (const input of ['product', 'signature-hash', 'validity-years']) {
      expect(run.stdout).toContain(`::error title=Input ${input}::`)
    }
    expect(run.stdout).toContain('::error::3 input problems; nothing was sent to CertCentral.')
  })
})
