// The real clock behind the Clock seam.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { systemClock } from '../src/clock.js'

describe('systemClock', () => {
  it('tells the time in epoch ms and draws random numbers in [0, 1)', () => {
    const before = Date.now()
    const now = systemClock.now()
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(Date.now())
    const draws = Array.from({ length: 100 }, () => systemClock.random())
    for (const draw of draws) {
      expect(draw).toBeGreaterThanOrEqual(0)
      expect(draw).toBeLessThan(1)
    }
    expect(new Set(draws).size).toBeGreaterThan(1)
  })
})

describe('systemClock.sleep', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('resolves once the time asked for has passed, not before', async () => {
    vi.useFakeTimers()
    let woke = false
    void systemClock.sleep(60_000).then(() => {
      woke = true
    })
    await vi.advanceTimersByTimeAsync(59_999)
    expect(woke).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(woke).toBe(true)
  })
})
