// The runner's side of the one door (src/door.ts): the only module that imports @actions/core.
// Nothing here makes text safe; the door does that before it calls any of these.
import * as core from '@actions/core'

/** What the step can hand the runner. Tests use a recording double of it. */
export interface Runner {
  /** An input as the workflow gave it, trimmed; '' when not given. */
  input(name: string): string
  info(line: string): void
  /** An annotation; `title` names it in the run's page. */
  warning(text: string, title?: string): void
  error(text: string, title?: string): void
  /** Shown only with step debug logging. */
  debug(text: string): void
  output(name: string, value: string): void
  /** The runner replaces the value with *** in every later line, and drops outputs holding it. */
  mask(secret: string): void
  /** Appends HTML to the job summary; nothing when the runner gives no summary file. */
  summary(html: string): Promise<void>
  /** The step fails (exit code 1); the reason was said as an error before. */
  fail(): void
}

/** The one real runner: @actions/core, with the job summary file from `env`. */
export function coreRunner(env: NodeJS.ProcessEnv): Runner {
  return {
    input: name => core.getInput(name),
    info: line => core.info(line),
    warning: (text, title) => core.warning(text, title ? { title } : {}),
    error: (text, title) => core.error(text, title ? { title } : {}),
    debug: text => core.debug(text),
    output: (name, value) => core.setOutput(name, value),
    mask: secret => core.setSecret(secret),
    summary: async html => {
      if (!env.GITHUB_STEP_SUMMARY) return
      try {
        await core.summary.addRaw(html).write()
      } finally {
        // What was not written must not end up in a later section.
        core.summary.emptyBuffer()
      }
    },
    fail: () => {
      process.exitCode = core.ExitCode.Failure
    }
  }
}
