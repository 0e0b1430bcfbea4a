// Durations as people write them in workflow files: `90s`, `15m`, `2h`, `1h30m`, `30d`, or plain seconds.
import { failed, parsed, type Parsed } from './order/parsed.js'

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const

/** Milliseconds. Whole units only: a fraction of a second is below anything the API allows. */
export function parseDuration(text: string): Parsed<number> {
  if (/^\d+$/.test(text)) return checked(Number(text) * UNIT_MS.s, text)
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text)
  if (text === '' || match === null) {
    return failed(
      `"${text}" is not a duration; use for example 90s, 15m, 2h, 1h30m, 30d or plain seconds`
    )
  }
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match
  return checked(
    Number(days) * UNIT_MS.d +
      Number(hours) * UNIT_MS.h +
      Number(minutes) * UNIT_MS.m +
      Number(seconds) * UNIT_MS.s,
    text
  )
}

function checked(ms: number, text: string): Parsed<number> {
  return Number.isSafeInteger(ms) ? parsed(ms) : failed(`"${text}" is too long a duration`)
}

/** A duration for people: `4s`, `1m 05s`, `2h 03m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`
}
