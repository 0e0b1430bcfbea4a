// The shapes of CertCentral's values, at their edges: only a string of the documented form fits,
// never something that merely prints as one (a list holding it, say), and nothing around it.
import { describe, expect, it } from 'vitest'
import {
  isAlternativeOrderId,
  isDate,
  isDateTime,
  isInitCode,
  isSerial,
  isStatus,
  isThumbprint,
  toPositiveId
} from '../src/certcentral/shapes.js'

const HEX40 = '0123456789abcdefABCDEF0123456789abcdef01'

describe('a value that only prints as a fitting one', () => {
  it.each([
    ['a status', isStatus, 'pending'],
    ['a date-time', isDateTime, '2026-01-02T03:04:05Z'],
    ['a thumbprint', isThumbprint, HEX40],
    ['an alternative order ID', isAlternativeOrderId, 'gha0123abc'],
    ['a serial', isSerial, '0A1B'],
    ['an init code', isInitCode, 'HW-77']
  ])('is not %s', (_, fits: (value: unknown) => boolean, text) => {
    expect(fits(text)).toBe(true)
    expect(fits([text])).toBe(false)
    expect(fits({ toString: () => text })).toBe(false)
  })

  it('is not an ID: a list holding digits is not read as a number', () => {
    expect(toPositiveId(['5'])).toBeUndefined()
    expect(toPositiveId([5])).toBeUndefined()
    expect(toPositiveId(5)).toBe(5)
  })

  it('is not a date-time or a date, whatever its kind', () => {
    expect(isDateTime(20260102)).toBe(false)
    expect(isDateTime(undefined)).toBe(false)
    expect(isDate(['2026-02-28'])).toBe(false)
  })
})

describe('dates', () => {
  it('are yyyy-MM-dd only, not the longer years JavaScript also reads', () => {
    // new Date('+010000-01T00:00:00Z') is a valid date whose ISO text begins '+010000-01'.
    expect(isDate('+010000-01')).toBe(false)
    expect(isDate('9999-12-31')).toBe(true)
    expect(isDate('0001-01-01')).toBe(true)
  })
})

describe('date-times', () => {
  it.each([
    '2026-01-02T23:59:59Z',
    '2026-01-02 00:00:00',
    '2026-01-02T03:04:05.123456789+05:30',
    '2026-01-02T03:04:05-0800',
    '2026-01-02T13:04:05.1'
  ])('take %s', value => {
    expect(isDateTime(value)).toBe(true)
  })

  it.each([
    'x2026-01-02T03:04:05Z',
    '2026-01-02T03:04:05Zx',
    '2026-01-02T03:04:05+00:00 ',
    '2026-01-02T24:00:00Z',
    '2026-01-02T03:60:05Z',
    '2026-01-02T03:04:60Z',
    '2026-01-02T03:04:05.1234567890Z',
    '2026-01-02T03:04:05.Z',
    '2026-01-02T03:04:05+5:00',
    '2026-01-02X03:04:05Z',
    '2026-02-30T03:04:05Z'
  ])('refuse %j', value => {
    expect(isDateTime(value)).toBe(false)
  })
})

describe('thumbprints and serials', () => {
  it('thumbprints are exactly 40 hex digits', () => {
    expect(isThumbprint(HEX40)).toBe(true)
    for (const bad of [HEX40.slice(1), `${HEX40}0`, `x${HEX40.slice(1)}`, `${HEX40.slice(1)}x`]) {
      expect(isThumbprint(bad)).toBe(false)
    }
  })

  it('serials are 1 to 64 hex digits', () => {
    expect(isSerial('0')).toBe(true)
    expect(isSerial('f'.repeat(64))).toBe(true)
    for (const bad of ['', 'f'.repeat(65), 'x0A', '0Ax', '0A\n', '-0A']) {
      expect(isSerial(bad)).toBe(false)
    }
  })
})

describe('alternative order IDs and init codes', () => {
  it('alternative order IDs are 1 to 64 letters, digits, ., _ or -', () => {
    expect(isAlternativeOrderId('a')).toBe(true)
    expect(isAlternativeOrderId('a'.repeat(64))).toBe(true)
    for (const bad of ['', 'a'.repeat(65), 'a/b', 'a\n', 'ä']) {
      expect(isAlternativeOrderId(bad)).toBe(false)
    }
  })

  it('init codes are one printable character, or up to 256 with inner spaces only', () => {
    for (const good of ['H', 'H7', 'A b', '~'.repeat(256)]) expect(isInitCode(good)).toBe(true)
    for (const bad of ['', ' ', 'A ', '~'.repeat(257), 'A\tb', 'é']) {
      expect(isInitCode(bad)).toBe(false)
    }
  })
})
