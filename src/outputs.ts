// What the step hands on, derived from the run's one result: step outputs for the signing steps
// that follow, and the job summary's order section. Pure text here; it leaves through the door.
import { formatDuration } from './duration.js'
import type { OrderRequest } from './certcentral/orders.js'
import type { Door, SummarySection } from './door.js'
import type { ProvisioningMethod } from './order/types.js'
import { statusKind } from './chain/status.js'
import {
  orderOf,
  placedOrder,
  type Outcome,
  type PendingReissue,
  type PendingRenewal,
  type RunResult
} from './result.js'

/** The step's outputs of a result, by name; the hardware init code is not among them (a secret). */
export function outputsOf(result: RunResult): Record<string, string | number | undefined> {
  if (result.kind === 'stopped') {
    return { 'order-id': result.ended.id, 'order-status': result.ended.status }
  }
  const outcome = orderOf(result)
  if (!outcome) return {}
  const request = requestOf(outcome)
  return {
    'order-action': outcome.action,
    'order-id': outcome.orderId,
    'renewal-order-id': outcome.renewal?.orderId,
    'alternative-order-id': outcome.alternativeOrderId ?? outcome.info?.alternativeOrderId,
    'request-id': request?.id,
    'request-status': request?.status,
    'certificate-id': outcome.info?.certificateId ?? placedOrder(outcome)?.certificateId,
    'order-status': outcome.info?.status,
    'organization-id': createdOrganizationId(outcome),
    'certificate-serial': outcome.issued?.serial,
    'certificate-thumbprint': outcome.issued?.thumbprint,
    'valid-till': outcome.issued?.validTill,
    'certificate-path': outcome.issued?.path
  }
}

/**
 * The request the outputs name: while a reissue is on its way, the reissue's (as the order info
 * shows it now, else as its answer did, else the newest reissue request the info lists); otherwise
 * the order's first.
 */
function requestOf(outcome: Outcome): OrderRequest | undefined {
  const listed = outcome.info?.requests ?? []
  if (outcome.reissue) {
    const sent = outcome.reissue.answer?.requests[0]
    const reissues = listed.filter(r => r.type === 'reissue')
    const request =
      listed.find(r => r.id === sent?.id) ??
      sent ??
      reissues.reduce<OrderRequest | undefined>((a, b) => (a && a.id > b.id ? a : b), undefined)
    if (request) return request
  }
  return listed[0] ?? placedOrder(outcome)?.requests[0]
}

/** Writes every output that has a value. The init code is masked first: it activates a token. */
export function writeOutputs(result: RunResult, door: Door): void {
  for (const [name, value] of Object.entries(outputsOf(result))) {
    if (value !== undefined) door.output(name, value)
  }
  const outcome = orderOf(result)
  const initCode = outcome?.info?.hardwareInitCode
  if (outcome && initCode) {
    door.secretOutput('hardware-init-code', initCode, `order ${outcome.orderId}, Order details`)
  }
}

/**
 * The organization the order created: from the POST answer, or, when that answer was lost and the
 * order found again, from the order info (the organization of an order whose body had no ID).
 */
function createdOrganizationId(outcome: Outcome): number | undefined {
  const placed = placedOrder(outcome)
  if (placed?.organizationId !== undefined) return placed.organizationId
  return outcome.newOrganization ? outcome.info?.organizationId : undefined
}

const NEXT_STEPS: Record<ProvisioningMethod, string> = {
  keylocker:
    'The certificate lands in the DigiCert KeyLocker account linked to CertCentral. Sign with ' +
    "DigiCert's KeyLocker tools (the `digicert/code-signing-software-trust-action` action and " +
    '`smctl sign --fingerprint`, or `signtool sign /sha1` with the certificate thumbprint).',
  email:
    'DigiCert emails the requester a private key protection agreement and issues the certificate ' +
    'once it is accepted. Install the issued chain (`certificate-path`) on the HSM next to the ' +
    'key, then sign with `signtool /sha1` or your HSM’s tool.',
  ship_token:
    'DigiCert ships a hardware token. When it arrives, install the certificate with DigiCert ' +
    'Hardware Certificate Installer (DHCI) using the hardware init code (the masked ' +
    '`hardware-init-code` output, or the order in CertCentral).',
  client_app:
    'Install the certificate on your own token with DigiCert Hardware Certificate Installer ' +
    '(DHCI) using the hardware init code (the masked `hardware-init-code` output, or the order ' +
    'in CertCentral).'
}

/** How to pick up an order the run did not finish. */
export function resumeHint(orderId: number): string {
  return (
    `The order goes on at DigiCert: the next run with the same inputs resumes it without ordering ` +
    `again (as does re-running this workflow run, or running this action with order-id: ${orderId}).`
  )
}

/**
 * The job summary's order section. It holds no secret: the hardware init code is only named, never
 * shown. Every value in it may come from the server: the door escapes each.
 */
export function summaryOf(result: RunResult): SummarySection {
  const waited: [string, string] = ['Waited', formatDuration(result.waitedMs)]
  if (result.kind === 'failed-before-ordering') {
    return { heading: 'Code signing order: not placed', table: [], paragraphs: [result.reason] }
  }
  if (result.kind === 'stopped') {
    const { ended } = result
    const rows = [
      ['Field', 'Value'],
      ['Product', result.product],
      ['Provisioning method', result.provisioningMethod],
      ['Order ID', String(ended.id)],
      ['Order status', ended.status],
      waited
    ] as const
    return {
      heading: 'Code signing order: stopped',
      table: rows,
      paragraphs: [result.reason],
      fallback: `Order ${ended.id}: see the step log.`
    }
  }
  const outcome = result.order
  const failed = result.kind === 'failed-after-ordering'
  const request = requestOf(outcome)
  const rows: [string, string | number | undefined][] = [
    ['Product', outcome.product],
    ['Provisioning method', outcome.provisioningMethod],
    ['Action', outcome.action],
    ['Order ID', outcome.orderId],
    ['Alternative order ID', outcome.alternativeOrderId],
    ['Order status', outcome.info?.status],
    ['Request', request && `${request.id} (${request.status})`],
    ['Certificate ID', outcome.info?.certificateId ?? placedOrder(outcome)?.certificateId],
    ['Renewal order', outcome.renewal && renewalLine(outcome.renewal)],
    ['Reissue', outcome.reissue && reissueLine(outcome.reissue)],
    ['Organization created', createdOrganizationId(outcome)],
    ['Certificate thumbprint (SHA-1)', outcome.issued?.thumbprint],
    ['Serial number', outcome.issued?.serial],
    ['Valid till', outcome.issued?.validTill],
    waited
  ]
  return {
    heading: failed ? 'Code signing order: not finished' : 'Code signing order',
    table: [
      ['Field', 'Value'],
      ...rows.flatMap(([field, value]) =>
        value === undefined ? [] : [[field, String(value)] as const]
      )
    ],
    paragraphs: [
      outcome.decision,
      ...outcome.notes,
      ...(failed ? [result.reason] : []),
      `Next: ${nextSteps(outcome, failed)}`
    ],
    fallback: `Order ${outcome.orderId}: see the step log.`
  }
}

/** Where the certificate lands, said only of a certificate that is (or will be) issued. */
function nextSteps(outcome: Outcome, failed: boolean): string {
  const status = outcome.info?.status
  if (!failed || status === 'issued') return NEXT_STEPS[outcome.provisioningMethod]
  const kind = status === undefined ? undefined : statusKind(status)
  if (kind === 'ended' || kind === 'expired') {
    return `Order ${outcome.orderId} is ${status}: it will not be issued. See it in CertCentral.`
  }
  return (
    `Order ${outcome.orderId} is not issued yet (see its status in CertCentral). Once it is, the ` +
    `next run with the same inputs, or a run with order-id: ${outcome.orderId}, picks it up.`
  )
}

function renewalLine(renewal: PendingRenewal): string {
  const status = renewal.info?.status ?? renewal.placed?.requests[0]?.status
  return `${renewal.orderId}${status ? ` (${status})` : ''}: in use once issued`
}

function reissueLine(reissue: PendingReissue): string {
  const request = reissue.answer?.requests[0]
  const sent = !reissue.answer
    ? 'on its way'
    : request
      ? `request ${request.id} (${request.status}) sent by this run`
      : 'sent by this run'
  const what =
    reissue.reason === 'window'
      ? 'the next certificate of this multi-year order, free; in use once issued'
      : "the certificate of the CSR's new key, free"
  return `${sent}: ${what}`
}
