// Reads action inputs as typed values. Whatever is wrong with an input becomes a problem in
// Findings and the value is left out, so one run reports every problem at once.
import { coerceList, coerceObject, type ObjectSpec } from './fields.js'
import type { Findings } from './findings.js'
import { parseBoolean, parseInteger, parseList, type IntegerRange } from './scalars.js'
import { failed, parsed, type Parsed } from './parsed.js'
import { parseYaml } from './yaml-input.js'

/** Reads one input by its action.yml name, trimmed, '' when not given (as core.getInput does). */
export type InputReader = (name: string) => string

const MAX_INPUT_BYTES = 64 * 1024

// Tab, CR and LF are allowed only in inputs read as lines (PEM, YAML and lists: see `text`); in
// any other input a control character is a paste accident (or a header injection). Which inputs
// span lines follows from how they are read, so no list of their names has to be kept in step.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
// eslint-disable-next-line no-control-regex -- as above, less tab, LF and CR
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/

export class InputSource {
  private readonly checked = new Map<string, string>()

  constructor(
    private readonly read: InputReader,
    private readonly findings: Findings
  ) {}

  /** Whether the user gave the input, even if its text is refused. */
  given(name: string): boolean {
    return this.read(name) !== ''
  }

  /**
   * The input's text; '' when not given, or when refused (once, as a problem). `lines`: the input
   * is read as lines (PEM, YAML, a list), so tab, CR and LF are allowed in it.
   */
  text(name: string, lines: 'lines' | 'one line' = 'one line'): string {
    let text = this.checked.get(name)
    if (text === undefined) {
      text = this.check(name, this.read(name), lines === 'lines')
      this.checked.set(name, text)
    }
    return text
  }

  private check(name: string, text: string, lines: boolean): string {
    const bytes = Buffer.byteLength(text)
    if (bytes > MAX_INPUT_BYTES) {
      this.findings.problem(name, `is ${bytes} bytes; the limit is ${MAX_INPUT_BYTES} (64 KiB)`)
      return ''
    }
    const control = (lines ? CONTROL_BUT_LINES : CONTROL).exec(text)
    if (control !== null) {
      const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
      this.findings.problem(
        name,
        `contains the control character U+${code} at position ${control.index + 1}; remove it`
      )
      return ''
    }
    return text
  }

  /** The input's value; `fallback` when not given; undefined when wrong (recorded). */
  value<T>(name: string, parse: (text: string) => Parsed<T>, fallback?: T): T | undefined {
    const text = this.text(name)
    if (text === '') return fallback
    const result = parse(text)
    if (!result.ok) this.findings.problem(name, result.message)
    return result.ok ? result.value : undefined
  }

  integer(name: string, range: IntegerRange): number | undefined {
    return this.value(name, text => parseInteger(text, range))
  }

  boolean(name: string): boolean | undefined {
    return this.value(name, parseBoolean)
  }

  /** One of `allowed`; `fallback` (action.yml's default) when not given. */
  choice<T extends string>(name: string, allowed: readonly T[], fallback?: T): T | undefined {
    const parse = (text: string): Parsed<T> => {
      const value = allowed.find(item => item === text)
      return value === undefined
        ? failed(`"${text}" is not allowed; use one of ${allowed.join(', ')}`)
        : parsed(value)
    }
    return this.value(name, parse, fallback)
  }

  /** A list input whose items are each checked by `parse`; every bad item is reported. */
  list<T>(name: string, parse: (item: string) => Parsed<T>): T[] | undefined {
    const items = parseList(this.text(name, 'lines'))
    if (items.length === 0) return undefined
    const values: T[] = []
    for (const item of items) {
      const result = parse(item)
      if (result.ok) values.push(result.value)
      else this.findings.problem(name, `item ${result.message}`)
    }
    return values.length === items.length ? values : undefined
  }

  async object<T>(name: string, spec: ObjectSpec<T>): Promise<T | undefined> {
    return this.structured(name, (raw, problems) => coerceObject(raw, spec, problems))
  }

  /** One mapping, or a list of them; kept in the shape given (the page types custom_fields as an
   * object, while DigiCert's clients send a list of them). */
  async objectOrList<T>(name: string, spec: ObjectSpec<T>): Promise<T | T[] | undefined> {
    return this.structured(name, (raw, problems) =>
      Array.isArray(raw) ? coerceList(raw, spec, problems) : coerceObject(raw, spec, problems)
    )
  }

  private async structured<T>(
    name: string,
    coerce: (raw: unknown, problems: string[]) => T | undefined
  ): Promise<T | undefined> {
    const text = this.text(name, 'lines')
    if (text === '') return undefined
    const yaml = await parseYaml(text)
    if (!yaml.ok) {
      this.findings.problem(name, yaml.message)
      return undefined
    }
    const problems: string[] = []
    const value = coerce(yaml.value, problems)
    for (const message of problems) this.findings.problem(name, message)
    return value
  }
}
