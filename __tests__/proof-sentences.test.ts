// src/chain/proof.ts as a table: which order infos prove an order the run's, and the whole sentence
// a run stops with when one does not. How a run comes to them is in proof.test.ts.
import { describe, expect, it } from 'vitest'
import type { OrderInfo } from '../src/certcentral/orders.js'
import {
  ChainMismatchError,
  checkListedOrder,
  checkRenewal,
  mismatchOf
} from '../src/chain/proof.js'

const order = (more: Partial<OrderInfo> = {}): OrderInfo => ({
  id: 7,
  status: 'issued',
  requests: [],
  ...more
})

const failure = (check: () => void): unknown => {
  try {
    check()
  } catch (error) {
    return error
  }
  return undefined
}

describe('checkListedOrder', () => {
  it.each([
    ['the key and product', { alternativeOrderId: 'k', product: 'code_signing' }],
    ['no key and no product (the info omits them)', {}],
    ['the key, no product', { alternativeOrderId: 'k' }]
  ])('accepts an order whose info shows %s', (_, more) => {
    expect(failure(() => checkListedOrder(order(more), 'k', 'code_signing'))).toBeUndefined()
  })

  it.each([
    [
      'another key',
      { alternativeOrderId: 'other', product: 'code_signing' },
      "Order 7, listed by the lookup of alternative order ID k, carries the alternative order ID other in its info: it is not this certificate's order (k and other differ), so it is neither reused nor renewed, and nothing was ordered. Check api-url and the order in CertCentral."
    ],
    [
      'another product',
      { alternativeOrderId: 'k', product: 'code_signing_ev' },
      'Order 7, listed under alternative order ID k, is a code_signing_ev order, but this run orders code_signing: it is not this certificate (code_signing_ev and code_signing differ), so it is neither reused nor renewed, and nothing was ordered. Give this product its own alternative-order-id, or set product to the one ordered before.'
    ]
  ])('refuses an order whose info shows %s', (_, more, sentence) => {
    const error = failure(() => checkListedOrder(order(more), 'k', 'code_signing'))
    expect(error).toBeInstanceOf(ChainMismatchError)
    expect(error).toMatchObject({ name: 'ChainMismatchError', message: sentence })
  })
})

describe('checkRenewal', () => {
  const renewed = order({ id: 7 })

  it.each([
    ['names the order and shows the product', { renewalOfOrderId: 7, product: 'code_signing' }],
    ['names the order and omits the product', { renewalOfOrderId: 7 }]
  ])('accepts a renewal that %s', (_, more) => {
    const renewal = order({ id: 8, ...more })
    expect(failure(() => checkRenewal(renewal, renewed, 'code_signing'))).toBeUndefined()
  })

  it.each([
    [
      'names no order it renews',
      {},
      'Order 7 says order 8 renewed it, but order 8 names no order it renews: the two do not match, so order 8 is not used and nothing was ordered. Check both orders in CertCentral.'
    ],
    [
      'renews another order',
      { renewalOfOrderId: 6 },
      'Order 7 says order 8 renewed it, but order 8 renews order 6: the two do not match, so order 8 is not used and nothing was ordered. Check both orders in CertCentral.'
    ],
    [
      'is of another product',
      { renewalOfOrderId: 7, product: 'code_signing_ev' },
      'Order 8, the renewal of order 7, is a code_signing_ev order, but this run orders code_signing: it is not this certificate (code_signing_ev and code_signing differ), so it is neither reused nor renewed, and nothing was ordered. Give this product its own alternative-order-id, or set product to the one ordered before.'
    ]
  ])('refuses a renewal that %s', (_, more, sentence) => {
    const error = failure(() => checkRenewal(order({ id: 8, ...more }), renewed, 'code_signing'))
    expect(error).toBeInstanceOf(ChainMismatchError)
    expect(error).toMatchObject({ name: 'ChainMismatchError', message: sentence })
  })
})

describe('mismatchOf', () => {
  it.each([
    [
      'key and product shown',
      { alternativeOrderId: 'k', product: 'code_signing' },
      false,
      undefined
    ],
    [
      'key and product shown, strict',
      { alternativeOrderId: 'k', product: 'code_signing' },
      true,
      undefined
    ],
    ['nothing shown', {}, false, undefined],
    ['nothing shown, strict', {}, true, { kind: 'key', shown: undefined }],
    ['another key', { alternativeOrderId: 'x' }, false, { kind: 'key', shown: 'x' }],
    [
      'another key and product',
      { alternativeOrderId: 'x', product: 'code_signing_ev' },
      false,
      { kind: 'key', shown: 'x' }
    ],
    [
      'another product',
      { product: 'code_signing_ev' },
      false,
      { kind: 'product', shown: 'code_signing_ev' }
    ],
    [
      'another product, the key shown, strict',
      { alternativeOrderId: 'k', product: 'code_signing_ev' },
      true,
      { kind: 'product', shown: 'code_signing_ev' }
    ]
  ] as [string, Partial<OrderInfo>, boolean, unknown][])('%s', (_, more, strict, expected) => {
    expect(mismatchOf(order(more), 'k', 'code_signing', strict)).toEqual(expected)
  })

  it('asks nothing of the key when none is given (a renewal made elsewhere carries none)', () => {
    expect(
      mismatchOf(order({ alternativeOrderId: 'x' }), undefined, 'code_signing', true)
    ).toBeUndefined()
  })
})
