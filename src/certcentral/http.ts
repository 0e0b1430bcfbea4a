// One HTTP exchange with CertCentral: headers, a per-request time limit, the body (up to a size
// limit, read as it comes), JSON. Nothing the server sends reaches a message unscrubbed or unescaped.
// Retries are not made here (see retry.ts): whether a failure may be retried depends on the call.
import { HttpClient } from '@actions/http-client'
import type { Clock } from '../clock.js'
import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http'
import { MESSAGE_LIMIT, oneLine, quoteValue } from '../server-text.js'
import { CertCentralError, ProtocolError, TransportError, type ApiErrorEntry } from './errors.js'
import type { Pace } from './pace.js'

export interface Connection {
  /** Base URL without a trailing slash, e.g. https://www.digicert.com/services/v2. */
  apiUrl: string
  apiKey: string
  userAgent: string
  /** Limit for one request, from connecting to the last byte of the body. */
  requestTimeoutMs: number
  /** Epoch ms: the step's timeout, which no request outlasts. */
  deadline: number
  /** Removes the run's secrets from server text; applied before any text is cut or quoted. */
  scrub: (text: string) => string
  /** Shared by every request: the pause after a 429. */
  pace: Pace
  /** The run's time: a test's fake clock must not shorten every request to the 1 s floor. */
  clock: Pick<Clock, 'now'>
}

export type Method = 'GET' | 'POST' | 'PUT'

/**
 * The most the action reads of one answer, JSON or certificate file: CertCentral's answers are a
 * few kilobytes. Enforced while reading, so an endless body costs no more than this.
 */
export const MAX_BODY_BYTES = 1024 * 1024
const MAX_BODY = '1 MiB'
/**
 * A JSON answer of 1 MiB nested or packed with tiny objects and lists would take tens of MiB to
 * parse; CertCentral's answers are shallow and hold at most a few thousand of them.
 */
const MAX_JSON_DEPTH = 64
const MAX_JSON_CONTAINERS = 20_000
/** The start of an unexpected body (an HTML page, say) shown in an error message. */
const SNIPPET_CHARS = 300

interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  /** Undefined when the body was larger than MAX_BODY_BYTES: it was not read further. */
  body: string | undefined
  /** `GET https://…/order/certificate/123`, to name the request in messages. */
  request: string
}

/** Sends one request and returns the parsed JSON body of a 2xx answer; throws otherwise. */
export async function requestJson(
  conn: Connection,
  method: Method,
  path: string,
  body?: unknown
): Promise<unknown> {
  const response = await exchange(conn, method, path, body, 'application/json')
  return parseSuccess(conn, response)
}

/** Sends a GET and returns the text of a 2xx answer (for PEM downloads); throws otherwise. */
export async function requestText(conn: Connection, path: string, accept: string): Promise<string> {
  const response = await exchange(conn, 'GET', path, undefined, accept)
  if (response.status < 200 || response.status >= 300) throw errorFromResponse(conn, response)
  if (response.body === undefined) throw tooLarge(response)
  return response.body
}

async function exchange(
  conn: Connection,
  method: Method,
  path: string,
  body: unknown,
  accept: string
): Promise<RawResponse> {
  await conn.pace.ready()
  const limitMs = Math.min(conn.requestTimeoutMs, Math.max(1_000, conn.deadline - conn.clock.now()))
  const signal = AbortSignal.timeout(limitMs)
  // A new client per request lets each request carry its own abort signal; the client keeps no
  // connections alive, so nothing is lost.
  const client = new HttpClient(conn.userAgent, [abortWith(signal)], {
    // Redirects are refused: http-client would follow one to another host with X-DC-DEVKEY.
    allowRedirects: false,
    allowRetries: false,
    socketTimeout: limitMs
  })
  // Content-Type on every request, as DigiCert's examples send it.
  const headers = {
    'X-DC-DEVKEY': conn.apiKey,
    'Content-Type': 'application/json',
    Accept: accept
  }
  const request = `${method} ${conn.apiUrl}${path}`
  const failed = (error: unknown) =>
    new TransportError(
      `${request} failed: ${
        signal.aborted
          ? `no complete answer within ${Math.round(limitMs / 1000)}s`
          : oneLine(conn.scrub(describeNetworkError(error)), 300)
      }`
    )
  let message: IncomingMessage
  try {
    const response = await client.request(
      method,
      conn.apiUrl + path,
      body === undefined ? null : JSON.stringify(body),
      headers
    )
    message = response.message
  } catch (error) {
    throw failed(error)
  }
  const status = message.statusCode ?? 0
  if (status === 429) {
    try {
      conn.pace.rateLimited(parseRetryAfter(message.headers['retry-after'], conn.clock.now()))
    } catch (error) {
      message.destroy()
      throw error
    }
  }
  let text: string | undefined
  try {
    text = (await readBody(message, MAX_BODY_BYTES))?.toString('utf8')
  } catch (error) {
    throw failed(error)
  }
  return { status, headers: message.headers, body: text, request }
}

/** http-client lets request handlers adjust the Node request options; this one adds the signal. */
function abortWith(signal: AbortSignal) {
  return {
    prepareRequest(options: RequestOptions) {
      options.signal = signal
    },
    canHandleAuthentication: () => false,
    handleAuthentication: () => Promise.reject(new Error('not supported'))
  }
}

/**
 * The body, or undefined when it is longer than `limit` bytes: reading stops there and the
 * connection is closed. http-client's readBody() has no limit and never settles when the connection
 * breaks mid-body; this does, and refuses a body shorter than its Content-Length.
 */
function readBody(message: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    let settled = false
    const settle = (outcome: () => void) => {
      if (settled) return
      settled = true
      outcome()
    }
    const fail = (error: Error) =>
      settle(() => {
        message.destroy()
        reject(error)
      })
    const refuse = () =>
      settle(() => {
        message.destroy()
        resolve(undefined)
      })
    const declared = Number(message.headers['content-length'])
    if (Number.isFinite(declared) && declared > limit) return refuse()
    const chunks: Buffer[] = []
    let size = 0
    message.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) refuse()
      else chunks.push(chunk)
    })
    message.on('error', fail)
    message.on('aborted', () => fail(new Error('the connection closed mid-answer')))
    message.on('close', () => {
      if (!message.complete) fail(new Error('the connection closed mid-answer'))
    })
    message.on('end', () => {
      const body = Buffer.concat(chunks)
      if (Number.isFinite(declared) && body.length < declared) {
        fail(new Error(`the answer was cut short (${body.length} of ${declared} bytes)`))
      } else {
        settle(() => resolve(body))
      }
    })
  })
}

function parseSuccess(conn: Connection, response: RawResponse): unknown {
  if (response.status < 200 || response.status >= 300) throw errorFromResponse(conn, response)
  if (response.body === undefined) throw tooLarge(response)
  if (response.body.trim() === '') return {}
  const excess = jsonExcess(response.body)
  if (excess) {
    throw new ProtocolError(
      `CertCentral answered ${response.status} to ${response.request} with JSON ${excess}: it was not read.`
    )
  }
  try {
    return JSON.parse(response.body) as unknown
  } catch {
    throw new TransportError(
      `CertCentral answered ${response.status} with a body that is not JSON (${contentType(conn, response)}): ${snippet(conn, response.body)}`
    )
  }
}

function tooLarge(response: RawResponse): ProtocolError {
  return new ProtocolError(
    `CertCentral answered ${response.status} to ${response.request} with more than ${MAX_BODY}, the most the action reads: the answer was not read further.`
  )
}

/**
 * What makes a JSON text too costly to parse, in one pass: nesting deeper than MAX_JSON_DEPTH or
 * more than MAX_JSON_CONTAINERS objects and lists. Undefined when it is fine (or not JSON at all).
 */
function jsonExcess(text: string): string | undefined {
  let depth = 0
  let containers = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) {
      inString = true
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) return `nested deeper than ${MAX_JSON_DEPTH} levels`
      if (++containers > MAX_JSON_CONTAINERS) {
        return `holding more than ${MAX_JSON_CONTAINERS} objects and lists`
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth--
    }
  }
  return undefined
}

function errorFromResponse(conn: Connection, response: RawResponse): CertCentralError {
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], conn.clock.now())
  const { status, body } = response
  if (status >= 300 && status < 400) {
    return new CertCentralError(status, [], retryAfterMs, redirectDetail(conn, response))
  }
  if (body === undefined) {
    return new CertCentralError(
      status,
      [],
      retryAfterMs,
      `with a body larger than ${MAX_BODY}, the most the action reads; it was not read further`
    )
  }
  const listed = errorEntries(conn, body)
  if (listed) return new CertCentralError(status, listed.entries, retryAfterMs, listed.more)
  const detail =
    body.trim() === ''
      ? 'with an empty body'
      : `with a body that is not CertCentral's JSON (${contentType(conn, response)}): ${snippet(conn, body)}`
  return new CertCentralError(status, [], retryAfterMs, detail)
}

function redirectDetail(conn: Connection, response: RawResponse): string {
  const location = response.headers.location
  const where = location ? `to ${quoteValue(location, conn.scrub, 300)}` : 'without a Location'
  return (
    `(a redirect ${where}). Redirects are refused, so that the API key is never sent to another ` +
    'address: check api-url.'
  )
}

/** The errors listed first; CertCentral sends one or two, a hostile answer may send thousands. */
const MAX_ERROR_ENTRIES = 5

/** CertCentral's {"errors":[{code, message}]}, scrubbed, each on one line and cut to length. */
function errorEntries(
  conn: Connection,
  body: string
): { entries: ApiErrorEntry[]; more?: string } | undefined {
  if (jsonExcess(body)) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors
  if (!Array.isArray(errors)) return undefined
  const entries = errors.slice(0, MAX_ERROR_ENTRIES).map((e: unknown) => {
    const entry = (e ?? {}) as { code?: unknown; message?: unknown }
    return {
      code: oneLine(conn.scrub(plain(entry.code) ?? 'unknown'), 100),
      message: oneLine(conn.scrub(plain(entry.message) ?? ''), MESSAGE_LIMIT)
    }
  })
  const omitted = errors.length - entries.length
  return omitted > 0 ? { entries, more: `(and ${omitted} more errors)` } : { entries }
}

/** A string or number from an error entry; anything else is not shown. */
function plain(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  return typeof value === 'number' ? String(value) : undefined
}

/** Retry-After is seconds or an HTTP date; CertCentral does not document it, proxies send it. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now = Date.now()
): number | undefined {
  const text = Array.isArray(value) ? value[0] : value
  if (!text) return undefined
  if (/^\d{1,9}$/.test(text.trim())) return Number(text.trim()) * 1000
  // Longer runs of digits are more than 31 years: as good as never.
  if (/^\d+$/.test(text.trim())) return 1e12
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

function contentType(conn: Connection, response: RawResponse): string {
  const type = response.headers['content-type']
  return type ? oneLine(conn.scrub(type), 100) : 'no content type'
}

/**
 * The start of an unexpected body, on one line, for an error message. Secrets are scrubbed from the
 * whole body before anything is cut, so that no part of one survives a cut.
 */
function snippet(conn: Connection, body: string): string {
  const flat = conn
    .scrub(body)
    .slice(0, 16 * SNIPPET_CHARS)
    // [^<>] keeps this linear: a `<` without `>` is tried once, not to the end of the text.
    .replace(/<[^<>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return `"${oneLine(flat, SNIPPET_CHARS)}"`
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code
    return code ? `${code} ${error.message}` : error.message
  }
  return String(error)
}
