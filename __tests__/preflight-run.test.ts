// What the pre-flight does with its findings, in process against the simulator with the real
// @actions/core: the lines it logs (info, warning or error by mode and verdict), its section of the
// job summary, word for word, and when `preflight: block` or `fail` stops the order.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { EOL, tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '@actions/core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ParsedInputs } from '../src/inputs.js'
import { preflight, PreflightFailedError } from '../src/preflight/run.js'
import { Door } from '../src/door.js'
import { coreRunner } from '../src/runner.js'
import { apiFor } from './fixtures/api.js'
import { parse, type Inputs } from './fixtures/run-inputs.js'
import { fakeClock } from './support/fake-clock.js'
import { startSimulator, UNLIMITED, type Simulator } from './support/simulator.js'

let sim: Simulator
// core.summary keeps the first GITHUB_STEP_SUMMARY it reads: one file for the whole test file.
const dir = mkdtempSync(join(tmpdir(), 'preflight-run-'))
const summaryFile = join(dir, 'summary.md')
beforeAll(async () => {
  sim = await startSimulator({ apiKey: 'preflight-run-key', scenario: { rateLimit: UNLIMITED } })
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  return sim.close()
})

let log = ''
beforeEach(() => {
  sim.reset()
  sim.directory.limitedKey = false
  sim.directory.setRole(1)
  for (const product of sim.directory.products.values()) {
    Object.assign(product, {
      allowed_validity_years: [1, 2, 3],
      signature_hash_types: { allowed_hash_types: [{ id: 'sha256' }, { id: 'sha384' }] }
    })
  }
  rmSync(summaryFile, { recursive: true, force: true })
  writeFileSync(summaryFile, '')
  vi.stubEnv('GITHUB_STEP_SUMMARY', summaryFile)
  log = ''
  vi.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    log += String(chunk)
    return true
  })
})
afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllEnvs()
  core.summary.emptyBuffer()
})

async function inputsOf(more: Inputs): Promise<ParsedInputs> {
  const result = await parse({
    'api-key': sim.apiKey,
    'api-url': sim.url,
    'organization-id': '12345',
    'skip-approval': 'true',
    ...more
  })
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  return result.inputs
}

/** The pre-flight of one run: its report or error, what it warned, logged and sent. */
async function run(more: Inputs) {
  const { api } = apiFor(sim, fakeClock(1, Date.now()))
  const warnings: string[] = []
  const before = sim.requests.length
  const inputs = await inputsOf(more)
  let error: unknown
  // The real runner, but for warnings, which are collected.
  const door = new Door({
    ...coreRunner(process.env),
    warning: text => warnings.push(text),
    mask: () => undefined
  })
  door.secret(sim.apiKey)
  const report = await preflight(api, inputs, door).catch((e: unknown) => {
    error = e
    return undefined
  })
  return {
    report,
    error,
    warnings,
    lines: log.split(EOL).filter(line => line !== ''),
    sent: sim.requests.length - before,
    summary: statSync(summaryFile).isFile()
      ? readText(readFileSync(summaryFile, 'utf8'))
      : undefined
  }
}

/** HTML with its character references read back: the text a reader sees. */
const readText = (html: string) =>
  html.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))

const ASKED = (n: string) =>
  `Pre-flight: ${n} to CertCentral before ordering (preflight: off skips them).`
const ROLE_5 =
  'The API key\'s user "release-bot" has the role Standard user, not Administrator or Manager: it ' +
  "may not skip approval, so the order is refused or waits for an administrator's approval; remove " +
  "skip-approval or use an administrator's or manager's API key."
const PENDING =
  'Organization 22222 has no active Code Signing (cs) validation (its "cs" validation is ' +
  '"pending"): DigiCert validates it before issuing, which usually takes days.'

const section = (rows: [string, string][], outcome: string) =>
  '<h2>Code signing order: pre-flight</h2>\n' +
  '<table><tr><th>Result</th><th>Finding</th></tr>' +
  rows.map(([verdict, message]) => `<tr><td>${verdict}</td><td>${message}</td></tr>`).join('') +
  `</table>\n<p>${outcome}</p>\n`

describe('what each mode does', () => {
  it.each([
    ['off', { preflight: 'off' }],
    ['an order resumed by order-id, even with fail', { preflight: 'fail', 'order-id': '4242' }]
  ])('%s: asks and says nothing', async (_, inputs) => {
    expect(await run(inputs)).toMatchObject({
      report: undefined,
      error: undefined,
      sent: 0,
      lines: [],
      summary: ''
    })
  })

  it('warn: a problem is a warning, the rest is information, and the order goes on', async () => {
    sim.directory.setRole(5)
    const r = await run({ preflight: 'warn', product: 'code_signing' })
    expect(r.error).toBeUndefined()
    expect(r.warnings).toEqual([`Pre-flight: ${ROLE_5}`])
    expect(r.lines).toEqual([
      ASKED('4 questions'),
      'Pre-flight: Organization 12345 exists and is active.',
      'Pre-flight: Organization 12345 has an active Code Signing (cs) validation until ' +
        `${sim.directory.organizations.get(12345)?.validations[0]?.validated_until?.slice(0, 10)}.`,
      'Pre-flight: code_signing allows a validity of 1 year(s).',
      'Pre-flight: code_signing allows the signature hash sha256.'
    ])
    expect(r.report).toEqual({
      mode: 'warn',
      requests: 4,
      findings: expect.arrayContaining([
        { check: 'skip-approval', verdict: 'problem', message: ROLE_5 }
      ]) as unknown
    })
    expect(r.report?.findings).toHaveLength(5)
    expect(r.summary).toContain(`<tr><td>Problem</td><td>${ROLE_5}</td></tr>`)
    expect(r.summary).toMatch(
      /<\/table>\n<p>With preflight: warn, the order is placed all the same\.<\/p>\r?\n$/
    )
  })

  it('fail: each problem is an error, and the order stops with the count', async () => {
    sim.directory.setRole(5)
    const r = await run({ preflight: 'fail', 'organization-id': '22222' })
    expect(r.error).toBeInstanceOf(PreflightFailedError)
    const error = r.error as PreflightFailedError
    expect(error.name).toBe('PreflightFailedError')
    expect(error.message).toBe(
      'The pre-flight found 2 problems (see above): no order was placed and nothing was paid for. ' +
        'Fix them, or set preflight: warn to order anyway.'
    )
    expect(error.report.mode).toBe('fail')
    expect(error.report.requests).toBe(4)
    expect(r.warnings).toEqual([])
    expect(r.lines.filter(line => line.startsWith('::'))).toEqual([
      `::error title=Pre-flight::Pre-flight: ${PENDING}`,
      `::error title=Pre-flight::Pre-flight: ${ROLE_5}`
    ])
    expect(r.summary).toMatch(
      /<p>With preflight: fail, no order was placed and nothing was paid for\.<\/p>\r?\n$/
    )
  })

  it('fail: one problem, said in the singular', async () => {
    const r = await run({ preflight: 'fail', 'organization-id': '22222' })
    expect((r.error as Error).message).toBe(
      'The pre-flight found 1 problem (see above): no order was placed and nothing was paid for. ' +
        'Fix it, or set preflight: warn to order anyway.'
    )
  })

  it('block: a problem CertCentral refuses is an error and stops; one that waits is a warning', async () => {
    sim.directory.setRole(5)
    const r = await run({ preflight: 'block', 'organization-id': '22222' })
    expect(r.error).toBeInstanceOf(PreflightFailedError)
    const error = r.error as PreflightFailedError
    expect(error.message).toBe(
      'The pre-flight found 1 problem for which CertCentral would refuse the order or never issue ' +
        'the certificate (see above): no order was placed and nothing was paid for. Fix it, or set ' +
        'preflight: warn to order anyway.'
    )
    expect(error.report.mode).toBe('block')
    expect(r.warnings).toEqual([`Pre-flight: ${PENDING}`])
    expect(r.lines.filter(line => line.startsWith('::'))).toEqual([
      `::error title=Pre-flight::Pre-flight: ${ROLE_5}`
    ])
    expect(r.summary).toMatch(
      /<p>With preflight: block, no order was placed and nothing was paid for: CertCentral would refuse it or never issue the certificate\.<\/p>\r?\n$/
    )
  })

  it('block: two problems CertCentral refuses, counted in the plural', async () => {
    sim.directory.setRole(5)
    const r = await run({ preflight: 'block', 'signature-hash': 'sha512' })
    expect((r.error as Error).message).toMatch(
      /^The pre-flight found 2 problems for which .* Fix them, or/
    )
  })

  it('block: problems that only make the order wait are warnings, and the order goes on', async () => {
    const r = await run({ preflight: 'block', 'organization-id': '22222' })
    expect(r.error).toBeUndefined()
    expect(r.report?.mode).toBe('block')
    expect(r.warnings).toEqual([`Pre-flight: ${PENDING}`])
    expect(r.lines.filter(line => line.startsWith('::'))).toEqual([])
    expect(r.summary).toMatch(
      /<p>With preflight: block, the order is placed all the same: it waits until the problems above are resolved\.<\/p>\r?\n$/
    )
  })

  it('block is the default', async () => {
    sim.directory.setRole(5)
    const r = await run({})
    expect(r.error).toBeInstanceOf(PreflightFailedError)
    expect((r.error as PreflightFailedError).report.mode).toBe('block')
  })

  it('fail: what could not be checked does not stop the order', async () => {
    sim.directory.limitedKey = true
    const r = await run({ preflight: 'fail' })
    expect(r.error).toBeUndefined()
    expect(r.report?.findings.map(f => f.verdict)).toEqual([
      'unchecked',
      'unchecked',
      'unchecked',
      'unchecked'
    ])
    expect(r.lines.filter(line => line.startsWith('::'))).toEqual([])
    expect(r.summary).toMatch(/<p>Nothing found that would hold the order up\.<\/p>\r?\n$/)
  })
})

describe('the lines and the summary', () => {
  it('one question, in the singular; every finding a row, in order, with nothing between', async () => {
    const r = await run({
      preflight: 'warn',
      'organization-id': '',
      'skip-approval': 'false',
      organization:
        'name: New Org\naddress: 1 Main St\ncity: Lehi\nstate: Utah\nzip: "84043"\ncountry: us\ntelephone: 801-555-0100',
      'organization-contact': 'first_name: Jane\nlast_name: Doe\nemail: jane@example.com'
    })
    expect(r.report?.requests).toBe(1)
    expect(r.lines[0]).toBe(ASKED('1 question'))
    expect(r.summary).toBe(
      section(
        [
          ['OK', 'code_signing allows a validity of 1 year(s).'],
          ['OK', 'code_signing allows the signature hash sha256.']
        ],
        'Nothing found that would hold the order up.'
      )
    )
  })

  it.each([
    ['with a problem', '22222', 'Dry run: no order was placed.'],
    [
      'without one',
      '12345',
      'Nothing found that would hold the order up. Dry run: no order was placed.'
    ]
  ])('a dry run says no order was placed, %s', async (_name, organization, outcome) => {
    const r = await run({
      preflight: 'fail',
      'dry-run': 'true',
      product: 'code_signing',
      'organization-id': organization
    })
    expect(r.summary).toContain(`</table>\n<p>${outcome}</p>`)
  })

  it('never puts the API key in a finding, even when the connection lets it through', async () => {
    // apiFor's connection scrubs nothing: the door's scrubber, which the pre-flight uses, is tested.
    sim.failNext(
      { path: /\/user\/me$/ },
      {
        kind: 'status',
        status: 403,
        body: { errors: [{ code: `denied:${sim.apiKey}`, message: 'no' }] }
      }
    )
    const r = await run({ preflight: 'warn' })
    const finding = r.report?.findings.find(f => f.check === 'skip-approval')
    expect(finding?.message).toBe(
      "Could not check whether the API key's user may skip approval (CertCentral answered 403 denied:***)."
    )
    expect(r.summary).not.toContain(sim.apiKey)
  })

  it('writes no summary, and says nothing of it, without GITHUB_STEP_SUMMARY', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '')
    const r = await run({ preflight: 'warn' })
    expect(r.warnings).toEqual([])
    expect(r.summary).toBe('')
  })

  it('warns when the summary cannot be written, and keeps its text out of what comes next', async () => {
    rmSync(summaryFile)
    mkdirSync(summaryFile)
    const r = await run({ preflight: 'warn' })
    expect(r.error).toBeUndefined()
    expect(r.warnings).toEqual([
      expect.stringMatching(/^The job summary could not be written: Error: EISDIR/)
    ])
    expect(core.summary.isEmptyBuffer()).toBe(true)
  })
})
