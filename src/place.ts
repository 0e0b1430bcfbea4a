// One decision per run: reuse the live certificate, resume an order on its way, renew ahead of
// expiry, reissue within a paid order, or place the first order; then, for a new order, place it
// exactly once and settle any race with another run (settle.ts). The survey and the decision are
// plan.ts, shared with the dry run; the effects (withdrawals, reissue, POST) are only here.
import type { Voice } from './door.js'
import type { ParsedInputs, Settings } from './inputs.js'
import type { Api, OrderInfo } from './certcentral/orders.js'
import type { Decision } from './chain/decide.js'
import { generationKey } from './order/chain-key.js'
import { testSettleWindow, withdrawDuplicates } from './chain/race.js'
import { afterRefusedRenewal } from './chain/renewed.js'
import { optional } from './order/optional.js'
import { redactOrderBody } from './order/redact.js'
import type { OrderBody } from './order/types.js'
import { planOrder, type OrderPlan } from './plan.js'
import { settle } from './settle.js'
import { submitOnce, type Submission } from './submit.js'
import { preflight } from './preflight/run.js'
import { reissue, reissueOutcome } from './reissue.js'
import { orderFields, type Outcome, type OrderAction } from './result.js'

/** The decision to stop: the newest order of the chain was ended by a person. */
export interface Stop {
  readonly kind: 'stop'
  readonly decision: string
  readonly ended: OrderInfo
}

/** An order ID the run has just learnt (from a POST answer or a lookup), with what it did. */
export interface KnownOrder {
  readonly orderId: number
  readonly action: OrderAction
  readonly decision: string
  readonly alternativeOrderId?: string
}

/** How placeOrResume speaks, and whom it tells of an order ID the moment it has one. */
export interface PlaceVoice extends Voice {
  known?: (order: KnownOrder) => void
}

export async function placeOrResume(
  api: Api,
  { settings, plan }: ParsedInputs,
  env: NodeJS.ProcessEnv,
  voice: PlaceVoice,
  now: () => number
): Promise<Outcome | Stop> {
  const base = {
    product: settings.product,
    provisioningMethod: settings.provisioningMethod,
    origin: 'found' as const,
    notes: []
  }
  if (plan.kind === 'resume') {
    const decision = `Resuming order ${plan.orderId} (order-id): no new order is placed.`
    voice.info(decision)
    return { ...base, action: 'resumed', decision, orderId: plan.orderId, newOrganization: false }
  }
  const newOrganization = plan.body.organization.id === undefined
  const { baseKey, newest, decision } = await planOrder(api, plan, settings, env, voice.info, now)
  if (newest) {
    const withdrawn = await withdrawDuplicates(api, newest.orders, {
      key: newest.key,
      product: settings.product,
      warn: voice.warn
    })
    for (const sentence of withdrawn) voice.info(sentence)
  }
  if (decision.kind === 'reuse' && decision.warning) voice.warn(decision.sentence)
  else voice.info(decision.sentence)
  const common = { ...base, newOrganization, decision: decision.sentence }

  switch (decision.kind) {
    case 'reuse':
      return { ...common, action: 'reused', ...orderFields(decision.current) }
    case 'resume':
      return {
        ...common,
        action: 'resumed',
        ...(decision.current
          ? { ...orderFields(decision.current), renewal: orderFields(decision.order) }
          : orderFields(decision.order))
      }
    case 'stop':
      return { kind: 'stop', decision: decision.sentence, ended: decision.order }
    case 'reissuing':
      return reissueOutcome(common, decision.order, { reason: decision.reason })
    case 'reissue': {
      // Known before the reissue is sent: a refusal fails the step naming the order.
      voice.known?.({
        orderId: decision.order.id,
        action: decision.reason === 'window' ? 'reused' : 'resumed',
        decision: decision.sentence,
        alternativeOrderId: newest?.key ?? baseKey
      })
      // Only a signature-hash given is sent and checked: one the product does not allow stops here.
      if (plan.givenSignatureHash !== undefined)
        await preflight(api, { settings, plan }, voice, new Date(now()), 'reissue')
      const done = await reissue(api, decision.order, {
        reason: decision.reason,
        key: newest?.key ?? baseKey,
        product: settings.product,
        body: plan.body,
        signatureHash: plan.givenSignatureHash,
        say: voice.info
      })
      const outcome = reissueOutcome(common, decision.order, done.reissue)
      return done.note ? { ...outcome, notes: [done.note] } : outcome
    }
    case 'place':
      return place(api, plan, settings, { baseKey, decision, voice, common, now, env })
  }
}

interface PlaceContext {
  baseKey: string
  decision: Extract<Decision<OrderInfo>, { kind: 'place' }>
  voice: PlaceVoice
  common: Omit<Outcome, 'action' | 'orderId'> & { origin: 'found' }
  now: () => number
  env: NodeJS.ProcessEnv
}

async function place(
  api: Api,
  plan: OrderPlan,
  settings: Settings,
  { baseKey, decision, voice, common, now, env }: PlaceContext
): Promise<Outcome> {
  const key = generationKey(baseKey, decision.generation)
  const body: OrderBody & { alternative_order_id: string } = {
    ...plan.body,
    alternative_order_id: key,
    ...(decision.renewalOf && { renewal_of_order_id: decision.renewalOf.id })
  }
  voice.debug(`Order body: ${JSON.stringify(redactOrderBody(body))}`)
  // Only an order about to be placed is diagnosed (never one reused or resumed); a finding that
  // stops the order in the preflight mode (block, fail) stops here, before anything is paid for.
  await preflight(api, { settings, plan }, voice)
  // The survey has just looked this key up: the first POST goes without another lookup.
  let submission: Submission
  try {
    submission = await submitOnce(
      api,
      settings.product,
      body,
      { warning: voice.warn },
      { lookedUp: true }
    )
  } catch (error) {
    // A renewal refused because the order was renewed already (in the console, or by automatic
    // renewal): that renewal is followed instead.
    const refused =
      decision.renewalOf &&
      (await afterRefusedRenewal(api, error, decision.renewalOf, settings.product))
    if (!refused) throw error
    voice.warn(refused.sentence)
    const outcome = { ...common, notes: [refused.sentence] }
    return refused.kind === 'reuse'
      ? { ...outcome, action: 'reused', ...orderFields(refused.order) }
      : {
          ...outcome,
          action: 'resumed',
          ...orderFields(refused.current),
          renewal: orderFields(refused.renewal)
        }
  }
  const placedAction = decision.renewalOf ? 'renewal-placed' : 'placed'
  const followed = await settle(api, submission, {
    key,
    product: settings.product,
    postedAt: now(),
    ...optional('settleMs', testSettleWindow(env)),
    warn: voice.warn,
    info: voice.info,
    known: (orderId, placed) =>
      voice.known?.({
        orderId,
        action: placed ? placedAction : 'resumed',
        decision: decision.sentence,
        alternativeOrderId: key
      })
  })
  const action = followed.placed ? placedAction : 'resumed'
  const outcome = { ...common, action, notes: followed.note ? [followed.note] : [] } as const
  if (decision.current) {
    // A renewal (or a replacement) while the certificate in use is still valid: the run succeeds
    // with that certificate and hands on the new order as renewal-order-id.
    return {
      ...outcome,
      ...orderFields(decision.current),
      renewal: {
        orderId: followed.orderId,
        alternativeOrderId: key,
        ...(followed.placed && { placed: followed.placed })
      }
    }
  }
  const described = { ...outcome, orderId: followed.orderId, alternativeOrderId: key }
  return followed.placed ? { ...described, origin: 'placed', placed: followed.placed } : described
}
