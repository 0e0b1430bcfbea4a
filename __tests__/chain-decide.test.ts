// Which order a run works on, as a table: what the lookups returned and the clock, in; the
// decision, out. No requests, no clock: the edge that feeds it is tested against the simulator.
import { describe, expect, it } from 'vitest'
import {
  decide,
  expiresAt,
  ordersToRead,
  representative,
  type Generation,
  type OrderFacts
} from '../src/chain/decide.js'
import { instant, orderEndsAt } from '../src/chain/reissue-rule.js'

const NOW = Date.parse('2027-01-10T12:00:00Z')
const DAY = 86_400_000
const POLICY = { renewWithinMs: 30 * DAY, replaceEndedOrder: false }

/** An order's facts as its info gives them: id, status and, for issued ones, valid_till. */
type Row = [id: number, status: string, validTill?: string]

function chain(...generations: Row[][]): {
  generations: Generation[]
  facts: Map<number, OrderFacts>
} {
  const facts = new Map<number, OrderFacts>()
  const list: Generation[] = generations.map((rows, index) => ({
    generation: index + 1,
    key: index === 0 ? 'base' : `baseg${index + 1}`,
    orders: rows.map(([id, status, validTill]) => {
      facts.set(id, { id, status, validTill })
      return { orderId: id, status }
    })
  }))
  list.push({ generation: list.length + 1, key: 'next', orders: [] })
  return { generations: list, facts }
}

/** Like toMatchObject, where a key expected as undefined must be absent. */
function expectDecision(actual: object, expected: object): void {
  const absent = Object.keys(expected).filter(key => expected[key as keyof object] === undefined)
  const present = Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined))
  expect(actual).toMatchObject(present)
  for (const key of absent) expect(actual).not.toHaveProperty(key)
}

function decision(policy = POLICY, ...generations: Row[][]) {
  const { generations: list, facts } = chain(...generations)
  return decide(list, listed => facts.get(listed.orderId)!, policy, NOW)
}

describe('the decision', () => {
  it('places the first order when no order carries the key', () => {
    expect(
      decide([{ generation: 1, key: 'base', orders: [] }], () => undefined!, POLICY, NOW)
    ).toMatchObject({ kind: 'place', generation: 1 })
  })

  it.each<[string, Row[][], object]>([
    [
      'reuses a certificate valid beyond the window',
      [[[1, 'issued', '2027-06-01']]],
      { kind: 'reuse', current: { id: 1 } }
    ],
    [
      'reuses on the last day outside the window',
      [[[1, 'issued', '2027-02-10']]],
      { kind: 'reuse' }
    ],
    [
      'renews within the window',
      [[[1, 'issued', '2027-02-08']]],
      { kind: 'place', generation: 2, renewalOf: { id: 1 }, current: { id: 1 } }
    ],
    [
      'renews a certificate that expires today',
      [[[1, 'issued', '2027-01-10']]],
      { kind: 'place', renewalOf: { id: 1 } }
    ],
    [
      'places a new order when the certificate has expired',
      [[[1, 'issued', '2027-01-09']]],
      { kind: 'place', generation: 2, renewalOf: undefined, current: undefined }
    ],
    [
      'places a new order when the order expired',
      [[[1, 'expired']]],
      { kind: 'place', generation: 2, renewalOf: undefined }
    ],
    [
      'reuses an issued certificate whose expiry is not known',
      [[[1, 'issued']]],
      { kind: 'reuse' }
    ],
    [
      'follows a reissue on its way, keeping the certificate in use',
      [[[1, 'reissue_pending', '2027-06-01']]],
      { kind: 'reissuing', reason: 'window', order: { id: 1 } }
    ],
    [
      'resumes an order on its way',
      [[[1, 'pending']]],
      { kind: 'resume', order: { id: 1 }, current: undefined }
    ],
    ['resumes an order that needs approval', [[[1, 'needs_approval']]], { kind: 'resume' }],
    ['resumes an order in a status it does not know', [[[1, 'on_hold']]], { kind: 'resume' }],
    [
      'follows a renewal on its way, keeping the valid certificate',
      [[[1, 'issued', '2027-02-01']], [[2, 'pending']]],
      { kind: 'resume', order: { id: 2 }, current: { id: 1 } }
    ],
    [
      'resumes a renewal alone once the old certificate expired',
      [[[1, 'issued', '2027-01-01']], [[2, 'pending']]],
      { kind: 'resume', order: { id: 2 }, current: undefined }
    ],
    [
      'reuses the renewal once issued',
      [[[1, 'issued', '2027-02-01']], [[2, 'issued', '2028-03-01']]],
      { kind: 'reuse', current: { id: 2 } }
    ],
    ['stops at a rejected order', [[[1, 'rejected']]], { kind: 'stop', order: { id: 1 } }],
    ['stops at a denied order', [[[1, 'denied']]], { kind: 'stop' }],
    ['stops at a canceled order', [[[1, 'canceled']]], { kind: 'stop' }],
    ['stops at a revoked certificate', [[[1, 'revoked']]], { kind: 'stop' }],
    [
      'stops at a rejected renewal, naming the valid certificate',
      [[[1, 'issued', '2027-02-01']], [[2, 'rejected']]],
      { kind: 'stop', order: { id: 2 }, current: { id: 1 } }
    ],
    [
      'settles on the lowest live order of a race',
      [
        [
          [7, 'canceled'],
          [5, 'pending'],
          [6, 'pending']
        ]
      ],
      { kind: 'resume', order: { id: 5 } }
    ]
  ])('%s', (_name, generations, expected) => {
    expectDecision(decision(POLICY, ...generations), expected)
  })

  it('with renewal off, reuses until the certificate expires', () => {
    const off = { ...POLICY, renewWithinMs: 0 }
    expect(decision(off, [[1, 'issued', '2027-01-10']])).toMatchObject({ kind: 'reuse' })
    expect(decision(off, [[1, 'issued', '2027-01-09']])).toMatchObject({
      kind: 'place',
      generation: 2
    })
  })

  it('with replace-ended-order, orders the next generation', () => {
    const replace = { ...POLICY, replaceEndedOrder: true }
    expectDecision(decision(replace, [[1, 'rejected']]), {
      kind: 'place',
      generation: 2,
      renewalOf: undefined
    })
    // A rejected renewal is replaced by a renewal of the certificate still in use.
    expect(decision(replace, [[1, 'issued', '2027-02-01']], [[2, 'canceled']])).toMatchObject({
      kind: 'place',
      generation: 3,
      renewalOf: { id: 1 },
      current: { id: 1 }
    })
  })

  it('says what it decided in one sentence that names the order', () => {
    const reuse = decision(POLICY, [[1, 'issued', '2027-06-01']])
    expect(reuse.sentence).toBe(
      'Reusing the certificate of order 1, valid till 2027-06-01 (renewal from 2027-05-02): nothing is ordered.'
    )
    expect(reuse.sentence).not.toContain('\n')
    expect(decision(POLICY, [[1, 'rejected']]).sentence).toContain('replace-ended-order: true')
  })
})

describe('the orders whose info is read', () => {
  it('is the newest only, when it is issued', () => {
    expect(ordersToRead(chain([[1, 'issued']], [[2, 'issued']]).generations)).toEqual([2])
  })
  it('adds the issued one before a renewal on its way', () => {
    expect(ordersToRead(chain([[1, 'issued']], [[2, 'pending']]).generations)).toEqual([2, 1])
  })
  it('is nothing when no order exists', () => {
    expect(ordersToRead([{ generation: 1, key: 'k', orders: [] }])).toEqual([])
  })
})

describe('the order that stands for a generation', () => {
  it('is the lowest live one', () => {
    expect(
      representative([
        { orderId: 9, status: 'issued' },
        { orderId: 8, status: 'pending' }
      ])
    ).toEqual({ orderId: 8, status: 'pending' })
  })
  it('is the newest ended one when none lives', () => {
    expect(
      representative([
        { orderId: 3, status: 'canceled' },
        { orderId: 4, status: 'rejected' }
      ])
    ).toEqual({ orderId: 4, status: 'rejected' })
  })
})

describe('when a certificate expires', () => {
  it('is the end of its valid_till day, UTC', () => {
    expect(expiresAt('2027-01-10')).toBe(Date.parse('2027-01-10T23:59:59.999Z'))
  })
  it('is the instant of a date-time', () => {
    expect(expiresAt('2027-01-10T08:00:00+00:00')).toBe(Date.parse('2027-01-10T08:00:00Z'))
  })
  it('is unknown for anything else', () => {
    expect(expiresAt('soon')).toBeUndefined()
    expect(expiresAt(undefined)).toBeUndefined()
  })
})

describe('what the decision tells the user', () => {
  const replace = { ...POLICY, replaceEndedOrder: true }
  it.each<[string, typeof POLICY, Row[][], string]>([
    [
      'an issued certificate of unknown expiry',
      POLICY,
      [[[1, 'issued']]],
      'Reusing the certificate of order 1; CertCentral did not say when it expires, so its ' +
        'renewal cannot be judged: nothing is ordered.'
    ],
    [
      'an expired certificate',
      POLICY,
      [[[1, 'issued', '2027-01-09']]],
      'The certificate of order 1 expired on 2027-01-09: placing a new order (generation 2).'
    ],
    [
      'a renewal',
      POLICY,
      [[[1, 'issued', '2027-02-08']]],
      'The certificate of order 1 expires on 2027-02-08, within renew-within (30 days): renewing ' +
        'it (generation 2); DigiCert adds the time it has left to the new certificate.'
    ],
    [
      'a renewal within a window of one day',
      { ...POLICY, renewWithinMs: DAY },
      [[[1, 'issued', '2027-01-10']]],
      'The certificate of order 1 expires on 2027-01-10, within renew-within (1 day): renewing ' +
        'it (generation 2); DigiCert adds the time it has left to the new certificate.'
    ],
    [
      'a renewal within a window of a day and a half, counted in whole days',
      { ...POLICY, renewWithinMs: 1.5 * DAY },
      [[[1, 'issued', '2027-01-11']]],
      'The certificate of order 1 expires on 2027-01-11, within renew-within (2 days): renewing ' +
        'it (generation 2); DigiCert adds the time it has left to the new certificate.'
    ],
    [
      'a reuse with renewal off',
      { ...POLICY, renewWithinMs: 0 },
      [[[1, 'issued', '2027-06-01']]],
      'Reusing the certificate of order 1, valid till 2027-06-01 (renewal is off): nothing is ordered.'
    ],
    [
      'a resumed order',
      POLICY,
      [[[1, 'pending']]],
      'Order 1 is pending: resuming it; no new order is placed.'
    ],
    [
      'a renewal followed while the certificate is valid',
      POLICY,
      [[[1, 'issued', '2027-02-01']], [[2, 'needs_approval']]],
      'Renewal order 2 is needs_approval: following it; no new order is placed. The certificate ' +
        'of order 1 stays in use until 2027-02-01.'
    ],
    [
      'a renewal followed while a certificate of unknown expiry is in use',
      POLICY,
      [[[1, 'issued']], [[2, 'pending']]],
      'Renewal order 2 is pending: following it; no new order is placed. The certificate of ' +
        'order 1 stays in use until its expiry.'
    ],
    [
      'an expired order',
      POLICY,
      [[[1, 'expired']]],
      'Order 1 has expired: placing a new order (generation 2).'
    ],
    [
      'an ended order',
      POLICY,
      [[[1, 'canceled']]],
      'Order 1, the newest of this certificate, is canceled: a person ended it, so the action ' +
        'does not order again on its own. Find out why in CertCentral; to order a replacement, ' +
        'run with replace-ended-order: true.'
    ],
    [
      'an ended renewal while the certificate is valid',
      POLICY,
      [[[1, 'issued', '2027-02-01']], [[2, 'rejected']]],
      'Order 2, the newest of this certificate, is rejected: a person ended it, so the action ' +
        'does not order again on its own. Find out why in CertCentral; to order a replacement, ' +
        'run with replace-ended-order: true. The certificate of order 1 stays in use until 2027-02-01.'
    ],
    [
      'a replacement',
      replace,
      [[[1, 'revoked']]],
      'Order 1 is revoked; replace-ended-order is set: placing a new order (generation 2).'
    ],
    [
      'a replacement that renews the certificate in use',
      replace,
      [[[1, 'issued', '2027-02-01']], [[2, 'canceled']]],
      'Order 2 is canceled; replace-ended-order is set: placing a new order (generation 3) that ' +
        'renews order 1. The certificate of order 1 stays in use until 2027-02-01.'
    ],
    [
      'a replacement beside a certificate too far from expiry to renew',
      replace,
      [[[1, 'issued', '2027-06-01']], [[2, 'canceled']]],
      'Order 2 is canceled; replace-ended-order is set: placing a new order (generation 3). The ' +
        'certificate of order 1 stays in use until 2027-06-01.'
    ]
  ])('for %s is one plain sentence', (_name, policy, generations, sentence) => {
    expect(decision(policy, ...generations).sentence).toBe(sentence)
  })

  it('for the first order says so', () => {
    expect(
      decide([{ generation: 1, key: 'base', orders: [] }], () => undefined!, POLICY, NOW).sentence
    ).toBe('No order carries this certificate’s key yet: placing the first order.')
  })
})

describe('the decision at its boundaries', () => {
  const at = (ms: number) => new Date(NOW + ms).toISOString()
  const replace = { ...POLICY, replaceEndedOrder: true }
  it.each<[string, typeof POLICY, Row[][], object]>([
    [
      'places a new order, not a renewal, when the certificate expires this very moment',
      POLICY,
      [[[1, 'issued', at(0)]]],
      { kind: 'place', generation: 2, renewalOf: undefined, current: undefined }
    ],
    [
      'renews a certificate that expires a moment from now',
      POLICY,
      [[[1, 'issued', at(1)]]],
      { kind: 'place', renewalOf: { id: 1 } }
    ],
    [
      'renews exactly at the start of the window',
      POLICY,
      [[[1, 'issued', at(30 * DAY)]]],
      { kind: 'place', renewalOf: { id: 1 } }
    ],
    [
      'reuses a moment before the window opens',
      POLICY,
      [[[1, 'issued', at(30 * DAY + 1)]]],
      { kind: 'reuse', current: { id: 1 } }
    ],
    [
      'follows a renewal alone when the old certificate expires this very moment',
      POLICY,
      [[[1, 'issued', at(0)]], [[2, 'pending']]],
      { kind: 'resume', order: { id: 2 }, current: undefined }
    ],
    [
      'keeps the old certificate in use while it has a moment left',
      POLICY,
      [[[1, 'issued', at(1)]], [[2, 'pending']]],
      { kind: 'resume', order: { id: 2 }, current: { id: 1 } }
    ],
    [
      'never names an ended order as the certificate in use',
      POLICY,
      [[[1, 'revoked', '2027-06-01']], [[2, 'pending']]],
      { kind: 'resume', order: { id: 2 }, current: undefined }
    ],
    [
      'replaces an ended renewal with a renewal exactly 90 days before expiry',
      replace,
      [[[1, 'issued', at(90 * DAY)]], [[2, 'canceled']]],
      { kind: 'place', generation: 3, renewalOf: { id: 1 }, current: { id: 1 } }
    ],
    [
      'replaces an ended renewal without renewing a moment earlier',
      replace,
      [[[1, 'issued', at(90 * DAY + 1)]], [[2, 'canceled']]],
      { kind: 'place', generation: 3, renewalOf: undefined, current: { id: 1 } }
    ],
    [
      'replaces without renewing a certificate of unknown expiry',
      replace,
      [[[1, 'issued']], [[2, 'canceled']]],
      { kind: 'place', generation: 3, renewalOf: undefined, current: { id: 1 } }
    ],
    [
      'replaces an ended order alone when nothing valid is left',
      replace,
      [[[1, 'issued', '2027-01-01']], [[2, 'canceled']]],
      { kind: 'place', generation: 3, renewalOf: undefined, current: undefined }
    ],
    [
      'stops at an ended renewal without naming an expired certificate',
      POLICY,
      [[[1, 'issued', '2027-01-01']], [[2, 'rejected']]],
      { kind: 'stop', order: { id: 2 }, current: undefined }
    ],
    [
      'numbers the next generation after the newest with orders',
      POLICY,
      [[[1, 'issued', '2026-01-01']], [[2, 'issued', '2027-01-01']], [[3, 'expired']]],
      { kind: 'place', generation: 4 }
    ]
  ])('%s', (_name, policy, generations, expected) => {
    expectDecision(decision(policy, ...generations), expected)
  })

  it('looks past trailing generations without orders for the newest', () => {
    const { generations, facts } = chain([[1, 'issued', '2027-01-01']])
    generations.push({ generation: 3, key: 'later', orders: [] })
    expect(decide(generations, l => facts.get(l.orderId)!, POLICY, NOW)).toMatchObject({
      kind: 'place',
      generation: 2
    })
  })

  it('reads the info of the representatives only', () => {
    const { generations, facts } = chain(
      [[1, 'issued', '2027-02-01']],
      [
        [3, 'canceled'],
        [2, 'pending']
      ]
    )
    const read: number[] = []
    decide(
      generations,
      listed => {
        read.push(listed.orderId)
        return facts.get(listed.orderId)!
      },
      POLICY,
      NOW
    )
    expect(read).toEqual([2, 1])
  })
})

describe('the orders whose info is read, further', () => {
  it('skips the one before when it is not issued', () => {
    expect(ordersToRead(chain([[1, 'canceled']], [[2, 'pending']]).generations)).toEqual([2])
    expect(ordersToRead(chain([[1, 'expired']], [[2, 'pending']]).generations)).toEqual([2])
  })
  it('is the newest alone when it is the first generation', () => {
    expect(ordersToRead(chain([[1, 'pending']]).generations)).toEqual([1])
  })
  it('is the representative of each generation', () => {
    expect(
      ordersToRead(
        chain(
          [
            [1, 'canceled'],
            [2, 'issued']
          ],
          [
            [4, 'canceled'],
            [3, 'pending']
          ]
        ).generations
      )
    ).toEqual([3, 2])
  })
})

describe('the order that stands for a generation, further', () => {
  it('is the lowest live one wherever the lookup lists it', () => {
    const listed = [
      { orderId: 5, status: 'pending' },
      { orderId: 4, status: 'issued' },
      { orderId: 6, status: 'pending' },
      { orderId: 1, status: 'canceled' }
    ]
    expect(representative(listed)).toEqual({ orderId: 4, status: 'issued' })
    expect(representative([...listed].reverse())).toEqual({ orderId: 4, status: 'issued' })
  })
  it('is the newest ended one wherever the lookup lists it', () => {
    const listed = [
      { orderId: 3, status: 'canceled' },
      { orderId: 9, status: 'expired' },
      { orderId: 4, status: 'rejected' }
    ]
    expect(representative(listed)).toEqual({ orderId: 9, status: 'expired' })
    expect(representative([...listed].reverse())).toEqual({ orderId: 9, status: 'expired' })
  })
  it('is nothing for no order', () => {
    expect(representative([])).toBeUndefined()
  })
})

describe('when a certificate expires, further', () => {
  it.each([
    ['2027-01-10T00:00:00Z', Date.parse('2027-01-10T00:00:00Z')],
    ['2027-01-10 08:00:00', Date.parse('2027-01-10 08:00:00')],
    // Only a plain yyyy-MM-dd is a whole day: an expanded year names its midnight.
    ['+002027-01-10', Date.parse('2027-01-10T00:00:00Z')],
    ['x2027-01-10', undefined],
    ['2027-01-10x', undefined],
    ['27-01-10', undefined]
  ])('%s ends at its own instant, or is unknown', (validTill, expected) => {
    expect(expiresAt(validTill)).toBe(expected)
  })
})

describe('the decision on a reissue', () => {
  const KEY = 'a'.repeat(64)
  /** One issued order, its facts as given: a table row of the reissue rules. */
  function one(
    facts: Partial<OrderFacts>,
    policy: Partial<typeof POLICY & { publicKeySha256: string }> = {}
  ) {
    const order: OrderFacts = { id: 1, status: 'issued', validTill: '2027-01-25', ...facts }
    return decide(
      [
        { generation: 1, key: 'base', orders: [{ orderId: 1, status: order.status }] },
        { generation: 2, key: 'next', orders: [] }
      ],
      () => order,
      { ...POLICY, ...policy },
      NOW
    )
  }

  it.each<[string, Partial<OrderFacts>, object]>([
    [
      'reissues a multi-year order whose certificate is within renew-within',
      { orderValidTill: '2028-06-01T10:00:00+00:00' },
      { kind: 'reissue', reason: 'window', order: { id: 1 } }
    ],
    [
      'takes an order_valid_till given as a date',
      { orderValidTill: '2028-06-01' },
      { kind: 'reissue', reason: 'window' }
    ],
    [
      'renews a one-year order, whatever its certificate’s dates say',
      { dateCreated: '2026-06-01T10:00:00+00:00', orderValidTill: '2027-06-01T10:00:00+00:00' },
      { kind: 'place', renewalOf: { id: 1 } }
    ],
    [
      'reissues an order longer than a certificate may last (459 days and a second)',
      { dateCreated: '2026-06-01T10:00:00+00:00', orderValidTill: '2027-09-03T10:00:01+00:00' },
      { kind: 'reissue', reason: 'window' }
    ],
    [
      'renews an order exactly as long as a certificate may last (459 days)',
      { dateCreated: '2026-06-01T10:00:00+00:00', orderValidTill: '2027-09-03T10:00:00+00:00' },
      { kind: 'place', renewalOf: { id: 1 } }
    ],
    [
      'renews an order that ends within renew-within',
      { orderValidTill: '2027-02-08T12:00:00Z' },
      { kind: 'place', renewalOf: { id: 1 } }
    ],
    [
      'renews an order beyond renew-within whose certificate ends less than a day before it',
      { validTill: '2027-02-08', orderValidTill: '2027-02-09T18:00:00Z' },
      { kind: 'place', renewalOf: { id: 1 } }
    ],
    [
      'reissues an order whose certificate ends more than a day before it',
      { validTill: '2027-02-08', orderValidTill: '2027-02-10T00:00:01Z' },
      { kind: 'reissue', reason: 'window' }
    ],
    [
      'renews an order that ends a day after its certificate',
      { orderValidTill: '2027-01-26T23:59:59Z' },
      { kind: 'place', renewalOf: { id: 1 } }
    ],
    [
      'renews an order without order_valid_till, as ending with its certificate',
      {},
      { kind: 'place', renewalOf: { id: 1 } }
    ],
    [
      'renews when order_valid_till cannot be read',
      { orderValidTill: 'soon' },
      { kind: 'place', renewalOf: { id: 1 } }
    ],
    [
      'reuses a multi-year certificate beyond the window',
      { validTill: '2027-06-01', orderValidTill: '2028-06-01T00:00:00Z' },
      { kind: 'reuse' }
    ],
    [
      'follows a reissue request still pending on an issued order',
      { requests: [{ status: 'approved' }, { status: 'PENDING', type: 'Reissue' }] },
      { kind: 'reissuing', reason: 'window' }
    ],
    [
      'follows a submitted reissue request',
      { requests: [{ status: 'submitted', type: 'reissue' }] },
      { kind: 'reissuing' }
    ],
    [
      'does not count a done or rejected reissue',
      {
        orderValidTill: '2028-06-01T00:00:00Z',
        requests: [
          { status: 'approved', type: 'reissue' },
          { status: 'rejected', type: 'reissue' },
          { status: 'pending', type: 'new_request' }
        ]
      },
      { kind: 'reissue', reason: 'window' }
    ],
    [
      'places a new order for an expired certificate, which cannot be reissued',
      { validTill: '2027-01-09', orderValidTill: '2028-06-01T00:00:00Z' },
      { kind: 'place', generation: 2 }
    ]
  ])('%s', (_name, facts, expected) => {
    expect(one(facts)).toMatchObject(expected)
  })

  it('reissues a certificate of another key than the CSR, inside or outside the window', () => {
    const other = { publicKeySha256: KEY }
    expect(one({ certificateKeySha256: 'b'.repeat(64) }, other)).toMatchObject({
      kind: 'reissue',
      reason: 'key',
      sentence:
        'The certificate of order 1 carries another key than the CSR: reissuing the order with ' +
        'the new CSR (free); no new order is placed.'
    })
    expect(
      one({ validTill: '2027-09-01', certificateKeySha256: 'b'.repeat(64) }, other)
    ).toMatchObject({ kind: 'reissue', reason: 'key' })
    expect(
      one({ validTill: undefined, certificateKeySha256: 'b'.repeat(64) }, other)
    ).toMatchObject({ kind: 'reissue', reason: 'key' })
  })

  it('reuses a certificate of the CSR’s key, and one whose key was not read', () => {
    expect(
      one({ validTill: '2027-09-01', certificateKeySha256: KEY }, { publicKeySha256: KEY })
    ).toMatchObject({ kind: 'reuse' })
    expect(one({ validTill: '2027-09-01' }, { publicKeySha256: KEY })).toMatchObject({
      kind: 'reuse'
    })
    expect(one({ validTill: '2027-09-01', certificateKeySha256: KEY })).toMatchObject({
      kind: 'reuse'
    })
  })

  it('follows a reissue for a new key on its way, saying the key is not there yet', () => {
    expect(
      one(
        { status: 'reissue_pending', certificateKeySha256: 'b'.repeat(64) },
        { publicKeySha256: KEY }
      )
    ).toEqual({
      kind: 'reissuing',
      reason: 'key',
      order: expect.objectContaining({ id: 1 }) as unknown,
      sentence:
        'A reissue of order 1 is on its way: following it; no reissue or order is sent. Its ' +
        'certificate does not carry the CSR’s key yet.'
    })
  })

  it('says where the order runs till when it reissues within the window', () => {
    expect(one({ orderValidTill: '2028-06-01T10:00:00+00:00' })).toMatchObject({
      sentence:
        'The certificate of order 1 expires on 2027-01-25, within renew-within (30 days), but ' +
        'the order runs till 2028-06-01T10:00:00+00:00: reissuing it (free); no new order is placed.'
    })
    expect(one({ status: 'reissue_pending' })).toMatchObject({
      sentence:
        'A reissue of order 1 is on its way: following it; no reissue or order is sent. The ' +
        'certificate valid till 2027-01-25 stays in use until it is done.'
    })
  })
})

describe('the end of an order', () => {
  it.each([
    ['2028-06-01', '2028-06-01T23:59:59.999Z'],
    ['2028-06-01T10:00:00+00:00', '2028-06-01T10:00:00.000Z'],
    ['2028-06-01T10:00:00+0200', '2028-06-01T08:00:00.000Z'],
    ['2028-06-01 10:00:00', '2028-06-01T10:00:00.000Z'],
    ['2028-06-01T10:00:00.123456', '2028-06-01T10:00:00.123Z'],
    ['2028-06-01T10:00:00Z', '2028-06-01T10:00:00.000Z']
  ])('reads order_valid_till %s as %s (UTC without an offset)', (text, iso) => {
    expect(instant(text)).toBe(Date.parse(iso))
  })

  it('is the certificate’s end when order_valid_till is absent or unreadable', () => {
    expect(orderEndsAt({ status: 'issued' }, 42)).toBe(42)
    expect(orderEndsAt({ status: 'issued', orderValidTill: 'soon' }, 42)).toBe(42)
  })
})

describe('one paid renewal per expiry', () => {
  const renewal = (facts: Partial<OrderFacts>): OrderFacts => ({
    id: 2,
    status: 'issued',
    validTill: '2027-02-01',
    renewalOfOrderId: 1,
    dateCreated: '2027-01-05T10:00:00+00:00',
    ...facts
  })
  const decideOn = (newest: OrderFacts) =>
    decide(
      [
        { generation: 1, key: 'base', orders: [{ orderId: 1, status: 'issued' }] },
        { generation: 2, key: 'baseg002', orders: [{ orderId: 2, status: 'issued' }] },
        { generation: 3, key: 'baseg003', orders: [] }
      ],
      listed =>
        listed.orderId === 2 ? newest : { id: 1, status: 'issued', validTill: '2027-01-20' },
      POLICY,
      NOW
    )

  it('reuses, warning, a renewal that ended within the window of its own order date', () => {
    expect(decideOn(renewal({}))).toEqual({
      kind: 'reuse',
      current: renewal({}),
      warning: true,
      sentence:
        'Reusing the certificate of order 2, valid till 2027-02-01, without renewing it: it ' +
        'renews order 1 and already ended within renew-within (30 days) of its order date, so ' +
        'another renewal would not move the expiry out of the window either (a ' +
        'custom-expiration-date?). Renew it in CertCentral, or lower renew-within, before 2027-02-01.'
    })
  })

  it.each<[string, Partial<OrderFacts>]>([
    ['ordered more than the window before its end', { dateCreated: '2027-01-01T23:59:58Z' }],
    ['not a renewal', { renewalOfOrderId: undefined }],
    ['of no known order date', { dateCreated: undefined }],
    ['of an order date that cannot be read', { dateCreated: 'yesterday' }]
  ])('renews a renewal %s', (_what, facts) => {
    expect(decideOn(renewal(facts))).toMatchObject({
      kind: 'place',
      generation: 3,
      renewalOf: { id: 2 }
    })
  })

  it('reuses a renewal ordered exactly the window before its end', () => {
    // valid till the end of 2027-02-01: 30 days after 2027-01-02T23:59:59.999Z.
    expect(decideOn(renewal({ dateCreated: '2027-01-02T23:59:59.999Z' }))).toMatchObject({
      kind: 'reuse',
      warning: true
    })
    expect(decideOn(renewal({ dateCreated: '2027-01-02 23:59:59.998Z' }))).toMatchObject({
      kind: 'place'
    })
  })
})

describe('renewed elsewhere and statuses as sent', () => {
  const gen1: Generation[] = [
    { generation: 1, key: 'base', orders: [{ orderId: 1, status: 'issued' }] },
    { generation: 2, key: 'baseg002', orders: [] }
  ]
  const old: OrderFacts = { id: 1, status: 'issued', validTill: '2027-01-20' }

  it('follows the renewal: reuses it once issued, no new order', () => {
    const console_: OrderFacts = { id: 9, status: 'issued', validTill: '2028-01-20' }
    expect(
      decide(
        gen1,
        () => old,
        POLICY,
        NOW,
        o => (o.id === 1 ? console_ : undefined)
      )
    ).toMatchObject({
      kind: 'reuse',
      current: { id: 9 }
    })
  })

  it('follows a renewal on its way beside the certificate still valid', () => {
    const pending: OrderFacts = { id: 9, status: 'pending' }
    expect(
      decide(
        gen1,
        () => old,
        POLICY,
        NOW,
        () => pending
      )
    ).toMatchObject({
      kind: 'resume',
      order: { id: 9 },
      current: { id: 1 }
    })
  })

  it.each(['approved', 'waiting_pickup', 'WAITING_PICKUP'])(
    '%s with the certificate ID and valid_till is issued; without either it is on its way',
    status => {
      const issued = { id: 1, status, certificateId: 5, validTill: '2027-06-01' }
      expect(decide(gen1, () => issued, POLICY, NOW)).toMatchObject({ kind: 'reuse' })
      const { certificateId: _, ...noId } = issued
      expect(decide(gen1, () => noId, POLICY, NOW)).toMatchObject({ kind: 'resume' })
      const { validTill: __, ...noEnd } = issued
      expect(decide(gen1, () => noEnd, POLICY, NOW)).toMatchObject({ kind: 'resume' })
    }
  )

  it('reads statuses in any case', () => {
    expect(decide(gen1, () => ({ ...old, status: 'ISSUED' }), POLICY, NOW)).toMatchObject({
      kind: 'place',
      renewalOf: { id: 1 }
    })
    expect(decide(gen1, () => ({ id: 1, status: 'Canceled' }), POLICY, NOW)).toMatchObject({
      kind: 'stop'
    })
  })

  it('keeps the lowest live order of a generation, whatever the order listed', () => {
    expect(
      representative([
        { orderId: 7, status: 'pending' },
        { orderId: 3, status: 'canceled' },
        { orderId: 5, status: 'ISSUED' }
      ])
    ).toEqual({ orderId: 5, status: 'ISSUED' })
  })
})
