// The pre-flight, run just before a new order is POSTed (never for an order that is resumed):
// read the facts, judge them, say each finding in the log and the job summary, and, with
// `preflight: fail`, stop before anything is ordered or paid for.
import { readPreflightFacts } from '../certcentral/preflight.js'
import type { Api } from '../certcentral/orders.js'
import type { ParsedInputs, PreflightMode } from '../inputs.js'
import { intentOf, judge, questionsFor, type PreflightFinding } from './judge.js'
import { preflightSection } from './summary.js'
import type { Voice } from '../door.js'

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
  voice: Pick<Voice, 'info' | 'warn' | 'error' | 'scrub' | 'summary'>,
  today: Date = new Date(api.retry.clock.now())
): Promise<PreflightReport | undefined> {
  if (settings.preflight === 'off' || plan.kind !== 'order') return undefined
  const mode = settings.preflight
  const intent = intentOf(settings.product, plan.body)
  const facts = await readPreflightFacts(api, questionsFor(intent))
  // An answer may echo the request: no secret goes into a finding (the door scrubs every line and
  // the summary again, but a finding is kept in the report too).
  const findings = judge(intent, facts, today).map(f => ({ ...f, message: voice.scrub(f.message) }))
  const report: PreflightReport = { mode, findings, requests: facts.requests }

  voice.info(
    `Pre-flight: ${facts.requests} question${facts.requests === 1 ? '' : 's'} to CertCentral ` +
      'before ordering (preflight: off skips them).'
  )
  for (const finding of findings) {
    const line = `Pre-flight: ${finding.message}`
    if (finding.verdict !== 'problem') voice.info(line)
    else if (mode === 'fail') voice.error(line, 'Pre-flight')
    else voice.warn(line)
  }
  const problems = findings.filter(f => f.verdict === 'problem').length
  const failed = mode === 'fail' && problems > 0
  // Written at once, so that it is there whatever happens to the order next.
  await voice.summary(
    preflightSection(findings, outcomeSentence(problems, failed, settings.dryRun))
  )
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
