// Real waits: the action, with its default poll-interval and timeout, waits for an order that an
// administrator approves after a given time. The approval comes just after the first poll at or
// after that time, and the action runs with the worst-case jitter (worst-jitter.mjs), so the
// latency measured is the worst the schedule allows, plus the last request(s) and the exit.
import { resolve } from 'node:path'
import { API_KEY, orderInputs } from '../../__tests__/support/action-inputs.js'
import { DIST_ENTRY } from '../../__tests__/support/run-action.js'
import { startSimulator, type RecordedRequest } from '../../__tests__/support/simulator.js'
import { runNode } from './processes.js'
import { latencyBudgetMs, type BenchGoal } from './schedule.js'

export const WORST_JITTER = resolve(import.meta.dirname, 'worst-jitter.mjs')
export const DEFAULT_POLL_MS = 10_000

export interface MeasuredWait {
  waitMs: number
  goal: BenchGoal
  requests: number
  /** From the first order-info GET to the approval. */
  waitedMs: number
  /** From the approval to the action's exit. */
  latencyMs: number
  latencyBudgetMs: number
}

const ORDER_INFO = /\/order\/certificate\/\d+$/

export async function measureWait(
  waitMs: number,
  goal: BenchGoal,
  runId: string,
  /** The Node binary; NODE by default. */
  node?: string
): Promise<MeasuredWait> {
  const sim = await startSimulator({
    apiKey: API_KEY,
    // With `issued`, approval issues the certificate at once; otherwise it only gets its ID.
    scenario:
      goal === 'issued'
        ? { approval: 'needs-approval', pollsUntilIssued: 0 }
        : { approval: 'needs-approval', issue: false }
  })
  try {
    // The defaults (poll-interval 10s, timeout 5h30m) instead of the tests' fast polling.
    const inputs = orderInputs(sim.url, { 'wait-for': goal })
    delete inputs['poll-interval']
    delete inputs.timeout
    let firstPoll: RecordedRequest | undefined
    let approvedAt: number | undefined
    // Requests are recorded and answered in the same tick, so an approval made here comes after
    // the answer to the poll that triggered it.
    const watcher = setInterval(() => {
      const polls = sim.requests.filter(r => r.method === 'GET' && ORDER_INFO.test(r.path))
      firstPoll ??= polls[0]
      const order = sim.orders[0]
      if (approvedAt !== undefined || !firstPoll || !order) return
      const start = firstPoll.at
      if (polls.some(p => p.at >= start + waitMs)) {
        sim.approve(order.id)
        approvedAt = Date.now()
      }
    }, 10)
    const run = await runNode({
      ...(node !== undefined && { node }),
      args: ['--import', WORST_JITTER, DIST_ENTRY],
      inputs,
      env: { GITHUB_RUN_ID: runId },
      killAfterMs: waitMs + 10 * 60_000
    }).finally(() => clearInterval(watcher))
    const expected = goal === 'issued' ? 'certificate-thumbprint' : 'certificate-id'
    if (run.code !== 0 || !run.outputs[expected] || approvedAt === undefined || !firstPoll) {
      throw new Error(
        `the ${goal} wait of ${waitMs} ms failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`
      )
    }
    const waitedMs = approvedAt - firstPoll.at
    return {
      waitMs,
      goal,
      requests: sim.requests.length,
      waitedMs,
      latencyMs: run.exitedAt - approvedAt,
      latencyBudgetMs: latencyBudgetMs(DEFAULT_POLL_MS, waitedMs)
    }
  } finally {
    await sim.close()
  }
}
