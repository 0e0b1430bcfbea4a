import type { Finding } from '../inputs.js'

/** Collects every problem, warning and note of a run, so they are reported together. */
export class Findings {
  readonly problems: Finding[] = []
  readonly warnings: Finding[] = []
  readonly notes: string[] = []

  problem(input: string, message: string): void {
    this.problems.push({ input, message })
  }

  warning(input: string, message: string): void {
    this.warnings.push({ input, message })
  }
}
