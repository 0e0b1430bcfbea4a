// The story of one run: inputs -> order body -> submit or resume -> wait -> one result, which the
// outputs and the summary are derived from.
import { parseInputs, type ParsedInputs } from './inputs.js'
import { systemClock, type Clock } from './clock.js'
import { connect } from './certcentral/connect.js'
import { cardNumbersIn } from './secrets.js'
import { placeOrResume, type KnownOrder } from './place.js'
import { dryRun } from './dry-run.js'
import { withoutReplaced } from './reissue.js'
import { OrderEndedError, WaitTimeoutError } from './wait.js'
import { resumeHint, summaryOf, writeOutputs } from './outputs.js'
import { placedOrder, type Outcome, type RunResult } from './result.js'
import { Door, type Voice } from './door.js'
import type { Runner } from './runner.js'
import {
  adoptOrderFacts,
  failureMessage,
  follow,
  isNotFound,
  lookAtRenewal,
  unknownOrderMessage
} from './follow.js'

/** A run, from start to its one result; `runner` is the door's other side (src/runner.ts). */
export async function runAction(
  runner: Runner,
  env: NodeJS.ProcessEnv,
  clock: Clock = systemClock
): Promise<void> {
  const started = clock.now()
  const door = new Door(runner)
  // The order ID the run learnt last (from a POST answer or a lookup): a failure after it names it.
  let known: KnownOrder | undefined
  let inputs: ParsedInputs | undefined
  let result: RunResult | undefined
  try {
    // Masked before anything else runs, so that no later message can show them.
    door.secret(door.input('api-key'))
    for (const number of cardNumbersIn(door.input('credit-card'))) door.secret(number, 'card')

    inputs = await readValidInputs(door, clock)
    if (!inputs) return
    const card = inputs.plan.kind === 'order' ? inputs.plan.body.credit_card : undefined
    door.secret(card?.number, 'card')
    door.secret(card && String(card.cvv), 'number')

    if (inputs.settings.dryRun) return await dryRun(inputs, env, clock, door)
    result = await order(inputs, env, clock, started, door, order => {
      known = order
      // Written at once, so a later job can resume the order even if this one is cancelled.
      door.output('order-id', order.orderId)
      door.output('order-action', order.action)
      if (order.alternativeOrderId) door.output('alternative-order-id', order.alternativeOrderId)
    })
  } catch (error) {
    // The message is the user's answer; the stack is for step debug logging only.
    if (error instanceof Error && error.stack) door.debug(error.stack)
    const waitedMs = clock.now() - started
    const message = error instanceof Error ? error.message : String(error)
    result =
      known && inputs
        ? {
            kind: 'failed-after-ordering',
            order: {
              action: known.action,
              decision: known.decision,
              product: inputs.settings.product,
              provisioningMethod: inputs.settings.provisioningMethod,
              orderId: known.orderId,
              ...(known.alternativeOrderId && { alternativeOrderId: known.alternativeOrderId }),
              newOrganization: false,
              notes: [],
              origin: 'found'
            },
            reason: `${message}\n${resumeHint(known.orderId)}`,
            waitedMs
          }
        : { kind: 'failed-before-ordering', reason: message, waitedMs }
  }
  if (result) await report(result, door)
}

/** Every problem at once, as annotations naming the input; undefined when there was one. */
async function readValidInputs(door: Door, clock: Clock): Promise<ParsedInputs | undefined> {
  const result = await parseInputs(name => door.input(name), new Date(clock.now()))
  for (const warning of result.warnings) door.warn(`${warning.input}: ${warning.message}`)
  if (!result.ok) {
    for (const problem of result.problems) {
      door.error(`${problem.input}: ${problem.message}`, `Input ${problem.input}`)
    }
    const count = result.problems.length
    door.fail(`${count} input problem${count === 1 ? '' : 's'}; nothing was sent to CertCentral.`)
    return undefined
  }
  for (const note of result.notes) door.info(note)
  return result.inputs
}

/** Places or resumes the order and follows it; whatever happens once it exists is in the result. */
async function order(
  inputs: ParsedInputs,
  env: NodeJS.ProcessEnv,
  clock: Clock,
  started: number,
  door: Door,
  known: (order: KnownOrder) => void
): Promise<RunResult> {
  const { settings } = inputs
  const deadline = started + settings.timeoutMs
  const api = connect(settings, clock, deadline, door.warn, door.scrub)
  const decided = await placeOrResume(api, inputs, env, { ...voiceOf(door), known }, () =>
    clock.now()
  )
  if ('kind' in decided) {
    return {
      kind: 'stopped',
      ended: decided.ended,
      product: settings.product,
      provisioningMethod: settings.provisioningMethod,
      reason: decided.decision,
      waitedMs: clock.now() - started
    }
  }
  // An order named by order-id is known once CertCentral has answered for it: an order it does
  // not know is reported as unknown, never as resumed.
  if (inputs.plan.kind === 'order') known(decided)
  let answered = false
  const announce = once(() => {
    answered = true
    if (inputs.plan.kind === 'resume') known(decided)
  })
  // The certificate in use is issued and valid: nothing to wait for. A renewal on its way is
  // looked at once, and taken over when already issued; a later run takes it over otherwise.
  const inUse =
    decided.action === 'reused' ||
    decided.renewal !== undefined ||
    decided.reissue?.reason === 'window'
  const looked = decided.renewal
    ? await lookAtRenewal(api, decided, decided.renewal, door)
    : decided
  // What following the order has learnt so far, kept when a later step fails.
  const progress = { outcome: looked }
  let failure: string | undefined
  try {
    await follow(api, progress, settings, { inUse, clock, deadline, env, door, seen: announce })
  } catch (error) {
    if (inputs.plan.kind === 'resume' && isNotFound(error) && !answered) {
      const reason = unknownOrderMessage(inputs.plan.orderId)
      return { kind: 'failed-before-ordering', reason, waitedMs: clock.now() - started }
    }
    const lastInfo = error instanceof WaitTimeoutError || error instanceof OrderEndedError
    if (lastInfo && error.info) {
      const info = withoutReplaced(error.info, progress.outcome.reissue?.replaces)
      progress.outcome = { ...progress.outcome, info }
    }
    if (error instanceof Error && error.stack) door.debug(error.stack)
    failure = failureMessage(error, looked.orderId, settings.timeoutMs)
  }
  const waitedMs = clock.now() - started
  const order = adoptOrderFacts(progress.outcome)
  return failure === undefined
    ? { kind: order.action, order, waitedMs }
    : { kind: 'failed-after-ordering', order, reason: failure, waitedMs }
}

/** `f`, called at most once. */
function once(f: () => void): () => void {
  let called = false
  return () => {
    if (!called) f()
    called = true
  }
}

/** The parts of the door placeOrResume speaks through. */
function voiceOf(door: Door): Voice {
  return {
    info: door.info,
    warn: door.warn,
    error: door.error,
    debug: door.debug,
    scrub: door.scrub,
    summary: section => door.summary(section)
  }
}

/** The result, handed on: outputs, the summary's section, and one last line (or error). */
async function report(result: RunResult, door: Door): Promise<void> {
  writeOutputs(result, door)
  await door.summary(summaryOf(result))
  if ('reason' in result) door.fail(result.reason)
  else door.info(`Done: order ${result.order.orderId}, ${describeResult(result.order)}.`)
}

function describeResult(outcome: Outcome): string {
  if (outcome.issued) return `certificate issued (SHA-1 ${outcome.issued.thumbprint})`
  const placed = placedOrder(outcome)
  const certificateId = outcome.info?.certificateId ?? placed?.certificateId
  const status = outcome.info?.status
  if (certificateId !== undefined) {
    return `certificate ID ${certificateId}${status ? ` (order status ${status})` : ''}`
  }
  // A placed order's request status is not the order's: say which one is meant.
  if (status) return `order status ${status}`
  const request = placed?.requests[0]
  return request ? `request ${request.id} ${request.status}` : 'status unknown'
}
