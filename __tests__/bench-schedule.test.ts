// The benchmark's computed request and latency figures (scripts/bench/schedule.ts) hold their budgets.
import { describe, expect, it } from 'vitest'
import {
  REQUESTS_BEFORE_WAIT,
  fixedPoll,
  latencyBudgetMs,
  pollTimes,
  waitFigures
} from '../scripts/bench/schedule.js'

const HOUR = 3_600_000

describe('bench schedule figures', () => {
  it('polls at growing intervals, ending one poll after the wait', () => {
    const times = pollTimes(60_000, 10_000, 0)
    expect(times.slice(0, 3)).toEqual([0, 9_500, 19_903])
    expect(times.at(-2)).toBeGreaterThanOrEqual(60_000)
    expect(times.at(-3)).toBeLessThan(60_000)
  })

  it('stays within the request budgets with the default settings, the pre-flight included', () => {
    expect(REQUESTS_BEFORE_WAIT).toBe(4 + 4)
    expect(waitFigures(HOUR, 'certificate-id').requests).toBe(81)
    expect(waitFigures(HOUR, 'issued').requests).toBe(82)
    expect(waitFigures(HOUR, 'issued').requests).toBeLessThanOrEqual(85)
    expect(waitFigures(6 * HOUR, 'issued').requests).toBeLessThanOrEqual(400)
  })

  it('detects within the poll interval plus 10% of the wait, and never above 75 s', () => {
    for (const wait of [10_000, 60_000, HOUR, 6 * HOUR]) {
      const figures = waitFigures(wait, 'certificate-id')
      expect(figures.latencyWithinBudget).toBe(true)
      expect(figures.worstLatencyMs).toBeLessThanOrEqual(75_000)
    }
    expect(latencyBudgetMs(10_000, 3_600_000)).toBe(75_000)
  })

  it('counts a fixed 10-second poll the same way: about 360 polls an hour', () => {
    expect(waitFigures(HOUR, 'certificate-id', 10_000, fixedPoll).requests).toBe(
      REQUESTS_BEFORE_WAIT + 362
    )
  })
})
