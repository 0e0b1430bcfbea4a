// Reading one field of a CertCentral answer: absent where the API allows it, the value where it
// fits, a protocol error otherwise.
import { describe, expect, it } from 'vitest'
import { Answer } from '../src/certcentral/answer.js'
import { isStatus } from '../src/certcentral/shapes.js'
import { quoteValue } from '../src/server-text.js'

describe('Answer', () => {
  const answer = new Answer('GET /order/certificate/1', text => text)

  it.each([undefined, null])('takes %s as absent, wherever absence is allowed', absent => {
    expect(answer.optional(absent, 'status', isStatus, 'a status')).toBeUndefined()
    expect(answer.record(absent, 'certificate')).toEqual({})
    expect(answer.list(absent, 'orders')).toEqual([])
  })

  it('passes a fitting object or list on as it is', () => {
    const record = { id: 1 }
    const list = [1]
    expect(answer.record(record, 'certificate')).toBe(record)
    expect(answer.list(list, 'orders')).toBe(list)
    expect(() => answer.list({}, 'orders')).toThrow('orders is an object, not a list')
    expect(() => answer.record('x', 'certificate')).toThrow('certificate is "x", not an object')
  })
})

describe('quoteValue', () => {
  it('shows a boolean as it is', () => {
    expect(quoteValue(true, text => text)).toBe('true')
    expect(quoteValue(false, text => text)).toBe('false')
  })
})
