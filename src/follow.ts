// Following an order once the run has decided on it: a renewal looked at, the order waited for as
// far as wait-for asks, the chain saved; and how a failure on the way is said.
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Settings } from './inputs.js'
import type { Clock } from './clock.js'
import { CertCentralError } from './certcentral/errors.js'
import { downloadChain, getOrder, type Api, type OrderInfo } from './certcentral/orders.js'
import { PRODUCTS, PROVISIONING_METHODS } from './order/types.js'
import { OrderEndedError, statusLine, WaitTimeoutError, waitForOrder } from './wait.js'
import { readLeaf, type IssuedCertificate } from './certificate.js'
import { formatDuration } from './duration.js'
import { resumeHint } from './outputs.js'
import type { Outcome, PendingRenewal } from './result.js'
import { oneLine } from './server-text.js'
import type { Door } from './door.js'
import { withoutReplaced } from './reissue.js'
import { orderKind } from './chain/status.js'

export interface FollowContext {
  /** The outcome describes a certificate in use: issued and valid. */
  inUse: boolean
  clock: Clock
  deadline: number
  env: NodeJS.ProcessEnv
  door: Door
  /** Called whenever CertCentral has answered for the order. */
  seen: () => void
}

/** Follows the order as far as wait-for asks; `progress` holds what was learnt so far. */
export async function follow(
  api: Api,
  progress: { outcome: Outcome },
  settings: Settings,
  { inUse, clock, deadline, env, door, seen }: FollowContext
): Promise<void> {
  const directory = env.RUNNER_TEMP || tmpdir()
  const outcome = progress.outcome
  if (inUse) {
    if (outcome.info) door.info(statusLine(outcome.info, true))
    if (settings.waitFor === 'issued' && outcome.info) {
      progress.outcome = { ...outcome, issued: await saveChain(api, outcome.info, directory, door) }
    }
    return
  }
  if (settings.waitFor === 'none') {
    // A placed order's POST answer is all there is to wait for; a resumed one is looked at once.
    if (outcome.origin === 'placed') return
    const info = outcome.info ?? (await getOrder(api, outcome.orderId))
    seen()
    door.info(statusLine(info, true))
    progress.outcome = { ...outcome, info: withoutReplaced(info, outcome.reissue?.replaces) }
    return
  }
  // Even when the POST answer has the certificate ID, the order is read once: its status and,
  // for token orders, the hardware init code are only in the order info.
  const info = await waitForOrder(api, outcome.orderId, {
    goal: settings.waitFor,
    replaces: outcome.reissue?.replaces,
    reissueRequestId: outcome.reissue?.answer?.requests[0]?.id,
    initialPollMs: settings.pollIntervalMs,
    deadline,
    clock,
    log: door.info,
    warn: door.warn,
    seen
  })
  progress.outcome = { ...outcome, info }
  if (settings.waitFor === 'issued') {
    progress.outcome = { ...outcome, info, issued: await saveChain(api, info, directory, door) }
  }
}

/** An order named by order-id that CertCentral does not know: said as such, never as resumed. */
export function unknownOrderMessage(orderId: number): string {
  return (
    `Order ${orderId} is not known to CertCentral (it answered 404 not found): nothing was ` +
    'resumed and nothing was ordered. Check order-id, and that api-url is the CertCentral ' +
    'of the account that placed the order (orders of a CertCentral Europe account are not ' +
    'found on the US URL).'
  )
}

/** CertCentral answered 404: what the request named is not there. */
export function isNotFound(error: unknown): boolean {
  return error instanceof CertCentralError && error.status === 404
}

/**
 * A renewal placed or found: when it is issued, the outcome describes it from now on; otherwise a
 * warning says so, and the outcome stays.
 */
export async function lookAtRenewal(
  api: Api,
  outcome: Outcome,
  renewal: PendingRenewal,
  door: Door
): Promise<Outcome> {
  const { renewal: _, ...current } = outcome
  let info = renewal.info
  try {
    info ??= await getOrder(api, renewal.orderId)
  } catch (error) {
    door.warn(`Could not read renewal order ${renewal.orderId} (${String(error)}).`)
  }
  if (info && orderKind(info) === 'issued') {
    door.info(`Renewal order ${renewal.orderId} is issued: its certificate is used from now on.`)
    const taken = {
      ...current,
      orderId: renewal.orderId,
      info,
      ...(renewal.alternativeOrderId && { alternativeOrderId: renewal.alternativeOrderId })
    }
    // The certificate in use was found by the survey, never placed by this run: the outcome is
    // `found` unless this run placed the renewal.
    return renewal.placed
      ? { ...taken, origin: 'placed', placed: renewal.placed }
      : { ...taken, origin: 'found' }
  }
  const status = info?.status ?? renewal.placed?.requests[0]?.status ?? 'not known yet'
  const validTill = outcome.info?.validTill ? `, valid till ${outcome.info.validTill},` : ''
  door.warn(
    `Renewal order ${renewal.orderId} is ${status}: the certificate of order ${outcome.orderId}` +
      `${validTill} stays in use until it is issued. The next run (a release or the scheduled ` +
      'renewal workflow) switches to it once it is issued.'
  )
  return info ? { ...outcome, renewal: { ...renewal, info } } : outcome
}

/** Why the step fails, and, when the order goes on, how to pick it up again. */
export function failureMessage(error: unknown, orderId: number, timeoutMs: number): string {
  if (error instanceof OrderEndedError) return error.message
  if (error instanceof WaitTimeoutError) {
    return `${error.message} Timed out after ${formatDuration(timeoutMs)}. ${resumeHint(orderId)}`
  }
  return `${error instanceof Error ? error.message : String(error)}\n${resumeHint(orderId)}`
}

/** A resumed order is described by what CertCentral says of it, not by the inputs' defaults. */
export function adoptOrderFacts(outcome: Outcome): Outcome {
  const product = PRODUCTS.find(p => p === outcome.info?.product)
  const method = PROVISIONING_METHODS.find(m => m === outcome.info?.provisioningMethod)
  return {
    ...outcome,
    ...(product && { product }),
    ...(method && { provisioningMethod: method })
  }
}

/** The issued chain, to a file under RUNNER_TEMP that the signing steps read. */
async function saveChain(
  api: Api,
  info: OrderInfo,
  directory: string,
  door: Door
): Promise<IssuedCertificate & { path: string }> {
  if (info.certificateId === undefined) {
    throw new Error(`Order ${info.id} is issued but has no certificate ID.`)
  }
  const chain = await downloadChain(api, info.certificateId)
  const certificate = readLeaf(chain)
  await mkdir(directory, { recursive: true })
  const path = join(directory, `digicert-certificate-${info.certificateId}.pem`)
  await writeFile(path, chain)
  const subject = oneLine(door.scrub(certificate.subject), 300)
  door.info(`Certificate ${subject}, SHA-1 ${certificate.thumbprint}, saved to ${path}.`)
  return { ...certificate, path }
}
