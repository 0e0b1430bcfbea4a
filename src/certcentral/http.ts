// One HTTP exchange with CertCentral: headers, a per-request time limit, the whole body, JSON.
// Retries are not made here (see retry.ts): whether a failure may be retried depends on the call.
import { HttpClient } from '@actions/http-client'
import type { Clock } from '../clock.js'
import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http'
import { CertCentralError, TransportError, type ApiErrorEntry } from './errors.js'

export interface Connection {
  /** Base URL without a trailing slash, e.g. https://www.digicert.com/services/v2. */
  apiUrl: string
  apiKey: string
  userAgent: string
  /** Limit for one request, from connecting to the last byte of the body. */
  requestTimeoutMs: number
  /** Epoch ms: the step's timeout, which no request outlasts. */
  deadline: number
  /** The run's time: a test's fake clock must not shorten every request to the 1 s floor. */
  clock: Pick<Clock, 'now'>
}

export type Method = 'GET' | 'POST' | 'PUT'

interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
  /** Epoch ms, by the run's clock: what a Retry-After date is measured from. */
  receivedAt: number
}

/** Sends one request and returns the parsed JSON body of a 2xx answer; throws otherwise. */
export async function requestJson(
  conn: Connection,
  method: Method,
  path: string,
  body?: unknown
): Promise<unknown> {
  const response = await exchange(conn, method, path, body, 'application/json')
  return parseSuccess(response)
}

/** Sends a GET and returns the text of a 2xx answer (for PEM downloads); throws otherwise. */
export async function requestText(conn: Connection, path: string, accept: string): Promise<string> {
  const response = await exchange(conn, 'GET', path, undefined, accept)
  if (response.status >= 200 && response.status < 300) return response.body
  throw errorFromResponse(response)
}

async function exchange(
  conn: Connection,
  method: Method,
  path: string,
  body: unknown,
  accept: string
): Promise<RawResponse> {
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
  const url = conn.apiUrl + path
  try {
    const response = await client.request(
      method,
      url,
      body === undefined ? null : JSON.stringify(body),
      headers
    )
    return {
      status: response.message.statusCode ?? 0,
      headers: response.message.headers,
      body: await readWholeBody(response.message),
      receivedAt: conn.clock.now()
    }
  } catch (error) {
    if (error instanceof TransportError) throw error
    const reason = signal.aborted
      ? `no complete answer within ${Math.round(limitMs / 1000)}s`
      : describeNetworkError(error)
    throw new TransportError(`${method} ${conn.apiUrl}${path} failed: ${reason}`)
  }
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
 * http-client's readBody() never settles when the connection breaks mid-body; this does, and
 * refuses a body shorter than its Content-Length.
 */
function readWholeBody(message: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    message.on('data', (chunk: Buffer) => chunks.push(chunk))
    message.on('error', reject)
    message.on('aborted', () => reject(new TransportError('the connection closed mid-answer')))
    message.on('close', () => {
      if (!message.complete) reject(new TransportError('the connection closed mid-answer'))
    })
    message.on('end', () => {
      const body = Buffer.concat(chunks)
      const expected = Number(message.headers['content-length'])
      if (Number.isFinite(expected) && body.length < expected) {
        reject(new TransportError(`the answer was cut short (${body.length} of ${expected} bytes)`))
      } else {
        resolve(body.toString('utf8'))
      }
    })
  })
}

function parseSuccess(response: RawResponse): unknown {
  if (response.status < 200 || response.status >= 300) throw errorFromResponse(response)
  if (response.body.trim() === '') return {}
  try {
    return JSON.parse(response.body) as unknown
  } catch {
    throw new TransportError(
      `CertCentral answered ${response.status} with a body that is not JSON (${contentType(response)}): ${snippet(response.body)}`
    )
  }
}

function errorFromResponse(response: RawResponse): CertCentralError {
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], response.receivedAt)
  const entries = errorEntries(response.body)
  if (entries) return new CertCentralError(response.status, entries, retryAfterMs)
  const detail =
    response.body.trim() === ''
      ? 'with an empty body'
      : `with a body that is not CertCentral's JSON (${contentType(response)}): ${snippet(response.body)}`
  return new CertCentralError(response.status, [], retryAfterMs, detail)
}

function errorEntries(body: string): ApiErrorEntry[] | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors
  if (!Array.isArray(errors)) return undefined
  return errors.map((e: unknown) => {
    const entry = (e ?? {}) as { code?: unknown; message?: unknown }
    return { code: scalar(entry.code) ?? 'unknown', message: scalar(entry.message) ?? '' }
  })
}

/** A string or number as text; anything else (an object would print as [object Object]) is absent. */
function scalar(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
}

/** Retry-After is seconds or an HTTP date; CertCentral does not document it, proxies send it. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now = Date.now()
): number | undefined {
  const text = Array.isArray(value) ? value[0] : value
  if (!text) return undefined
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

function contentType(response: RawResponse): string {
  return response.headers['content-type'] ?? 'no content type'
}

/** The start of an unexpected body, on one line, for an error message. */
function snippet(body: string): string {
  const flat = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return JSON.stringify(flat.length > 160 ? `${flat.slice(0, 160)}…` : flat)
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code
    return code ? `${code} ${error.message}` : error.message
  }
  return String(error)
}
