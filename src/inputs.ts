// Action inputs -> one typed, validated object. Every problem is collected, none thrown:
// the caller reports them all at once and sends nothing.
import { parseDuration } from './duration.js'
import { buildOrderBody } from './order/body.js'
import { Findings, type Finding } from './order/findings.js'
import { InputSource, type InputReader } from './order/input-source.js'
import { optional } from './order/optional.js'
import { failed, parsed, type Parsed } from './order/parsed.js'
import { parseBoolean } from './order/scalars.js'
import { completeRequest, orderInputNames, readOrderDraft } from './order/read-order.js'
import { checkOrderRules } from './order/rules.js'
import {
  PRODUCTS,
  PROVISIONING_METHODS,
  type OrderBody,
  type Product,
  type ProvisioningMethod
} from './order/types.js'
import { MIN_POLL_MS } from './intervals.js'
import { RENEWAL_WINDOW_MS } from './chain/decide.js'

export type { Finding, InputReader }

export const WAIT_FOR = ['certificate-id', 'issued', 'none'] as const
export type WaitFor = (typeof WAIT_FOR)[number]
/** What a pre-flight problem does: stop what CertCentral would refuse (block), warn only, fail on any, or no checks. */
export const PREFLIGHT_MODES = ['block', 'warn', 'fail', 'off'] as const
export type PreflightMode = (typeof PREFLIGHT_MODES)[number]

/** How the action runs, whatever it orders. */
export interface Settings {
  apiKey: string
  /** Without a trailing slash. */
  apiUrl: string
  product: Product
  provisioningMethod: ProvisioningMethod
  waitFor: WaitFor
  timeoutMs: number
  pollIntervalMs: number
  /** Renew a certificate that expires within this long; 0: never renew. */
  renewWithinMs: number
  /** Order the next generation when the newest order was rejected, canceled, revoked or denied. */
  replaceEndedOrder: boolean
  dryRun: boolean
  preflight: PreflightMode
}

/** Either resume an order by ID (nothing is sent but GETs), or place the order in `body`. */
export type Plan =
  | { kind: 'resume'; orderId: number }
  | {
      kind: 'order'
      /** alternative_order_id is set only when the user gave `alternative-order-id`. */
      body: OrderBody
      /** SHA-256 of the CSR's public key (email orders): compared with the issued certificate's. */
      publicKeySha256?: string
      /** signature-hash when the user gave it: a reissue sends (and the pre-flight checks) only that. */
      givenSignatureHash?: string
    }

export interface ParsedInputs {
  settings: Settings
  plan: Plan
}

export type ParseResult =
  | { ok: true; inputs: ParsedInputs; warnings: Finding[]; notes: string[] }
  | { ok: false; problems: Finding[]; warnings: Finding[] }

const DEFAULT_API_URL = 'https://www.digicert.com/services/v2'
// Plain HTTP would send the API key in clear. It is allowed only for loopback and the names
// RFC 6761 reserves for testing, which never reach CertCentral: the project's simulator uses them.
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]']
const TEST_DOMAINS = ['.test', '.localhost']
// Within the 6 hours a GitHub-hosted job may run, so that the step itself times out and says how
// to resume, before the runner cancels the job.
const DEFAULT_TIMEOUT_MS = 5.5 * 3_600_000
// Renew a month ahead by default: time for an EV approval or a validation to be renewed.
const DEFAULT_RENEW_WITHIN_MS = 30 * 86_400_000
// setTimeout fires at once for anything longer (2^31 - 1 ms, about 24.8 days).
const MAX_TIMER_MS = 2_147_483_647

/**
 * Reads and checks every input. With `order-id` only the settings are checked: the order exists.
 * `now` decides whether custom-expiration-date lies in the future.
 */
export async function parseInputs(read: InputReader, now: Date): Promise<ParseResult> {
  const findings = new Findings()
  const source = new InputSource(read, findings)
  const settings = readSettings(source, findings)
  const plan = source.given('order-id')
    ? await resumePlan(source, findings)
    : await orderPlan(source, findings, settings, now)
  const complete = completeSettings(settings)
  if (findings.problems.length > 0 || complete === undefined || plan === undefined) {
    return { ok: false, problems: findings.problems, warnings: findings.warnings }
  }
  return {
    ok: true,
    inputs: { settings: complete, plan },
    warnings: findings.warnings,
    notes: findings.notes
  }
}

/** The settings that could be read; a wrong one is reported and left out. */
function readSettings(source: InputSource, findings: Findings): Partial<Settings> {
  const dryRun = source.value('dry-run', parseBoolean, false)
  // A dry run sends nothing, so a first look at the body needs no key.
  if (!source.given('api-key') && dryRun !== true) {
    findings.problem(
      'api-key',
      'is required; pass the CertCentral API key from a secret, e.g. api-key: ${{ secrets.DIGICERT_API_KEY }}'
    )
  }
  return {
    ...optional('apiKey', source.value('api-key', parsed, '')),
    ...optional('apiUrl', source.value('api-url', parseApiUrl, DEFAULT_API_URL)),
    ...optional('product', source.choice('product', PRODUCTS, 'code_signing')),
    ...optional(
      'provisioningMethod',
      source.choice('provisioning-method', PROVISIONING_METHODS, 'keylocker')
    ),
    ...optional('waitFor', source.choice('wait-for', WAIT_FOR, 'certificate-id')),
    ...optional('timeoutMs', source.value('timeout', parseTimeout, DEFAULT_TIMEOUT_MS)),
    ...optional('pollIntervalMs', source.value('poll-interval', parsePollInterval, 10_000)),
    ...optional(
      'renewWithinMs',
      source.value('renew-within', parseRenewWithin, DEFAULT_RENEW_WITHIN_MS)
    ),
    ...optional('replaceEndedOrder', source.value('replace-ended-order', parseBoolean, false)),
    ...optional('dryRun', dryRun),
    ...optional('preflight', source.choice('preflight', PREFLIGHT_MODES, 'block'))
  }
}

/** Every setting, once: the compiler refuses this table when a field of Settings is missing. */
const SETTING_FIELDS: Readonly<Record<keyof Settings, true>> = {
  apiKey: true,
  apiUrl: true,
  product: true,
  provisioningMethod: true,
  waitFor: true,
  timeoutMs: true,
  pollIntervalMs: true,
  renewWithinMs: true,
  replaceEndedOrder: true,
  dryRun: true,
  preflight: true
}

/** The settings, when every one could be read; a wrong one was reported and left out. */
function completeSettings(settings: Partial<Settings>): Settings | undefined {
  const fields = Object.keys(SETTING_FIELDS) as (keyof Settings)[]
  return fields.every(field => settings[field] !== undefined) ? (settings as Settings) : undefined
}

/**
 * Scheme, host (and port), then a path of plain segments: nothing the URL parser would quietly
 * drop or rewrite (an empty `?` or `#`, white space, a backslash) or that is not a path.
 */
const PLAIN_BASE_URL = /^https?:\/\/[^/?#@\\\s]+(?:\/[A-Za-z0-9._~%!$&'()*+,;=:-]*)*$/i

/** Without a trailing slash, so paths can be appended as `${apiUrl}/order/...`. */
function parseApiUrl(text: string): Parsed<string> {
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  if (/[\s\u0000-\u001f\u007f]/.test(text)) {
    return failed(
      `${JSON.stringify(text)} holds white space or a control character; give the URL alone, e.g. ${DEFAULT_API_URL}`
    )
  }
  // A percent sign in the host is decoded by the URL parser into another host than the one shown.
  const host = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(text)?.[1] ?? ''
  if (host.includes('%')) {
    return failed(
      `"${text}" has a percent sign (%) in its host, which URL parsers decode into another host; write the host name plainly, e.g. ${DEFAULT_API_URL}`
    )
  }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return failed(`"${text}" is not a URL; use for example ${DEFAULT_API_URL}`)
  }
  const local =
    LOOPBACK_HOSTS.includes(url.hostname) || TEST_DOMAINS.some(d => url.hostname.endsWith(d))
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    return failed(
      `"${text}" must start with https:// (http:// is allowed only for loopback and *.test hosts)`
    )
  }
  if (
    url.search !== '' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== '' ||
    !PLAIN_BASE_URL.test(text)
  ) {
    return failed(
      `"${text}" must be a plain base URL: scheme, host and path, without query (?), fragment (#), credentials or backslashes, e.g. ${DEFAULT_API_URL}`
    )
  }
  return parsed(text.replace(/\/+$/, ''))
}

function parseTimeout(text: string): Parsed<number> {
  const duration = parseDuration(text)
  if (!duration.ok) return duration
  if (duration.value === 0) return failed(`"${text}" must be longer than 0`)
  return withinTimerLimit(text, duration.value)
}

function parsePollInterval(text: string): Parsed<number> {
  const duration = parseDuration(text)
  if (!duration.ok) return duration
  if (duration.value < MIN_POLL_MS) {
    return failed(
      `"${text}" is below 1s: polls are at least a second apart, since every job using the API key shares its rate limit`
    )
  }
  return withinTimerLimit(text, duration.value)
}

/** DigiCert accepts a renewal from 90 days before the certificate expires, not earlier. */
function parseRenewWithin(text: string): Parsed<number> {
  const duration = parseDuration(text)
  if (!duration.ok) return duration
  if (duration.value > RENEWAL_WINDOW_MS) {
    return failed(
      `"${text}" is longer than 90d; DigiCert accepts a renewal only from 90 days before expiry (use 0 to turn renewal off)`
    )
  }
  return duration
}

function withinTimerLimit(text: string, ms: number): Parsed<number> {
  return ms > MAX_TIMER_MS
    ? failed(`"${text}" is longer than 596h, the longest wait Node's timers support`)
    : parsed(ms)
}

async function resumePlan(source: InputSource, findings: Findings): Promise<Plan | undefined> {
  const orderId = source.integer('order-id', { min: 1 })
  const ignored = (await orderInputNames()).filter(input => source.given(input))
  if (ignored.length > 0) {
    findings.notes.push(
      `order-id is given, so these order inputs are ignored: ${ignored.join(', ')}`
    )
  }
  return orderId === undefined ? undefined : { kind: 'resume', orderId }
}

/** Undefined when anything is wrong: a body is built only from inputs without problems. */
async function orderPlan(
  source: InputSource,
  findings: Findings,
  settings: Partial<Settings>,
  now: Date
): Promise<Plan | undefined> {
  const draft = await readOrderDraft(source, findings, {
    ...optional('product', settings.product),
    ...optional('provisioningMethod', settings.provisioningMethod)
  })
  checkOrderRules(draft, { now, given: input => source.given(input) }, findings)
  const request = completeRequest(draft)
  return request === undefined || findings.problems.length > 0
    ? undefined
    : {
        kind: 'order',
        body: buildOrderBody(request),
        ...optional('publicKeySha256', request.csr?.publicKeySha256),
        ...optional(
          'givenSignatureHash',
          source.given('signature-hash') ? request.signatureHash : undefined
        )
      }
}
