// The pre-flight's section of the job summary: one row per finding. Findings hold server text
// (quoted, but not HTML-safe), so every cell is escaped.
import type { PreflightFinding, Verdict } from './judge.js'

const VERDICTS: Record<Verdict, string> = {
  ok: 'OK',
  problem: 'Problem',
  unchecked: 'Could not check'
}

export interface SummaryLike {
  addHeading(text: string, level?: number | string): SummaryLike
  addRaw(text: string, addEOL?: boolean): SummaryLike
}

/** Adds the section; `outcome` is the sentence under it (what the findings did to the order). */
export function addPreflightSection(
  summary: SummaryLike,
  findings: readonly PreflightFinding[],
  outcome: string
): void {
  const rows = findings
    .map(f => `<tr><td>${VERDICTS[f.verdict]}</td><td>${escapeHtml(f.message)}</td></tr>`)
    .join('')
  summary
    .addHeading('Code signing order: pre-flight', 2)
    .addRaw(
      `<table><tr><th>Result</th><th>Finding</th></tr>${rows}</table><p>${escapeHtml(outcome)}</p>`,
      true
    )
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}
