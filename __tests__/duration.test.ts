// Durations as people write them in workflow files (poll-interval, timeout, renew-within): whole
// days, hours, minutes and seconds in that order, each at most once, or plain seconds.
import { describe, expect, it } from 'vitest'
import { formatDuration, parseDuration } from '../src/duration.js'

const NOT_A_DURATION =
  'is not a duration; use for example 90s, 15m, 2h, 1h30m, 30d or plain seconds'

describe('parseDuration', () => {
  it.each([
    ['30d', 30 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['15m', 15 * 60_000],
    ['90s', 90_000],
    ['10d11h12m13s', 10 * 86_400_000 + 11 * 3_600_000 + 12 * 60_000 + 13_000],
    ['1d30s', 86_430_000],
    ['2h05m', 7_500_000],
    ['600', 600_000],
    ['0', 0]
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms })
  })

  it.each([
    '',
    '1h2d', // units out of order
    '5m5m', // a unit twice
    'x5m', // anything before
    '5mx', // anything after
    '1h30', // a number without its unit after a unit
    '1.5h',
    '-5s',
    ' 5s',
    '5 s',
    'd',
    '5w'
  ])('refuses %j, quoting it and showing the forms it takes', text => {
    expect(parseDuration(text)).toEqual({ ok: false, message: `"${text}" ${NOT_A_DURATION}` })
  })

  it('refuses a duration too long to count in milliseconds, quoting it', () => {
    expect(parseDuration('999999999999d')).toEqual({
      ok: false,
      message: '"999999999999d" is too long a duration'
    })
    expect(parseDuration('99999999999999')).toEqual({
      ok: false,
      message: '"99999999999999" is too long a duration'
    })
    // The longest that still counts: 2^53 - 1 ms is about 285,616 years.
    expect(parseDuration('104249991d')).toEqual({ ok: true, value: 104_249_991 * 86_400_000 })
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [4_400, '4s'],
    [59_499, '59s'],
    [59_500, '1m 00s'],
    [65_000, '1m 05s'],
    [3_599_000, '59m 59s'],
    [3_600_000, '1h 00m'],
    [2 * 3_600_000 + 5 * 60_000 + 59_000, '2h 05m'],
    [30 * 3_600_000, '30h 00m']
  ])('shows %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})
