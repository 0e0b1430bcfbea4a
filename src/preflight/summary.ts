// The pre-flight's section of the job summary: one row per finding. Findings hold server text; the
// door (src/door.ts) escapes every cell.
import type { SummarySection } from '../door.js'
import type { PreflightFinding, Verdict } from './judge.js'

const VERDICTS: Record<Verdict, string> = {
  ok: 'OK',
  problem: 'Problem',
  unchecked: 'Could not check'
}

/** The section; `outcome` is the sentence under it (what the findings did to the order). */
export function preflightSection(
  findings: readonly PreflightFinding[],
  outcome: string
): SummarySection {
  return {
    heading: 'Code signing order: pre-flight',
    table: [['Result', 'Finding'], ...findings.map(f => [VERDICTS[f.verdict], f.message] as const)],
    paragraphs: [outcome],
    fallback: `${outcome} The findings are in the step log.`
  }
}
