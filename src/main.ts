// The story of one run: inputs -> order body -> submit or resume -> wait -> outputs.
import * as core from '@actions/core'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseInputs, type ParsedInputs, type Settings } from './inputs.js'
import { systemClock, type Clock } from './clock.js'
import { connect } from './certcentral/connect.js'
import { downloadChain, getOrder, type Api, type OrderInfo } from './certcentral/orders.js'
import { maskCardData, Scrubber } from './secrets.js'
import { redactOrderBody } from './order/redact.js'
import { PRODUCTS, PROVISIONING_METHODS } from './order/types.js'
import {
  firstOrderBody,
  placedOrder,
  placeOrResume,
  type Outcome,
  type PendingRenewal
} from './place.js'
import { preflight } from './preflight/run.js'
import { withoutReplaced } from './reissue.js'
import { UnseenOrderError } from './chain/race.js'
import { orderKind } from './chain/status.js'
import { OrderEndedError, statusLine, WaitTimeoutError, waitForOrder } from './wait.js'
import { readLeaf, type IssuedCertificate } from './certificate.js'
import { formatDuration } from './duration.js'
import { writeOutputs, writeSummary } from './outputs.js'
import { oneLine } from './server-text.js'
import { info as log } from './log.js'

/** How the run speaks of what may hold server text: secrets scrubbed first. */
interface Voice {
  warn: (message: string) => void
  scrub: (text: string) => string
}

export async function run(
  env: NodeJS.ProcessEnv = process.env,
  clock: Clock = systemClock
): Promise<void> {
  const started = clock.now()
  const scrubber = new Scrubber()
  const voice: Voice = {
    warn: message => core.warning(scrubber.scrub(message)),
    scrub: text => scrubber.scrub(text)
  }
  try {
    // Masked before anything else runs, so that no later message can show them.
    const apiKey = core.getInput('api-key')
    if (apiKey) core.setSecret(apiKey)
    scrubber.add(apiKey)
    maskCardData(core.getInput('credit-card'), core.setSecret)

    const inputs = await readValidInputs(clock)
    if (!inputs) return
    const card = inputs.plan.kind === 'order' ? inputs.plan.body.credit_card : undefined
    scrubber.add(card?.number)
    scrubber.add(card && String(card.cvv), true)

    if (inputs.settings.dryRun) return await dryRun(inputs, env, clock, voice)
    const outcome = await order(inputs, env, clock, started, voice)
    await report(outcome, voice)
  } catch (error) {
    // The message is the user's answer; the stack is for step debug logging only.
    if (error instanceof Error && error.stack) core.debug(scrubber.scrub(error.stack))
    // The order exists, though its lookup does not show it: its ID is the step's output.
    if (error instanceof UnseenOrderError) core.setOutput('order-id', String(error.orderId))
    core.setFailed(scrubber.scrub(error instanceof Error ? error.message : String(error)))
  }
}

/** Every problem at once, as annotations naming the input; undefined when there was one. */
async function readValidInputs(clock: Clock): Promise<ParsedInputs | undefined> {
  const result = await parseInputs(name => core.getInput(name), new Date(clock.now()))
  for (const warning of result.warnings) core.warning(`${warning.input}: ${warning.message}`)
  if (!result.ok) {
    for (const problem of result.problems) {
      core.error(`${problem.input}: ${problem.message}`, { title: `Input ${problem.input}` })
    }
    const count = result.problems.length
    core.setFailed(
      `${count} input problem${count === 1 ? '' : 's'}; nothing was sent to CertCentral.`
    )
    return undefined
  }
  for (const note of result.notes) log(note)
  return result.inputs
}

/** Prints the body; with an api-key, asks CertCentral the pre-flight's questions (GETs only). */
async function dryRun(
  inputs: ParsedInputs,
  env: NodeJS.ProcessEnv,
  clock: Clock,
  voice: Voice
): Promise<void> {
  const { settings, plan } = inputs
  if (plan.kind === 'resume') {
    log(`Dry run: would resume order ${plan.orderId}; nothing was sent.`)
    return
  }
  const body = firstOrderBody(plan, settings, env)
  core.setOutput('alternative-order-id', body.alternative_order_id)
  const asks = settings.apiKey !== '' && settings.preflight !== 'off'
  log(
    `Dry run: a run would look up alternative order ID ${body.alternative_order_id} (and its ` +
      'later generations) and reuse, resume or renew what it finds; only when nothing is found ' +
      `would it POST ${settings.apiUrl}/order/certificate/${settings.product} with this body ` +
      `(${asks ? 'not sent; the pre-flight below only reads' : 'nothing was sent'}):`
  )
  log(JSON.stringify(redactOrderBody(body), null, 2))
  if (settings.preflight !== 'off' && settings.apiKey === '') {
    log('Dry run without api-key: CertCentral was not asked; with one, the pre-flight runs too.')
  }
  if (!asks) return
  const api = connect(settings, clock, clock.now() + settings.timeoutMs, voice.warn, voice.scrub)
  await preflight(api, inputs, voice.warn)
  log('Dry run: no order was placed.')
}

/** Places or resumes the order and follows it; whatever happens once it exists is in the outcome. */
async function order(
  inputs: ParsedInputs,
  env: NodeJS.ProcessEnv,
  clock: Clock,
  started: number,
  voice: Voice
): Promise<Outcome> {
  const { settings } = inputs
  const deadline = started + settings.timeoutMs
  const api = connect(settings, clock, deadline, voice.warn, voice.scrub)
  const decided = await placeOrResume(api, inputs, env, voice.warn, () => clock.now())
  // Written before waiting, so a later job can resume the order even if this one is cancelled.
  core.setOutput('order-action', decided.action)
  core.setOutput('order-id', String(decided.orderId))
  if (decided.alternativeOrderId) core.setOutput('alternative-order-id', decided.alternativeOrderId)
  // The certificate in use is issued and valid: nothing to wait for. A renewal on its way is
  // looked at once, and taken over when already issued; a later run takes it over otherwise.
  const inUse =
    decided.action === 'reused' ||
    decided.renewal !== undefined ||
    decided.reissue?.reason === 'window'
  const outcome = decided.renewal
    ? await lookAtRenewal(api, decided, decided.renewal, voice.warn)
    : decided
  try {
    await follow(api, outcome, settings, { inUse, clock, deadline, env, warn: voice.warn })
  } catch (error) {
    const lastInfo = error instanceof WaitTimeoutError || error instanceof OrderEndedError
    if (lastInfo && error.info)
      outcome.info = withoutReplaced(error.info, outcome.reissue?.replaces)
    outcome.failure = voice.scrub(failureMessage(error, outcome.orderId, settings.timeoutMs))
  }
  adoptOrderFacts(outcome)
  outcome.waitedMs = clock.now() - started
  return outcome
}

interface FollowContext {
  /** The outcome describes a certificate in use: issued and valid. */
  inUse: boolean
  clock: Clock
  deadline: number
  env: NodeJS.ProcessEnv
  warn: (message: string) => void
}

/** Follows the order as far as wait-for asks. */
async function follow(
  api: Api,
  outcome: Outcome,
  settings: Settings,
  { inUse, clock, deadline, env, warn }: FollowContext
): Promise<void> {
  if (inUse) {
    if (outcome.info) log(statusLine(outcome.info, true))
    if (settings.waitFor === 'issued' && outcome.info) {
      outcome.issued = await saveChain(api, outcome.info, env.RUNNER_TEMP || tmpdir())
    }
    return
  }
  if (settings.waitFor === 'none') {
    // A placed order's POST answer is all there is to wait for; a resumed one is looked at once.
    if (outcome.origin !== 'placed') {
      outcome.info ??= await getOrder(api, outcome.orderId)
      log(statusLine(outcome.info, true))
      outcome.info = withoutReplaced(outcome.info, outcome.reissue?.replaces)
    }
    return
  }
  // Even when the POST answer has the certificate ID, the order is read once: its status and,
  // for token orders, the hardware init code are only in the order info.
  outcome.info = await waitForOrder(api, outcome.orderId, {
    goal: settings.waitFor,
    replaces: outcome.reissue?.replaces,
    initialPollMs: settings.pollIntervalMs,
    deadline,
    clock,
    log,
    warn
  })
  if (settings.waitFor === 'issued') {
    outcome.issued = await saveChain(api, outcome.info, env.RUNNER_TEMP || tmpdir())
  }
}

/**
 * A renewal placed or found: when it is issued, the outcome describes it from now on; otherwise a
 * warning says so, and the outcome stays.
 */
async function lookAtRenewal(
  api: Api,
  outcome: Outcome,
  renewal: PendingRenewal,
  warn: (message: string) => void
): Promise<Outcome> {
  const { renewal: _, ...current } = outcome
  try {
    renewal.info ??= await getOrder(api, renewal.orderId)
  } catch (error) {
    warn(`Could not read renewal order ${renewal.orderId} (${String(error)}).`)
  }
  if (renewal.info && orderKind(renewal.info) === 'issued') {
    log(`Renewal order ${renewal.orderId} is issued: its certificate is used from now on.`)
    const taken = {
      ...current,
      orderId: renewal.orderId,
      info: renewal.info,
      ...(renewal.alternativeOrderId && { alternativeOrderId: renewal.alternativeOrderId })
    }
    // The certificate in use was found by the survey, never placed by this run: the outcome is
    // `found` unless this run placed the renewal.
    return renewal.placed ? { ...taken, origin: 'placed', placed: renewal.placed } : taken
  }
  const status = renewal.info?.status ?? renewal.placed?.requests[0]?.status ?? 'not known yet'
  const validTill = outcome.info?.validTill ? `, valid till ${outcome.info.validTill},` : ''
  warn(
    `Renewal order ${renewal.orderId} is ${status}: the certificate of order ${outcome.orderId}` +
      `${validTill} stays in use until it is issued. The next run (a release or the scheduled ` +
      'renewal workflow) switches to it once it is issued.'
  )
  return outcome
}

/** Why the step fails, and, since the order exists, how to pick it up again. */
function failureMessage(error: unknown, orderId: number, timeoutMs: number): string {
  const resume =
    `The order goes on at DigiCert: the next run with the same inputs resumes it without ordering ` +
    `again (as does re-running this workflow run, or running this action with order-id: ${orderId}).`
  if (error instanceof OrderEndedError) return error.message
  if (error instanceof WaitTimeoutError) {
    return `${error.message} Timed out after ${formatDuration(timeoutMs)}. ${resume}`
  }
  return `${error instanceof Error ? error.message : String(error)}\n${resume}`
}

/** A resumed order is described by what CertCentral says of it, not by the inputs' defaults. */
function adoptOrderFacts(outcome: Outcome): void {
  const product = PRODUCTS.find(p => p === outcome.info?.product)
  const method = PROVISIONING_METHODS.find(m => m === outcome.info?.provisioningMethod)
  if (product) outcome.product = product
  if (method) outcome.provisioningMethod = method
}

/** The issued chain, to a file under RUNNER_TEMP that the signing steps read. */
async function saveChain(
  api: Api,
  info: OrderInfo,
  directory: string
): Promise<IssuedCertificate & { path: string }> {
  if (info.certificateId === undefined) {
    throw new Error(`Order ${info.id} is issued but has no certificate ID.`)
  }
  const chain = await downloadChain(api, info.certificateId)
  const certificate = readLeaf(chain)
  await mkdir(directory, { recursive: true })
  const path = join(directory, `digicert-certificate-${info.certificateId}.pem`)
  await writeFile(path, chain)
  const subject = oneLine(api.conn.scrub(certificate.subject), 300)
  log(`Certificate ${subject}, SHA-1 ${certificate.thumbprint}, saved to ${path}.`)
  return { ...certificate, path }
}

async function report(outcome: Outcome, voice: Voice): Promise<void> {
  writeOutputs(outcome)
  // The summary is a courtesy: failing to write it must not fail an order that succeeded.
  await writeSummary(outcome).catch((error: unknown) =>
    voice.warn(`The job summary could not be written: ${String(error)}`)
  )
  if (outcome.failure) core.setFailed(outcome.failure)
  else log(`Done: order ${outcome.orderId}, ${describeResult(outcome)}.`)
}

function describeResult(outcome: Outcome): string {
  if (outcome.issued) return `certificate issued (SHA-1 ${outcome.issued.thumbprint})`
  const placed = placedOrder(outcome)
  const certificateId = outcome.info?.certificateId ?? placed?.certificateId
  if (certificateId !== undefined) return `certificate ID ${certificateId}`
  return `status ${outcome.info?.status ?? placed?.requests[0]?.status ?? 'unknown'}`
}
