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
/** Each release example and the scheduled example for the same certificate. */
const EXAMPLE_PAIRS = [
  ['examples/release-keylocker.yml', 'examples/renew-scheduled-keylocker.yml'],
  ['examples/release-hsm.yml', 'examples/renew-scheduled-hsm.yml']
] as const

interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
}
interface Job {
  'runs-on'?: string | string[]
  needs?: string | string[]
  outputs?: Record<string, string>
  concurrency?: unknown
  steps?: Step[]
}
interface Workflow {
  on: Record<string, unknown>
  concurrency?: unknown
  jobs: Record<string, Job>
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
  it('finds the workflows: CI, check-dist and the four examples', () => {
    expect(workflows).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/check-dist.yml',
        ...EXAMPLE_PAIRS.flat()
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
      // Nothing listens on port 9: a request would fail the run. Without an api-key, a dry run
      // sends nothing (with one, it looks the certificate up).
      const run = await runAction({
        ...inputs,
        'api-url': 'http://127.0.0.1:9/services/v2',
        'dry-run': 'true',
        'api-key': ''
      })
      expect(run.code, run.stdout + run.stderr).toBe(0)
      expect(run.stdout).toMatch(/nothing was sent/)
    }
  )
})

/** The one step of a workflow that runs this action, with its job. */
async function theStep(file: string) {
  const workflow = await readWorkflow(file)
  const steps = ourSteps(workflow)
  expect(steps, file).toHaveLength(1)
  const [only] = steps
  return { workflow, ...only!, text: await readFile(join(ROOT, file), 'utf8') }
}

/** The inputs that make the certificate's key and its order: all but how long and how to wait. */
const HOW_TO_WAIT = new Set(['wait-for', 'timeout', 'poll-interval', 'renew-within'])
const identityInputs = (step: Step) =>
  Object.fromEntries(Object.entries(step.with ?? {}).filter(([name]) => !HOW_TO_WAIT.has(name)))

describe('the examples in a release pipeline', () => {
  it.each(examples)('%s: no concurrency group can cancel a release', async file => {
    const workflow = await readWorkflow(file)
    const groups = [workflow.concurrency, ...Object.values(workflow.jobs).map(j => j.concurrency)]
    const onTags = JSON.stringify(workflow.on.push ?? {}).includes('tags')
    for (const group of groups.filter(g => g !== undefined)) {
      // A group shared across tags keeps one run waiting and cancels the others.
      expect(onTags, `${file}: a release with a concurrency group`).toBe(false)
      expect(group, file).toMatchObject({ 'cancel-in-progress': false })
    }
  })

  it.each(examples)('%s: every needs.<job>.outputs.<name> is a declared job output', async file => {
    const workflow = await readWorkflow(file)
    const text = await readFile(join(ROOT, file), 'utf8')
    for (const [, job, output] of text.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      expect(
        workflow.jobs[job!]?.outputs,
        `${file}: needs.${job}.outputs.${output}`
      ).toHaveProperty([output!])
    }
  })

  it('KeyLocker: orders and waits on Linux, signs on Windows with the thumbprint alone', async () => {
    const { workflow, job, text } = await theStep('examples/release-keylocker.yml')
    const orderJob = workflow.jobs[job]!
    expect(orderJob['runs-on']).toBe('ubuntu-latest')
    expect(orderJob.outputs?.thumbprint).toBe('${{ steps.cert.outputs.certificate-thumbprint }}')
    const signing = Object.entries(workflow.jobs).filter(([, j]) => j.needs === job)
    expect(signing.map(([, j]) => j['runs-on'])).toEqual(['windows-latest'])
    const signingText = JSON.stringify(signing[0]![1])
    expect(signingText).toContain(`\${{ needs.${job}.outputs.thumbprint }}`)
    const scripts = (signing[0]![1].steps ?? []).map(st => (st as { run?: string }).run ?? '')
    expect(scripts.join('\n')).toMatch(/^smctl windows certsync$/m)
    expect(scripts.join('\n')).toContain('sign /sha1 $env:THUMBPRINT')
    // Nothing to keep by hand: no keypair alias anywhere.
    expect(text).not.toMatch(/SM_KEYPAIR_ALIAS|keypair-alias/i)
  })

  it('HSM: orders on the runner that holds the key and signs there with certificate-path', async () => {
    const { workflow, job, step } = await theStep('examples/release-hsm.yml')
    const orderJob = workflow.jobs[job]!
    expect(orderJob['runs-on']).toEqual(expect.arrayContaining(['self-hosted', 'hsm']))
    expect(step.with?.['provisioning-method']).toBe('email')
    expect(JSON.stringify(orderJob.steps)).toContain('${{ steps.cert.outputs.certificate-path }}')
  })

  it.each(EXAMPLE_PAIRS)(
    '%s has a weekly workflow for the same certificate that stays green while an order is on its way',
    async (release, scheduled) => {
      const ordered = await theStep(release)
      const weekly = await theStep(scheduled)
      expect(identityInputs(weekly.step)).toEqual(identityInputs(ordered.step))
      expect(ordered.step.with?.['wait-for']).toBe('issued')
      expect(weekly.step.with?.['wait-for']).toBe('none')
      expect(weekly.workflow.on).toHaveProperty('schedule')
      expect(weekly.workflow.on).toHaveProperty('workflow_dispatch')
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
