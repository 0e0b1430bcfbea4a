// A dry run: what a real run would do, and why, told without changing anything. With an api-key
// it asks CertCentral what a real run asks first (the same survey and decision, plan.ts; GETs
// only) and the pre-flight's questions when the run would order; it never withdraws, reissues or
// posts. It fails exactly when the real run would stop before paying. Without an api-key it sends
// nothing and prints the body of the chain's first order.
import type { ParsedInputs } from './inputs.js'
import type { Clock } from './clock.js'
import type { Door } from './door.js'
import { connect } from './certcentral/connect.js'
import { getOrder, type Api, type OrderInfo } from './certcentral/orders.js'
import type { Decision } from './chain/decide.js'
import { generationKey } from './order/chain-key.js'
import { duplicatesOf, keptOrder } from './chain/kept.js'
import { isNotFound, unknownOrderMessage } from './follow.js'
import { redactOrderBody } from './order/redact.js'
import { firstOrderBody, planOrder, type Planned } from './plan.js'
import { preflight, PreflightFailedError } from './preflight/run.js'

/** What a dry run tells a real run would do: the `dry-run-decision` output. */
export type DryRunDecision = 'reuse' | 'resume' | 'renew' | 'reissue' | 'place' | 'stop' | 'unknown'

interface Told {
  decision: DryRunDecision
  /** What a real run would do, after "a real run would". */
  what: string
  /** The order it would work on, when there is one. */
  orderId?: number
  alternativeOrderId?: string
}

export async function dryRun(
  inputs: ParsedInputs,
  env: NodeJS.ProcessEnv,
  clock: Clock,
  door: Door
): Promise<void> {
  const { settings, plan } = inputs
  if (settings.apiKey === '') return offline(inputs, env, door)
  const api = connect(settings, clock, clock.now() + settings.timeoutMs, door.warn, door.scrub)
  if (plan.kind === 'resume') return resumeByOrderId(api, plan.orderId, door)

  const planned = await planOrder(api, plan, settings, env, door.info, () => clock.now())
  const told = tell(planned)
  door.output('dry-run-decision', told.decision)
  if (told.orderId !== undefined) door.output('order-id', told.orderId)
  if (told.alternativeOrderId) door.output('alternative-order-id', told.alternativeOrderId)
  const why = planned.decision.sentence
  door.info(`Dry run: a real run would ${told.what}. Why: ${why}`)
  const withdrawals = wouldWithdraw(planned)
  if (withdrawals) door.info(`Dry run: ${withdrawals}`)
  await door.summary({
    heading: 'Code signing order: dry run',
    table: [
      ['Dry run', 'What a real run would do'],
      ['Decision', told.what],
      ['Why', why],
      ...(told.orderId !== undefined ? [['Order', String(told.orderId)] as const] : []),
      ...(told.alternativeOrderId
        ? [['Alternative order ID', told.alternativeOrderId] as const]
        : []),
      ...(withdrawals ? [['Duplicates', withdrawals] as const] : [])
    ],
    paragraphs: ['Only GET requests were sent: nothing was ordered, withdrawn or reissued.']
  })
  const { decision } = planned
  if (decision.kind === 'stop') {
    door.fail(`Dry run: a real run would stop here, before paying: ${why}`)
    return
  }
  if (decision.kind === 'place') {
    const body = {
      ...plan.body,
      alternative_order_id: generationKey(planned.baseKey, decision.generation),
      ...(decision.renewalOf && { renewal_of_order_id: decision.renewalOf.id })
    }
    door.info(
      `Dry run: the body it would POST to ${settings.apiUrl}/order/certificate/` +
        `${settings.product} (not sent):`
    )
    door.info(JSON.stringify(redactOrderBody(body), null, 2))
  }
  // The pre-flight asks what the real run would ask before it pays, or reissues with a
  // signature-hash given; a finding that would stop the real run fails the dry run.
  const asks =
    decision.kind === 'place' ||
    (decision.kind === 'reissue' && plan.givenSignatureHash !== undefined)
  if (asks) {
    const what = decision.kind === 'reissue' ? 'reissue' : 'order'
    try {
      await preflight(api, inputs, door, new Date(clock.now()), what)
    } catch (error) {
      if (!(error instanceof PreflightFailedError)) throw error
      door.fail(`Dry run: a real run would stop here, before paying. ${error.message}`)
      return
    }
  }
  door.info('Dry run: no order was placed.')
}

/** What a real run would do with the decision, and on which order. */
function tell({ baseKey, newest, decision }: Planned): Told {
  const key = newest?.key ?? baseKey
  const on = (decision: DryRunDecision, what: string, order: OrderInfo): Told => ({
    decision,
    what,
    orderId: order.id,
    alternativeOrderId: key
  })
  switch (decision.kind) {
    case 'reuse':
      return on('reuse', `reuse order ${decision.current.id} (free)`, decision.current)
    case 'resume':
      // A renewal on its way: the certificate of `current` stays in use meanwhile (order-id).
      return decision.current
        ? on(
            'resume',
            `resume renewal order ${decision.order.id}, keeping the certificate of order ` +
              `${decision.current.id} in use meanwhile`,
            decision.current
          )
        : on('resume', `resume order ${decision.order.id}`, decision.order)
    case 'reissuing':
      return on(
        'resume',
        `resume order ${decision.order.id}, whose reissue is on its way (free)`,
        decision.order
      )
    case 'reissue':
      return on('reissue', `reissue order ${decision.order.id} (free)`, decision.order)
    case 'stop':
      return on('stop', `stop at order ${decision.order.id}, ordering nothing`, decision.order)
    case 'place':
      return placeOrRenew(decision, generationKey(baseKey, decision.generation))
  }
}

function placeOrRenew(
  decision: Extract<Decision<OrderInfo>, { kind: 'place' }>,
  key: string
): Told {
  const renewed = decision.renewalOf
  return renewed
    ? {
        decision: 'renew',
        what: `renew order ${renewed.id} (paid: a new order with renewal_of_order_id ${renewed.id})`,
        orderId: renewed.id,
        alternativeOrderId: key
      }
    : { decision: 'place', what: 'place a new order (paid)', alternativeOrderId: key }
}

/** What a real run would withdraw first: the live duplicates under the newest key. */
function wouldWithdraw({ newest }: Planned): string | undefined {
  if (!newest) return undefined
  const kept = keptOrder(newest.orders)
  const duplicates = duplicatesOf(newest.orders).map(order => order.orderId)
  if (!kept || duplicates.length === 0) return undefined
  const plural = duplicates.length > 1
  return (
    `a real run would first withdraw order${plural ? 's' : ''} ${duplicates.join(', ')} ` +
    `(live duplicate${plural ? 's' : ''} of order ${kept.orderId} under alternative order ID ` +
    `${newest.key}), each once its info proves it carries that key and product; order ` +
    `${kept.orderId} is kept. Not withdrawn in a dry run.`
  )
}

/** An order named by order-id: read (GET), and told to be resumed, or unknown. */
async function resumeByOrderId(api: Api, orderId: number, door: Door): Promise<void> {
  let info: OrderInfo
  try {
    info = await getOrder(api, orderId)
  } catch (error) {
    if (!isNotFound(error)) throw error
    door.output('dry-run-decision', 'unknown')
    door.fail(`Dry run: a real run would stop here. ${unknownOrderMessage(orderId)}`)
    return
  }
  door.output('dry-run-decision', 'resume')
  door.output('order-id', orderId)
  if (info.alternativeOrderId) door.output('alternative-order-id', info.alternativeOrderId)
  const what = `resume order ${orderId} (status ${info.status}), placing no new order`
  door.info(`Dry run: a real run would ${what}. Why: order-id names it.`)
  await door.summary({
    heading: 'Code signing order: dry run',
    table: [
      ['Dry run', 'What a real run would do'],
      ['Decision', what],
      ['Order', String(orderId)]
    ],
    paragraphs: ['Only GET requests were sent: nothing was ordered, withdrawn or reissued.']
  })
}

/** Without an api-key: the body of the chain's first order, and nothing sent. */
function offline({ settings, plan }: ParsedInputs, env: NodeJS.ProcessEnv, door: Door): void {
  if (plan.kind === 'resume') {
    door.info(`Dry run: would resume order ${plan.orderId}; nothing was sent.`)
    return
  }
  const body = firstOrderBody(plan, settings, env)
  door.output('alternative-order-id', body.alternative_order_id)
  door.info(
    `Dry run: a run would look up alternative order ID ${body.alternative_order_id} (and its ` +
      'later generations) and reuse, resume, renew or reissue what it finds; only when nothing is ' +
      `found would it POST ${settings.apiUrl}/order/certificate/${settings.product} with this body ` +
      '(nothing was sent):'
  )
  door.info(JSON.stringify(redactOrderBody(body), null, 2))
  door.info(
    'Dry run without api-key: CertCentral was not asked; with one, a dry run looks the ' +
      'certificate up (GETs only) and tells what a real run would do.'
  )
}
