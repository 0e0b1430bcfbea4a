// The README's snippets that use this action, run through its input checks in a dry run: a
// snippet a user copies must pass them without a warning. Snippets whose inputs hold expressions
// other than the API key (which a dry run does without) are left to the examples' own tests
// (workflows.test.ts).
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { runAction } from './support/run-action.js'

const README = await readFile(resolve(import.meta.dirname, '../README.md'), 'utf8')
const USES = /^OWNER\/digicert-code-signing-order-action@/
const API_KEY_EXPRESSION = /^\$\{\{\s*secrets\.\w+\s*\}\}$/

interface Step {
  uses?: string
  with?: Record<string, unknown>
}

function stepsOf(document: unknown): Step[] {
  if (Array.isArray(document)) return document as Step[]
  const jobs = (document as { jobs?: Record<string, { steps?: Step[] }> } | null)?.jobs ?? {}
  return Object.values(jobs).flatMap(job => job.steps ?? [])
}

const snippets = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .flatMap(([, text = '']) => stepsOf(parse(text)))
  .filter(step => USES.test(step.uses ?? '') && step.with !== undefined)
  .map(step => {
    const inputs = Object.fromEntries(
      Object.entries(step.with ?? {})
        .filter(([name, value]) => !(name === 'api-key' && API_KEY_EXPRESSION.test(String(value))))
        .map(([name, value]) => [name, String(value)])
    )
    return inputs
  })
  .filter(inputs => !Object.values(inputs).some(value => value.includes('${{')))

describe("the README's snippets", () => {
  it('include the new-organization example', () => {
    expect(snippets.some(inputs => inputs.organization?.includes('organization_contact'))).toBe(
      true
    )
  })

  it.each(snippets.map(inputs => [Object.keys(inputs).join(', '), inputs] as const))(
    'pass the input checks without a warning: %s',
    async (_names, inputs) => {
      // Nothing listens on port 9: a request would fail the run.
      const run = await runAction({
        ...inputs,
        'api-url': 'http://127.0.0.1:9/services/v2',
        'dry-run': 'true',
        // Without an api-key a dry run sends nothing; with one it looks the certificate up.
        'api-key': ''
      })
      expect(run.code, run.stdout).toBe(0)
      expect(run.stdout).toMatch(/nothing was sent/)
      expect(run.stdout).not.toMatch(/^::(warning|error)/m)
    }
  )
})
