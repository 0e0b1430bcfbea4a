// custom-expiration-date's reading and writing: the two formats accepted, the days refused, and the
// page's `dd MMM YYYY` sent.
import { describe, expect, it } from 'vitest'
import { daysAfter, formatOrderDate, parseCalendarDate } from '../src/order/dates.js'

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']

function notADate(text: string): string {
  return `"${text}" is not a date; use YYYY-MM-DD or dd MMM YYYY, e.g. 2026-06-09 or 09 JUN 2026`
}

describe('parseCalendarDate', () => {
  it('reads YYYY-MM-DD', () => {
    expect(parseCalendarDate('2026-06-09')).toEqual({
      ok: true,
      value: { year: 2026, month: 6, day: 9 }
    })
    expect(parseCalendarDate('2027-12-31')).toEqual({
      ok: true,
      value: { year: 2027, month: 12, day: 31 }
    })
  })

  it('reads dd MMM YYYY with a one- or two-digit day, in any case', () => {
    expect(parseCalendarDate('09 JUN 2026')).toEqual({
      ok: true,
      value: { year: 2026, month: 6, day: 9 }
    })
    expect(parseCalendarDate('9 jun 2026')).toEqual({
      ok: true,
      value: { year: 2026, month: 6, day: 9 }
    })
    expect(parseCalendarDate('28 Feb 2027')).toEqual({
      ok: true,
      value: { year: 2027, month: 2, day: 28 }
    })
  })

  it.each(MONTHS.map((name, index) => [name, index + 1] as const))(
    'reads the month %s as %i',
    (name, month) => {
      expect(parseCalendarDate(`01 ${name} 2026`)).toEqual({
        ok: true,
        value: { year: 2026, month, day: 1 }
      })
    }
  )

  it.each([
    'x2026-06-09',
    '2026-06-09x',
    '2026-6-09',
    '2026-06-9',
    '26-06-09',
    'x09 JUN 2026',
    '109 JUN 2026',
    '09 JUN 20261',
    '09 JUN 26',
    '09 JUNE 2026',
    '09 J 2026',
    '09 XYZ 2026',
    'tomorrow',
    ''
  ])('refuses %j as not a date, naming both formats', text => {
    expect(parseCalendarDate(text)).toEqual({ ok: false, message: notADate(text) })
  })

  it.each([
    '2026-04-31',
    '2026-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-06-00',
    '31 APR 2026',
    '29 FEB 2026',
    // Date.UTC reads the years 0-99 as 1900-1999: the round trip refuses them.
    '0099-01-01'
  ])('refuses %j as not a day of the calendar', text => {
    expect(parseCalendarDate(text)).toEqual({
      ok: false,
      message: `"${text}" is not a day of the calendar`
    })
  })

  it('accepts 29 February in a leap year', () => {
    expect(parseCalendarDate('2028-02-29')).toEqual({
      ok: true,
      value: { year: 2028, month: 2, day: 29 }
    })
  })
})

describe('formatOrderDate', () => {
  it.each(MONTHS.map((name, index) => [index + 1, name] as const))(
    'writes month %i as %s, with a two-digit day',
    (month, name) => {
      expect(formatOrderDate({ year: 2026, month, day: 9 })).toBe(`09 ${name} 2026`)
    }
  )

  it('keeps a two-digit day as it is', () => {
    expect(formatOrderDate({ year: 2027, month: 12, day: 31 })).toBe('31 DEC 2027')
  })

  it('writes no month name for a month outside 1-12', () => {
    expect(formatOrderDate({ year: 2026, month: 13, day: 1 })).toBe('01  2026')
  })
})

describe('daysAfter', () => {
  const now = new Date('2026-03-01T23:59:00Z')

  it('counts whole UTC days from the day of now', () => {
    expect(daysAfter(now, { year: 2026, month: 3, day: 1 })).toBe(0)
    expect(daysAfter(now, { year: 2026, month: 3, day: 2 })).toBe(1)
    expect(daysAfter(now, { year: 2026, month: 2, day: 28 })).toBe(-1)
    expect(daysAfter(now, { year: 2027, month: 3, day: 1 })).toBe(365)
  })
})
