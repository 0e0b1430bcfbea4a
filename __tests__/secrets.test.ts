import { describe, expect, it } from 'vitest'
import { cardNumbersIn, Scrubber } from '../src/secrets.js'

describe('masking card data before parsing', () => {
  const masked = cardNumbersIn

  it('masks a card number however it is typed', () => {
    expect(masked('number: "4111111111111111"\ncvv: 123')).toEqual(['4111111111111111'])
    expect(masked('number: 4111 1111 1111 1111')).toEqual([
      '4111 1111 1111 1111',
      '4111111111111111'
    ])
  })

  it('registers nothing for a text without a card number', () => {
    expect(masked('no card here')).toEqual([])
  })

  it('leaves short numbers alone, so IDs in the log stay readable', () => {
    expect(masked('expiration_month: 12\nexpiration_year: 2027\ncvv: 1234')).toEqual([])
  })
})

describe('scrubbing secrets from text CertCentral sent back', () => {
  it('replaces the key and the card number wherever they stand', () => {
    const scrubber = new Scrubber()
    scrubber.add('key+with.special*chars')
    scrubber.add('4111111111111111')
    expect(scrubber.scrub('key+with.special*chars paid with 4111111111111111')).toBe(
      '*** paid with ***'
    )
  })

  it('replaces every occurrence, even inside a longer run of digits', () => {
    const scrubber = new Scrubber()
    scrubber.add('4111111111111111')
    expect(scrubber.scrub('4111111111111111, again 4111111111111111 and 041111111111111112')).toBe(
      '***, again *** and 0***2'
    )
  })

  it('replaces a CVV only where it stands alone, so IDs stay readable', () => {
    const scrubber = new Scrubber()
    scrubber.add('973', 'number')
    expect(scrubber.scrub('CVV 973 for order 1973001')).toBe('CVV *** for order 1973001')
  })

  it('replaces a card number in any spacing, not only as it was typed', () => {
    const scrubber = new Scrubber()
    scrubber.add('4111 1111-1111 1111', 'card')
    expect(
      scrubber.scrub(
        'a 4111111111111111 b 4111 1111 1111 1111 c 4111-1111-1111-1111 d 4111.1111.1111.1111 e ' +
          '4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1'
      )
    ).toBe('a *** b *** c *** d *** e ***')
  })

  it('leaves a card number alone inside a longer run of digits, and one with a digit missing', () => {
    const scrubber = new Scrubber()
    scrubber.add('4111111111111111', 'card')
    expect(scrubber.scrub('94111111111111111 411111111111111 4111   1111111111111')).toBe(
      '94111111111111111 411111111111111 4111   1111111111111'
    )
  })

  it('ignores secrets that were not given', () => {
    const scrubber = new Scrubber()
    scrubber.add(undefined)
    scrubber.add('')
    scrubber.add('-', 'card')
    expect(scrubber.scrub('nothing to hide')).toBe('nothing to hide')
  })
})
