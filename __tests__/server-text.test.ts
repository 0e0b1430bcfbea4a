// The one place server text passes through on its way to the log, an output or the summary, and
// the shapes its values must have.
import { describe, expect, it } from 'vitest'
import type { Clock } from '../src/clock.js'
import { Answer } from '../src/certcentral/answer.js'
import { ProtocolError } from '../src/certcentral/errors.js'
import { Pace, RateLimitError } from '../src/certcentral/pace.js'
import {
  isAlternativeOrderId,
  isDate,
  isDateTime,
  isInitCode,
  isPositiveId,
  isStatus,
  isThumbprint,
  toPositiveId
} from '../src/certcentral/shapes.js'
import { pemBlocks, readLeaf } from '../src/certificate.js'
import { commandSafe, forSummary, oneLine, quoted, quoteValue } from '../src/server-text.js'
import { parse, BASE, matching, problemsOf } from './fixtures/run-inputs.js'

describe('oneLine', () => {
  it('escapes line breaks and other controls visibly', () => {
    expect(oneLine('a\nb\rc\td\u0000e\u001bf\u007fg\u0085h\u2028i\u202ej\ufeffk\\l')).toBe(
      'a\\nb\\rc\\td\\x00e\\x1bf\\x7fg\\x85h\\u2028i\\u202ej\\ufeffk\\\\l'
    )
    // The bidirectional marks, not only the overrides and isolates.
    expect(oneLine('a\u200eb\u200fc\u061cd')).toBe('a\\u200eb\\u200fc\\u061cd')
  })

  it('keeps letters of every script and surrogate pairs, and escapes a lone surrogate', () => {
    expect(oneLine('Zürich 東京 😀 \ud800 \udc00')).toBe('Zürich 東京 😀 \\ud800 \\udc00')
  })

  it('breaks up workflow commands: a leading :: and ##[ anywhere', () => {
    expect(oneLine('::set-output name=a::b')).toBe('\\x3a:set-output name=a::b')
    expect(oneLine(' \t::stop-commands::x')).toBe(' \\t::stop-commands::x')
    expect(oneLine('x ##[set-output name=a]b ##[error]c')).toBe(
      'x ##\\x5bset-output name=a]b ##\\x5berror]c'
    )
  })

  it('cuts after max characters, whole escapes only, and says how long the text was', () => {
    expect(oneLine('abcdef', 4)).toBe('abcd… [cut; 6 characters in all]')
    // `\n` would take the 4th and 5th characters: it is left out whole.
    expect(oneLine('abc\ndef', 4)).toBe('abc… [cut; 7 characters in all]')
    expect(oneLine('abcd', 4)).toBe('abcd')
  })

  it('reads no further into the text than max characters, however long it is', () => {
    // A text that counts the characters taken from it: cutting 20 million characters to 1,000
    // must not walk the other 19,999,000 (a line of server text may be a whole 1 MiB body).
    class CountedText extends String {
      taken = 0;
      override *[Symbol.iterator](): StringIterator<string> {
        for (const character of this.valueOf()) {
          this.taken++
          yield character
        }
      }
    }
    const text = new CountedText('\n'.repeat(20_000_000))
    expect(oneLine(text as unknown as string, 1_000)).toHaveLength(
      1_000 + ' … [cut; 20000000 characters in all]'.length - 1
    )
    expect(text.taken).toBeLessThanOrEqual(501)
  })
})

describe('commandSafe', () => {
  it('breaks up a command at the start of any line of a message', () => {
    expect(commandSafe('ok\n::error::x\n  ::warning::y\nz ::debug::w')).toBe(
      'ok\n\\x3a:error::x\n  \\x3a:warning::y\nz ::debug::w'
    )
  })
})

describe('forSummary', () => {
  it('leaves no markup: every character but letters, digits and a few inert ones is a reference', () => {
    const escaped = forSummary('</td></tr></table><h1>x</h1> [a](https://e.example) `c` *b* | é')
    expect(escaped).not.toMatch(/[<>[\]`*|:/]/)
    expect(escaped).toContain('&#60;&#47;table&#62;&#60;h1&#62;x')
    expect(escaped).toContain('&#233;')
  })

  it('keeps _ inside a word (ship_token) but not where it could start emphasis', () => {
    expect(forSummary('ship_token _em_')).toBe('ship_token &#95;em&#95;')
  })

  it('turns lines into <br> and cuts each', () => {
    expect(forSummary('a\nbcdef', 3)).toBe('a<br>bcd&#8230; &#91;cut&#59; 5 characters in all&#93;')
  })
})

describe('quoteValue', () => {
  const scrub = (text: string) => text.replaceAll('secret', '***')

  it('quotes text scrubbed and escaped, and names other kinds', () => {
    expect(quoteValue('a secret\n', scrub)).toBe('"a ***\\n"')
    expect(quoteValue(1.5, scrub)).toBe('1.5')
    expect(quoteValue(null, scrub)).toBe('null')
    expect(quoteValue([1], scrub)).toBe('a list')
    expect(quoteValue({ a: 1 }, scrub)).toBe('an object')
  })

  it('does not recurse into what it quotes', () => {
    let deep: unknown = []
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(quoteValue(deep, scrub)).toBe('a list')
  })
})

describe('shapes', () => {
  it('statuses are letters and _, in either case', () => {
    expect(isStatus('needs_approval')).toBe(true)
    expect(isStatus('NEEDS_APPROVAL')).toBe(true)
    for (const bad of ['', 'Pending!', 'pending\n', 'pend ing', 'x'.repeat(65), 1]) {
      expect(isStatus(bad)).toBe(false)
    }
  })

  it('IDs are positive safe integers; digit strings are read as numbers', () => {
    expect(isPositiveId(1)).toBe(true)
    for (const bad of [0, -5, 1.5, 2 ** 60, Number.NaN, '1']) expect(isPositiveId(bad)).toBe(false)
    expect(toPositiveId('123')).toBe(123)
    for (const bad of ['0', '-5', '01', '1e3', '12abc', '99999999999999999']) {
      expect(toPositiveId(bad)).toBeUndefined()
    }
  })

  it('dates are days that exist', () => {
    expect(isDate('2026-02-28')).toBe(true)
    for (const bad of ['2026-02-30', '2026-2-28', '2026-02-28T00:00:00Z', '28 Feb 2026']) {
      expect(isDate(bad)).toBe(false)
    }
  })

  it('date-times are ISO 8601 as CertCentral writes them', () => {
    for (const good of [
      '2026-01-02T03:04:05+00:00',
      '2026-01-02 03:04:05',
      '2026-01-02T03:04:05.123Z'
    ]) {
      expect(isDateTime(good)).toBe(true)
    }
    for (const bad of ['2026-01-02', '2026-01-32T03:04:05Z', '2026-01-02T03:04:05+00:00\n']) {
      expect(isDateTime(bad)).toBe(false)
    }
  })

  it('thumbprints, alternative order IDs and init codes', () => {
    expect(isThumbprint('a'.repeat(40))).toBe(true)
    expect(isThumbprint('g'.repeat(40))).toBe(false)
    expect(isAlternativeOrderId('gha0123abc')).toBe(true)
    expect(isAlternativeOrderId('release-2026.1_a')).toBe(true)
    expect(isAlternativeOrderId('a b')).toBe(false)
    expect(isInitCode('HW-77 88')).toBe(true)
    for (const bad of [' HW', 'HW\n', 'x'.repeat(257), '']) expect(isInitCode(bad)).toBe(false)
  })
})

describe('Answer', () => {
  const answer = new Answer('GET /order/certificate/1', text => text.replaceAll('key', '***'))

  it('takes absent values as absent and fitting ones as they are', () => {
    expect(answer.id(undefined, 'id')).toBeUndefined()
    expect(answer.id(null, 'id')).toBeUndefined()
    expect(answer.id('7', 'id')).toBe(7)
    expect(answer.status('issued', 'status')).toBe('issued')
    // Statuses come in lower case whatever case CertCentral used; 0 in an ID field is no ID.
    expect(answer.status('ISSUED', 'status')).toBe('issued')
    expect(answer.status('Waiting_Pickup', 'status')).toBe('waiting_pickup')
    expect(answer.id(0, 'renewal_of_order_id')).toBeUndefined()
    expect(answer.id('0', 'renewal_of_order_id')).toBeUndefined()
    expect(() => answer.requiredId(0, 'id')).toThrow('id is 0, not a positive')
    expect(() => answer.id('00', 'id')).toThrow('id is "00", not a positive')
  })

  it('makes a misfit a protocol error naming the request, the field and the shape', () => {
    expect(() => answer.status('key\n::x', 'status')).toThrow(ProtocolError)
    expect(() => answer.status('key\n::x', 'status')).toThrow(
      `CertCentral's answer to GET /order/certificate/1 does not fit the API: status is "***\\n::x", not a status (letters and _).`
    )
    expect(() => answer.requiredId(undefined, 'id')).toThrow('id is nothing, not a positive')
    expect(() => answer.record([], 'certificate')).toThrow('certificate is a list, not an object')
  })

  it('does not quote a secret field', () => {
    expect(() =>
      answer.optional('HW\n1', 'hardware_init_code', isInitCode, 'printable', true)
    ).toThrow('hardware_init_code is a value not shown here')
  })
})

describe('PEM blocks', () => {
  it('finds blocks in one pass; a BEGIN without END is dropped, a second BEGIN restarts', () => {
    const block = '-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----'
    expect(
      pemBlocks(`x${block}y-----BEGIN CERTIFICATE-----\n${block}\n-----BEGIN CERTIFICATE-----`)
    ).toEqual([block, block])
  })

  it('refuses 1 MiB of BEGIN lines without END', () => {
    const text = '-----BEGIN CERTIFICATE-----\n'.repeat(37_000)
    const started = performance.now()
    expect(() => readLeaf(text)).toThrow(/no PEM certificate/)
    // Not a speed test (npm run bench is): a guard against the quadratic scan of a lazy regex,
    // which takes minutes on this text; one pass takes milliseconds, even on a loaded machine.
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it('refuses a block that is not a certificate', () => {
    expect(() =>
      readLeaf('-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----')
    ).toThrow(/not a certificate/)
  })
})

describe('the pause after a 429', () => {
  function fakeClock(): Clock & { slept: number[] } {
    let now = 0
    const slept: number[] = []
    return {
      slept,
      now: () => now,
      random: () => 0.5,
      sleep: ms => {
        slept.push(ms)
        now += ms
        return Promise.resolve()
      }
    }
  }

  it('holds every later request for 5 s, or as long as Retry-After asks', async () => {
    const clock = fakeClock()
    const pace = new Pace(clock, 60_000)
    await pace.ready()
    expect(clock.slept).toEqual([])
    pace.rateLimited(undefined)
    await pace.ready()
    expect(clock.slept).toEqual([5_000])
    pace.rateLimited(12_000)
    await pace.ready()
    await pace.ready()
    expect(clock.slept).toEqual([5_000, 12_000])
  })

  it('stops when the pause would end after the deadline', async () => {
    const pace = new Pace(fakeClock(), 4_000)
    expect(() => pace.rateLimited(undefined)).toThrow(RateLimitError)
    await expect(pace.ready()).rejects.toThrow(/pauses 5s after a 429.*after this step's timeout/)
  })
})

describe('api-url', () => {
  it.each([
    'https://example.com/services/v2?',
    'https://example.com/services/v2#',
    'https://example.com/services /v2',
    ' https://example.com/services/v2',
    'https://example.com/services/v2\n',
    'https://example.com\\services/v2',
    'https://user@example.com/services/v2',
    'https://example.com/services/v2;x?y'
  ])('refuses %j', async url => {
    const problems = await problemsOf({ ...BASE, 'api-url': url })
    expect(matching(problems, 'api-url', '')).toHaveLength(1)
  })

  it.each(['https://certcentral.digicert.eu/services/v2', 'http://127.0.0.1:8080/a-b/c_d/v2/'])(
    'takes %s',
    async url => {
      const result = await parse({ ...BASE, 'api-url': url })
      expect(result.ok).toBe(true)
    }
  )
})

describe('quoted', () => {
  it('quotes server text on one line, escaped, with a quote inside unable to close it', () => {
    expect(quoted('a "b"\\\n::c\u202e')).toBe('"a \\"b\\"\\\\\\n::c\\u202e"')
  })

  it('keeps 80 characters whole and cuts a longer value after 80, marking the cut', () => {
    const eighty = 'x'.repeat(80)
    expect(quoted(eighty)).toBe(`"${eighty}"`)
    expect(quoted(`${eighty}yz`)).toBe(`"${eighty}… [cut; 82 characters in all]"`)
  })
})
