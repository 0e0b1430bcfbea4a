// The pre-flight's reads, in process against the simulator: which GETs it sends for which
// questions (at most four, each with the pre-flight's shorter request limit), and what it makes of
// each answer: the fields it keeps, the forms of a value it accepts, the values it refuses, and the
// answers that are errors.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { requestJson } from '../src/certcentral/http.js'
import {
  PREFLIGHT_REQUEST_MS,
  readPreflightFacts,
  type PreflightFacts,
  type PreflightQuestions
} from '../src/certcentral/preflight.js'
import { apiFor } from './fixtures/api.js'
import { fakeClock } from './support/fake-clock.js'
import { startSimulator, UNLIMITED, type Fault, type Simulator } from './support/simulator.js'

// The real requestJson, watched: the tests read the connection each request was sent with.
vi.mock('../src/certcentral/http.js', async importOriginal => {
  const real = await importOriginal<typeof import('../src/certcentral/http.js')>()
  return { ...real, requestJson: vi.fn(real.requestJson) }
})

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ scenario: { rateLimit: UNLIMITED } })
})
afterAll(() => sim.close())
beforeEach(() => {
  sim.reset()
  sim.directory.limitedKey = false
  sim.directory.setRole(1)
  vi.mocked(requestJson).mockClear()
})

const ALL: PreflightQuestions = {
  organizationId: 12345,
  user: true,
  product: { nameId: 'code_signing_ev' }
}

/** Asks, and returns the facts with the paths of the requests sent (base path cut off). */
async function ask(questions: PreflightQuestions, timeoutMs?: number) {
  const { api } = apiFor(sim, fakeClock(1, Date.now()), timeoutMs)
  const before = sim.requests.length
  const facts = await readPreflightFacts(api, questions)
  const sent = sim.requests.slice(before)
  return {
    api,
    facts,
    methods: sent.map(r => r.method),
    paths: sent.map(r => r.path.replace(/^\/services\/v2/, '')).sort()
  }
}

describe('the requests the pre-flight sends', () => {
  it.each<[string, PreflightQuestions, string[]]>([
    [
      'an existing organization and skip-approval: four',
      ALL,
      [
        '/organization/12345',
        '/organization/12345/validation',
        '/product/code_signing_ev',
        '/user/me'
      ]
    ],
    [
      'an existing organization without skip-approval: no /user/me',
      { organizationId: 12345, user: false, product: { nameId: 'code_signing' } },
      ['/organization/12345', '/organization/12345/validation', '/product/code_signing']
    ],
    [
      'a new organization without skip-approval: the product alone',
      { user: false, product: { nameId: 'code_signing' } },
      ['/product/code_signing']
    ],
    [
      'a container: the product as seen from it',
      { user: false, product: { nameId: 'code_signing', containerId: 7 } },
      ['/product/code_signing?container_id=7']
    ],
    ['the user alone', { user: true }, ['/user/me']],
    ['nothing to ask', { user: false }, []]
  ])('%s', async (_name, questions, expected) => {
    const { facts, paths, methods } = await ask(questions)
    expect(paths).toEqual(expected)
    expect(methods.every(m => m === 'GET')).toBe(true)
    // One answer per request sent, and `requests` counts them.
    expect(facts.requests).toBe(expected.length)
    const answered = Object.keys(facts).filter(k => k !== 'requests')
    expect(answered).toHaveLength(expected.length)
  })

  it('counts a request that failed: it was sent all the same, and not sent again', async () => {
    sim.failNext({ path: /\/user\/me$/ }, { kind: 'status', status: 503 })
    const { facts, paths } = await ask(ALL)
    expect(paths).toHaveLength(4)
    expect(facts.requests).toBe(4)
    expect(facts.user).toMatchObject({ ok: false, status: 503 })
  })

  it.each([
    ['a step timeout of 10 minutes (requests of 30 s)', 600_000, PREFLIGHT_REQUEST_MS],
    ['a step timeout of 6 s (requests of 2 s)', 6_000, 2_000]
  ])(
    'gives each request at most 10 s, less when the run’s own limit is less: %s',
    async (_n, timeoutMs, limit) => {
      const { api } = await ask(ALL, timeoutMs)
      const conns = vi.mocked(requestJson).mock.calls.map(([conn]) => conn)
      expect(conns).toHaveLength(4)
      for (const conn of conns) expect(conn).toEqual({ ...api.conn, requestTimeoutMs: limit })
      expect(PREFLIGHT_REQUEST_MS).toBe(10_000)
    }
  )
})

type Endpoint = 'organization' | 'validations' | 'user' | 'product'

const ROUTES: Record<Endpoint, { path: RegExp; questions: PreflightQuestions }> = {
  organization: {
    path: /\/organization\/12345$/,
    questions: { organizationId: 12345, user: false }
  },
  validations: {
    path: /\/organization\/12345\/validation$/,
    questions: { organizationId: 12345, user: false }
  },
  user: { path: /\/user\/me$/, questions: { user: true } },
  product: {
    path: /\/product\/code_signing$/,
    questions: { user: false, product: { nameId: 'code_signing' } }
  }
}

/** What the pre-flight makes of one endpoint's answer. */
async function answerTo(endpoint: Endpoint, fault: Fault): Promise<PreflightFacts[Endpoint]> {
  const { path, questions } = ROUTES[endpoint]
  sim.failNext({ method: 'GET', path }, fault)
  return (await ask(questions)).facts[endpoint]
}

/** The fact read from a 200 answer with this body. */
async function factOf(endpoint: Endpoint, body: unknown): Promise<unknown> {
  const answer = await answerTo(endpoint, { kind: 'status', status: 200, body })
  expect(answer?.ok, JSON.stringify(answer)).toBe(true)
  return answer?.ok ? answer.value : undefined
}

// Forms of a user ID: a number, or digits as a string (surrounding space allowed).
const GOOD_IDS: [unknown, number][] = [
  [5, 5],
  ['67890', 67890],
  [' 8 ', 8],
  [0, 0]
]
// Refused: anything that is not a whole, safe, non-negative number or such a string.
const BAD_IDS: unknown[] = [null, true, '', 'abc', '-1', '12a', '7e3', '1.5', 1.5, 2 ** 53, [3], {}]

describe('GET /organization/{id}', () => {
  it('keeps the status, is_active, the verified contacts and validations', async () => {
    expect(
      await factOf('organization', {
        id: 12345,
        name: 'Example Org',
        status: 'active',
        is_active: true,
        verified_contacts: [{ id: 12345, first_name: 'Jane' }, { id: 67890 }],
        validations: [{ type: 'cs', status: 'active', verified_users: [{ id: 12345 }] }]
      })
    ).toStrictEqual({
      status: 'active',
      isActive: true,
      verifiedContactIds: [12345, 67890],
      validations: [{ type: 'cs', status: 'active', verifiedUserIds: [12345] }]
    })
  })

  it('leaves out what the answer does not have, or has in a form it cannot use', async () => {
    expect(await factOf('organization', {})).toStrictEqual({})
    expect(
      await factOf('organization', {
        status: '',
        is_active: 'maybe',
        verified_contacts: '12345',
        validations: { type: 'cs' }
      })
    ).toStrictEqual({})
  })

  it.each<[unknown, string | undefined]>([
    ['pending', 'pending'],
    [3, '3'],
    ['', undefined],
    [true, undefined],
    [null, undefined],
    [{ name: 'active' }, undefined],
    [['active'], undefined]
  ])('reads the status %j as %j', async (status, expected) => {
    const fact = await factOf('organization', { status })
    expect(fact).toStrictEqual(expected === undefined ? {} : { status: expected })
  })

  it.each<[unknown, boolean | undefined]>([
    [true, true],
    [1, true],
    ['1', true],
    ['true', true],
    [false, false],
    [0, false],
    ['0', false],
    ['false', false],
    ['yes', undefined],
    ['TRUE', undefined],
    [2, undefined],
    ['', undefined],
    [null, undefined]
  ])('reads is_active %j as %j', async (isActive, expected) => {
    const fact = await factOf('organization', { is_active: isActive })
    expect(fact).toStrictEqual(expected === undefined ? {} : { isActive: expected })
  })

  it('reads verified contacts as objects with an id or as bare IDs, refusing other values', async () => {
    const good = GOOD_IDS.flatMap(([id]) => [id, { id }])
    const fact = await factOf('organization', {
      verified_contacts: [...BAD_IDS, ...BAD_IDS.map(id => ({ id })), ...good]
    })
    expect(fact).toStrictEqual({ verifiedContactIds: GOOD_IDS.flatMap(([, n]) => [n, n]) })
  })

  it('reads a body that is not an object as an empty answer', async () => {
    expect(await factOf('organization', null)).toStrictEqual({})
    expect(await factOf('organization', ['active'])).toStrictEqual({})
  })
})

describe('GET /organization/{id}/validation', () => {
  it('keeps type, status, end and verified users of each validation', async () => {
    expect(
      await factOf('validations', {
        validations: [
          {
            type: 'ev_cs',
            name: 'EV CS',
            status: 'active',
            validated_until: '2027-03-01T00:00:00+00:00',
            verified_users: [{ id: 12345 }, { id: '67890' }, 5, { id: 'x' }, null]
          },
          { type: 'cs', status: 'pending', verified_users: [] }
        ]
      })
    ).toStrictEqual([
      {
        type: 'ev_cs',
        status: 'active',
        validatedUntil: '2027-03-01T00:00:00+00:00',
        verifiedUserIds: [12345, 67890, 5]
      },
      { type: 'cs', status: 'pending', verifiedUserIds: [] }
    ])
  })

  it.each<[string, unknown, unknown]>([
    ['no validations field: none', {}, []],
    ['validations not a list: none', { validations: 'cs' }, []],
    ['an entry without a type is left out', { validations: [{ status: 'active' }] }, []],
    ['an entry with an empty type is left out', { validations: [{ type: '', status: 'x' }] }, []],
    ['an entry that is not an object is left out', { validations: [null, 'cs', 7, ['cs']] }, []],
    [
      'a validation without a status is "unknown"',
      { validations: [{ type: 'cs' }, { type: 'ev_cs', status: '' }] },
      [
        { type: 'cs', status: 'unknown' },
        { type: 'ev_cs', status: 'unknown' }
      ]
    ],
    [
      'a validation without verified users has none listed (not an empty list)',
      { validations: [{ type: 'cs', status: 'active', verified_users: 'all' }] },
      [{ type: 'cs', status: 'active' }]
    ]
  ])('%s', async (_name, body, expected) => {
    expect(await factOf('validations', body)).toStrictEqual(expected)
  })
})

describe('GET /user/me', () => {
  it('keeps the user’s ID, username and roles', async () => {
    expect(
      await factOf('user', {
        id: 42,
        username: 'release-bot',
        email: 'bot@example.com',
        access_roles: [{ id: 1, name: 'Administrator' }]
      })
    ).toStrictEqual({
      id: 42,
      username: 'release-bot',
      roles: [{ id: 1, name: 'Administrator' }]
    })
  })

  it.each<[string, unknown, unknown]>([
    ['nothing known: no roles', {}, { roles: [] }],
    ['roles not a list: no roles', { access_roles: 'admin' }, { roles: [] }],
    ['an ID as digits', { id: '42' }, { id: 42, roles: [] }],
    ['an ID that is not one', { id: 'me', username: '' }, { roles: [] }],
    [
      'each role by what it has of an ID and a name',
      { access_roles: [{ id: '4' }, { name: 'Auditor' }, { id: 'x', name: '' }, null, 'Manager'] },
      { roles: [{ id: 4 }, { name: 'Auditor' }, {}, {}, {}] }
    ]
  ])('%s', async (_name, body, expected) => {
    expect(await factOf('user', body)).toStrictEqual(expected)
  })
})

describe('GET /product/{name_id}', () => {
  it('keeps the allowed years and hash types', async () => {
    expect(
      await factOf('product', {
        name_id: 'code_signing',
        allowed_validity_years: [1, 2, 3],
        signature_hash_types: {
          allowed_hash_types: [{ id: 'sha256', name: 'SHA-256' }, { id: 'sha384' }],
          default_hash_type_id: 'sha256'
        }
      })
    ).toStrictEqual({ allowedYears: [1, 2, 3], hashTypes: ['sha256', 'sha384'] })
  })

  it.each<[string, unknown, unknown]>([
    ['neither list: nothing known', {}, {}],
    [
      'years from both lists, once each, digits read as numbers',
      { allowed_validity_years: [1, 2], allowed_order_validity_years: ['2', '3'] },
      { allowedYears: [1, 2, 3] }
    ],
    [
      'years from the order list alone',
      { allowed_order_validity_years: [1] },
      { allowedYears: [1] }
    ],
    ['years not in a list: nothing known', { allowed_validity_years: 3 }, {}],
    [
      'years that are not whole numbers are left out',
      { allowed_validity_years: ['one', null, 1.5, '1.5', 2, '-1'] },
      { allowedYears: [2] }
    ],
    [
      'a list of years none of which is one: an empty list',
      { allowed_validity_years: ['one', null] },
      { allowedYears: [] }
    ],
    [
      'hash types without an id are left out',
      {
        signature_hash_types: {
          allowed_hash_types: [{ id: 'sha256' }, {}, { id: '' }, 'sha384', null]
        }
      },
      { hashTypes: ['sha256'] }
    ],
    [
      'hash types not in a list: nothing known',
      { signature_hash_types: { allowed_hash_types: 'sha256' } },
      {}
    ],
    [
      'signature_hash_types not an object: nothing known',
      { signature_hash_types: [{ allowed_hash_types: [{ id: 'sha256' }] }] },
      {}
    ],
    [
      'an empty list of hash types',
      { signature_hash_types: { allowed_hash_types: [] } },
      {
        hashTypes: []
      }
    ]
  ])('%s', async (_name, body, expected) => {
    expect(await factOf('product', body)).toStrictEqual(expected)
  })
})

describe('an answer that is an error', () => {
  it.each<[string, Endpoint, Fault, unknown]>([
    [
      'CertCentral’s error codes, all of them',
      'user',
      {
        kind: 'status',
        status: 403,
        body: {
          errors: [
            { code: 'access_denied|missing_permission', message: 'no' },
            { code: 'second', message: 'also no' }
          ]
        }
      },
      {
        ok: false,
        status: 403,
        codes: ['access_denied|missing_permission', 'second'],
        reason: 'CertCentral answered 403 access_denied|missing_permission, second'
      }
    ],
    [
      'an error status without codes',
      'organization',
      { kind: 'status', status: 500, body: { message: 'oops' } },
      { ok: false, status: 500, codes: [], reason: 'CertCentral answered 500' }
    ],
    [
      'a code cut to 60 characters',
      'product',
      {
        kind: 'status',
        status: 404,
        body: { errors: [{ code: `not_found|${'x'.repeat(80)}`, message: 'm' }] }
      },
      {
        ok: false,
        status: 404,
        codes: [`not_found|${'x'.repeat(50)}… [cut; 90 characters in all]`],
        reason: `CertCentral answered 404 not_found|${'x'.repeat(50)}… [cut; 90 characters in all]`
      }
    ]
  ])('%s', async (_name, endpoint, fault, expected) => {
    expect(await answerTo(endpoint, fault)).toStrictEqual(expected)
  })

  it('no answer at all: no status, no codes, the first line of what failed', async () => {
    const answer = await answerTo('validations', { kind: 'drop-before-processing' })
    expect(answer).toStrictEqual({
      ok: false,
      codes: [],
      reason: expect.stringMatching(
        /^GET http:\/\/127\.0\.0\.1:\d+\/services\/v2\/organization\/12345\/validation failed: [^\n]+$/
      ) as unknown
    })
  })

  it('an answer that is not JSON: could not be read, the others still are', async () => {
    sim.failNext({ path: /\/product\// }, { kind: 'not-json' })
    const { facts } = await ask(ALL)
    expect(facts.product).toMatchObject({ ok: false, codes: [] })
    expect(facts.product).not.toHaveProperty('status')
    expect([facts.organization?.ok, facts.validations?.ok, facts.user?.ok]).toEqual([
      true,
      true,
      true
    ])
  })
})
