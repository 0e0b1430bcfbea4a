// Waiting for an order: when to poll (a pure schedule) and the loop that polls.
import type { Clock } from './clock.js'
import { getOrder, type Api, type OrderInfo } from './certcentral/orders.js'
import { isTransient } from './certcentral/retry.js'
import { reissuePending } from './chain/reissue-rule.js'
import { isKnownStatus, orderKind, statusKind, type OrderStatus } from './chain/status.js'
import { quoted } from './server-text.js'
import { formatDuration } from './duration.js'
import { MIN_POLL_MS } from './intervals.js'

export type Goal = 'certificate-id' | 'issued'

/** Polls back off to this interval (or to poll-interval, if that is longer). */
export const POLL_CAP_MS = 70_000
/** Each delay grows by this share of the time already waited. */
export const POLL_GROWTH = 0.1
/**
 * Delays are shortened at random by 5% to 10%, so that jobs sharing a key spread out, and so that
 * the poll's own round trip fits within the detection latency promised below.
 */
export const POLL_JITTER = { least: 0.05, most: 0.1 } as const
/** A wait of hours logs at least this often, so that a waiting step is not taken for a hung one. */
export const HEARTBEAT_MS = 600_000

/**
 * The delay before the next poll, after `elapsedMs` of waiting: poll-interval plus 10% of the time
 * already waited, capped, less 5-10%. A certificate that appears is noticed within that delay, so
 * the detection latency stays within poll-interval + 10% of the wait, and never above the cap; a
 * long wait costs few requests: with the defaults at most 81 in an hour and 366 in six hours,
 * counting the pre-flight's four GETs, the lookups and the order (see docs/benchmarks.md).
 */
export function nextPollDelay(elapsedMs: number, initialMs: number, random: number): number {
  const cap = Math.max(POLL_CAP_MS, initialMs)
  const target = Math.min(cap, initialMs + POLL_GROWTH * elapsedMs)
  const shortening = POLL_JITTER.least + (POLL_JITTER.most - POLL_JITTER.least) * random
  return Math.max(MIN_POLL_MS, Math.round(target * (1 - shortening)))
}

/** Ended by a person, or expired: the order will not be issued. */
function hasEnded(status: string): boolean {
  const kind = statusKind(status)
  return kind === 'ended' || kind === 'expired'
}

/** What an order in each waiting status is waiting for, for the log. */
const WAITING_FOR: Readonly<Partial<Record<OrderStatus, string>>> = {
  needs_approval: 'an administrator to approve the request in CertCentral',
  pending: 'DigiCert to validate the organization',
  processing: 'DigiCert to process the order',
  waiting_pickup: 'the certificate to be picked up',
  reissue_pending: 'a reissue to complete',
  // Seen in real clients' answers, not on DigiCert's order-info page.
  approved: 'DigiCert to validate and issue the approved order',
  needs_csr: 'a CSR to be submitted for the order in CertCentral'
}

/** The warning for a status the action does not know; the status is server text, so quoted. */
export function unknownStatusWarning(orderId: number, status: string): string {
  return (
    `Order ${orderId} has the status ${quoted(status)}, which this action does not know: it ` +
    'polls on until the order is issued, ends or the timeout comes. Check the order in CertCentral.'
  )
}

/**
 * A status and what the order waits for in it. `product` is the order's, when known: only an EV
 * order also waits for a verified contact to approve it.
 */
export function describeStatus(status: string, product?: string): string {
  if (!isKnownStatus(status)) return quoted(status)
  const waitingFor = WAITING_FOR[status]
  if (!waitingFor) return status
  const ev = status === 'pending' && product === 'code_signing_ev'
  return `${status}: waiting for ${waitingFor}${ev ? ' and a verified contact to approve the order' : ''}`
}

/** `replaces`: the certificate a reissue replaces, which does not count (it is not the new key's). */
export function isReached(info: OrderInfo, goal: Goal, replaces?: number): boolean {
  if (replaces !== undefined && (info.certificateId ?? replaces) === replaces) return false
  if (orderKind(info) === 'issued') return true
  return goal === 'certificate-id' && info.certificateId !== undefined
}

/** The order ended without the certificate the goal needs. */
export class OrderEndedError extends Error {
  constructor(
    readonly info: OrderInfo,
    message = `Order ${info.id} is ${info.status}: it will not be issued.`
  ) {
    super(message)
    this.name = 'OrderEndedError'
  }
}

/**
 * This run's reissue (its request `requestId`) ended without a certificate: the order info lists
 * that request as rejected (a person canceled or rejected it in CertCentral) and no reissue is on
 * its way. The order keeps the certificate it had.
 */
export function reissueEnded(info: OrderInfo, requestId: number | undefined): boolean {
  return (
    requestId !== undefined &&
    !reissuePending(info) &&
    info.requests.some(r => r.id === requestId && r.status.toLowerCase() === 'rejected')
  )
}

/** The deadline came first. The order goes on at DigiCert and can be resumed. */
export class WaitTimeoutError extends Error {
  /** `info` is the last order info read, if any poll succeeded. */
  constructor(
    readonly orderId: number,
    readonly info: OrderInfo | undefined
  ) {
    super(
      info
        ? `Order ${orderId} is still ${describeStatus(info.status, info.product)}.`
        : `Order ${orderId} could not be read before the timeout.`
    )
    this.name = 'WaitTimeoutError'
  }
}

export interface WaitOptions {
  goal: Goal
  /** Waiting for a reissue: the certificate it replaces does not reach the goal. */
  replaces?: number | undefined
  /** The request of the reissue this run sent: a wait that ends when it is rejected. */
  reissueRequestId?: number | undefined
  initialPollMs: number
  deadline: number
  clock: Clock
  log: (message: string) => void
  warn: (message: string) => void
  /** Called after each poll CertCentral answered, whatever the status. */
  seen?: (info: OrderInfo) => void
}

/** The log line for an order's status; the first one also says when the order was created. */
export function statusLine(info: OrderInfo, first: boolean): string {
  const created = first && info.dateCreated ? ` (created ${info.dateCreated})` : ''
  return `Order ${info.id}${created}: ${describeStatus(info.status, info.product)}`
}

/** The line a long wait logs when nothing else was logged for HEARTBEAT_MS. */
export function heartbeatLine(
  orderId: number,
  last: OrderInfo | undefined,
  waitedMs: number,
  nextPollMs: number
): string {
  const state = last ? `still ${describeStatus(last.status, last.product)}` : 'not read yet'
  return `Order ${orderId} ${state}; waited ${formatDuration(waitedMs)}, next poll in ${formatDuration(nextPollMs)}.`
}

/**
 * Polls until the goal is reached, the order ends, or the deadline. A poll that fails for a while
 * (its retries spent) does not end a wait of hours: the next poll may well succeed.
 */
export async function waitForOrder(
  api: Api,
  orderId: number,
  options: WaitOptions
): Promise<OrderInfo> {
  const { clock } = options
  const start = clock.now()
  let last: OrderInfo | undefined
  // Each unknown status is warned about once, not at every poll.
  const warned = new Set<string>()
  let lastLineAt = start
  for (;;) {
    const info = await poll(api, orderId, options)
    if (info) {
      options.seen?.(info)
      if (info.status !== last?.status) {
        options.log(statusLine(info, last === undefined))
        lastLineAt = clock.now()
      }
      if (!isKnownStatus(info.status) && !warned.has(info.status)) {
        warned.add(info.status)
        options.warn(unknownStatusWarning(orderId, info.status))
      }
      last = info
      if (hasEnded(info.status)) throw new OrderEndedError(info)
      if (isReached(info, options.goal, options.replaces)) return info
      if (reissueEnded(info, options.reissueRequestId)) {
        throw new OrderEndedError(
          info,
          `The reissue of order ${orderId} ended without a certificate: the order info shows its ` +
            `request ${options.reissueRequestId} rejected (canceled or rejected in CertCentral), ` +
            'and the order keeps the certificate it had. Nothing more was sent; the next run ' +
            'reissues the order again if its certificate is still of another key than the CSR.'
        )
      }
    }
    const remaining = options.deadline - clock.now()
    if (remaining <= 0) throw new WaitTimeoutError(orderId, last)
    const delay = nextPollDelay(clock.now() - start, options.initialPollMs, clock.random())
    // The last poll falls on the deadline, so a certificate that appears just before it is seen.
    const pollAt = clock.now() + Math.min(delay, Math.max(remaining, MIN_POLL_MS))
    // While the status stays, a line every HEARTBEAT_MS, even between polls far apart.
    while (lastLineAt + HEARTBEAT_MS < pollAt) {
      await clock.sleep(Math.max(0, lastLineAt + HEARTBEAT_MS - clock.now()))
      lastLineAt = clock.now()
      options.log(heartbeatLine(orderId, last, lastLineAt - start, pollAt - lastLineAt))
    }
    await clock.sleep(Math.max(0, pollAt - clock.now()))
  }
}

/** One order-info read; undefined when it failed in a way the next poll may not. */
async function poll(
  api: Api,
  orderId: number,
  options: WaitOptions
): Promise<OrderInfo | undefined> {
  try {
    return await getOrder(api, orderId)
  } catch (error) {
    if (!isTransient(error)) throw error
    options.warn(`Could not read order ${orderId} (${error.message.split('\n')[0]}); polling on.`)
    return undefined
  }
}
