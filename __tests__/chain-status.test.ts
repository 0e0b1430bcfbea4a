// Order statuses in the four kinds the decisions need, as CertCentral sends them: every known
// status, in any case, an unknown one, and the older answers that keep `approved` or
// `waiting_pickup` once the certificate is issued.
import { describe, expect, it } from 'vitest'
import {
  isKnownStatus,
  isLive,
  orderKind,
  ORDER_STATUSES,
  statusKind,
  type StatusKind
} from '../src/chain/status.js'

const KINDS: [string, StatusKind][] = [
  ['needs_approval', 'on-its-way'],
  ['pending', 'on-its-way'],
  ['processing', 'on-its-way'],
  ['approved', 'on-its-way'],
  ['needs_csr', 'on-its-way'],
  ['waiting_pickup', 'on-its-way'],
  ['reissue_pending', 'issued'],
  ['issued', 'issued'],
  ['rejected', 'ended'],
  ['denied', 'ended'],
  ['canceled', 'ended'],
  ['revoked', 'ended'],
  ['expired', 'expired']
]

describe('a status', () => {
  it('has its kind, in any case', () => {
    expect(KINDS.map(([status]) => status)).toEqual([...ORDER_STATUSES])
    for (const [status, kind] of KINDS) {
      expect(statusKind(status), status).toBe(kind)
      expect(statusKind(status.toUpperCase()), status).toBe(kind)
      expect(isKnownStatus(status), status).toBe(true)
      expect(isLive(status), status).toBe(kind === 'issued' || kind === 'on-its-way')
    }
  })

  it('unknown is on its way: waited for, never ordered again', () => {
    expect(isKnownStatus('on_hold')).toBe(false)
    expect(isKnownStatus('ISSUED')).toBe(false)
    expect(isKnownStatus('')).toBe(false)
    expect(statusKind('on_hold')).toBe('on-its-way')
    expect(isLive('on_hold')).toBe(true)
  })
})

describe('an order', () => {
  const certified = { certificateId: 5, validTill: '2027-01-01' }
  it('approved or waiting_pickup with its certificate ID and end counts as issued', () => {
    for (const status of ['approved', 'WAITING_PICKUP', 'waiting_pickup', 'Approved'])
      expect(orderKind({ status, ...certified }), status).toBe('issued')
  })

  it('without either of them is on its way, and other statuses keep their kind', () => {
    expect(orderKind({ status: 'approved', certificateId: 5 })).toBe('on-its-way')
    expect(orderKind({ status: 'waiting_pickup', validTill: '2027-01-01' })).toBe('on-its-way')
    expect(orderKind({ status: 'pending', ...certified })).toBe('on-its-way')
    expect(orderKind({ status: 'revoked', ...certified })).toBe('ended')
    expect(orderKind({ status: 'issued' })).toBe('issued')
  })
})
