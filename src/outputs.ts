// What the step hands on: step outputs for the signing steps that follow, and the job summary.
import { formatDuration } from './duration.js'
import * as core from '@actions/core'
import { placedOrder, type Outcome, type PendingRenewal } from './place.js'
import type { ProvisioningMethod } from './order/types.js'
import { forSummary } from './server-text.js'

/** Writes every output that has a value. The init code is masked first: it activates a token. */
export function writeOutputs(outcome: Outcome): void {
  const request = outcome.info?.requests[0] ?? placedOrder(outcome)?.requests[0]
  const initCode = outcome.info?.hardwareInitCode
  if (initCode) core.setSecret(initCode)
  const outputs: Record<string, string | number | undefined> = {
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
    'certificate-path': outcome.issued?.path,
    'hardware-init-code': initCode
  }
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined) core.setOutput(name, String(value))
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

/**
 * The job summary. It holds no secret: the hardware init code is only named, never shown. Every
 * value in it may come from the server, so each is escaped for Markdown and HTML.
 */
export async function writeSummary(outcome: Outcome): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const request = outcome.info?.requests[0] ?? placedOrder(outcome)?.requests[0]
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
    ['Organization created', createdOrganizationId(outcome)],
    ['Certificate thumbprint (SHA-1)', outcome.issued?.thumbprint],
    ['Serial number', outcome.issued?.serial],
    ['Valid till', outcome.issued?.validTill],
    ['Waited', formatDuration(outcome.waitedMs)]
  ]
  const summary = core.summary
    .addHeading(outcome.failure ? 'Code signing order: not finished' : 'Code signing order', 2)
    .addTable([
      [
        { data: 'Field', header: true },
        { data: 'Value', header: true }
      ],
      ...rows.flatMap(([field, value]) =>
        value === undefined ? [] : [[field, forSummary(String(value), SUMMARY_VALUE_CHARS)]]
      )
    ])
  for (const text of [outcome.decision, ...outcome.notes])
    summary.addRaw(`<p>${forSummary(text, SUMMARY_NOTE_CHARS)}</p>`, true)
  if (outcome.failure)
    summary.addRaw(`<p>${forSummary(outcome.failure, SUMMARY_FAILURE_CHARS)}</p>`, true)
  summary
    .addHeading('Next', 3)
    .addRaw(`<p>${escapeHtml(NEXT_STEPS[outcome.provisioningMethod])}</p>`, true)
  // Each part is cut above, but the notes are not counted: however many there are, GitHub never
  // gets a summary it would drop whole.
  if (Buffer.byteLength(summary.stringify()) > SUMMARY_BYTES) {
    summary.emptyBuffer().addRaw(`<p>Order ${outcome.orderId}: see the step log.</p>`, true)
  }
  await summary.write()
}

/**
 * GitHub refuses a step summary over 1 MiB, and then the whole summary is lost. This one stays
 * under 64 KiB whatever the server sends: every value in the table is cut to 200 characters and
 * the decision and each note to 1,000, the failure to 3,000, which, escaped for HTML (at most 8 characters for one), stay under 50 KiB.
 */
const SUMMARY_BYTES = 60_000
const SUMMARY_VALUE_CHARS = 200
const SUMMARY_NOTE_CHARS = 1_000
const SUMMARY_FAILURE_CHARS = 3_000

function renewalLine(renewal: PendingRenewal): string {
  const status = renewal.info?.status ?? renewal.placed?.requests[0]?.status
  return `${renewal.orderId}${status ? ` (${status})` : ''}: in use once issued`
}

/** For the action's own text: `code` spans become <code>. */
function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
}
