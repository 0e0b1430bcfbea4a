// Two runs that decide at the same moment both find no order and both place one. Afterwards each
// looks the key up until it sees its own order, and again once the settle window has passed since
// its POST was answered: the lowest live order ID is kept (kept.ts), and a run whose own order is
// higher withdraws it. CertCentral assigns IDs when a POST arrives but may list an order a moment
// later, in another order; by the end of the window every order whose POST arrived earlier is
// listed, so the run holding a higher ID sees the lower one. Later runs withdraw what a run whose
// timeout left no room for the window kept (withdrawDuplicates). Nothing is withdrawn that the
// lookup does not list under the run's key and whose info does not show that key and product.
import { CertCentralError } from '../certcentral/errors.js'
import {
  cancelOrder,
  findOrdersByAlternativeId,
  getOrder,
  rejectRequest,
  type AlternateOrder,
  type Api,
  type PlacedOrder
} from '../certcentral/orders.js'
import { duplicatesOf, keptOrder } from './kept.js'
import { mismatchOf } from './proof.js'
import { isLive, statusKind } from './status.js'

/**
 * How long after its POST was answered a run looks at its key a last time: longer than CertCentral
 * takes to list an order after assigning its ID (up to 2 s seen), with room to spare.
 */
export const SETTLE_WINDOW_MS = 5_000
/** The longest a run waits to see its own order listed, within the step's timeout. */
export const VISIBILITY_WAIT_MS = 60_000
const FIRST_LOOK_MS = 250
const MAX_LOOK_MS = 2_000

export type Settlement =
  | { kind: 'won'; note?: string }
  | { kind: 'lost'; winner: number; canceled: boolean; sentence: string }

/** The run's POST was answered, but the lookup never listed the order: later runs may order again. */
export class UnseenOrderError extends Error {
  constructor(
    readonly orderId: number,
    key: string,
    waitedMs: number
  ) {
    super(
      `Order ${orderId} was placed, but the lookup of its alternative order ID ${key} did not ` +
        `list it within ${Math.round(waitedMs / 1000)}s: later runs could not find it and could ` +
        "order again. Likely causes: the API key's user may not view the order (a limited role " +
        'or division), a proxy answers the lookup, or api-url points elsewhere. Check order ' +
        `${orderId} in CertCentral; to follow it, run with order-id: ${orderId}.`
    )
    this.name = 'UnseenOrderError'
  }
}

export interface SettleOptions {
  key: string
  product: string
  /** When the POST was answered (clock ms). */
  postedAt: number
  /** The settle window; SETTLE_WINDOW_MS unless a test shortens it. */
  settleMs?: number
  warn: (message: string) => void
}

export async function settleRace(
  api: Api,
  own: PlacedOrder,
  options: SettleOptions
): Promise<Settlement> {
  const { clock, deadline } = api.retry
  const { key, postedAt } = options
  let listed = await seeOwnOrder(api, own.id, key, postedAt)
  let note: string | undefined
  // Whether it keeps its order or follows another, a run decides on what is listed once every
  // order whose POST arrived before its own is: the lowest it sees then is the one all keep.
  const settledAt = postedAt + (options.settleMs ?? SETTLE_WINDOW_MS)
  if (settledAt > deadline) {
    note =
      `The step's timeout leaves no room for the settle window: this run settled on what the ` +
      `lookup showed (order ${keptOrder(listed)?.orderId ?? own.id} kept). Should another run ` +
      'have placed an order at the same moment, the next run withdraws the higher one.'
    options.warn(note)
  } else {
    if (settledAt > clock.now()) await clock.sleep(settledAt - clock.now())
    listed = await findOrdersByAlternativeId(api, key)
  }
  const kept = keptOrder(listed)
  if (kept === undefined || kept.orderId === own.id || !listed.some(o => o.orderId === own.id))
    return note === undefined ? { kind: 'won' } : { kind: 'won', note }

  // An issued order was not placed at the same moment: it existed, and the lookup before the POST
  // did not show it (a lookup that answered "none" wrongly, or an order listed late).
  const existed = statusKind(kept.status) === 'issued'
  const whose = existed
    ? `Order ${kept.orderId} (${kept.status}) already carried alternative order ID ${key}, though ` +
      'the lookup before ordering did not show it'
    : `Order ${kept.orderId} was placed at the same moment by another run with the same key`
  const reason =
    `Duplicate of order ${kept.orderId}: ` +
    (existed
      ? 'an order with this alternative order ID already existed'
      : 'another run ordered the same certificate at the same moment') +
    ` (alternative order ID ${key}); the lower order ID is kept.`
  const canceled = await withdraw(api, own.id, { ...options, reason })
  const sentence = canceled
    ? `${whose}; it has the lower ID and is kept: this run canceled its own order ${own.id} and ` +
      `follows ${kept.orderId}.`
    : `${whose}${existed ? '; it is kept' : ' and is kept'}, but this run could not cancel its ` +
      `own order ${own.id}: cancel ` +
      `order ${own.id} in CertCentral (Orders > ${own.id} > Cancel order), or it may be charged too.`
  return { kind: 'lost', winner: kept.orderId, canceled, sentence }
}

/** Looks the key up until it lists the order, within VISIBILITY_WAIT_MS and the step's timeout. */
async function seeOwnOrder(
  api: Api,
  orderId: number,
  key: string,
  postedAt: number
): Promise<AlternateOrder[]> {
  const { clock, deadline } = api.retry
  const until = Math.min(deadline, postedAt + VISIBILITY_WAIT_MS)
  for (let delay = FIRST_LOOK_MS; ; delay = Math.min(MAX_LOOK_MS, delay * 2)) {
    const listed = await findOrdersByAlternativeId(api, key)
    if (listed.some(order => order.orderId === orderId)) return listed
    if (clock.now() + delay > until)
      throw new UnseenOrderError(orderId, key, clock.now() - postedAt)
    await clock.sleep(delay)
  }
}

/**
 * A run that finds more than one live order under its newest key withdraws all but the one kept:
 * what a race left when a run's timeout gave it no settle window. Returns the sentences to log.
 */
export async function withdrawDuplicates(
  api: Api,
  orders: readonly AlternateOrder[],
  options: { key: string; product: string; warn: (message: string) => void }
): Promise<string[]> {
  const kept = keptOrder(orders)
  const sentences: string[] = []
  if (kept === undefined) return sentences
  for (const duplicate of duplicatesOf(orders)) {
    const reason =
      `Duplicate of order ${kept.orderId}: two runs ordered the same certificate at the same ` +
      `moment (alternative order ID ${options.key}); the lower order ID is kept.`
    const withdrawn = await withdraw(api, duplicate.orderId, { ...options, reason })
    if (withdrawn) {
      sentences.push(
        `Order ${duplicate.orderId} duplicated order ${kept.orderId} (both carry alternative ` +
          `order ID ${options.key}): withdrawn; order ${kept.orderId} is kept.`
      )
    } else {
      options.warn(
        `Orders ${kept.orderId} and ${duplicate.orderId} both carry alternative order ID ` +
          `${options.key} and are live: runs raced. Order ${kept.orderId} is used; order ` +
          `${duplicate.orderId} could not be withdrawn (CertCentral refused, or it is no longer ` +
          `its order's to withdraw). Cancel or reject order ${duplicate.orderId} in CertCentral ` +
          '(or ask DigiCert to revoke and refund it, if issued), so that it is not charged.'
      )
    }
  }
  return sentences
}

interface WithdrawOptions {
  key: string
  product: string
  reason: string
  warn: (message: string) => void
}

/**
 * Cancels an order the lookup listed under the run's key, once its info shows that key and the
 * run's product; DigiCert allows canceling pending and waiting_pickup orders. A request still
 * awaiting approval cannot be canceled but can be rejected, which ends the order the same way:
 * only a request that the order's info lists, and that still awaits a decision.
 */
async function withdraw(api: Api, orderId: number, options: WithdrawOptions): Promise<boolean> {
  const notWithdrawn = (why: string) => {
    options.warn(
      `Order ${orderId} was not withdrawn: it could not be proven to be this certificate's ` +
        `duplicate (${why}).`
    )
    return false
  }
  let info
  try {
    info = await getOrder(api, orderId)
  } catch (error) {
    return notWithdrawn(
      error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)
    )
  }
  const mismatch = mismatchOf(info, options.key, options.product, true)
  if (mismatch?.kind === 'key') {
    return notWithdrawn(`its info shows ${mismatch.shown ?? 'no'} alternative order ID`)
  }
  if (mismatch) {
    return notWithdrawn(`it is a ${mismatch.shown} order; this run orders ${options.product}`)
  }
  // Withdrawn already (by the run that placed it, or another run finishing the settling).
  if (!isLive(info.status)) return true
  const canceled = await attempt(() => cancelOrder(api, orderId, options.reason))
  if (canceled === 'done') return true
  const request = info.requests.find(r => r.status === 'pending' || r.status === 'submitted')
  if (canceled !== 'refused' || request === undefined) return false
  return (await attempt(() => rejectRequest(api, request.id, options.reason))) === 'done'
}

/** `refused`: CertCentral answered no (the order's status does not allow it); `failed`: no answer. */
async function attempt(call: () => Promise<void>): Promise<'done' | 'refused' | 'failed'> {
  try {
    await call()
    return 'done'
  } catch (error) {
    return error instanceof CertCentralError && error.status < 500 ? 'refused' : 'failed'
  }
}

/**
 * The settle window a test asked for (DIGICERT_TEST_SETTLE_WINDOW_MS, at most SETTLE_WINDOW_MS); not an input:
 * bundled test runs shorten it so that every run that places an order does not wait 5 s.
 */
export function testSettleWindow(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.DIGICERT_TEST_SETTLE_WINDOW_MS
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined
  return Math.min(Number(text), SETTLE_WINDOW_MS)
}
