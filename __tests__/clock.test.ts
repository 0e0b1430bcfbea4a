// The real clock behind the Clock seam.
import { describe, expect, it } from 'vitest'
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
