// The story of one run: inputs -> order body -> submit or resume -> wait -> outputs.
import * as core from '@actions/core'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseInputs, type ParsedInputs, type Settings } from './inputs.js'
import { systemClock, type Clock } from './clock.js'
import { DEFAULT_RETRY } from './certcentral/retry.js'
import { CertCentralError } from './certcentral/errors.js'
import { downloadChain, getOrder, type Api } from './certcentral/orders.js'
import { defaultAlternativeOrderId, stepIdentity } from './idempotency.js'
import { maskCardData, Scrubber } from './secrets.js'
import { redactOrderBody } from './order/redact.js'
import { submitOnce } from './submit.js'
import { OrderEndedError, WaitTimeoutError, waitForOrder } from './wait.js'
import { readLeaf } from './certificate.js'
import { formatDuration, writeOutputs, writeSummary, type Outcome } from './outputs.js'
import { ACTION_NAME, ACTION_VERSION } from './version.js'

/**
 * One request may take 30 seconds, and never more than a third of the step's timeout, so that a
 * hung connection leaves time to retry.
 */
function requestTimeoutMs(timeoutMs: number): number {
  return Math.min(30_000, Math.max(1_000, Math.round(timeoutMs / 3)))
}

export async function run(
  env: NodeJS.ProcessEnv = process.env,
  clock: Clock = systemClock
): Promise<void> {
  const started = clock.now()
  const scrubber = new Scrubber()
  try {
    // Masked before anything else runs, so that no later message can show them.
    const apiKey = core.getInput('api-key')
    if (apiKey) core.setSecret(apiKey)
    scrubber.add(apiKey)
    maskCardData(core.getInput('credit-card'), core.setSecret)

    const inputs = await readValidInputs(clock)
    if (!inputs) return
    if (inputs.settings.dryRun) return dryRun(inputs, env)
    const card = inputs.plan.kind === 'order' ? inputs.plan.body.credit_card : undefined
    scrubber.add(card?.number)
    scrubber.add(card && String(card.cvv), true)
    await order(inputs, env, clock, started, message => core.warning(scrubber.scrub(message)))
  } catch (error) {
    // The message is the user's answer; the stack is for step debug logging only.
    if (error instanceof Error && error.stack) core.debug(scrubber.scrub(error.stack))
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
  for (const note of result.notes) core.info(note)
  return result.inputs
}

function dryRun({ settings, plan }: ParsedInputs, env: NodeJS.ProcessEnv): void {
  if (plan.kind === 'resume') {
    core.info(`Dry run: would resume order ${plan.orderId}; nothing was sent.`)
    return
  }
  const body = withAlternativeOrderId(plan.body, settings, env)
  core.setOutput('alternative-order-id', body.alternative_order_id)
  core.info(
    `Dry run: POST ${settings.apiUrl}/order/certificate/${settings.product} with this body (nothing was sent):`
  )
  core.info(JSON.stringify(redactOrderBody(body), null, 2))
}

function withAlternativeOrderId(
  body: Extract<ParsedInputs['plan'], { kind: 'order' }>['body'],
  settings: Settings,
  env: NodeJS.ProcessEnv
) {
  const key =
    body.alternative_order_id ?? defaultAlternativeOrderId(stepIdentity(env), settings.product)
  return { ...body, alternative_order_id: key }
}

async function order(
  { settings, plan }: ParsedInputs,
  env: NodeJS.ProcessEnv,
  clock: Clock,
  started: number,
  warn: (message: string) => void
): Promise<void> {
  const deadline = started + settings.timeoutMs
  const api = connect(settings, clock, deadline, warn)
  const outcome: Outcome = await placeOrResume(api, settings, plan, env, warn)
  // Written before waiting, so a later job can resume the order even if this one is cancelled.
  core.setOutput('order-id', String(outcome.orderId))
  if (outcome.alternativeOrderId) core.setOutput('alternative-order-id', outcome.alternativeOrderId)

  try {
    if (settings.waitFor === 'none') {
      // A placed order's POST answer is all there is to wait for; a resumed one is looked at once.
      if (outcome.origin !== 'placed') outcome.info = await getOrder(api, outcome.orderId)
    } else {
      const { info } = await waitForOrder(api, outcome.orderId, {
        goal: settings.waitFor,
        initialPollMs: settings.pollIntervalMs,
        deadline,
        clock,
        log: message => core.info(message)
      })
      outcome.info = info
      if (settings.waitFor === 'issued') outcome.issued = await download(api, info, env)
    }
    if (outcome.origin !== 'placed' && outcome.info?.dateCreated) {
      core.info(`Order ${outcome.orderId} was created ${outcome.info.dateCreated}.`)
    }
  } catch (error) {
    if (error instanceof WaitTimeoutError || error instanceof OrderEndedError) {
      outcome.info = error.info
      outcome.failure =
        error instanceof WaitTimeoutError
          ? `${error.message} Timed out after ${formatDuration(settings.timeoutMs)}. The order goes on at DigiCert: ` +
            `resume it without ordering again by running this action with order-id: ${outcome.orderId} ` +
            '(for example from a scheduled workflow), or re-run this workflow run.'
          : error.message
    } else {
      throw error
    }
  }
  outcome.waitedMs = clock.now() - started
  writeOutputs(outcome)
  // The summary is a courtesy: failing to write it must not fail an order that succeeded.
  await writeSummary(outcome).catch((error: unknown) =>
    warn(`The job summary could not be written: ${String(error)}`)
  )
  if (outcome.failure) core.setFailed(outcome.failure)
  else core.info(`Done: order ${outcome.orderId}, ${describeResult(outcome)}.`)
}

async function placeOrResume(
  api: Api,
  settings: Settings,
  plan: ParsedInputs['plan'],
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void
): Promise<Outcome> {
  const base = {
    product: settings.product,
    provisioningMethod: settings.provisioningMethod,
    waitedMs: 0
  }
  if (plan.kind === 'resume') {
    core.info(`Resuming order ${plan.orderId}: no new order is placed.`)
    return { ...base, orderId: plan.orderId, origin: 'order-id' }
  }
  const body = withAlternativeOrderId(plan.body, settings, env)
  const key = body.alternative_order_id
  core.debug(`Order body: ${JSON.stringify(redactOrderBody(body))}`)
  const submission = await submitOnce(api, settings.product, body, {
    warning: warn
  })
  if (submission.kind === 'found') {
    const { existing, others } = submission
    core.info(
      `Order ${existing.orderId} (status ${existing.status}) already carries alternative order ID ${key}: ` +
        'resuming it; no new order is placed.' +
        (others > 0 ? ` ${others} other live order(s) carry the same ID.` : '')
    )
    return {
      ...base,
      orderId: existing.orderId,
      alternativeOrderId: key,
      origin: 'found-by-alternative-order-id'
    }
  }
  const placed = submission.order
  const request = placed.requests[0]
  core.info(
    `Placed order ${placed.id}` +
      (request ? ` (request ${request.id}: ${request.status})` : '') +
      (placed.certificateId ? `, certificate ID ${placed.certificateId}` : '') +
      '.'
  )
  return { ...base, orderId: placed.id, alternativeOrderId: key, origin: 'placed', placed }
}

function connect(
  settings: Settings,
  clock: Clock,
  deadline: number,
  warn: (message: string) => void
): Api {
  return {
    conn: {
      apiUrl: settings.apiUrl,
      apiKey: settings.apiKey,
      userAgent: `${ACTION_NAME}/${ACTION_VERSION}`,
      requestTimeoutMs: requestTimeoutMs(settings.timeoutMs),
      deadline
    },
    retry: {
      ...DEFAULT_RETRY,
      deadline,
      clock,
      onRetry: (error, delayMs) => warn(retryWarning(error, delayMs))
    }
  }
}

/** The issued chain, to a file under RUNNER_TEMP that the signing steps read. */
async function download(
  api: Api,
  info: Awaited<ReturnType<typeof getOrder>>,
  env: NodeJS.ProcessEnv
) {
  if (info.certificateId === undefined)
    throw new Error(`Order ${info.id} is issued but has no certificate ID.`)
  const chain = await downloadChain(api, info.certificateId)
  const certificate = readLeaf(chain)
  const directory = env.RUNNER_TEMP || tmpdir()
  await mkdir(directory, { recursive: true })
  const path = join(directory, `digicert-certificate-${info.certificateId}.pem`)
  await writeFile(path, chain)
  core.info(
    `Certificate ${certificate.subject}, SHA-1 ${certificate.thumbprint}, saved to ${path}.`
  )
  return { ...certificate, path }
}

function describeResult(outcome: Outcome): string {
  if (outcome.issued) return `certificate issued (SHA-1 ${outcome.issued.thumbprint})`
  const certificateId = outcome.info?.certificateId ?? outcome.placed?.certificateId
  if (certificateId !== undefined) return `certificate ID ${certificateId}`
  return `status ${outcome.info?.status ?? outcome.placed?.requests[0]?.status ?? 'unknown'}`
}

function retryWarning(error: Error, delayMs: number): string {
  const again = `trying again in ${Math.ceil(delayMs / 1000)}s`
  if (error instanceof CertCentralError && error.status === 429) {
    return (
      `${error.message.split('\n')[0]}: CertCentral's rate limit (1,000 requests per 3 minutes ` +
      `and 100 per 5 seconds per API key, shared by all its integrations) was reached; ${again}.`
    )
  }
  return `${error.message.split('\n')[0]}; ${again}.`
}
