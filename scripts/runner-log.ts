// What the Actions UI shows of a step's output: workflow commands (`::warning::`, `::add-mask::`,
// ...) are read by the runner, not printed as they are. The demo shows the log through this, so
// that a first look matches what a workflow run would show.

export interface RunnerLogOptions {
  /** Show `::debug::` lines, as the runner does when step debug logging is enabled. */
  debug?: boolean
}

const COMMAND = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/

/** Labels the runner puts before annotation messages in the log. */
const ANNOTATIONS: Readonly<Record<string, string>> = {
  error: 'Error',
  warning: 'Warning',
  notice: 'Notice'
}

/**
 * The log as the runner shows it: masked values replaced by `***` (here in every line, not only
 * in those after the mask command), mask commands gone, annotations labelled, groups as their title,
 * debug lines only when asked for.
 */
export function runnerLog(raw: string, options: RunnerLogOptions = {}): string {
  const masks: string[] = []
  const shown: string[] = []
  for (const line of raw.split(/\r?\n/)) {
    const command = COMMAND.exec(line)
    if (!command) {
      shown.push(line)
      continue
    }
    const [, name = '', , data = ''] = command
    const message = unescapeData(data)
    if (name === 'add-mask') {
      if (message !== '') masks.push(message)
    } else if (name === 'debug') {
      if (options.debug) shown.push(`##[debug]${message}`)
    } else if (ANNOTATIONS[name] !== undefined) {
      shown.push(`${ANNOTATIONS[name]}: ${message}`)
    } else if (name === 'group') {
      shown.push(`▾ ${message}`)
    } else if (name !== 'endgroup') {
      shown.push(line)
    }
  }
  // Longest first, so a secret that contains another is masked whole.
  const ordered = [...new Set(masks)].sort((a, b) => b.length - a.length)
  return shown
    .map(line => ordered.reduce((text, mask) => text.replaceAll(mask, '***'), line))
    .join('\n')
}

/** Command data escapes %, CR and LF (toCommandValue/escapeData in @actions/core). */
function unescapeData(data: string): string {
  return data.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%')
}
