// Server text quoted into the action's own messages (preflight findings, unknown statuses): on one
// line, short, and unable to pass for anything but a quotation.
import { describe, expect, it } from 'vitest'
import { oneLine, quoted } from '../src/certcentral/server-text.js'

describe('quoted', () => {
  it('is a JSON string: quotes, backslashes and controls escaped', () => {
    expect(quoted('a "b"\\\n::c')).toBe('"a \\"b\\"\\\\\\n::c"')
  })

  it('keeps 80 characters whole and cuts a longer value after 80, marking the cut', () => {
    const eighty = 'x'.repeat(80)
    expect(quoted(eighty)).toBe(`"${eighty}"`)
    expect(quoted(`${eighty}yz`)).toBe(`"${eighty}…"`)
  })
})

describe('oneLine', () => {
  it('turns every run of control characters and line separators into one space', () => {
    expect(oneLine('a\r\nb\tc\u0000\u001fd\u007f\u009fe\u2028f\u2029g')).toBe('a b c d e f g')
  })

  it('trims what is left at either end', () => {
    expect(oneLine('\n  not found \r\n')).toBe('not found')
  })

  it('keeps 200 characters whole by default and cuts after them, marking the cut', () => {
    const full = 'y'.repeat(200)
    expect(oneLine(full)).toBe(full)
    expect(oneLine(`${full}z`)).toBe(`${full}…`)
  })

  it('cuts after max characters when given, counted after flattening', () => {
    expect(oneLine('ab\n\ncd', 5)).toBe('ab cd')
    expect(oneLine('ab\n\ncde', 5)).toBe('ab cd…')
  })
})
