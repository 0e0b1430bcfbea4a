// One decision per run: reuse the live certificate, resume an order on its way, renew ahead of
// expiry, or place the first order; then, for a new order, place it exactly once and settle any
// race with another run. The decision itself is pure (chain/decide.ts); this is its edge.
import * as core from '@actions/core'
import { info } from './log.js'
import type { ParsedInputs, Settings } from './inputs.js'
import type { Api, OrderInfo, PlacedOrder } from './certcentral/orders.js'
import { decide, type Decision } from './chain/decide.js'
import { defaultBaseKey, generationKey } from './chain/identity.js'
import {
  settleRace,
  testSettleWindow,
  withdrawDuplicates,
  type SettleOptions
} from './chain/race.js'
import { afterRefusedRenewal } from './chain/renewed.js'
import { survey } from './chain/survey.js'
import { optional } from './order/optional.js'
import { redactOrderBody } from './order/redact.js'
import type { OrderBody, Product, ProvisioningMethod } from './order/types.js'
import type { IssuedCertificate } from './certificate.js'
import { submitOnce, type Submission } from './submit.js'
import { preflight } from './preflight/run.js'
import { reissue, type PendingReissue } from './reissue.js'

type OrderPlan = Extract<ParsedInputs['plan'], { kind: 'order' }>

/** What the run did about the order, the `order-action` output. */
export type OrderAction = 'reused' | 'resumed' | 'placed' | 'renewal-placed' | 'reissue-placed'

/** A new order on its way while the certificate the outputs describe is still valid. */
export interface PendingRenewal {
  orderId: number
  alternativeOrderId?: string
  placed?: PlacedOrder
  info?: OrderInfo
}

/** What is known of the run and of the order the outputs describe, however the run came to it. */
interface OutcomeFacts {
  action: OrderAction
  /** The decision, as the one plain sentence the log showed. */
  decision: string
  product: Product
  provisioningMethod: ProvisioningMethod
  orderId: number
  alternativeOrderId?: string
  /** The body described a new organization: its ID is an output once known. */
  newOrganization: boolean
  info?: OrderInfo
  issued?: IssuedCertificate & { path: string }
  renewal?: PendingRenewal
  /** A reissue of the order sent or followed by this run. */
  reissue?: PendingReissue
  /** What else happened that a reader of the summary should know (a race settled). */
  notes: string[]
  waitedMs: number
  /** Set when the step fails: why, and what to do. */
  failure?: string
}

/**
 * Everything known when the step ends, whether it succeeded or not. `orderId` and the fields
 * after it describe the order whose certificate the signing steps use; `origin` says whether this
 * run's POST created that order (then its answer is known) or the order existed (found by the
 * survey, by order-id, or placed by another run a moment before).
 */
export type Outcome = OutcomeFacts &
  ({ origin: 'placed'; placed: PlacedOrder } | { origin: 'found' })

/** The POST answer of the order the outcome describes, when this run placed it. */
export function placedOrder(outcome: Outcome): PlacedOrder | undefined {
  return outcome.origin === 'placed' ? outcome.placed : undefined
}

/** The chain's base key: the user's alternative-order-id, or one derived from what makes the certificate. */
export function baseKeyOf(plan: OrderPlan, settings: Settings, env: NodeJS.ProcessEnv): string {
  return (
    plan.body.alternative_order_id ??
    defaultBaseKey({
      repository: env.GITHUB_REPOSITORY || undefined,
      product: settings.product,
      provisioningMethod: settings.provisioningMethod,
      organization: plan.body.organization
    })
  )
}

/** The body of the first order of the chain, as a dry run shows it. */
export function firstOrderBody(
  plan: OrderPlan,
  settings: Settings,
  env: NodeJS.ProcessEnv
): OrderBody & { alternative_order_id: string } {
  return { ...plan.body, alternative_order_id: baseKeyOf(plan, settings, env) }
}

export async function placeOrResume(
  api: Api,
  { settings, plan }: ParsedInputs,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
  now: () => number
): Promise<Outcome> {
  const base = {
    product: settings.product,
    provisioningMethod: settings.provisioningMethod,
    origin: 'found' as const,
    waitedMs: 0,
    notes: []
  }
  if (plan.kind === 'resume') {
    const decision = `Resuming order ${plan.orderId} (order-id): no new order is placed.`
    info(decision)
    return { ...base, action: 'resumed', decision, orderId: plan.orderId, newOrganization: false }
  }
  const newOrganization = plan.body.organization.id === undefined
  const baseKey = baseKeyOf(plan, settings, env)
  const found = await survey(api, baseKey, settings.product, plan.publicKeySha256 !== undefined)
  const newestGeneration = found.generations.findLast(g => g.orders.length > 0)
  if (newestGeneration) {
    const withdrawn = await withdrawDuplicates(api, newestGeneration.orders, {
      key: newestGeneration.key,
      product: settings.product,
      warn
    })
    for (const sentence of withdrawn) info(sentence)
  }
  const policy = { ...settings, publicKeySha256: plan.publicKeySha256 }
  const decision = decide(found.generations, found.read, policy, now(), found.renewalOf)
  if (decision.kind === 'reuse' && decision.warning) warn(decision.sentence)
  else info(decision.sentence)
  const common = { ...base, newOrganization, decision: decision.sentence }

  switch (decision.kind) {
    case 'reuse':
      return { ...common, action: 'reused', ...describe(decision.current) }
    case 'resume':
      return {
        ...common,
        action: 'resumed',
        ...(decision.current
          ? { ...describe(decision.current), renewal: renewalOf(decision.order) }
          : describe(decision.order))
      }
    case 'stop':
      throw new Error(decision.sentence)
    case 'reissuing':
      return followReissue(common, decision.order, { reason: decision.reason })
    case 'reissue': {
      // Only a signature-hash given is sent and checked: with `preflight: fail`, one the product
      // does not allow stops here.
      if (plan.givenSignatureHash !== undefined)
        await preflight(api, { settings, plan }, warn, new Date(now()), 'reissue')
      const done = await reissue(api, decision.order, {
        reason: decision.reason,
        key: newestGeneration?.key ?? baseKey,
        product: settings.product,
        body: plan.body,
        signatureHash: plan.givenSignatureHash
      })
      const followed = followReissue(common, decision.order, done.reissue)
      return done.reissue.answer
        ? { ...followed, action: 'reissue-placed' }
        : { ...followed, notes: done.note ? [done.note] : [] }
    }
    case 'place':
      return place(api, plan, settings, { baseKey, decision, warn, common, now, env })
  }
}

interface PlaceContext {
  baseKey: string
  decision: Extract<Decision<OrderInfo>, { kind: 'place' }>
  warn: (message: string) => void
  common: Omit<OutcomeFacts, 'action' | 'orderId'> & { origin: 'found' }
  now: () => number
  env: NodeJS.ProcessEnv
}

async function place(
  api: Api,
  plan: OrderPlan,
  settings: Settings,
  context: PlaceContext
): Promise<Outcome> {
  const { baseKey, decision, warn, common } = context
  const key = generationKey(baseKey, decision.generation)
  const body: OrderBody & { alternative_order_id: string } = {
    ...plan.body,
    alternative_order_id: key,
    ...(decision.renewalOf && { renewal_of_order_id: decision.renewalOf.id })
  }
  core.debug(`Order body: ${JSON.stringify(redactOrderBody(body))}`)
  // Only an order about to be placed is diagnosed (never one reused or resumed); with
  // `preflight: fail` a finding stops here, before anything is paid for.
  await preflight(api, { settings, plan }, warn)
  // The survey has just looked this key up: the first POST goes without another lookup.
  let submission: Submission
  try {
    submission = await submitOnce(
      api,
      settings.product,
      body,
      { warning: warn },
      { lookedUp: true }
    )
  } catch (error) {
    const refused =
      decision.renewalOf &&
      (await afterRefusedRenewal(api, error, decision.renewalOf, settings.product))
    if (!refused) throw error
    warn(refused.sentence)
    const outcome = { ...common, notes: [refused.sentence] }
    return refused.kind === 'reuse'
      ? { ...outcome, action: 'reused', ...describe(refused.order) }
      : {
          ...outcome,
          action: 'resumed',
          ...describe(refused.current),
          renewal: renewalOf(refused.renewal)
        }
  }
  const followed = await settle(api, submission, {
    key,
    product: settings.product,
    postedAt: context.now(),
    ...optional('settleMs', testSettleWindow(context.env)),
    warn
  })
  const action = followed.placed ? (decision.renewalOf ? 'renewal-placed' : 'placed') : 'resumed'
  const outcome = { ...common, action, notes: followed.note ? [followed.note] : [] } as const
  if (decision.current) {
    // A renewal (or a replacement) while the certificate in use is still valid: the run succeeds
    // with that certificate and hands on the new order as renewal-order-id.
    return {
      ...outcome,
      ...describe(decision.current),
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

interface Followed {
  orderId: number
  /** Set when the order followed is the one this run placed. */
  placed?: PlacedOrder
  /** What happened instead, for the log and the summary. */
  note?: string
}

/** The order this run follows after its POST: its own, or the one another run placed first. */
async function settle(api: Api, submission: Submission, options: SettleOptions): Promise<Followed> {
  if (submission.kind === 'found') {
    const { orderId, status } = submission.existing
    const note =
      `Order ${orderId} (status ${status}) already carries alternative order ID ${options.key}: ` +
      'another run placed it; this run follows it, and placed no order of its own.'
    info(note)
    return { orderId, note }
  }
  const own = submission.order
  const request = own.requests[0]
  info(
    `Placed order ${own.id}` +
      (request ? ` (request ${request.id}: ${request.status})` : '') +
      (own.certificateId ? `, certificate ID ${own.certificateId}` : '') +
      '.'
  )
  const settlement = await settleRace(api, own, options)
  if (settlement.kind === 'won') {
    return { orderId: own.id, placed: own, ...(settlement.note && { note: settlement.note }) }
  }
  if (settlement.canceled) info(settlement.sentence)
  else options.warn(settlement.sentence)
  return { orderId: settlement.winner, note: settlement.sentence }
}

/**
 * A reissue on its way. For a certificate within renew-within, the certificate in use stays (the
 * run succeeds with it, as with a renewal on its way); for a new key, the order is followed as
 * wait-for says, and the outputs describe the new certificate once it is issued.
 */
function followReissue(
  common: PlaceContext['common'],
  order: OrderInfo,
  reissue: PendingReissue
): Outcome {
  const replaces = reissue.reason === 'key' ? order.certificateId : undefined
  const pending = { ...reissue, ...(replaces !== undefined && { replaces }) }
  if (reissue.reason === 'window') {
    return { ...common, action: 'reused', ...describe(order), reissue: pending }
  }
  const { info: _, ...described } = describe(order)
  return { ...common, action: 'resumed', ...described, reissue: pending }
}

/** The outcome's fields for an order whose info was read. */
function describe(info: OrderInfo): Pick<Outcome, 'orderId' | 'info' | 'alternativeOrderId'> {
  return {
    orderId: info.id,
    info,
    ...(info.alternativeOrderId !== undefined && { alternativeOrderId: info.alternativeOrderId })
  }
}

function renewalOf(info: OrderInfo): NonNullable<Outcome['renewal']> {
  return {
    orderId: info.id,
    info,
    ...(info.alternativeOrderId !== undefined && { alternativeOrderId: info.alternativeOrderId })
  }
}
