import { describe, expect, it } from 'vitest'
import { MIN_POLL_MS } from '../src/intervals.js'
import { nextPollDelay } from '../src/wait.js'

/** Polls over a wait of `totalMs`, with the jitter at its worst (the shortest delays). */
function pollsWithin(totalMs: number, initialMs: number, random = 1): number {
  let elapsed = 0
  let polls = 0
  while (elapsed < totalMs) {
    elapsed += nextPollDelay(elapsed, initialMs, random)
    polls++
  }
  return polls
}

describe('the polling schedule', () => {
  it('starts at poll-interval, less 5% at least', () => {
    expect(nextPollDelay(0, 10_000, 0)).toBe(9_500)
  })

  it('grows by a tenth of the time already waited', () => {
    expect(nextPollDelay(100_000, 10_000, 0)).toBe(19_000)
    expect(nextPollDelay(300_000, 10_000, 0)).toBe(38_000)
  })

  it('backs off to a cap of 70 seconds', () => {
    expect(nextPollDelay(6 * 3600_000, 10_000, 0)).toBe(66_500)
    // Just below the cap, the growth still shows; just above, the cap holds.
    expect(nextPollDelay(590_000, 10_000, 0)).toBe(65_550)
    expect(nextPollDelay(610_000, 10_000, 0)).toBe(66_500)
  })

  it('keeps a poll-interval longer than the cap', () => {
    expect(nextPollDelay(0, 300_000, 0)).toBe(285_000)
    expect(nextPollDelay(3600_000, 300_000, 0)).toBe(285_000)
  })

  it('shortens each delay by 5% to 10% at random', () => {
    expect(nextPollDelay(0, 10_000, 1)).toBe(9_000)
    expect(nextPollDelay(0, 10_000, 0.5)).toBe(9_250)
  })

  it('never polls more than once a second', () => {
    expect(nextPollDelay(0, 1_000, 1)).toBe(MIN_POLL_MS)
  })

  it('notices a certificate within poll-interval plus 10% of the wait, with 5% to spare for the poll itself', () => {
    for (const elapsed of [0, 5_000, 60_000, 600_000, 3600_000, 6 * 3600_000]) {
      const budget = Math.min(75_000, 10_000 + 0.1 * elapsed)
      expect(nextPollDelay(elapsed, 10_000, 0)).toBeLessThanOrEqual(0.95 * budget)
    }
  })

  it('costs at most 80 requests for an hour and 400 for six hours with the defaults', () => {
    // Besides the polls: four pre-flight GETs, the lookup, the POST and the download.
    expect(pollsWithin(3600_000, 10_000)).toBeLessThanOrEqual(80 - 7)
    expect(pollsWithin(6 * 3600_000, 10_000)).toBeLessThanOrEqual(400 - 7)
  })
})
