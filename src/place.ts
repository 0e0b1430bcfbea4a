// Placing the order, or finding the one to resume: by order-id, or by the alternative order ID
// an earlier attempt of this step gave it.
import * as core from '@actions/core'
import { info } from './log.js'
import type { ParsedInputs, Settings } from './inputs.js'
import type { Api } from './certcentral/orders.js'
import { defaultAlternativeOrderId, stepIdentity } from './idempotency.js'
import { redactOrderBody } from './order/redact.js'
import type { OrderBody } from './order/types.js'
import type { Outcome } from './outputs.js'
import { submitOnce } from './submit.js'

/** The body as sent: with the user's alternative order ID, or the default one. */
export function withAlternativeOrderId(
  body: OrderBody,
  settings: Settings,
  env: NodeJS.ProcessEnv
): OrderBody & { alternative_order_id: string } {
  const key =
    body.alternative_order_id ?? defaultAlternativeOrderId(stepIdentity(env), settings.product)
  return { ...body, alternative_order_id: key }
}

export async function placeOrResume(
  api: Api,
  { settings, plan }: ParsedInputs,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void
): Promise<Outcome> {
  const base = {
    product: settings.product,
    provisioningMethod: settings.provisioningMethod,
    waitedMs: 0
  }
  if (plan.kind === 'resume') {
    info(`Resuming order ${plan.orderId}: no new order is placed.`)
    return { ...base, orderId: plan.orderId, origin: 'order-id', newOrganization: false }
  }
  const body = withAlternativeOrderId(plan.body, settings, env)
  const key = body.alternative_order_id
  const newOrganization = body.organization.id === undefined
  core.debug(`Order body: ${JSON.stringify(redactOrderBody(body))}`)
  const submission = await submitOnce(api, settings.product, body, { warning: warn })
  if (submission.kind === 'found') {
    const { existing, others } = submission
    info(
      `Order ${existing.orderId} (status ${existing.status}) already carries alternative order ID ${key}: ` +
        'resuming it; no new order is placed.' +
        (others > 0 ? ` ${others} other live order(s) carry the same ID.` : '')
    )
    return {
      ...base,
      orderId: existing.orderId,
      alternativeOrderId: key,
      origin: 'found-by-alternative-order-id',
      newOrganization
    }
  }
  const placed = submission.order
  const request = placed.requests[0]
  info(
    `Placed order ${placed.id}` +
      (request ? ` (request ${request.id}: ${request.status})` : '') +
      (placed.certificateId ? `, certificate ID ${placed.certificateId}` : '') +
      '.'
  )
  return {
    ...base,
    orderId: placed.id,
    alternativeOrderId: key,
    origin: 'placed',
    placed,
    newOrganization
  }
}
