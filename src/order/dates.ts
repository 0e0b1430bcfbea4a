// custom-expiration-date: read as YYYY-MM-DD or dd MMM YYYY, sent as the `dd MMM YYYY` that
// order_validity.custom_expiration_date takes (the deprecated root field used yyyy-MM-dd).
import { failed, parsed, type Parsed } from './parsed.js'

export interface CalendarDate {
  year: number
  /** 1-12 */
  month: number
  day: number
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const DAY_MS = 86_400_000

export function parseCalendarDate(text: string): Parsed<CalendarDate> {
  const date = fromIso(text) ?? fromOrderFormat(text)
  if (date === undefined) {
    return failed(
      `"${text}" is not a date; use YYYY-MM-DD or dd MMM YYYY, e.g. 2026-06-09 or 09 JUN 2026`
    )
  }
  if (!existsInCalendar(date)) return failed(`"${text}" is not a day of the calendar`)
  return parsed(date)
}

function fromIso(text: string): CalendarDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (match === null) return undefined
  const [, year = '', month = '', day = ''] = match
  return { year: Number(year), month: Number(month), day: Number(day) }
}

function fromOrderFormat(text: string): CalendarDate | undefined {
  const match = /^(\d{1,2}) ([A-Za-z]{3}) (\d{4})$/.exec(text)
  if (match === null) return undefined
  const [, day = '', monthName = '', year = ''] = match
  const month = MONTHS.indexOf(monthName.toUpperCase()) + 1
  return month === 0 ? undefined : { year: Number(year), month, day: Number(day) }
}

// Date.UTC rolls 31 April over to 1 May; a date that survives the round trip is a real one.
function existsInCalendar({ year, month, day }: CalendarDate): boolean {
  const rolled = new Date(Date.UTC(year, month - 1, day))
  return (
    rolled.getUTCFullYear() === year &&
    rolled.getUTCMonth() === month - 1 &&
    rolled.getUTCDate() === day
  )
}

/** `09 JUN 2025`: two-digit day, upper-case English month, as the page's example. */
export function formatOrderDate({ year, month, day }: CalendarDate): string {
  return `${String(day).padStart(2, '0')} ${MONTHS[month - 1] ?? ''} ${year}`
}

/** Whole UTC days from `now`'s day to `date`: 0 today, 1 tomorrow, negative in the past. */
export function daysAfter(now: Date, date: CalendarDate): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return Math.round((Date.UTC(date.year, date.month - 1, date.day) - today) / DAY_MS)
}
