// The workflow and action files: CI's own workflows, the examples users paste, and action.yml.
// Each passes action-validator (GitHub's workflow and action schemas); the steps that use this
// action give only inputs action.yml declares, read only outputs it declares, and pass the action's
// own input checks (a dry run of the bundled action); the README links every example.
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { validateAction, validateWorkflow } from '@action-validator/core'
import { runAction } from './support/run-action.js'

const ROOT = resolve(import.meta.dirname, '..')
/** How the README's quick start and the examples name this action. */
const ACTION_REF = 'OWNER/digicert-code-signing-order-action@v1'
/** YAML files under examples/ that are not workflows. */
const NOT_WORKFLOWS = new Set(['examples/inputs.yml'])

interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
}
interface Workflow {
  jobs: Record<string, { steps?: Step[] }>
}
interface ActionFile {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
  runs: { using: string }
}

async function yamlFiles(dir: string): Promise<string[]> {
  const names = existsSync(join(ROOT, dir)) ? await readdir(join(ROOT, dir)) : []
  return names
    .filter(name => /\.ya?ml$/.test(name))
    .map(name => `${dir}/${name}`)
    .sort()
}

const workflows = [
  ...(await yamlFiles('.github/workflows')),
  ...(await yamlFiles('examples')).filter(file => !NOT_WORKFLOWS.has(file))
]
const examples = workflows.filter(file => file.startsWith('examples/'))
const action = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as ActionFile

/**
 * What `npx action-validator FILE` says of a file, without a process per file: the CLI is a thin
 * wrapper over this package (it calls validateAction for a file named action.yml or action.yaml,
 * validateWorkflow otherwise, and exits 1 with the state as JSON when there are errors), and its
 * WebAssembly then compiles once for all the files instead of once each.
 */
async function validate(file: string): Promise<{ code: number; output: string }> {
  const contents = await readFile(resolve(ROOT, file), 'utf8')
  const state = /(^|\/)action\.ya?ml$/.test(file)
    ? validateAction(contents)
    : validateWorkflow(contents)
  return state.errors.length > 0
    ? { code: 1, output: JSON.stringify(state, null, 2) }
    : { code: 0, output: '' }
}

async function readWorkflow(file: string): Promise<Workflow> {
  return parse(await readFile(join(ROOT, file), 'utf8')) as Workflow
}

/** The steps that run this action, with their job. */
function ourSteps(workflow: Workflow): { job: string; step: Step; steps: Step[] }[] {
  return Object.entries(workflow.jobs).flatMap(([job, { steps = [] }]) =>
    steps
      .filter(step => step.uses === './' || step.uses === ACTION_REF)
      .map(step => ({ job, step, steps }))
  )
}

/** Sample values for the expressions the examples use; a new expression needs one here. */
const csr = await readFile(join(ROOT, '__tests__/fixtures/csr-rsa3072.pem'), 'utf8')
const SAMPLES: Record<string, string> = {
  'secrets.DIGICERT_API_KEY': 'example-api-key',
  'secrets.CODE_SIGNING_CSR': csr,
  'vars.DIGICERT_ORGANIZATION_ID': '12345',
  'vars.DIGICERT_CONTACT_ID': '67890',
  'vars.CODE_SIGNING_ORDER_ID': '100001',
  'inputs.product': 'code_signing_ev'
}

const exampleSteps = await Promise.all(
  examples.map(async file =>
    ourSteps(await readWorkflow(file)).map(({ job, step }) => ({ file, job, step }))
  )
)

let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'workflows-test-'))
})
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

describe('action-validator', () => {
  it('finds the workflows: CI, check-dist and the three examples', () => {
    expect(workflows).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/check-dist.yml',
        'examples/release-keylocker.yml',
        'examples/release-hsm.yml',
        'examples/renew-scheduled.yml'
      ])
    )
  })

  it.each(workflows)('accepts %s', async file => {
    const { code, output } = await validate(file)
    expect(code, output).toBe(0)
  })

  // The validator's bundled schema (0.6.0) knows node12, node16 and node20 but not node24, which
  // the runner has supported since 2025. action.yml is validated as it is when the validator takes
  // node24; otherwise its only objection must be `runs.using`, and a copy that says node20 passes.
  it('accepts action.yml (runs.using: node24 aside)', async () => {
    expect(action.runs.using).toBe('node24')
    const asIs = await validate('action.yml')
    if (asIs.code === 0) return
    const report = JSON.parse(asIs.output) as { errors: { path: string }[] }
    expect(report.errors.map(e => e.path)).toEqual(['/runs'])
    expect(asIs.output).toContain('"path": "/runs/using"')

    const text = await readFile(join(ROOT, 'action.yml'), 'utf8')
    const copy = join(scratch, 'action.yml')
    await writeFile(copy, text.replace(/^(\s+using:\s*)node24\s*$/m, '$1node20'))
    const patched = await validate(copy)
    expect(patched.code, patched.output).toBe(0)
  })

  it('rejects a broken workflow (so the checks above can fail)', async () => {
    const broken = join(scratch, 'broken.yml')
    await writeFile(
      broken,
      [
        'name: Broken',
        'on: push',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-latest',
        '    stepz:',
        '      - run: echo typo in "steps"',
        ''
      ].join('\n')
    )
    const { code, output } = await validate(broken)
    expect(code).toBe(1)
    expect(output).toContain("Additional property 'stepz' is not allowed")
  })
})

describe('steps that use this action', () => {
  it.each(workflows)(
    '%s: gives only declared inputs and reads only declared outputs',
    async file => {
      const text = await readFile(join(ROOT, file), 'utf8')
      const workflow = parse(text) as Workflow
      for (const { job, step } of ourSteps(workflow)) {
        for (const name of Object.keys(step.with ?? {})) {
          expect(action.inputs, `${file}: job ${job}, input ${name}`).toHaveProperty([name])
        }
        if (step.id === undefined) continue
        const read = [...text.matchAll(new RegExp(`steps\\.${step.id}\\.outputs\\.([\\w-]+)`, 'g'))]
        for (const [, output] of read) {
          expect(action.outputs, `${file}: steps.${step.id}.outputs.${output}`).toHaveProperty([
            output as string
          ])
        }
      }
    }
  )

  it('the examples name the action as the README quick start does', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
    expect(readme).toContain(`uses: ${ACTION_REF}`)
    for (const file of examples) {
      const uses = ourSteps(await readWorkflow(file)).map(({ step }) => step.uses)
      expect(uses.length, file).toBeGreaterThan(0)
      expect(new Set(uses), file).toEqual(new Set([ACTION_REF]))
    }
  })

  it('the README links every example', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
    for (const file of examples)
      expect(readme.includes(`](${file})`), `README link to ${file}`).toBe(true)
  })

  it.each(exampleSteps.flat().map(s => [`${s.file} (job ${s.job})`, s] as const))(
    '%s passes the input checks in a dry run',
    async (_name, { step }) => {
      const inputs: Record<string, string> = {}
      for (const [name, value] of Object.entries(step.with ?? {})) {
        inputs[name] = String(value).replace(
          /\$\{\{\s*([^}]+?)\s*\}\}/g,
          (_match, expr: string) => {
            const sample = SAMPLES[expr]
            if (sample === undefined) throw new Error(`No sample value for \${{ ${expr} }}`)
            return sample
          }
        )
      }
      // Nothing listens on port 9: a request would fail the run. With the pre-flight off, a dry
      // run sends nothing even with an api-key.
      const run = await runAction({
        ...inputs,
        'api-url': 'http://127.0.0.1:9/services/v2',
        'dry-run': 'true',
        preflight: 'off'
      })
      expect(run.code, run.stdout + run.stderr).toBe(0)
      expect(run.stdout).toMatch(/nothing was sent/)
    }
  )
})

describe('dependabot', () => {
  it('updates npm packages and GitHub Actions weekly', async () => {
    const config = parse(await readFile(join(ROOT, '.github/dependabot.yml'), 'utf8')) as {
      version: number
      updates: { 'package-ecosystem': string; directory: string; schedule: { interval: string } }[]
    }
    expect(config.version).toBe(2)
    const ecosystems = config.updates.map(u => [u['package-ecosystem'], u.schedule.interval])
    expect(ecosystems).toEqual([
      ['npm', 'weekly'],
      ['github-actions', 'weekly']
    ])
  })
})
