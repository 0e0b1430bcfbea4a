/** A problem or a warning, tied to the input it came from. `message` says what would fix it. */
export interface Finding {
  input: string
  message: string
}

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
