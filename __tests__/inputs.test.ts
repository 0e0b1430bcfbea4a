// Reading the action's inputs: the scalar formats, the settings and their defaults, and resuming.
import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { parseDuration } from '../src/duration.js'
import { daysAfter, formatOrderDate, parseCalendarDate } from '../src/order/dates.js'
import { isCountryCode } from '../src/order/countries.js'
import { isEmailAddress } from '../src/order/email.js'
import { parseBoolean, parseInteger, parseList } from '../src/order/scalars.js'
import {
  BASE,
  NOW,
  matching,
  parse,
  problemsOf,
  readFixture,
  type Inputs
} from './fixtures/run-inputs.js'

async function settingsOf(inputs: Inputs): Promise<unknown> {
  const result = await parse(inputs)
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`)
  return result.inputs.settings
}

describe('lists', () => {
  it('take one item a line', () => {
    expect(parseList('a\nb\r\nc')).toEqual(['a', 'b', 'c'])
  })

  it('take comma-separated items, trimmed', () => {
    expect(parseList('a, b ,c')).toEqual(['a', 'b', 'c'])
  })

  it('drop blank items', () => {
    expect(parseList('a,,\n\n b ,\n')).toEqual(['a', 'b'])
  })

  it('turn verified-contact-ids into numbers and report each bad item', async () => {
    const problems = await problemsOf({ ...BASE, 'verified-contact-ids': '1, x2, 3.5' })
    expect(matching(problems, 'verified-contact-ids', '"x2"')).toHaveLength(1)
    expect(matching(problems, 'verified-contact-ids', '"3.5"')).toHaveLength(1)
  })
})

describe('booleans (YAML 1.2 core schema, as getBooleanInput)', () => {
  it.each(['true', 'True', 'TRUE'])('%s is true', text => {
    expect(parseBoolean(text)).toEqual({ ok: true, value: true })
  })

  it.each(['false', 'False', 'FALSE'])('%s is false', text => {
    expect(parseBoolean(text)).toEqual({ ok: true, value: false })
  })

  it.each(['yes', 'no', '1', '0', 'tRUE', 'on'])('%s is refused', text => {
    expect(parseBoolean(text)).toMatchObject({
      ok: false,
      message: expect.stringContaining(`"${text}"`) as string
    })
  })

  it('name the input when refused', async () => {
    const problems = await problemsOf({ ...BASE, 'skip-approval': 'yes' })
    expect(matching(problems, 'skip-approval', '"yes"', 'true or false')).toHaveLength(1)
  })
})

describe('integers', () => {
  it('are decimal digits, as JSON numbers', () => {
    expect(parseInteger('12345', { min: 1 })).toEqual({ ok: true, value: 12345 })
  })

  it.each(['12.5', '1e3', '0x10', ' 12abc', '+5', '-1', ''])('refuse %j', text => {
    expect(parseInteger(text, { min: 1 })).toMatchObject({ ok: false })
  })

  it('refuse numbers past Number.MAX_SAFE_INTEGER', () => {
    expect(parseInteger('9007199254740991', { min: 1 })).toMatchObject({ ok: true })
    expect(parseInteger('9007199254740992', { min: 1 })).toMatchObject({
      ok: false,
      message: expect.stringContaining('too large') as string
    })
  })

  it('accept a leading minus only where the range allows negatives', () => {
    expect(parseInteger('-1', { min: -1 })).toEqual({ ok: true, value: -1 })
    expect(parseInteger('-2', { min: -1 })).toMatchObject({ ok: false })
  })

  it('enforce the range', () => {
    expect(parseInteger('4', { min: 1, max: 3 })).toMatchObject({
      ok: false,
      message: expect.stringContaining('1 to 3') as string
    })
  })

  it('let server-platform-id be -1 (other)', async () => {
    const result = await parse({ ...BASE, 'server-platform-id': '-1' })
    expect(result.ok).toBe(true)
  })

  it.each(['organization-id', 'container-id', 'renewal-of-order-id', 'auto-renew', 'order-id'])(
    'name %s when it is not a whole number',
    async input => {
      const problems = await problemsOf({ ...BASE, [input]: '12.5' })
      expect(matching(problems, input, '"12.5"', 'whole number')).toHaveLength(1)
    }
  )
})

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['1h0m5s', 3_605_000],
    ['30d', 2_592_000_000],
    ['1d12h', 129_600_000],
    ['600', 600_000]
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms })
  })

  it.each(['', '1.5h', '5w', 'm', '30m1h', '1h2d', '-5s', '1 h'])('%j is refused', text => {
    expect(parseDuration(text)).toMatchObject({ ok: false })
  })
})

describe('dates', () => {
  it('read YYYY-MM-DD and dd MMM YYYY alike', () => {
    expect(parseCalendarDate('2026-06-09')).toEqual(parseCalendarDate('09 Jun 2026'))
  })

  it('format as dd MMM YYYY', () => {
    expect(formatOrderDate({ year: 2026, month: 1, day: 5 })).toBe('05 JAN 2026')
  })

  it.each(['2026-13-01', '31 APR 2026', '2025-02-29'])(
    'refuse %s, not a day of the calendar',
    text => {
      expect(parseCalendarDate(text)).toMatchObject({ ok: false })
    }
  )

  it('accept 29 February in a leap year', () => {
    expect(parseCalendarDate('2028-02-29')).toEqual({
      ok: true,
      value: { year: 2028, month: 2, day: 29 }
    })
  })

  it('count whole UTC days from now', () => {
    const now = new Date('2026-03-01T23:59:00Z')
    expect(daysAfter(now, { year: 2026, month: 3, day: 1 })).toBe(0)
    expect(daysAfter(now, { year: 2026, month: 3, day: 2 })).toBe(1)
  })
})

describe('country codes', () => {
  it.each(['US', 'us', 'Gb', 'DE', 'AX', 'SS'])('%s is a country code', code => {
    expect(isCountryCode(code)).toBe(true)
  })

  it.each(['UK', 'EU', 'XK', 'USA', 'U', '', ' US', 'US\nDE'])('%j is not', code => {
    expect(isCountryCode(code)).toBe(false)
  })

  it('are the 249 codes ISO 3166-1 assigns, and no other pair of letters', () => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
    const pairs = [...letters].flatMap(a => [...letters].map(b => a + b))
    const assigned = pairs.filter(isCountryCode)
    expect(assigned).toHaveLength(249)
    expect(assigned.slice(0, 3)).toEqual(['AD', 'AE', 'AF'])
    expect(assigned.at(-1)).toBe('ZW')
  })
})

describe('email addresses', () => {
  it.each([
    'jane@example.com',
    'j.doe+ci@mail.example.co.uk',
    'a@b.cd',
    'x@xn--80ak6aa92e.xn--p1ai'
  ])('%s is one', address => expect(isEmailAddress(address)).toBe(true))

  it.each([
    ['no local part', '@example.com'],
    ['no @', 'jane.example.com'],
    ['two @', 'jane@doe@example.com'],
    ['no dot in the domain', 'jane@localhost'],
    ['a one-letter top-level domain', 'jane@example.c'],
    ['an empty label', 'jane@example..com'],
    ['a domain starting with a dot', 'jane@.example.com'],
    ['a space before', ' jane@example.com'],
    ['a space after', 'jane@example.com '],
    ['a space in the local part', 'jane doe@example.com'],
    ['a space in the domain', 'jane@exa mple.com'],
    ['a space in the top-level domain', 'jane@example.c m'],
    ['a name pasted with it', 'Jane Doe <jane@example.com>'],
    ['a dot at the end', 'jane@example.com.']
  ])('is not, with %s', (_what, address) => expect(isEmailAddress(address)).toBe(false))
})

/** The defaults action.yml declares, by input, as the runner would pass them. */
function actionYmlDefaults(): Record<string, string> {
  const action = parseYaml(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
    inputs: Record<string, { default?: unknown }>
  }
  return Object.fromEntries(
    Object.entries(action.inputs).flatMap(([name, input]) =>
      input.default === undefined
        ? []
        : [[name, String(input.default as string | boolean | number)]]
    )
  )
}

describe('settings', () => {
  it('are the same whether action.yml passes its defaults or the inputs arrive empty', async () => {
    const defaults = actionYmlDefaults()
    // A default added to action.yml is noticed here, and must be checked below like the others.
    expect(Object.keys(defaults).sort()).toEqual([
      'api-url',
      'dry-run',
      'poll-interval',
      'preflight',
      'product',
      'provisioning-method',
      'renew-within',
      'replace-ended-order',
      'timeout',
      'wait-for'
    ])
    const given = { ...BASE, 'api-key': 'secret' }
    const empty = await parse(given)
    const fromYml = await parse({ ...given, ...defaults })
    expect(empty.ok && fromYml.ok).toBe(true)
    if (!empty.ok || !fromYml.ok) return
    expect(fromYml.inputs.settings).toStrictEqual(empty.inputs.settings)
    expect(fromYml.inputs.plan).toStrictEqual(empty.inputs.plan)
  })

  it('apply action.yml defaults to inputs that arrive empty', async () => {
    expect(await settingsOf({ 'api-key': 'secret', 'organization-id': '1' })).toStrictEqual({
      apiKey: 'secret',
      apiUrl: 'https://www.digicert.com/services/v2',
      product: 'code_signing',
      provisioningMethod: 'keylocker',
      waitFor: 'certificate-id',
      timeoutMs: 5.5 * 3_600_000,
      pollIntervalMs: 10_000,
      renewWithinMs: 30 * 86_400_000,
      replaceEndedOrder: false,
      dryRun: false,
      preflight: 'block'
    })
  })

  it('read every setting that is given', async () => {
    expect(
      await settingsOf({
        ...BASE,
        'api-url': 'https://certcentral.digicert.eu/services/v2',
        product: 'code_signing_ev',
        'provisioning-method': 'client_app',
        'server-platform-id': '23',
        'wait-for': 'issued',
        timeout: '1h30m',
        'poll-interval': '5',
        'renew-within': '60d',
        'replace-ended-order': 'true',
        'dry-run': 'true',
        preflight: 'fail'
      })
    ).toStrictEqual({
      apiKey: 'test-key',
      apiUrl: 'https://certcentral.digicert.eu/services/v2',
      product: 'code_signing_ev',
      provisioningMethod: 'client_app',
      waitFor: 'issued',
      timeoutMs: 5_400_000,
      pollIntervalMs: 5_000,
      renewWithinMs: 60 * 86_400_000,
      replaceEndedOrder: true,
      dryRun: true,
      preflight: 'fail'
    })
  })

  it.each([
    ['0', 0],
    ['90d', 90 * 86_400_000],
    ['720h', 30 * 86_400_000],
    ['1d12h', 36 * 3_600_000]
  ])('read renew-within %j', async (text, ms) => {
    expect(await settingsOf({ ...BASE, 'renew-within': text })).toMatchObject({ renewWithinMs: ms })
  })

  it.each(['91d', '2160h1s', 'a month'])('refuse renew-within %j, naming the limit', async text => {
    expect(await problemsOf({ ...BASE, 'renew-within': text })).toEqual([
      { input: 'renew-within', message: expect.stringMatching(/90d|duration/) as unknown }
    ])
  })

  it('strip trailing slashes from api-url', async () => {
    expect(
      await settingsOf({ ...BASE, 'api-url': 'https://example.com/services/v2//' })
    ).toMatchObject({
      apiUrl: 'https://example.com/services/v2'
    })
  })

  it.each(['http://127.0.0.1:8080', 'http://localhost:3000/services/v2', 'http://[::1]:9000'])(
    'allow plain http for the loopback simulator: %s',
    async url => {
      expect(await settingsOf({ ...BASE, 'api-url': url })).toMatchObject({ apiUrl: url })
    }
  )

  it.each(['http://example.com', 'http://127.0.0.2', 'ftp://example.com', 'not a url'])(
    'refuse api-url %s',
    async url => {
      const problems = await problemsOf({ ...BASE, 'api-url': url })
      expect(matching(problems, 'api-url', url)).toHaveLength(1)
    }
  )

  it('refuse an api-url whose host has a percent sign, which parsers decode to another host', async () => {
    const url = 'https://www.digicert.com%2eattacker.test/services/v2'
    const problems = await problemsOf({ ...BASE, 'api-url': url })
    expect(matching(problems, 'api-url', 'has a percent sign (%) in its host')).toHaveLength(1)
    // A percent sign in the path is the path's business, not the host's.
    expect(
      await settingsOf({ ...BASE, 'api-url': 'https://www.digicert.com/services%2Fv2' })
    ).toMatchObject({ apiUrl: 'https://www.digicert.com/services%2Fv2' })
  })

  it('refuse an api-url with a query string', async () => {
    const problems = await problemsOf({ ...BASE, 'api-url': 'https://example.com/v2?x=1' })
    expect(matching(problems, 'api-url', 'query')).toHaveLength(1)
  })

  it('refuse a timeout of 0', async () => {
    const problems = await problemsOf({ ...BASE, timeout: '0s' })
    expect(matching(problems, 'timeout', 'longer than 0')).toHaveLength(1)
  })

  it('refuse a poll-interval below 1s, the rate limit of the API', async () => {
    const problems = await problemsOf({ ...BASE, 'poll-interval': '0' })
    expect(matching(problems, 'poll-interval', 'below 1s')).toHaveLength(1)
    expect(await problemsOf({ ...BASE, 'poll-interval': '1s' })).toEqual([])
  })

  it('refuse waits longer than Node timers support', async () => {
    const problems = await problemsOf({ ...BASE, 'poll-interval': '597h' })
    expect(matching(problems, 'poll-interval', '596h')).toHaveLength(1)
  })

  it('refuse a malformed duration, naming the input', async () => {
    const problems = await problemsOf({ ...BASE, timeout: 'six hours' })
    expect(matching(problems, 'timeout', '"six hours"', '15m')).toHaveLength(1)
  })

  it('report dry-run that is not a boolean', async () => {
    const problems = await problemsOf({ ...BASE, 'dry-run': 'maybe' })
    expect(matching(problems, 'dry-run', '"maybe"')).toHaveLength(1)
  })

  it('report a pre-flight mode that does not exist, naming the ones that do', async () => {
    const problems = await problemsOf({ ...BASE, preflight: 'strict' })
    expect(matching(problems, 'preflight', '"strict"', 'warn, fail, off')).toHaveLength(1)
  })
})

describe('api-url, each refusal whole', () => {
  const DEFAULT_URL = 'https://www.digicert.com/services/v2'
  const refusal = async (url: string) => problemsOf({ ...BASE, 'api-url': url })

  it.each([
    'https://www.digicert.com/services/v2',
    'https://certcentral.digicert.eu/services/v2',
    'https://example.com',
    'https://example.com/a/b/c',
    "https://example.com/a-b_c.d~e%20f!$&'()*+,;=:g",
    'HTTPS://EXAMPLE.COM/V2',
    'http://127.0.0.1:8080/services/v2',
    'http://localhost/services/v2',
    'http://[::1]:9000/services/v2'
  ])('takes %s as it is', async url => {
    expect(await settingsOf({ ...BASE, 'api-url': url })).toMatchObject({ apiUrl: url })
  })

  it('is the US CertCentral when not given', async () => {
    expect(await settingsOf(BASE)).toMatchObject({ apiUrl: DEFAULT_URL })
  })

  it.each(['https://example.com/ v2', 'https://example.com/\u00a0v2', 'not a url'])(
    'refuses white space in %j, showing the URL to give',
    async url => {
      expect(await refusal(url)).toEqual([
        {
          input: 'api-url',
          message: `${JSON.stringify(url)} holds white space or a control character; give the URL alone, e.g. ${DEFAULT_URL}`
        }
      ])
    }
  )

  it('refuses what is not a URL, showing one that is', async () => {
    expect(await refusal('www.digicert.com')).toEqual([
      {
        input: 'api-url',
        message: `"www.digicert.com" is not a URL; use for example ${DEFAULT_URL}`
      }
    ])
  })

  it.each([
    'http://api.test:8080/services/v2',
    'http://sim.test',
    'http://sim.localhost/services/v2'
  ])('takes plain http for a name reserved for testing (RFC 6761): %s', async url => {
    expect(await settingsOf({ ...BASE, 'api-url': url })).toMatchObject({ apiUrl: url })
  })

  it.each([
    'http://test.example.com',
    'http://localhost.example.com',
    'http://example.test.com',
    'http://www.digicert.com/services/v2',
    'http://127.0.0.2'
  ])(
    'refuses plain http for %s: .test and .localhost count at the end of the name only',
    async url => {
      expect(await refusal(url)).toEqual([
        {
          input: 'api-url',
          message: `"${url}" must start with https:// (http:// is allowed only for loopback and *.test hosts)`
        }
      ])
    }
  )

  it.each([
    // The URL parser reads it as https://host/https://x: the text does not start as it shows.
    'https:host/https://x',
    // Characters the parser keeps in a path, but no plain path holds.
    'https://example.com/a|b',
    'https://example.com/{v2}',
    'https://example.com/v2?',
    'https://user@example.com/v2'
  ])('refuses %s, which is not a plain base URL', async url => {
    expect(await refusal(url)).toEqual([
      {
        input: 'api-url',
        message: `"${url}" must be a plain base URL: scheme, host and path, without query (?), fragment (#), credentials or backslashes, e.g. ${DEFAULT_URL}`
      }
    ])
  })
})

describe('durations of the settings, whole', () => {
  it('time out after 5 h 30 min when timeout is not given: within the 6 h a hosted job may run', async () => {
    const settings = await settingsOf(BASE)
    expect(settings).toMatchObject({ timeoutMs: 19_800_000 })
    expect(settings).toStrictEqual(await settingsOf({ ...BASE, timeout: '5h30m' }))
  })

  it('renew within 30 days when renew-within is not given', async () => {
    const settings = await settingsOf(BASE)
    expect(settings).toMatchObject({ renewWithinMs: 2_592_000_000 })
    expect(settings).toStrictEqual(await settingsOf({ ...BASE, 'renew-within': '30d' }))
  })

  it.each(['renew-within', 'timeout', 'poll-interval'])(
    'refuse a %s that is not a duration with the duration’s own message',
    async input => {
      expect(await problemsOf({ ...BASE, [input]: 'a month' })).toEqual([
        {
          input,
          message:
            '"a month" is not a duration; use for example 90s, 15m, 2h, 1h30m, 30d or plain seconds'
        }
      ])
    }
  )
})

describe('resuming an order (order-id)', () => {
  it('plans to resume, with no body', async () => {
    const result = await parse({ 'api-key': 'k', 'order-id': '112233' })
    expect(result).toMatchObject({
      ok: true,
      inputs: { plan: { kind: 'resume', orderId: 112233 } }
    })
  })

  it('still requires api-key and checks the settings', async () => {
    const problems = await problemsOf({ 'order-id': '112233', 'wait-for': 'forever' })
    expect(problems.map(problem => problem.input).sort()).toEqual(['api-key', 'wait-for'])
  })

  it('neither checks nor builds the order inputs, and notes that they are ignored', async () => {
    const result = await parse({
      'api-key': 'k',
      'order-id': '112233',
      'validity-years': '9',
      organization: 'not: [valid',
      csr: '/nonexistent.csr'
    })
    expect(result).toMatchObject({ ok: true, inputs: { plan: { kind: 'resume' } } })
    expect(result.ok && result.notes).toEqual([
      'order-id is given, so these order inputs are ignored: csr, validity-years, organization'
    ])
  })

  it('adds no note when only settings are given', async () => {
    const result = await parse({ 'api-key': 'k', 'order-id': '1', 'wait-for': 'issued' })
    expect(result.ok && result.notes).toEqual([])
  })

  it('refuses an order-id that is not a positive whole number', async () => {
    const problems = await problemsOf({ 'api-key': 'k', 'order-id': '0' })
    expect(matching(problems, 'order-id', 'at least 1')).toHaveLength(1)
  })
})

describe('start-up cost', () => {
  it('loads the CSR module and yaml only when an input needs them', async () => {
    vi.resetModules()
    const loaded: string[] = []
    vi.doMock('../src/order/csr.js', async importOriginal => {
      loaded.push('csr')
      return importOriginal()
    })
    vi.doMock('yaml', async importOriginal => {
      loaded.push('yaml')
      return importOriginal()
    })
    try {
      const { parseInputs } = await import('../src/inputs.js')
      const run = (inputs: Inputs) => parseInputs(name => inputs[name] ?? '', NOW)

      expect(await run(BASE)).toMatchObject({ ok: true })
      expect(loaded).toEqual([])

      await run({ ...BASE, 'provisioning-method': 'email', csr: readFixture('csr-rsa3072.pem') })
      expect(loaded).toEqual(['csr'])

      await run({ ...BASE, organization: 'id: 12345' })
      expect(loaded).toEqual(['csr', 'yaml'])
    } finally {
      vi.doUnmock('../src/order/csr.js')
      vi.doUnmock('yaml')
      vi.resetModules()
    }
  })
})
