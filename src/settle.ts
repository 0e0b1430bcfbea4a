// After its POST: the order this run follows, its own or the one another run placed first at the
// same moment (chain/race.ts settles the race). Only the real run comes here; a dry run never posts.
import type { Api, PlacedOrder } from './certcentral/orders.js'
import { settleRace, type SettleOptions } from './chain/race.js'
import type { Submission } from './submit.js'

export interface Followed {
  orderId: number
  /** Set when the order followed is the one this run placed. */
  placed?: PlacedOrder
  /** What happened instead, for the log and the summary. */
  note?: string
}

export interface SettleVoice extends SettleOptions {
  info: (line: string) => void
  /** Told of the order the run follows the moment it is known (`placed`: this run's own). */
  known: (orderId: number, placed: boolean) => void
}

/** The order this run follows after its POST: its own, or the one another run placed first. */
export async function settle(
  api: Api,
  submission: Submission,
  options: SettleVoice
): Promise<Followed> {
  const { info, known, ...settleOptions } = options
  if (submission.kind === 'found') {
    const { orderId, status } = submission.existing
    known(orderId, false)
    const note =
      `Order ${orderId} (status ${status}) already carries alternative order ID ${options.key}: ` +
      'another run placed it; this run follows it, and placed no order of its own.'
    info(note)
    return { orderId, note }
  }
  const own = submission.order
  // Written at once: whatever fails from here on, the step names the order it has just paid for.
  known(own.id, true)
  const request = own.requests[0]
  info(
    `Placed order ${own.id}` +
      (request ? ` (request ${request.id}: ${request.status})` : '') +
      (own.certificateId ? `, certificate ID ${own.certificateId}` : '') +
      '.'
  )
  const settlement = await settleRace(api, own, settleOptions)
  if (settlement.kind === 'won') {
    return { orderId: own.id, placed: own, ...(settlement.note && { note: settlement.note }) }
  }
  if (settlement.canceled) info(settlement.sentence)
  else options.warn(settlement.sentence)
  return { orderId: settlement.winner, note: settlement.sentence }
}
