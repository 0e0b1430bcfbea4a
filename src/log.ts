// The action's log lines. Every line goes through here rather than core.info, so that none can
// act as a workflow command, whatever server text it quotes (see server-text.ts).
import * as core from '@actions/core'
import { commandSafe } from './server-text.js'

export function info(message: string): void {
  core.info(commandSafe(message))
}
