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
  // logLevel: the library's warnings go to the process's own stderr, and one of them quotes a key
  // that was typed ("Keys with collection values will be stringified: [ a, 4111… ]").
  const document = parseDocument(text, { schema: 'failsafe', logLevel: 'error' })
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

/**
 * The reason, in words that quote nothing that was typed. For some problems the library's message
 * names the text at fault ("Block scalar header includes extra characters: |4111"); those have
 * words of their own here.
 */
function reason(code: string, message: string): string {
  switch (code) {
    case 'MULTIPLE_DOCS':
      return 'it holds more than one YAML document (---)'
    case 'BAD_DQ_ESCAPE':
      return 'a double-quoted value holds an escape sequence (\\) that YAML does not know'
    case 'BAD_DIRECTIVE':
      return 'it holds a YAML directive (%) that is not supported'
    case 'TAG_RESOLVE_FAILED':
    case 'BAD_COLLECTION_TYPE':
      return 'it holds a YAML tag (!name) that is not supported here'
    case 'BAD_PROP_ORDER':
      return 'an anchor (&name) or a tag (!name) stands before an indicator'
    case 'UNEXPECTED_TOKEN':
      return 'something stands where YAML expects nothing more: a stray bracket or comma, a value after the end of an item, or text after a block scalar indicator (| or >)'
  }
  // The other messages are fixed sentences: the first line, without the position (given above).
  // Anything after a colon is cut too, in case another version of the library quotes text there.
  const line = (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')
  return line.split(': ')[0] ?? line
}
