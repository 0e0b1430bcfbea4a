// The pre-flight, run just before a new order is POSTed (never for an order that is resumed):
// read the facts, judge them, say each finding in the log and the job summary, and stop before
// anything is ordered or paid for when the mode says so: `block` (the default) for a problem that
// makes CertCentral refuse the order or never issue it, `fail` for every problem.
import { readPreflightFacts } from '../certcentral/preflight.js'
import type { Api } from '../certcentral/orders.js'
import type { ParsedInputs, PreflightMode } from '../inputs.js'
import {
  intentOf,
  judge,
  judgeReissue,
  PROBLEM_IMPACT,
  questionsFor,
  reissueQuestions,
  type PreflightFinding
} from './judge.js'
import { preflightSection } from './summary.js'
import type { Voice } from '../door.js'

export interface PreflightReport {
  mode: Exclude<PreflightMode, 'off'>
  findings: PreflightFinding[]
  /** Requests the pre-flight sent: at most four. */
  requests: number
}

/** A finding that stops the order in this mode; what could not be checked never does. */
export function stopsTheOrder(finding: PreflightFinding, mode: PreflightReport['mode']): boolean {
  if (finding.verdict !== 'problem') return false
  return mode === 'fail' || (mode === 'block' && PROBLEM_IMPACT[finding.check] === 'refused')
}

/** A finding that stops the order in the report's mode: the order is not placed. */
export class PreflightFailedError extends Error {
  constructor(readonly report: PreflightReport) {
    const count = report.findings.filter(f => stopsTheOrder(f, report.mode)).length
    const problems = `${count} problem${count === 1 ? '' : 's'}`
    const found =
      report.mode === 'block'
        ? `The pre-flight found ${problems} for which CertCentral would refuse the order or never ` +
          'issue the certificate (see above)'
        : `The pre-flight found ${problems} (see above)`
    super(
      `${found}: no order was placed and nothing was paid for. Fix ` +
        `${count === 1 ? 'it' : 'them'}, or set preflight: warn to order anyway.`
    )
    this.name = 'PreflightFailedError'
  }
}

/**
 * Undefined when there is nothing to check (`preflight: off`, or an order resumed by order-id).
 * Throws PreflightFailedError when a finding stops the order in the mode (stopsTheOrder); a fact
 * that could not be read never does.
 */
export async function preflight(
  api: Api,
  { settings, plan }: ParsedInputs,
  voice: Pick<Voice, 'info' | 'warn' | 'error' | 'scrub' | 'summary'>,
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
  // An answer may echo the request: no secret goes into a finding (the door scrubs every line and
  // the summary again, but a finding is kept in the report too).
  const judged = reissue ? judgeReissue(intent, facts) : judge(intent, facts, today)
  const findings = judged.map(f => ({ ...f, message: voice.scrub(f.message) }))
  const report: PreflightReport = { mode, findings, requests: facts.requests }

  voice.info(
    `Pre-flight: ${facts.requests} question${facts.requests === 1 ? '' : 's'} to CertCentral ` +
      `before ${reissue ? 'reissuing' : 'ordering'} (preflight: off skips them).`
  )
  for (const finding of findings) {
    const line = `Pre-flight: ${finding.message}`
    if (finding.verdict !== 'problem') voice.info(line)
    else if (stopsTheOrder(finding, mode)) voice.error(line, 'Pre-flight')
    else voice.warn(line)
  }
  const problems = findings.filter(f => f.verdict === 'problem').length
  const stopping = findings.filter(f => stopsTheOrder(f, mode)).length
  // Written at once, so that it is there whatever happens to the order next.
  await voice.summary(
    preflightSection(findings, outcomeSentence(mode, problems, stopping, settings.dryRun))
  )
  if (stopping > 0) throw new PreflightFailedError(report)
  return report
}

function outcomeSentence(
  mode: PreflightReport['mode'],
  problems: number,
  stopping: number,
  dryRun: boolean
): string {
  const found = problems === 0 ? 'Nothing found that would hold the order up.' : ''
  if (dryRun) return `${found} Dry run: no order was placed.`.trim()
  if (problems === 0) return found
  if (stopping > 0) {
    return mode === 'block'
      ? 'With preflight: block, no order was placed and nothing was paid for: CertCentral would ' +
          'refuse it or never issue the certificate.'
      : `With preflight: ${mode}, no order was placed and nothing was paid for.`
  }
  return mode === 'block'
    ? 'With preflight: block, the order is placed all the same: it waits until the problems ' +
        'above are resolved.'
    : `With preflight: ${mode}, the order is placed all the same.`
}
