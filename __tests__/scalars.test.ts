// The scalar readings every input shares: integers (with their range) and booleans, with the exact
// problem a person reads.
import { describe, expect, it } from 'vitest'
import { parseBoolean, parseInteger } from '../src/order/scalars.js'

describe('parseInteger', () => {
  it('accepts the ends of its range', () => {
    expect(parseInteger('1', { min: 1, max: 3 })).toEqual({ ok: true, value: 1 })
    expect(parseInteger('3', { min: 1, max: 3 })).toEqual({ ok: true, value: 3 })
    expect(parseInteger('0', { min: 0 })).toEqual({ ok: true, value: 0 })
  })

  it('refuses values outside its range, naming the range', () => {
    expect(parseInteger('0', { min: 1, max: 3 })).toEqual({
      ok: false,
      message: '0 is out of range; use 1 to 3'
    })
    expect(parseInteger('4', { min: 1, max: 3 })).toEqual({
      ok: false,
      message: '4 is out of range; use 1 to 3'
    })
    expect(parseInteger('0', { min: 1 })).toEqual({
      ok: false,
      message: '0 is out of range; use a whole number of at least 1'
    })
  })

  it.each(['x-1', '-1x', '--1', '-', '1-'])('refuses %j even where negatives are allowed', text => {
    expect(parseInteger(text, { min: -1 })).toEqual({
      ok: false,
      message: `"${text}" is not a whole number; use a whole number of at least -1`
    })
  })

  it('refuses text, naming it and the range', () => {
    expect(parseInteger('12.5', { min: 1, max: 20 })).toEqual({
      ok: false,
      message: '"12.5" is not a whole number; use 1 to 20'
    })
  })

  it('refuses a number past the largest safe integer, naming the limit', () => {
    expect(parseInteger('9007199254740992', { min: 1 })).toEqual({
      ok: false,
      message:
        '9007199254740992 is too large; the largest whole number accepted is 9007199254740991'
    })
  })
})

describe('parseBoolean', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false]
  ] as const)('reads %s as %s', (text, value) => {
    expect(parseBoolean(text)).toEqual({ ok: true, value })
  })

  it.each(['', 'yes', 'tRUE', 'fALSE'])('refuses %j, listing the words accepted', text => {
    expect(parseBoolean(text)).toEqual({
      ok: false,
      message: `"${text}" is not a boolean; use true or false (or True, TRUE, False, FALSE)`
    })
  })
})
