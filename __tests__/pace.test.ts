// The one gate every request of a run passes: after a 429 nothing is sent until CertCentral's rate
// limit allows it, and a pause that would outlast the step's timeout stops the run at once.
import { describe, expect, it } from 'vitest'
import { RATE_LIMITS } from '../src/certcentral/errors.js'
import { Pace, RateLimitError } from '../src/certcentral/pace.js'
import { fakeClock, FAKE_START } from './support/fake-clock.js'

const STOPPED =
  'Stopped without sending more; raise timeout or poll-interval, or run fewer jobs with this API key at once.'

function refusal(why: string, seconds: number): string {
  return (
    `CertCentral's rate limit (${RATE_LIMITS}) was reached, and ${why}: the next request could ` +
    `be sent in ${seconds}s, after this step's timeout. ${STOPPED}`
  )
}

function thrown(act: () => void): unknown {
  try {
    act()
  } catch (error) {
    return error
  }
  throw new Error('nothing was thrown')
}

describe('Pace', () => {
  it('lets requests go at once until a 429', async () => {
    const clock = fakeClock()
    const pace = new Pace(clock, FAKE_START + 60_000)
    await pace.ready()
    await pace.ready()
    expect(clock.slept).toEqual([])
  })

  it('holds the next request 5 s after a 429 without Retry-After, or with a shorter one', async () => {
    for (const retryAfterMs of [undefined, 0, 1_000, 5_000]) {
      const clock = fakeClock()
      const pace = new Pace(clock, FAKE_START + 60_000)
      pace.rateLimited(retryAfterMs)
      await pace.ready()
      expect(clock.slept).toEqual([5_000])
    }
  })

  it('holds it as long as a longer Retry-After asks, and only what is left of the pause', async () => {
    const clock = fakeClock()
    const pace = new Pace(clock, FAKE_START + 60_000)
    pace.rateLimited(12_000)
    clock.advance(2_000)
    await pace.ready()
    await pace.ready()
    expect(clock.slept).toEqual([10_000])
  })

  it('keeps the longer pause when a shorter one comes during it', async () => {
    const clock = fakeClock()
    const pace = new Pace(clock, FAKE_START + 60_000)
    pace.rateLimited(20_000)
    clock.advance(1_000)
    pace.rateLimited(undefined)
    await pace.ready()
    expect(clock.slept).toEqual([19_000])
  })

  it('lets a pause end exactly at the deadline', async () => {
    const clock = fakeClock()
    const pace = new Pace(clock, FAKE_START + 5_000)
    pace.rateLimited(undefined)
    await pace.ready()
    expect(clock.slept).toEqual([5_000])
  })

  it('stops when the 5 s pause would end after the deadline, saying so', async () => {
    const clock = fakeClock()
    const pace = new Pace(clock, FAKE_START + 4_999)
    const error = thrown(() => pace.rateLimited(undefined))
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({
      name: 'RateLimitError',
      message: refusal('the action pauses 5s after a 429', 5)
    })
    // Nothing is sent later either: every request asks first, and is refused without a wait.
    clock.advance(1_500)
    await expect(pace.ready()).rejects.toThrow(refusal('the action pauses 5s after a 429', 4))
    expect(clock.slept).toEqual([])
  })

  it('names its own 5 s pause when a Retry-After asks for no more', () => {
    for (const retryAfterMs of [undefined, 4_000, 5_000]) {
      const pace = new Pace(fakeClock(), FAKE_START + 4_000)
      expect(() => pace.rateLimited(retryAfterMs)).toThrow(
        refusal('the action pauses 5s after a 429', 5)
      )
    }
  })

  it('names the Retry-After when it set the pause, in whole seconds rounded up', () => {
    const pace = new Pace(fakeClock(), FAKE_START + 5_000)
    expect(() => pace.rateLimited(5_001)).toThrow(
      refusal('CertCentral asked for a pause of 6s (Retry-After)', 6)
    )
  })

  it('keeps the reason of the pause that lasts longest', () => {
    const clock = fakeClock()
    const pace = new Pace(clock, FAKE_START + 5_500)
    const retryAfter = refusal('CertCentral asked for a pause of 6s (Retry-After)', 6)
    expect(() => pace.rateLimited(6_000)).toThrow(retryAfter)
    // A second 429 a second later would pause until the same moment: the reason stays.
    clock.advance(1_000)
    expect(() => pace.rateLimited(undefined)).toThrow(
      refusal('CertCentral asked for a pause of 6s (Retry-After)', 5)
    )
  })
})
