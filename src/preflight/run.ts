// The pre-flight, run just before a new order is POSTed (never for an order that is resumed):
// read the facts, judge them, say each finding in the log and the job summary, and, with
// `preflight: fail`, stop before anything is ordered or paid for.
import * as core from '@actions/core'
import { readPreflightFacts } from '../certcentral/preflight.js'
import type { Api } from '../certcentral/orders.js'
import type { ParsedInputs, PreflightMode } from '../inputs.js'
import {
  intentOf,
  judge,
  judgeReissue,
  questionsFor,
  reissueQuestions,
  type PreflightFinding
} from './judge.js'
import { addPreflightSection } from './summary.js'

export interface PreflightReport {
  mode: Exclude<PreflightMode, 'off'>
  findings: PreflightFinding[]
  /** Requests the pre-flight sent: at most four. */
  requests: number
}

/** `preflight: fail` and a finding: the order is not placed. */
export class PreflightFailedError extends Error {
  constructor(readonly report: PreflightReport) {
    const count = report.findings.filter(f => f.verdict === 'problem').length
    super(
      `The pre-flight found ${count} problem${count === 1 ? '' : 's'} (see above): no order was ` +
        'placed and nothing was paid for. Fix them, or set preflight: warn to order anyway.'
    )
    this.name = 'PreflightFailedError'
  }
}

/**
 * Undefined when there is nothing to check (`preflight: off`, or an order resumed by order-id).
 * Throws PreflightFailedError with `preflight: fail` when a check found a problem; a fact that
 * could not be read never does.
 */
export async function preflight(
  api: Api,
  { settings, plan }: ParsedInputs,
  warn: (message: string) => void,
  today: Date = new Date(api.retry.clock.now()),
  /** `reissue`: only what CertCentral would refuse a reissue for is asked and judged. */
  what: 'order' | 'reissue' = 'order'
): Promise<PreflightReport | undefined> {
  if (settings.preflight === 'off' || plan.kind !== 'order') return undefined
  const mode = settings.preflight
  const intent = intentOf(settings.product, plan.body)
  const reissue = what === 'reissue'
  const facts = await readPreflightFacts(
    api,
    reissue ? reissueQuestions(intent) : questionsFor(intent)
  )
  // An error answer may echo the request: the key never goes into a finding (the runner masks it in
  // the log, not necessarily in the summary).
  const scrub = (text: string) => (api.conn.apiKey ? text.replaceAll(api.conn.apiKey, '***') : text)
  const judged = reissue ? judgeReissue(intent, facts) : judge(intent, facts, today)
  const findings = judged.map(f => ({ ...f, message: scrub(f.message) }))
  const report: PreflightReport = { mode, findings, requests: facts.requests }

  core.info(
    `Pre-flight: ${facts.requests} question${facts.requests === 1 ? '' : 's'} to CertCentral ` +
      `before ${reissue ? 'reissuing' : 'ordering'} (preflight: off skips them).`
  )
  for (const finding of findings) {
    const line = `Pre-flight: ${finding.message}`
    if (finding.verdict !== 'problem') core.info(line)
    else if (mode === 'fail') core.error(line, { title: 'Pre-flight' })
    else warn(line)
  }
  const problems = findings.filter(f => f.verdict === 'problem').length
  const failed = mode === 'fail' && problems > 0
  await writeSection(findings, outcomeSentence(problems, failed, settings.dryRun), warn)
  if (failed) throw new PreflightFailedError(report)
  return report
}

function outcomeSentence(problems: number, failed: boolean, dryRun: boolean): string {
  const found = problems === 0 ? 'Nothing found that would hold the order up.' : ''
  if (dryRun) return `${found} Dry run: no order was placed.`.trim()
  if (problems === 0) return found
  if (failed) return 'With preflight: fail, no order was placed and nothing was paid for.'
  return 'With preflight: warn, the order is placed all the same.'
}

/** Written at once, so that it is there whatever happens to the order next. */
async function writeSection(
  findings: PreflightFinding[],
  outcome: string,
  warn: (message: string) => void
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  addPreflightSection(core.summary, findings, outcome)
  try {
    await core.summary.write()
  } catch (error) {
    // The summary is a courtesy; what was not written must not end up in the order's section.
    core.summary.emptyBuffer()
    warn(`The pre-flight section of the job summary could not be written: ${String(error)}`)
  }
}
