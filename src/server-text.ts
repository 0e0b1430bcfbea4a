// Text that came from the server (CertCentral, or whatever answers in its place) on its way to the
// log, an annotation, an output or the job summary. The server is untrusted: a line the runner reads
// as a workflow command (`::set-output …`, `::stop-commands::…`, `##[…]` anywhere in a line) would
// be obeyed, and HTML in the summary would be rendered. Secrets are the caller's to scrub first: a
// cut made before scrubbing could leave part of a secret that no mask matches.

/** About this many characters of one server message are shown; the rest is cut. */
export const MESSAGE_LIMIT = 1_000

/**
 * Escaped so that server text stays on one line and shows what it holds: C0 and C1 controls (CR
 * and LF among them), DEL, Unicode line and paragraph separators, bidirectional marks and overrides, the byte
 * order mark, lone surrogates, and the backslash (so that an escape can be told from the text).
 */
// With the u flag a surrogate pair is one code point: only a lone surrogate is in the range.
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\\\ud800-\udfff]/u

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' }

function escapeCharacter(character: string): string {
  const named = NAMED[character]
  if (named) return named
  const code = character.charCodeAt(0)
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * The runner obeys `::command::` at the start of a line (after any white space) and the legacy
 * `##[command]` anywhere in a line. Both are broken up visibly; the action's own commands are
 * issued by @actions/core, never through text.
 */
export function neutralizeCommands(line: string): string {
  // The runner trims white space by .NET's rules first: U+0085 and U+001C-U+001F count, to be safe.
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  return line.replaceAll('##[', '##\\x5b').replace(/^([\s\u001c-\u001f\u0085]*)::/u, '$1\\x3a:')
}

// The same characters but the backslash: text on its way out of the door may already hold escapes.
const UNSAFE_AT_EXIT =
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/gu

/**
 * Every line of a message (split at LF), each unable to act as a workflow command, with control and
 * bidirectional characters (CR among them) shown as visible escapes. Not cut: the door's last pass.
 */
export function commandSafe(message: string): string {
  return message
    .replace(UNSAFE_AT_EXIT, escapeCharacter)
    .split('\n')
    .map(neutralizeCommands)
    .join('\n')
}

/**
 * Server text as one line of at most about `max` characters: unsafe characters escaped, workflow
 * commands broken up, and the cut marked. Linear in `max`, whatever the length of `text`.
 */
export function oneLine(text: string, max = MESSAGE_LIMIT): string {
  let line = ''
  let cut = false
  // A string iterates by code point: a surrogate pair stays whole, a lone surrogate is escaped.
  for (const character of text) {
    const piece = UNSAFE.test(character) ? escapeCharacter(character) : character
    if (line.length + piece.length > max) {
      cut = true
      break
    }
    line += piece
  }
  const safe = neutralizeCommands(line)
  return cut ? `${safe}… [cut; ${text.length} characters in all]` : safe
}

/**
 * Server text quoted in a sentence: `"…"`, escaped (a quote inside as `\"`, so that the quotation
 * cannot be closed early), at most about 80 characters.
 */
export function quoted(value: string): string {
  return `"${oneLine(value, 80).replaceAll('"', '\\"')}"`
}

/** A server value quoted in a message: `"…"` for text, its kind for anything else. */
export function quoteValue(value: unknown, scrub: (text: string) => string, max = 100): string {
  if (typeof value === 'string') return `"${oneLine(scrub(value), max)}"`
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === null) return 'null'
  if (value === undefined) return 'nothing'
  return Array.isArray(value) ? 'a list' : 'an object'
}

/**
 * Text for the job summary (Markdown with HTML): one line per line of `text`, each cut to `max`
 * characters, with every character but ASCII letters, digits, spaces, `,`, `-`, `(`, `)` and `_`
 * between letters or digits (inert in Markdown: `ship_token`) written as an HTML character
 * reference. Nothing in it can end a table, start an element, a link, an autolink or emphasis,
 * and it renders as the text it was. Lines are joined with `<br>`.
 */
export function forSummary(text: string, max = 200): string {
  return text
    .split('\n')
    .map(line => oneLine(line, max).replace(/[^A-Za-z0-9 ,()-]/gu, summaryCharacter))
    .join('<br>')
}

function summaryCharacter(character: string, offset: number, line: string): string {
  const between = (i: number) => /[A-Za-z0-9]/.test(line[i] ?? '')
  if (character === '_' && between(offset - 1) && between(offset + 1)) return character
  return `&#${character.codePointAt(0)};`
}
