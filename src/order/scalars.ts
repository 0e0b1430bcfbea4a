// The action's raw input strings -> lists, booleans and integers, by the same rules everywhere.
import { failed, parsed, type Parsed } from './parsed.js'

/** One item a line or comma-separated; blank items are dropped so a trailing comma is harmless. */
export function parseList(text: string): string[] {
  return text
    .split(/[\r\n,]/)
    .map(item => item.trim())
    .filter(item => item !== '')
}

// Exactly what @actions/core getBooleanInput accepts (YAML 1.2 core schema), so an input behaves
// the same here as in any other action.
const TRUE_WORDS = ['true', 'True', 'TRUE']
const FALSE_WORDS = ['false', 'False', 'FALSE']

export function parseBoolean(text: string): Parsed<boolean> {
  if (TRUE_WORDS.includes(text)) return parsed(true)
  if (FALSE_WORDS.includes(text)) return parsed(false)
  return failed(`"${text}" is not a boolean; use true or false (or True, TRUE, False, FALSE)`)
}

export interface IntegerRange {
  min: number
  max?: number
}

/**
 * Decimal digits only: '12.5', '1e3' and '0x10' would all be numbers to Number(), but none is an ID
 * or a count a person means. A leading '-' is accepted only when the range allows negatives.
 */
export function parseInteger(text: string, range: IntegerRange): Parsed<number> {
  const pattern = range.min < 0 ? /^-?\d+$/ : /^\d+$/
  if (!pattern.test(text)) return failed(`"${text}" is not a whole number; ${rangeHint(range)}`)
  const value = Number(text)
  if (!Number.isSafeInteger(value)) {
    return failed(
      `${text} is too large; the largest whole number accepted is ${Number.MAX_SAFE_INTEGER}`
    )
  }
  if (value < range.min || (range.max !== undefined && value > range.max)) {
    return failed(`${text} is out of range; ${rangeHint(range)}`)
  }
  return parsed(value)
}

function rangeHint({ min, max }: IntegerRange): string {
  return max === undefined ? `use a whole number of at least ${min}` : `use ${min} to ${max}`
}
