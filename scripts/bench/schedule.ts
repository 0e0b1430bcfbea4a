// Request economy and detection latency computed from the schedule the action really uses
// (nextPollDelay in src/wait.ts), for waits too long to run: no network, no clock.
import { nextPollDelay } from '../../src/wait.js'

/** The pre-flight's GETs before a new order, at most (src/certcentral/preflight.ts). */
export const PREFLIGHT_REQUESTS = 4
/**
 * Requests made before the wait: the pre-flight, the alternative-order-ID lookup, the order POST
 * and the two lookups after it that settle a race with another run (the one that sees the order
 * listed, and the one once the 5 s settle window has passed: src/chain/race.ts).
 */
export const REQUESTS_BEFORE_WAIT = PREFLIGHT_REQUESTS + 4

export type BenchGoal = 'certificate-id' | 'issued'

export interface WaitFigures {
  /** The wait, in ms: the certificate appears just after the first poll at or after it. */
  waitMs: number
  goal: BenchGoal
  /** Pre-flight + lookup + POST + two lookups + polls (+ the download for `issued`), with the shortest delays (random = 1). */
  requests: number
  /** The longest time from appearance to detection over the whole wait, with the longest delays (random = 0). */
  worstLatencyMs: number
  /** Time already waited when the certificate appeared, for the worst latency. */
  waitedAtWorstMs: number
  /** The latency budget at that point: poll interval + 10% of the time waited, at most 75 s. */
  latencyBudgetMs: number
  /** Whether every appearance time up to the wait is detected within its own budget. */
  latencyWithinBudget: boolean
}

/** At most 75 s, and at most the initial poll interval plus 10% of the time already waited. */
export const LATENCY_CEILING_MS = 75_000
export const LATENCY_GROWTH = 0.1

export function latencyBudgetMs(initialMs: number, waitedMs: number): number {
  // Whole milliseconds, as the schedule rounds its delays to them.
  return Math.min(LATENCY_CEILING_MS, Math.ceil(initialMs + LATENCY_GROWTH * waitedMs))
}

/** Poll times (ms since the wait began) up to and including the first poll after the one at or after `waitMs`. */
export function pollTimes(
  waitMs: number,
  initialMs: number,
  random: number,
  delay: (elapsedMs: number, initialMs: number, random: number) => number = nextPollDelay
): number[] {
  const times = [0]
  // The certificate appears just after the first poll at or after the wait; the next poll sees it.
  while ((times.at(-2) ?? -1) < waitMs) {
    const last = times.at(-1) ?? 0
    times.push(last + delay(last, initialMs, random))
  }
  return times
}

/** Worst-case figures for one wait with the action's schedule (or another, for comparison). */
export function waitFigures(
  waitMs: number,
  goal: BenchGoal,
  initialMs = 10_000,
  delay: (elapsedMs: number, initialMs: number, random: number) => number = nextPollDelay
): WaitFigures {
  const mostPolls = pollTimes(waitMs, initialMs, 1, delay).length
  const slowest = pollTimes(waitMs, initialMs, 0, delay)
  let worst = { latency: 0, waited: 0 }
  let within = true
  // A certificate that appears just after poll i is seen by poll i + 1.
  for (let i = 0; i + 1 < slowest.length; i++) {
    const waited = slowest[i] ?? 0
    const latency = (slowest[i + 1] ?? 0) - waited
    if (latency > latencyBudgetMs(initialMs, waited)) within = false
    if (latency >= worst.latency) worst = { latency, waited }
  }
  return {
    waitMs,
    goal,
    requests: REQUESTS_BEFORE_WAIT + mostPolls + (goal === 'issued' ? 1 : 0),
    worstLatencyMs: worst.latency,
    waitedAtWorstMs: worst.waited,
    latencyBudgetMs: latencyBudgetMs(initialMs, worst.waited),
    latencyWithinBudget: within
  }
}

/** A simple CertCentral client for comparison: a poll every 10 seconds, whatever the wait. */
export const fixedPoll = (_elapsedMs: number, initialMs: number): number => initialMs
