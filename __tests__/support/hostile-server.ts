// A server that answers as an attacker, or a broken proxy, would: each test says how it answers
// each request, down to the bytes and their pace. Without instructions it plays a minimal, polite
// CertCentral (one order, issued at once), so that a test changes only what it is about.
// Test support, never bundled; like the simulator it does not import anything from src/.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

export const BASE_PATH = '/services/v2'
export const ORDER_ID = 4_100_001
export const REQUEST_ID = 4_200_001
export const CERTIFICATE_ID = 4_300_001

export interface SeenRequest {
  method: string
  /** Path below BASE_PATH, without the query. */
  path: string
  /** Epoch ms when the request's headers arrived. */
  at: number
  body: string
}

/** Answers one request; it may write anything, slowly, or never finish. */
export type Handler = (res: ServerResponse, req: SeenRequest) => void | Promise<void>

export interface HostileServer {
  /** The api-url input: http://127.0.0.1:PORT/services/v2. */
  url: string
  origin: string
  requests: SeenRequest[]
  /** Answer requests matching `method` and `path` with `handler` (the latest match wins). */
  on(method: string, path: RegExp, handler: Handler): void
  /** Answer only the next `times` matching requests with `handler`. */
  once(method: string, path: RegExp, handler: Handler, times?: number): void
  /** Requests matching `method` and `path`. */
  seen(method: string, path?: RegExp): SeenRequest[]
  close(): Promise<void>
}

export const LOOKUP = /^\/order\/alternate\//
export const ORDER_POST = /^\/order\/certificate\/code_signing(_ev)?$/
export const ORDER_INFO = /^\/order\/certificate\/\d+$/
export const DOWNLOAD = /^\/certificate\/\d+\/download\/format\/pem_all$/
export const ORDER_STATUS = /^\/order\/certificate\/\d+\/status$/
export const REQUEST_STATUS = /^\/request\/\d+\/status$/
// The pre-flight's questions.
export const USER_ME = /^\/user\/me$/
export const ORGANIZATION = /^\/organization\/\d+$/
export const VALIDATION = /^\/organization\/\d+\/validation$/
export const PRODUCT = /^\/product\/[^/]+$/

/** The pre-flight's polite answers: nothing that would hold an order up. */
export const POLITE_PREFLIGHT = {
  user: { id: 1, username: 'release-bot', access_roles: [{ id: 1, name: 'Administrator' }] },
  organization: {
    id: 12345,
    status: 'active',
    is_active: true,
    verified_contacts: [{ id: 12345 }]
  },
  validation: { validations: [{ type: 'cs', status: 'active', validated_until: '2099-01-01' }] },
  product: {
    allowed_validity_years: [1, 2, 3],
    signature_hash_types: { allowed_hash_types: [{ id: 'sha256' }, { id: 'sha384' }] }
  }
} as const

/** A JSON answer; `text` is sent as it is when given (for bodies JSON.stringify cannot make). */
export function json(res: ServerResponse, status: number, value: unknown, text?: string): void {
  const body = Buffer.from(text ?? JSON.stringify(value))
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length })
  res.end(body)
}

/** CertCentral's error body. */
export function apiError(
  res: ServerResponse,
  status: number,
  errors: { code: unknown; message: unknown }[],
  headers: Record<string, string> = {}
): void {
  const body = Buffer.from(JSON.stringify({ errors }))
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': body.length,
    ...headers
  })
  res.end(body)
}

/** Order info as CertCentral sends it, with `changes` over the polite defaults. */
export function orderInfo(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: ORDER_ID,
    status: 'issued',
    date_created: '2026-01-02T03:04:05+00:00',
    certificate: { id: CERTIFICATE_ID },
    requests: [{ id: REQUEST_ID, status: 'approved' }],
    product: { name_id: 'code_signing' },
    ...changes
  }
}

/**
 * Streams `total` bytes of `unit` (or without end when total is Infinity) as fast as the client
 * reads them, never holding more than one chunk: the server's memory is not what is measured.
 */
export function stream(
  res: ServerResponse,
  status: number,
  unit: string,
  total: number,
  headers: Record<string, string> = {}
): void {
  const chunk = Buffer.from(unit.repeat(Math.max(1, Math.floor(65_536 / unit.length))))
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(Number.isFinite(total) ? { 'content-length': String(total) } : {}),
    ...headers
  })
  let sent = 0
  const pump = () => {
    while (sent < total && !res.destroyed) {
      const piece = total - sent >= chunk.length ? chunk : chunk.subarray(0, total - sent)
      sent += piece.length
      if (!res.write(piece)) return void res.once('drain', pump)
    }
    if (sent >= total) res.end()
  }
  res.on('close', () => (sent = total))
  pump()
}

/** One byte of `text` a second, from the first: an answer that never completes in time. */
export function drip(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': text.length })
  let i = 0
  const timer = setInterval(() => {
    if (res.destroyed || i >= text.length) return clearInterval(timer)
    res.write(text[i++])
  }, 1_000)
  res.on('close', () => clearInterval(timer))
}

export async function startHostileServer(options: { pem: string }): Promise<HostileServer> {
  const requests: SeenRequest[] = []
  const rules: { method: string; path: RegExp; handler: Handler; times: number }[] = []
  const sockets = new Set<Socket>()
  let posted = false

  const polite: typeof rules = [
    // No order until the polite POST answered; then that order, as a run must see its own listed.
    {
      method: 'GET',
      path: LOOKUP,
      handler: res =>
        json(res, 200, { orders: posted ? [{ order_id: ORDER_ID, status: 'pending' }] : [] }),
      times: -1
    },
    {
      method: 'POST',
      path: ORDER_POST,
      handler: res => {
        posted = true
        json(res, 201, { id: ORDER_ID, requests: [{ id: REQUEST_ID, status: 'pending' }] })
      },
      times: -1
    },
    { method: 'GET', path: ORDER_INFO, handler: res => json(res, 200, orderInfo()), times: -1 },
    { method: 'PUT', path: ORDER_STATUS, handler: res => void res.writeHead(204).end(), times: -1 },
    {
      method: 'PUT',
      path: REQUEST_STATUS,
      handler: res => void res.writeHead(204).end(),
      times: -1
    },
    {
      method: 'GET',
      path: USER_ME,
      handler: res => json(res, 200, POLITE_PREFLIGHT.user),
      times: -1
    },
    {
      method: 'GET',
      path: ORGANIZATION,
      handler: res => json(res, 200, POLITE_PREFLIGHT.organization),
      times: -1
    },
    {
      method: 'GET',
      path: VALIDATION,
      handler: res => json(res, 200, POLITE_PREFLIGHT.validation),
      times: -1
    },
    {
      method: 'GET',
      path: PRODUCT,
      handler: res => json(res, 200, POLITE_PREFLIGHT.product),
      times: -1
    },
    {
      method: 'GET',
      path: DOWNLOAD,
      handler: res => {
        res.writeHead(200, { 'content-type': 'application/x-pem-file' })
        res.end(options.pem)
      },
      times: -1
    }
  ]

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = Date.now()
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: url.pathname.startsWith(BASE_PATH)
          ? url.pathname.slice(BASE_PATH.length)
          : url.pathname,
        at,
        body: Buffer.concat(chunks).toString('utf8')
      }
      requests.push(seen)
      const matches = (rule: (typeof rules)[number]) =>
        rule.method === seen.method && rule.path.test(seen.path) && rule.times !== 0
      const rule = rules.findLast(matches) ?? polite.find(matches)
      if (!rule) return json(res, 404, { errors: [{ code: 'not_found', message: 'Not found' }] })
      if (rule.times > 0) rule.times--
      void Promise.resolve(rule.handler(res, seen)).catch(() => res.destroy())
    })
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  const origin = `http://127.0.0.1:${port}`

  return {
    url: `${origin}${BASE_PATH}`,
    origin,
    requests,
    on: (method, path, handler) => rules.push({ method, path, handler, times: -1 }),
    once: (method, path, handler, times = 1) => rules.push({ method, path, handler, times }),
    seen: (method, path) =>
      requests.filter(r => r.method === method && (path === undefined || path.test(r.path))),
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}
