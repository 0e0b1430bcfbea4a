// Which order this run works on: reuse the live certificate, resume an order on its way, renew
// ahead of expiry, or place the first order. A pure function of what the lookups returned and the
// clock, so that every case is a row of a table test; the requests that feed it are in survey.ts.
import {
  keyReissue,
  outlivesWindow,
  type ReissueFacts,
  type ReissueReason
} from './reissue-rule.js'
import { keptOrder } from './kept.js'
import { orderKind, statusKind } from './status.js'

/** An order as the alternate lookup lists it. */
export interface ListedOrder {
  orderId: number
  status: string
}

/** The orders carrying one generation's key. */
export interface Generation {
  generation: number
  key: string
  orders: ListedOrder[]
}

/** What the decision reads of an order's info. */
export interface OrderFacts extends ReissueFacts {
  id: number
  status: string
  /** certificate.valid_till: yyyy-MM-dd (or a date-time), once issued. */
  validTill?: string | undefined
  certificateId?: number | undefined
  /** date_created: when the order was placed. */
  dateCreated?: string | undefined
  /** The order this one renews. */
  renewalOfOrderId?: number | undefined
}

export interface Policy {
  /** Renew within this long of expiry; 0: never renew. */
  renewWithinMs: number
  /** Order the next generation after a person ended the newest order. */
  replaceEndedOrder: boolean
  /** SHA-256 of the CSR's public key (email provisioning): the issued certificate must carry it. */
  publicKeySha256?: string | undefined
}

export type Decision<T extends OrderFacts> =
  /**
   * The newest certificate is valid beyond the renewal window, or renewing it would not help:
   * nothing is ordered. `warning`: the sentence is a warning (a renewal that did not help).
   */
  | { kind: 'reuse'; current: T; sentence: string; warning?: true }
  /**
   * The newest order may still be issued: it is followed. `current` is the older certificate that
   * is still valid while that order (a renewal) is on its way: the run succeeds with it.
   */
  | { kind: 'resume'; order: T; current?: T; sentence: string }
  /** A new order of `generation`; a renewal of `renewalOf` when set. */
  | { kind: 'place'; generation: number; renewalOf?: T; current?: T; sentence: string }
  /** A person ended the newest order: not re-ordered unasked. */
  | { kind: 'stop'; order: T; current?: T; sentence: string }
  /**
   * The newest order gets a new certificate by a reissue (free): its certificate comes within
   * renew-within while the order runs on (`window`), or carries another key than the CSR (`key`).
   */
  | { kind: 'reissue'; order: T; reason: ReissueReason; sentence: string }
  /** A reissue of the newest order is on its way: followed, never sent again. */
  | { kind: 'reissuing'; order: T; reason: ReissueReason; sentence: string }

/** DigiCert accepts a renewal from 90 days before expiry. */
export const RENEWAL_WINDOW_MS = 90 * 86_400_000

/**
 * The order that stands for a generation: the one every run keeps (the live one with the lowest ID,
 * kept.ts), or else the newest of the ended ones.
 */
export function representative(orders: readonly ListedOrder[]): ListedOrder | undefined {
  return (
    keptOrder(orders) ??
    orders.reduce<ListedOrder | undefined>(
      (a, b) => (a === undefined || b.orderId > a.orderId ? b : a),
      undefined
    )
  )
}

/**
 * The orders whose info the decision needs, newest first: the newest generation's, and, when that
 * one is not issued, the one before it (the certificate that may still be valid meanwhile).
 */
export function ordersToRead(generations: readonly Generation[]): number[] {
  const [newest, previous] = representatives(generations)
  if (newest === undefined) return []
  const ids = [newest.orderId]
  if (
    statusKind(newest.status) !== 'issued' &&
    previous &&
    statusKind(previous.status) === 'issued'
  )
    ids.push(previous.orderId)
  return ids
}

/** The end of a certificate's validity: the end of its valid_till day (UTC), or the instant given. */
export function expiresAt(validTill: string | undefined): number | undefined {
  if (validTill === undefined) return undefined
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(validTill)
  const time = day ? Date.parse(`${validTill}T23:59:59.999Z`) : Date.parse(validTill)
  return Number.isNaN(time) ? undefined : time
}

export function decide<T extends OrderFacts>(
  generations: readonly Generation[],
  /** The order's info when it was read; otherwise built from what the lookup said. */
  read: (listed: ListedOrder) => T,
  policy: Policy,
  now: number,
  /** The order that renewed this one, read and checked, when its info says it was renewed. */
  renewalOf: (order: T) => T | undefined = () => undefined
): Decision<T> {
  const [newestListed, previousListed] = representatives(generations)
  const newestGeneration = generations.findLast(g => g.orders.length > 0)
  if (newestListed === undefined || newestGeneration === undefined) {
    return {
      kind: 'place',
      generation: 1,
      sentence: 'No order carries this certificate’s key yet: placing the first order.'
    }
  }
  const next = newestGeneration.generation + 1
  // Renewed elsewhere (automatic renewal, the console) or by an earlier key: its renewal is the
  // newest order, and the order it renewed the certificate in use meanwhile.
  const listedNewest = read(newestListed)
  const renewal = renewalOf(listedNewest)
  const newest = renewal ?? listedNewest
  const previous = renewal ? listedNewest : previousListed && read(previousListed)
  const current = previous && isValid(previous, now) ? previous : undefined
  const validNote = current
    ? ` The certificate of order ${current.id} stays in use until ${until(current)}.`
    : ''

  switch (orderKind(newest)) {
    case 'issued': {
      const end = expiresAt(newest.validTill)
      if (end !== undefined && end <= now) {
        return {
          kind: 'place',
          generation: next,
          sentence:
            `The certificate of order ${newest.id} expired on ${newest.validTill}: placing a new ` +
            `order (generation ${next}).`
        }
      }
      // Only an unexpired certificate can be reissued.
      const reissue = keyReissue(newest, policy.publicKeySha256)
      if (reissue) return { ...reissue, order: newest }
      if (end === undefined) {
        return {
          kind: 'reuse',
          current: newest,
          sentence:
            `Reusing the certificate of order ${newest.id}; CertCentral did not say when it ` +
            'expires, so its renewal cannot be judged: nothing is ordered.'
        }
      }
      const left = end - now
      if (
        policy.renewWithinMs > 0 &&
        left <= policy.renewWithinMs &&
        outlivesWindow(newest, end, policy.renewWithinMs, now)
      ) {
        return {
          kind: 'reissue',
          order: newest,
          reason: 'window',
          sentence:
            `The certificate of order ${newest.id} expires on ${newest.validTill}, within ` +
            `renew-within (${days(policy.renewWithinMs)}), but the order runs till ` +
            `${newest.orderValidTill}: reissuing it (free); no new order is placed.`
        }
      }
      if (
        policy.renewWithinMs > 0 &&
        left <= policy.renewWithinMs &&
        bornInWindow(newest, end, policy)
      ) {
        return {
          kind: 'reuse',
          current: newest,
          warning: true,
          sentence:
            `Reusing the certificate of order ${newest.id}, valid till ${newest.validTill}, ` +
            `without renewing it: it renews order ${newest.renewalOfOrderId} and already ended ` +
            `within renew-within (${days(policy.renewWithinMs)}) of its order date, so another ` +
            'renewal would not move the expiry out of the window either (a custom-expiration-date?). ' +
            `Renew it in CertCentral, or lower renew-within, before ${newest.validTill}.`
        }
      }
      if (policy.renewWithinMs > 0 && left <= policy.renewWithinMs) {
        return {
          kind: 'place',
          generation: next,
          renewalOf: newest,
          current: newest,
          sentence:
            `The certificate of order ${newest.id} expires on ${newest.validTill}, within ` +
            `renew-within (${days(policy.renewWithinMs)}): renewing it (generation ${next}); ` +
            'DigiCert adds the time it has left to the new certificate.'
        }
      }
      return {
        kind: 'reuse',
        current: newest,
        sentence:
          `Reusing the certificate of order ${newest.id}, valid till ${newest.validTill}` +
          (policy.renewWithinMs > 0
            ? ` (renewal from ${renewalStart(end, policy.renewWithinMs)})`
            : ' (renewal is off)') +
          ': nothing is ordered.'
      }
    }
    case 'on-its-way':
      return {
        kind: 'resume',
        order: newest,
        ...(current && { current }),
        sentence: current
          ? `Renewal order ${newest.id} is ${newest.status}: following it; no new order is placed.${validNote}`
          : `Order ${newest.id} is ${newest.status}: resuming it; no new order is placed.`
      }
    case 'expired':
      return {
        kind: 'place',
        generation: next,
        sentence: `Order ${newest.id} has expired: placing a new order (generation ${next}).`
      }
    case 'ended': {
      if (!policy.replaceEndedOrder) {
        return {
          kind: 'stop',
          order: newest,
          ...(current && { current }),
          sentence:
            `Order ${newest.id}, the newest of this certificate, is ${newest.status}: a person ` +
            'ended it, so the action does not order again on its own. Find out why in ' +
            'CertCentral; to order a replacement, run with replace-ended-order: true.' +
            validNote
        }
      }
      // Renewing the certificate still valid carries its remaining time over to the replacement.
      const renewable =
        current && (expiresAt(current.validTill) ?? Infinity) - now <= RENEWAL_WINDOW_MS
      return {
        kind: 'place',
        generation: next,
        ...(renewable && { renewalOf: current }),
        ...(current && { current }),
        sentence:
          `Order ${newest.id} is ${newest.status}; replace-ended-order is set: placing a new ` +
          `order (generation ${next})${renewable ? ` that renews order ${current.id}` : ''}.` +
          validNote
      }
    }
  }
}

/** The representatives of the newest generation with orders and of the one before it. */
function representatives(
  generations: readonly Generation[]
): [ListedOrder | undefined, ListedOrder | undefined] {
  const withOrders = generations.filter(g => g.orders.length > 0)
  const newest = withOrders.at(-1)
  const previous = withOrders.at(-2)
  return [newest && representative(newest.orders), previous && representative(previous.orders)]
}

/**
 * A renewal whose certificate ends within the renewal window of the day it was ordered: renewing
 * did not move the expiry out of the window (a custom expiration date), so renewing again would
 * pay again for the same.
 */
function bornInWindow(order: OrderFacts, end: number, policy: Policy): boolean {
  if (order.renewalOfOrderId === undefined || order.dateCreated === undefined) return false
  const created = Date.parse(order.dateCreated.replace(' ', 'T'))
  return !Number.isNaN(created) && end - created <= policy.renewWithinMs
}

function isValid(order: OrderFacts, now: number): boolean {
  if (orderKind(order) !== 'issued') return false
  const end = expiresAt(order.validTill)
  return end === undefined || end > now
}

function until(order: OrderFacts): string {
  return order.validTill ?? 'its expiry'
}

function days(ms: number): string {
  const count = Math.round(ms / 86_400_000)
  return count === 1 ? '1 day' : `${count} days`
}

function renewalStart(end: number, windowMs: number): string {
  return new Date(end - windowMs).toISOString().slice(0, 10)
}
