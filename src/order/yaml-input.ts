// Object inputs are YAML (JSON is YAML too). `yaml` is imported only when one is given, so runs
// without object inputs start faster.
import { failed, parsed, type Parsed } from './parsed.js'

/**
 * Failsafe schema: every scalar stays the string that was typed (zip 02134, telephone +1 555...),
 * and the field table decides what becomes a number or a boolean.
 * Problems name the line but never quote the text: credit-card is a secret.
 */
export async function parseYaml(text: string): Promise<Parsed<unknown>> {
  const { parseDocument } = await import('yaml')
  const document = parseDocument(text, { schema: 'failsafe' })
  const [error] = document.errors
  if (error !== undefined) {
    const position = error.linePos?.[0]
    const at = position === undefined ? '' : ` at line ${position.line}, column ${position.col}`
    return failed(`is not valid YAML or JSON${at}: ${reason(error.code, error.message)}`)
  }
  try {
    return parsed(document.toJS())
  } catch (error) {
    // toJS throws for an alias whose anchor is not set before it, and refuses alias expansions
    // past maxAliasCount ("billion laughs").
    if (error instanceof Error && error.message.startsWith('Unresolved alias')) {
      return failed('uses an alias (*name) whose anchor (&name) is not set before it')
    }
    return failed('expands too many YAML aliases (*name); write the values out')
  }
}

function reason(code: string, message: string): string {
  if (code === 'MULTIPLE_DOCS') return 'it holds more than one YAML document (---)'
  // The message's first line, without the position (given above) or the source excerpt after it.
  return (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')
}
