// One HTTP exchange with CertCentral (src/certcentral/http.ts), in process, against a server each
// test scripts down to its headers and bytes: what is sent, which answers are read and how far,
// and what each failure says. The same answers reach the bundled action in
// hostile.integration.test.ts; here every branch of the client is pinned without a child process.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { CertCentralError, ProtocolError, TransportError } from '../src/certcentral/errors.js'
import {
  MAX_BODY_BYTES,
  parseRetryAfter,
  requestJson,
  requestText,
  type Connection
} from '../src/certcentral/http.js'
import { Pace, RateLimitError } from '../src/certcentral/pace.js'
import { fakeClock, type FakeClock } from './support/fake-clock.js'
import { json, stream } from './support/hostile-server.js'

const API_KEY = 'http-test-key-0123456789abcdef'

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

interface Server {
  url: string
  seen: Seen[]
  close(): Promise<void>
}

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.close()))
})

/** A server that answers every request with `answer`, after reading the request's body. */
async function serve(answer: (res: ServerResponse, seen: Seen) => void): Promise<Server> {
  const seen: Seen[] = []
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body }
      seen.push(request)
      answer(res, request)
    })
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const handle: Server = {
    url: `http://127.0.0.1:${port}/services/v2`,
    seen,
    close: () =>
      new Promise(resolve => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
  servers.push(handle)
  return handle
}

function connection(
  apiUrl: string,
  clock: FakeClock = fakeClock(),
  more: Partial<Connection> = {}
): Connection {
  return {
    apiUrl,
    apiKey: API_KEY,
    userAgent: 'http-test/1.0',
    requestTimeoutMs: 5_000,
    deadline: clock.now() + 3_600_000,
    scrub: text => text.replaceAll(API_KEY, '***'),
    pace: new Pace(clock, clock.now() + 3_600_000),
    clock,
    ...more
  }
}

/** What a call threw, to assert its class and message; fails when it did not throw. */
async function thrown(call: Promise<unknown>): Promise<Error> {
  const outcome = await call.then(
    value => ({ value }),
    (error: unknown) => ({ error })
  )
  if (!('error' in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`)
  expect(outcome.error).toBeInstanceOf(Error)
  return outcome.error as Error
}

function text(res: ServerResponse, status: number, body: string, headers = {}): void {
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers })
  res.end(body)
}

describe('what is sent', () => {
  it('a GET with the key, JSON headers, the user agent and no body', async () => {
    const server = await serve(res => json(res, 200, { id: 7 }))
    expect(await requestJson(connection(server.url), 'GET', '/order/certificate/7')).toEqual({
      id: 7
    })
    const [request] = server.seen
    expect(request?.method).toBe('GET')
    expect(request?.url).toBe('/services/v2/order/certificate/7')
    expect(request?.headers).toMatchObject({
      'x-dc-devkey': API_KEY,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'http-test/1.0'
    })
    expect(request?.body).toBe('')
  })

  it('a POST with its body as JSON', async () => {
    const server = await serve(res => json(res, 201, { id: 8 }))
    const body = { certificate: { common_name: 'Example' } }
    await requestJson(connection(server.url), 'POST', '/order/certificate/code_signing', body)
    expect(server.seen[0]?.method).toBe('POST')
    expect(JSON.parse(server.seen[0]?.body ?? '')).toEqual(body)
  })

  it('a download as a GET that accepts the file type asked for', async () => {
    const server = await serve(res => text(res, 200, 'PEM TEXT'))
    const pem = await requestText(connection(server.url), '/certificate/9/download', 'text/plain')
    expect(pem).toBe('PEM TEXT')
    expect(server.seen[0]?.method).toBe('GET')
    expect(server.seen[0]?.headers.accept).toBe('text/plain')
  })
})

describe('a 2xx answer', () => {
  it('with an empty or blank body is an empty object', async () => {
    const server = await serve(res => text(res, 204, ''))
    expect(await requestJson(connection(server.url), 'PUT', '/x', {})).toEqual({})
    const blank = await serve(res => text(res, 200, ' \n '))
    expect(await requestJson(connection(blank.url), 'GET', '/x')).toEqual({})
  })

  it('that is not JSON fails with its content type and a flattened, scrubbed start', async () => {
    const page = `<html>\n<body>\n  <h1>Bad   gateway</h1> key ${API_KEY} <p>retry</p></body></html>`
    const server = await serve(res => text(res, 200, page, { 'content-type': 'text/html' }))
    const error = await thrown(requestJson(connection(server.url), 'GET', '/x'))
    expect(error).toBeInstanceOf(TransportError)
    expect(error.message).toBe(
      'CertCentral answered 200 with a body that is not JSON (text/html): "Bad gateway key *** retry"'
    )
  })

  it('that is not JSON and has no content type says so', async () => {
    const server = await serve(res => text(res, 200, 'oops'))
    const error = await thrown(requestJson(connection(server.url), 'GET', '/x'))
    expect(error.message).toBe(
      'CertCentral answered 200 with a body that is not JSON (no content type): "oops"'
    )
  })

  it('shows at most 300 characters of a body that is not JSON, cut after scrubbing', async () => {
    // The key straddles the 300th character: scrubbed first, no part of it is left.
    const page = 'x'.repeat(290) + API_KEY + 'y'.repeat(5_000)
    const server = await serve(res => text(res, 200, page, { 'content-type': 'text/plain' }))
    const error = await thrown(requestJson(connection(server.url), 'GET', '/x'))
    const shown = /: "(.*)… \[cut; \d+ characters in all\]"$/.exec(error.message)?.[1]
    expect(shown).toBe('x'.repeat(290) + '***' + 'y'.repeat(7))
    expect(error.message).not.toContain(API_KEY.slice(0, 6))
  })

  it('keeps the text between tags, even a lone <, and reads past a long stretch of markup', async () => {
    const page = `a<b>c < d <${'i'.repeat(200)}> e\t\tf`
    const server = await serve(res => text(res, 200, page))
    const error = await thrown(requestJson(connection(server.url), 'GET', '/x'))
    expect(error.message).toMatch(/: "a c < d e f"$/)
  })

  it('of JSON nested deeper than 64 levels is refused unread', async () => {
    const deep = '['.repeat(65) + ']'.repeat(65)
    const server = await serve(res => text(res, 200, deep))
    const error = await thrown(requestJson(connection(server.url), 'GET', '/deep'))
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error.message).toBe(
      `CertCentral answered 200 to GET ${server.url}/deep with JSON nested deeper than 64 levels: it was not read.`
    )
  })

  it('of JSON nested 64 levels is read', async () => {
    const server = await serve(res => text(res, 200, '['.repeat(64) + ']'.repeat(64)))
    expect(await requestJson(connection(server.url), 'GET', '/x')).toBeInstanceOf(Array)
  })

  it('of JSON with more than 20,000 objects and lists is refused unread', async () => {
    const many = `[${Array.from({ length: 20_000 }, () => '{}').join(',')}]`
    const server = await serve(res => text(res, 200, many))
    const error = await thrown(requestJson(connection(server.url), 'GET', '/many'))
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error.message).toContain('with JSON holding more than 20000 objects and lists')
  })

  it('counts brackets in strings, escaped quotes included, as text', async () => {
    const value = `\\" ${'['.repeat(100)} \\\\`
    const body = `{"a":"${value}","b":"${'{'.repeat(30_000)}","c":[[1]]}`
    const server = await serve(res => text(res, 200, body))
    const parsed = (await requestJson(connection(server.url), 'GET', '/x')) as { a: string }
    expect(parsed.a).toBe(`" ${'['.repeat(100)} \\`)
  })

  it('larger than 1 MiB is refused by its Content-Length, without waiting for its body', async () => {
    // The body never comes: only a refusal by the header ends this before the request limit.
    const server = await serve(res => {
      res.writeHead(200, { 'content-length': String(MAX_BODY_BYTES + 1) })
      res.write('{')
    })
    const error = await thrown(requestJson(connection(server.url), 'GET', '/big'))
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error.message).toBe(
      `CertCentral answered 200 to GET ${server.url}/big with more than 1 MiB, the most the action reads: the answer was not read further.`
    )
  })

  it('of exactly 1 MiB is read', async () => {
    const body = JSON.stringify({ a: 'x'.repeat(MAX_BODY_BYTES - 8) })
    expect(body.length).toBe(MAX_BODY_BYTES)
    const server = await serve(res => text(res, 200, body))
    expect(await requestJson(connection(server.url), 'GET', '/x')).toHaveProperty('a')
  })

  it('without end is read to 1 MiB and refused', async () => {
    const server = await serve(res => stream(res, 200, '[1]', Infinity))
    const error = await thrown(requestJson(connection(server.url), 'GET', '/endless'))
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error.message).toContain('with more than 1 MiB')
  })

  it('of a download larger than 1 MiB is refused', async () => {
    const server = await serve(res => stream(res, 200, 'A', MAX_BODY_BYTES + 1))
    const error = await thrown(requestText(connection(server.url), '/certificate/1', 'text/plain'))
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error.message).toContain('with more than 1 MiB')
  })
})

describe('an error answer', () => {
  it('lists the codes and messages of CertCentral error body, scrubbed', async () => {
    const server = await serve(res =>
      json(res, 400, {
        errors: [
          { code: 'invalid_field', message: `bad ${API_KEY}` },
          { code: 42, message: 7 },
          { code: { x: 1 }, message: ['no'] },
          null
        ]
      })
    )
    const error = await thrown(requestJson(connection(server.url), 'POST', '/x', {}))
    expect(error).toBeInstanceOf(CertCentralError)
    expect((error as CertCentralError).errors).toEqual([
      { code: 'invalid_field', message: 'bad ***' },
      { code: '42', message: '7' },
      { code: 'unknown', message: '' },
      { code: 'unknown', message: '' }
    ])
  })

  it('lists five errors and counts the rest', async () => {
    const errors = Array.from({ length: 7 }, (_, i) => ({ code: `c${i}`, message: `m${i}` }))
    const server = await serve(res => json(res, 400, { errors }))
    const error = (await thrown(
      requestJson(connection(server.url), 'GET', '/x')
    )) as CertCentralError
    expect(error.errors.map(e => e.code)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4'])
    expect(error.message).toContain('c4: m4 (and 2 more errors)')
    expect(error.message).not.toContain('c5')
  })

  it('lists five errors, with nothing more to say, when there are five', async () => {
    const errors = Array.from({ length: 5 }, (_, i) => ({ code: `c${i}`, message: `m${i}` }))
    const server = await serve(res => json(res, 400, { errors }))
    const error = await thrown(requestJson(connection(server.url), 'GET', '/x'))
    expect(error.message).toMatch(/c4: m4$/)
  })

  it('with an empty or blank body says so', async () => {
    const server = await serve(res => text(res, 503, ' \r\n'))
    const error = await thrown(requestJson(connection(server.url), 'GET', '/x'))
    expect(error).toBeInstanceOf(CertCentralError)
    expect(error.message).toMatch(/^CertCentral answered 503 with an empty body\n/)
  })

  it("that is not CertCentral's JSON shows its start", async () => {
    for (const body of ['<h1>Service   unavailable</h1>', '{"errors":', '{"error":"x"}']) {
      const server = await serve(res =>
        text(res, 502, body, { 'content-type': 'text/html; charset=utf-8' })
      )
      const error = await thrown(requestJson(connection(server.url), 'GET', '/x'))
      expect(error).toBeInstanceOf(CertCentralError)
      const flat = body
        .replace(/<[^<>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
      expect(error.message.split('\n')[0]).toBe(
        `CertCentral answered 502 with a body that is not CertCentral's JSON (text/html; charset=utf-8): "${flat}"`
      )
    }
  })

  it('whose error list is nested too deep is shown as text, not parsed', async () => {
    const body = `{"errors":[${'['.repeat(70)}${']'.repeat(70)}]}`
    const server = await serve(res => text(res, 400, body))
    const error = (await thrown(
      requestJson(connection(server.url), 'GET', '/x')
    )) as CertCentralError
    expect(error.errors).toEqual([])
    expect(error.message).toContain("with a body that is not CertCentral's JSON (no content type)")
  })

  it('larger than 1 MiB is not read', async () => {
    const server = await serve(res => stream(res, 500, 'x', 5 * MAX_BODY_BYTES))
    const error = await thrown(requestJson(connection(server.url), 'GET', '/x'))
    expect(error).toBeInstanceOf(CertCentralError)
    expect((error as CertCentralError).errors).toEqual([])
    expect(error.message.split('\n')[0]).toBe(
      'CertCentral answered 500 with a body larger than 1 MiB, the most the action reads; it was not read further'
    )
  })

  it('to a download fails with the status, as any other', async () => {
    for (const status of [300, 404]) {
      const server = await serve(res => json(res, status, { errors: [{ code: 'not_found|x' }] }))
      const error = await thrown(requestText(connection(server.url), '/c', 'text/plain'))
      expect(error).toBeInstanceOf(CertCentralError)
      expect((error as CertCentralError).status).toBe(status)
    }
  })

  it('401 is an answer, not a challenge the client would try to meet', async () => {
    const server = await serve(res =>
      json(res, 401, { errors: [{ code: 'invalid_api_key', message: 'no' }] })
    )
    const error = await thrown(requestJson(connection(server.url), 'GET', '/x'))
    expect(error).toBeInstanceOf(CertCentralError)
    expect((error as CertCentralError).status).toBe(401)
    expect(server.seen).toHaveLength(1)
  })

  it('carries Retry-After for the retry to honour', async () => {
    const server = await serve(res => text(res, 503, '', { 'retry-after': '12' }))
    const error = await thrown(requestJson(connection(server.url), 'GET', '/x'))
    expect((error as CertCentralError).retryAfterMs).toBe(12_000)
  })
})

describe('a redirect', () => {
  it('is refused, naming where it led and why, and nothing is sent there', async () => {
    const elsewhere = await serve(res => json(res, 200, {}))
    const server = await serve(res =>
      text(res, 301, '', { location: `${elsewhere.url}/?key=${API_KEY}` })
    )
    const error = await thrown(requestJson(connection(server.url), 'GET', '/x'))
    expect(error).toBeInstanceOf(CertCentralError)
    expect((error as CertCentralError).errors).toEqual([])
    expect(error.message).toBe(
      `CertCentral answered 301 (a redirect to "${elsewhere.url}/?key=***"). Redirects are refused, ` +
        'so that the API key is never sent to another address: check api-url.'
    )
    expect(elsewhere.seen).toEqual([])
  })

  it('without a Location says so', async () => {
    const server = await serve(res => text(res, 302, 'moved'))
    const error = await thrown(requestJson(connection(server.url), 'GET', '/x'))
    expect(error.message).toMatch(/^CertCentral answered 302 \(a redirect without a Location\)\./)
  })
})

describe('a 429', () => {
  it('pauses every later request of the run for Retry-After', async () => {
    const clock = fakeClock()
    const conn = connection('', clock)
    const server = await serve(res => text(res, 429, '', { 'retry-after': '9' }))
    const error = await thrown(requestJson({ ...conn, apiUrl: server.url }, 'GET', '/x'))
    expect((error as CertCentralError).status).toBe(429)
    await conn.pace.ready()
    expect(clock.slept).toEqual([9_000])
  })

  it('stops at once when the pause would outlast the step, reading nothing more', async () => {
    const clock = fakeClock()
    const conn = connection('', clock, {
      deadline: clock.now() + 60_000,
      pace: new Pace(clock, clock.now() + 60_000)
    })
    const server = await serve(res => {
      res.writeHead(429, { 'retry-after': '3600', 'content-length': '100' })
      res.write('{') // the rest never comes: only stopping at the header ends this
    })
    const error = await thrown(requestJson({ ...conn, apiUrl: server.url }, 'GET', '/x'))
    expect(error).toBeInstanceOf(RateLimitError)
  })
})

describe('a connection that fails', () => {
  it('names the request and the network error', async () => {
    const server = await serve(res => json(res, 200, {}))
    await server.close()
    const error = await thrown(requestJson(connection(server.url), 'GET', '/x'))
    expect(error).toBeInstanceOf(TransportError)
    expect(error.message).toMatch(
      new RegExp(
        `^GET ${server.url}/x failed: ECONNREFUSED connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+$`
      )
    )
  })

  it('mid-answer says that it closed', async () => {
    const server = await serve(res => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('{"id":', () => res.socket?.destroy())
    })
    const error = await thrown(requestJson(connection(server.url), 'GET', '/x'))
    expect(error).toBeInstanceOf(TransportError)
    expect(error.message).toBe(`GET ${server.url}/x failed: the connection closed mid-answer`)
  })

  it('that never answers is cut at the request limit, which says so', async () => {
    const server = await serve(() => undefined)
    const conn = connection(server.url, fakeClock(), { requestTimeoutMs: 600 })
    const error = await thrown(requestJson(conn, 'GET', '/x'))
    expect(error).toBeInstanceOf(TransportError)
    expect(error.message).toBe(`GET ${server.url}/x failed: no complete answer within 1s`)
  })

  it('that answers too slowly is cut at the request limit too', async () => {
    const server = await serve(res => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('{')
    })
    const conn = connection(server.url, fakeClock(), { requestTimeoutMs: 600 })
    const error = await thrown(requestJson(conn, 'GET', '/x'))
    expect(error.message).toBe(`GET ${server.url}/x failed: no complete answer within 1s`)
  })
})

describe('Retry-After', () => {
  const now = Date.parse('2026-03-01T12:00:00Z')
  it.each([
    ['7', 7_000],
    [' 7 ', 7_000],
    ['0', 0],
    ['999999999', 999_999_999_000],
    ['1234567890', 1e12],
    [' 99999999999999 ', 1e12],
    ['Sun, 01 Mar 2026 12:00:30 GMT', 30_000],
    ['Sun, 01 Mar 2026 11:00:00 GMT', 0],
    [['3', '9'], 3_000],
    ['', undefined],
    [undefined, undefined],
    ['soon', undefined],
    ['x12', undefined],
    ['12x', undefined]
  ] as const)('%j is %s ms', (value, ms) => {
    expect(parseRetryAfter(value as string | string[] | undefined, now)).toBe(ms)
  })
})
