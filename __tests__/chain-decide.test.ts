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
      'reuses a certificate being reissued',
      [[[1, 'reissue_pending', '2027-06-01']]],
      { kind: 'reuse' }
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
