// One door to the runner: every line, annotation, output, mask and job summary of the run leaves
// through here, and is made safe on its way out, whoever wrote it. Secrets are scrubbed first (before
// anything is cut), then no line can act as a workflow command (`::` at its start, `##[` anywhere),
// control and bidirectional characters are shown as visible escapes, and summary text is escaped
// for HTML and Markdown. The runner itself is behind the Runner port (src/runner.ts).
import type { Runner } from './runner.js'
import { MIN_MASKED_CHARS, Scrubber, type SecretKind } from './secrets.js'
import { commandSafe, forSummary } from './server-text.js'

/** One section of the job summary, as text: the door renders and escapes it. */
export interface SummarySection {
  heading: string
  /** A two-column table: the first row is its header. */
  table?: readonly (readonly [string, string])[]
  paragraphs?: readonly string[]
  /** Shown instead when the section would be too large for GitHub to keep. */
  fallback?: string
}

/**
 * GitHub refuses a step summary over 1 MiB, and then the whole summary is lost. A section stays
 * under 64 KiB whatever the server sends: each table cell (a pre-flight finding is one) is cut to
 * 1,000 characters, each paragraph to 3,000, and a section larger than 60,000 bytes all the same is
 * replaced by its fallback.
 */
const SUMMARY_BYTES = 60_000
const CELL_CHARS = 1_000
const PARAGRAPH_CHARS = 3_000

export class Door {
  private readonly scrubber = new Scrubber()

  constructor(private readonly runner: Runner) {}

  /** An input as the workflow gave it. */
  input(name: string): string {
    return this.runner.input(name)
  }

  /**
   * Registers a secret: scrubbed from all text from now on, and masked by the runner when it is at
   * least MIN_MASKED_CHARS long. False when it is too short to mask (then it must not be output).
   */
  secret(value: string | undefined, kind: SecretKind = 'text'): boolean {
    if (!value) return false
    this.scrubber.add(value, kind)
    // A short number (the CVV) is never masked: the runner would mask it inside every number.
    if (kind === 'number' || value.length < MIN_MASKED_CHARS) return false
    this.runner.mask(value)
    return true
  }

  /** Secrets removed: for whoever cuts server text before it reaches the door. */
  readonly scrub = (text: string): string => this.scrubber.scrub(text)

  private safe(text: string): string {
    return commandSafe(this.scrub(text))
  }

  readonly info = (text: string): void => this.runner.info(this.safe(text))
  readonly warn = (text: string, title?: string): void =>
    this.runner.warning(this.safe(text), title && this.safe(title))
  readonly error = (text: string, title?: string): void =>
    this.runner.error(this.safe(text), title && this.safe(title))
  readonly debug = (text: string): void => this.runner.debug(this.safe(text))

  /** The step fails with this reason, as one error annotation. */
  fail(reason: string): void {
    this.error(reason)
    this.runner.fail()
  }

  /** An output: one line, scrubbed; a backslash stays one (a Windows path is an output). */
  output(name: string, value: string | number): void {
    this.runner.output(name, oneLineOut(this.scrub(String(value))))
  }

  /**
   * An output that is itself a secret (the hardware init code): masked first, and not output at all
   * when it is too short to mask, with a warning that says where to read it instead.
   */
  secretOutput(name: string, value: string, whereToRead: string): void {
    if (!this.secret(value)) {
      this.warn(
        `The ${name} is too short to be masked in the log (under ${MIN_MASKED_CHARS} characters), so ` +
          `it is not output: read it in CertCentral (${whereToRead}).`
      )
      return
    }
    this.runner.output(name, oneLineOut(value))
  }

  /** Appends a section to the job summary; a summary that cannot be written only warns. */
  async summary(section: SummarySection): Promise<void> {
    let html = this.render(section)
    if (Buffer.byteLength(html) > SUMMARY_BYTES) {
      html = this.render({ heading: section.heading, paragraphs: [section.fallback ?? ''] })
    }
    try {
      await this.runner.summary(html)
    } catch (error) {
      this.warn(`The job summary could not be written: ${String(error)}`)
    }
  }

  private render({ heading, table, paragraphs = [] }: SummarySection): string {
    const text = (value: string, max: number) =>
      // `code` spans of the action's own text become <code>; inside, everything stays escaped.
      forSummary(this.scrub(value), max).replace(/&#96;((?:(?!&#96;).)+)&#96;/g, '<code>$1</code>')
    let html = `<h2>${text(heading, CELL_CHARS)}</h2>\n`
    if (table && table.length > 0) {
      const [head, ...rows] = table
      const cells = (row: readonly [string, string], tag: string) =>
        `<tr>${row.map(cell => `<${tag}>${text(cell, CELL_CHARS)}</${tag}>`).join('')}</tr>`
      html += `<table>${head ? cells(head, 'th') : ''}${rows.map(r => cells(r, 'td')).join('')}</table>\n`
    }
    for (const paragraph of paragraphs) html += `<p>${text(paragraph, PARAGRAPH_CHARS)}</p>\n`
    return html
  }
}

/** Text made safe as a line is, with its line breaks shown as `\n`: one line. */
function oneLineOut(text: string): string {
  return commandSafe(text).replaceAll('\n', '\\n')
}

/** The door as the run's modules speak through it. */
export type Voice = Pick<Door, 'info' | 'warn' | 'error' | 'debug' | 'scrub' | 'summary'>
