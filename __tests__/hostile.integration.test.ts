// Hostile answers: the bundled action (dist/index.js) in a child process against a server that
// answers as an attacker or a broken proxy would (./support/hostile-server.ts). Each test asserts
// what the user sees; every run is also held to the limits the README promises: no workflow
// command but the action's own, no secret (not even part of one), peak memory under 100 MiB, a
// summary under 64 KiB, no log line longer than a few kilobytes.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerResponse } from 'node:http'
import { beforeAll, describe, expect, it as base } from 'vitest'
import { generateChain, generateCsrPem, type CertificateChain } from './support/certificates.js'
import {
  apiError,
  CERTIFICATE_ID,
  DOWNLOAD,
  drip,
  json,
  LOOKUP,
  ORDER_ID,
  ORDER_STATUS,
  ORGANIZATION,
  POLITE_PREFLIGHT,
  PRODUCT,
  REQUEST_STATUS,
  USER_ME,
  VALIDATION,
  ORDER_INFO,
  ORDER_POST,
  orderInfo,
  REQUEST_ID,
  startHostileServer,
  stream,
  type HostileServer
} from './support/hostile-server.js'
import {
  isolatedRepository,
  runAction,
  visibleLog,
  WORKFLOW_ENV,
  type ActionRun
} from './support/run-action.js'
import {
  API_KEY,
  BILLING_ADDRESS,
  CARD_NUMBER,
  CREDIT_CARD,
  CVV,
  expectNoSecrets,
  orderInputs
} from './support/action-inputs.js'

const PEAK_MEMORY_MIB = 100
const SUMMARY_BYTES = 64 * 1024
const LONGEST_LINE = 8_000
const MIB = 1024 * 1024
const PROBE = pathToFileURL(resolve(import.meta.dirname, 'support/peak-memory.mjs')).href

/** Commands the action issues itself (through @actions/core); any other would be injected. */
const OWN_COMMANDS = ['add-mask', 'warning', 'error', 'debug', 'notice']

/** Server text that would act as workflow commands if it reached the log as it is. */
const INJECTION =
  'pending\n::set-output name=certificate-path::/tmp/evil.pem\n::stop-commands::tok\r' +
  '::warning::fake\u2028##[set-output name=order-id]666\u0085::add-path::/evil'

let chain: CertificateChain
beforeAll(async () => {
  chain = await generateChain()
})

interface HostileRun extends ActionRun {
  peakMiB: number
}

// Each test has a server and runs of its own, so the tests of a `describe.concurrent` block run at
// once: most of their time is a child process starting or a server dripping, not this process's CPU.
const it = base.extend<{
  server: HostileServer
  run: (more?: Record<string, string>) => Promise<HostileRun>
}>({
  // eslint-disable-next-line no-empty-pattern -- Vitest reads a fixture's dependencies from this pattern
  server: async ({}, use) => {
    const server = await startHostileServer({ pem: chain.pem })
    await use(server)
    await server.close()
  },
  run: async ({ server }, use) => {
    const runs: HostileRun[] = []
    await use(async more => {
      const run = await runAgainst(server, more)
      runs.push(run)
      return run
    })
    // Every run is held to the limits, whatever the test itself asserts.
    for (const run of runs) expectWithinLimits(run)
  }
})

let runNumber = 9100
async function runAgainst(
  server: HostileServer,
  more: Record<string, string> = {}
): Promise<HostileRun> {
  const peakDir = await mkdtemp(join(tmpdir(), 'hostile-'))
  const peakFile = join(peakDir, 'peak')
  const result = await runAction(
    orderInputs(server.url, {
      // The hostile server answers 404 not_found to the pre-flight's questions: with the default
      // (block), "organization 12345 was not found" would stop every run before the order.
      preflight: 'warn',
      'payment-method': 'card',
      'credit-card': CREDIT_CARD,
      'billing-address': BILLING_ADDRESS,
      ...more
    }),
    {
      env: {
        ...WORKFLOW_ENV,
        GITHUB_REPOSITORY: isolatedRepository(),
        GITHUB_RUN_ID: String(++runNumber),
        PEAK_MEMORY_FILE: peakFile
      },
      nodeArgs: ['--import', PROBE]
    }
  )
  const peakKiB = Number(await readFile(peakFile, 'utf8').catch(() => 'NaN'))
  await rm(peakDir, { recursive: true, force: true })
  return { ...result, peakMiB: peakKiB / 1024 }
}

function expectWithinLimits(run: HostileRun): void {
  expectNoSecrets(run)
  expectNoRawBidi(run)
  expectNoSecretFragments(run)
  expectNoInjectedCommands(run)
  expect(run.peakMiB, 'peak memory of the action, MiB').toBeLessThan(PEAK_MEMORY_MIB)
  expect(Buffer.byteLength(run.summary), 'summary bytes').toBeLessThan(SUMMARY_BYTES)
  for (const line of logLines(run))
    expect(line.length, 'log line length').toBeLessThan(LONGEST_LINE)
}

/** The runner reads lines as .NET's ReadLine does: CR, LF and CRLF all end one. */
const logLines = (run: ActionRun) => `${run.stdout}\n${run.stderr}`.split(/\r\n|\r|\n/)

/** No line is a workflow command the action did not issue, and no legacy `##[` command at all. */
function expectNoInjectedCommands(run: ActionRun): void {
  for (const line of logLines(run)) {
    const command = /^\s*::([^\s:]*)/.exec(line)?.[1]
    if (command !== undefined) expect(OWN_COMMANDS, line).toContain(command)
    expect(line).not.toContain('##[')
  }
}

/** Bidirectional overrides and isolates reorder what a reader sees: shown only as escapes. */
function expectNoRawBidi(run: ActionRun): void {
  const seen = [run.stdout, run.stderr, run.summary, ...Object.values(run.outputs)].join('\n')
  expect(seen).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/u)
}

/** Not even part of a secret: no six characters of the API key or the card number in a row. */
function expectNoSecretFragments(run: ActionRun): void {
  const visible = visibleLog(run)
  for (const secret of [API_KEY, CARD_NUMBER]) {
    for (let i = 0; i + 6 <= secret.length; i++) {
      expect(visible, `part of a secret: ${i}`).not.toContain(secret.slice(i, i + 6))
    }
  }
}

/** The `::error::` line the step failed with, as the runner unescapes it. */
function failure(run: ActionRun): string {
  const line = run.stdout.split('\n').find(l => l.startsWith('::error::')) ?? ''
  return line
    .slice('::error::'.length)
    .replaceAll('%0A', '\n')
    .replaceAll('%0D', '\r')
    .replaceAll('%25', '%')
}

/** The HTML elements in a summary: only the action's own table, headings and paragraphs. */
function elementsOf(summary: string): Set<string> {
  return new Set([...summary.matchAll(/<\/?([A-Za-z][A-Za-z0-9]*)/g)].map(m => m[1]!.toLowerCase()))
}
const OWN_ELEMENTS = ['h2', 'h3', 'table', 'tr', 'th', 'td', 'p', 'br', 'code']

const lookupFinds =
  (status = 'pending') =>
  (res: ServerResponse) =>
    json(res, 200, { orders: [{ order_id: ORDER_ID, status }] })

describe.concurrent('server text in the log', () => {
  it('refuses an order status that holds workflow commands, and outputs none of it', async ({
    server,
    run
  }) => {
    server.on('GET', ORDER_INFO, res => json(res, 200, orderInfo({ status: INJECTION })))
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain(
      `CertCentral's answer to GET /order/certificate/${ORDER_ID} does not fit the API: status is "pending\\n::set-output`
    )
    expect(failure(result)).toContain(`order-id: ${ORDER_ID}`)
    expect(result.outputs['order-id']).toBe(String(ORDER_ID))
    expect(result.outputs['order-status']).toBeUndefined()
    expect(result.outputs['certificate-path']).toBeUndefined()
    expect(result.summary).toContain('does not fit the API')
  })

  it('does not send the order again when its request status is hostile, and adopts it', async ({
    server,
    run
  }) => {
    server.on('POST', ORDER_POST, res =>
      json(res, 201, { id: ORDER_ID, requests: [{ id: REQUEST_ID, status: INJECTION }] })
    )
    server.on('GET', LOOKUP, res =>
      server.seen('POST').length > 0 ? lookupFinds()(res) : json(res, 200, { orders: [] })
    )
    const result = await run()
    expect(result.code, result.stdout).toBe(0)
    expect(server.seen('POST')).toHaveLength(1)
    expect(server.seen('GET', LOOKUP)).toHaveLength(2)
    expect(result.stdout).toMatch(
      /::warning::CertCentral's answer to POST \/order\/certificate\/code_signing does not fit the API: requests\[0\]\.status is .*looking it up by alternative order ID gha[0-9a-f]{40}/
    )
    expect(result.outputs['order-id']).toBe(String(ORDER_ID))
    expect(result.outputs['request-status']).toBe('approved')
  })

  it('refuses a hostile status from the alternative order ID lookup and orders nothing', async ({
    server,
    run
  }) => {
    server.on('GET', LOOKUP, res =>
      json(res, 200, { orders: [{ order_id: ORDER_ID, status: INJECTION }] })
    )
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toMatch(/does not fit the API: orders\[0\]\.status is "pending\\n/)
    expect(server.seen('POST')).toHaveLength(0)
    expect(result.outputs['order-id']).toBeUndefined()
  })

  it('takes a lookup listing 19,998 orders as not its chain: no POST, memory within the limit', async ({
    server,
    run
  }) => {
    const orders = Array.from({ length: 19_998 }, (_, i) => ({
      order_id: 100_000 + i,
      status: 'pending'
    }))
    server.on('GET', LOOKUP, res => json(res, 200, { orders }))
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain(
      'lists 19998 orders; one key of this action carries a few at most (100 are read)'
    )
    expect(server.seen('GET', LOOKUP)).toHaveLength(1)
    expect(server.seen('POST')).toHaveLength(0)
  })

  it('refuses a hostile creation date', async ({ server, run }) => {
    server.on('GET', ORDER_INFO, res =>
      json(res, 200, orderInfo({ date_created: `2026-01-02T03:04:05+00:00\n${INJECTION}` }))
    )
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toMatch(/date_created is "2026-01-02T03:04:05\+00:00\\npending\\n/)
  })

  it('neither shows nor outputs a hostile hardware init code', async ({ server, run }) => {
    const initCode = `HW7788\n::stop-commands::tok\n${INJECTION}`
    server.on('GET', ORDER_INFO, res => json(res, 200, orderInfo({ hardware_init_code: initCode })))
    const result = await run({ 'provisioning-method': 'ship_token' })
    expect(result.code).toBe(1)
    expect(failure(result)).toContain('hardware_init_code is a value not shown here')
    expect(result.stdout + result.summary).not.toContain('HW7788')
    expect(result.outputs['hardware-init-code']).toBeUndefined()
  })

  it('escapes a certificate subject made to inject commands', async ({ server, run }) => {
    const hostileChain = await generateChain({
      leafSubject: [
        { CN: [`Evil ##[stop-commands]tok \u0085::set-output name=certificate-path::/evil`] },
        { O: ['Org\n::add-mask::x'] }
      ]
    })
    server.on('GET', DOWNLOAD, res => {
      res.writeHead(200, { 'content-type': 'application/x-pem-file' })
      res.end(hostileChain.pem)
    })
    const result = await run({ 'wait-for': 'issued' })
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain(
      'Certificate CN=Evil ##\\x5bstop-commands]tok \\x85::set-output'
    )
    expect(result.outputs['certificate-path']).toMatch(/digicert-certificate-\d+\.pem$/)
    expect(result.outputs['certificate-thumbprint']).toBe(hostileChain.sha1Thumbprint.toUpperCase())
  })

  it('keeps error codes and messages on one line', async ({ server, run }) => {
    server.on('POST', ORDER_POST, res =>
      apiError(res, 400, [{ code: `invalid\n${INJECTION}`, message: `Bad\r\n${INJECTION}` }])
    )
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain(
      'CertCentral answered 400 invalid\\npending\\n::set-output name=certificate-path::/tmp/evil.pem'
    )
    expect(failure(result)).toContain('Bad\\r\\npending\\n')
    expect(failure(result).split('\n')).toHaveLength(1)
  })
})

describe.concurrent('server text in the pre-flight, the order run and the dry run alike', () => {
  /** Server text made to command the runner, reorder the line, and echo the card and its CVV. */
  // The card number straddles the point where a finding cuts a quoted value (80 characters): only
  // a scrub made before the cut keeps all of it out.
  const HOSTILE = `bot##[stop-commands]x \u202eevil ${'a'.repeat(38)} 4111 1111 1111 1111 cvv ${CVV} ${INJECTION}`

  /** Every pre-flight answer carries HOSTILE where text goes. */
  function hostilePreflight(server: HostileServer): void {
    server.on('GET', USER_ME, res =>
      json(res, 200, {
        ...POLITE_PREFLIGHT.user,
        username: HOSTILE,
        access_roles: [{ id: 5, name: HOSTILE }]
      })
    )
    server.on('GET', ORGANIZATION, res =>
      json(res, 200, { ...POLITE_PREFLIGHT.organization, status: HOSTILE, is_active: false })
    )
    server.on('GET', VALIDATION, res =>
      json(res, 200, { validations: [{ type: HOSTILE, status: HOSTILE }] })
    )
    server.on('GET', PRODUCT, res =>
      json(res, 200, {
        allowed_validity_years: [1],
        signature_hash_types: { allowed_hash_types: [{ id: HOSTILE }] }
      })
    )
  }

  it.for([
    ['an order run', {}],
    ['a dry run', { 'dry-run': 'true' }]
  ] as const)(
    '%s: no command, no raw bidi character, no card or CVV',
    async ([, more], { server, run }) => {
      hostilePreflight(server)
      const result = await run({ preflight: 'warn', ...more })
      expect(result.code, result.stdout).toBe(0)
      expect(server.seen('GET', USER_ME)).toHaveLength(1)
      expect(server.seen('GET', VALIDATION)).toHaveLength(1)
      expect(server.seen('GET', ORGANIZATION)).toHaveLength(1)
      expect(server.seen('GET', PRODUCT)).toHaveLength(1)
      // Every run is also held to expectWithinLimits: no command, no bidi, no secret.
      expect(result.stdout).toContain('bot##\\x5bstop-commands]x')
      expect(result.stdout).toContain('\\u202eevil')
      expect(result.summary).toContain('Code signing order')
      const card = /4111 1111/
      for (const text of [result.stdout, result.summary, ...Object.values(result.outputs)]) {
        expect(text).not.toMatch(card)
        expect(text).not.toMatch(new RegExp(`(?<!\\d)${CVV}(?!\\d)`))
      }
    }
  )

  it('a pre-flight that fails on them orders nothing and says so without them', async ({
    server,
    run
  }) => {
    hostilePreflight(server)
    const result = await run({ preflight: 'fail' })
    expect(result.code).toBe(1)
    expect(server.seen('POST')).toHaveLength(0)
    expect(failure(result)).toMatch(/^The pre-flight found \d+ problems? \(see above\)/)
  })

  it('a race lost against hostile cancel and reject answers warns in the action’s words', async ({
    server,
    run
  }) => {
    server.on('GET', LOOKUP, res =>
      server.seen('POST').length > 0
        ? json(res, 200, {
            orders: [
              { order_id: ORDER_ID - 5, status: 'pending' },
              { order_id: ORDER_ID, status: 'pending' }
            ]
          })
        : json(res, 200, { orders: [] })
    )
    server.on('PUT', ORDER_STATUS, res => apiError(res, 400, [{ code: HOSTILE, message: HOSTILE }]))
    server.on('PUT', REQUEST_STATUS, res =>
      apiError(res, 400, [{ code: HOSTILE, message: HOSTILE }])
    )
    // Each order's info shows the run's key and product: the proof a withdrawal needs.
    server.on('GET', ORDER_INFO, (res, req) => {
      const id = Number(req.path.split('/').at(-1))
      const posted = JSON.parse(server.seen('POST')[0]?.body ?? '{}') as Record<string, unknown>
      json(
        res,
        200,
        orderInfo({
          id,
          status: 'pending',
          alternative_order_id: posted.alternative_order_id,
          requests: [{ id: REQUEST_ID + (id === ORDER_ID ? 0 : 1), status: 'pending' }]
        })
      )
    })
    const result = await run()
    expect(server.seen('PUT', ORDER_STATUS)).toHaveLength(1)
    expect(server.seen('PUT', REQUEST_STATUS)).toHaveLength(1)
    expect(result.stdout).toContain(`this run could not cancel its own order ${ORDER_ID}`)
  })
})

describe.concurrent('a failure once the order exists', () => {
  it('hands on the order it has just paid for, and names it, when the settle lookup does not fit', async ({
    server,
    run
  }) => {
    server.on('GET', LOOKUP, res =>
      server.seen('POST').length > 0
        ? json(res, 200, { orders: [{ order_id: -1, status: INJECTION }] })
        : json(res, 200, { orders: [] })
    )
    const result = await run()
    expect(result.code).toBe(1)
    expect(result.outputs['order-id']).toBe(String(ORDER_ID))
    expect(result.outputs['order-action']).toBe('placed')
    expect(failure(result)).toContain(`running this action with order-id: ${ORDER_ID}`)
    expect(result.summary).toContain(`<td>Order ID</td><td>${ORDER_ID}</td>`)
  })
})

describe.concurrent('server text in the job summary', () => {
  const markup =
    '</td></tr></table><h1>Owned</h1><img src="https://evil.example/t.gif">' +
    '<a href="https://evil.example">x</a> [click](https://evil.example) ![i](https://evil.example/i.png) ' +
    '| --- | `code` **bold** _em_ <script>alert(1)</script>\n\n# Heading'

  it('cannot end the table, add an element or a link', async ({ server, run }) => {
    server.on('GET', ORDER_INFO, res =>
      apiError(res, 403, [{ code: 'access_denied</td>', message: markup }])
    )
    const result = await run()
    expect(result.code).toBe(1)
    expect([...elementsOf(result.summary)].filter(e => !OWN_ELEMENTS.includes(e))).toEqual([])
    // The action's own tables (the pre-flight's and the order's) open and close; nothing else does.
    expect(result.summary.match(/<\/table>/g)?.length).toBe(
      result.summary.match(/<table>/g)?.length
    )
    expect(result.summary).not.toMatch(/https?:\/\/|\]\(|\*\*|`code`|^#/m)
    // It still reads as what the server sent.
    expect(result.summary).toContain('&#60;h1&#62;Owned&#60;&#47;h1&#62;')
  })

  it('stays under 64 KiB with thousands of long errors', async ({ server, run }) => {
    const errors = Array.from({ length: 4_000 }, (_, i) => ({
      code: `code_${i}`,
      message: '\u2028<'.repeat(20)
    }))
    server.on('GET', ORDER_INFO, res => apiError(res, 400, errors))
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain('(and 3995 more errors)')
    expect(result.summary).toContain('3995 more errors')
  })

  it('cuts a long message after about 1,000 characters', async ({ server, run }) => {
    const message = 'x'.repeat(900 * 1024)
    server.on('GET', ORDER_INFO, res => apiError(res, 400, [{ code: 'too_long', message }]))
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain(
      `${'x'.repeat(1000)}… [cut; ${message.length} characters in all]`
    )
    expect(failure(result).length).toBeLessThan(2_000)
  })
})

describe.concurrent('bodies that do not end, or end too late', () => {
  it('stops reading a 200 MB answer at once, by its Content-Length', async ({ server, run }) => {
    server.on('GET', ORDER_INFO, res => stream(res, 200, '{"a":"', 200 * MIB))
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain(
      `CertCentral answered 200 to GET ${server.url}/order/certificate/${ORDER_ID} with more than 1 MiB`
    )
    expect(result.wallMs).toBeLessThan(10_000)
  })

  it('stops reading an endless answer after 1 MiB', async ({ server, run }) => {
    server.on('GET', ORDER_INFO, res => stream(res, 200, '[0,', Infinity))
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain('with more than 1 MiB')
    expect(result.wallMs).toBeLessThan(10_000)
  })

  it('retries an endless 500 within the timeout, reading 1 MiB of each', async ({
    server,
    run
  }) => {
    server.on('GET', LOOKUP, res => stream(res, 500, 'Internal error ', Infinity))
    const result = await run({ timeout: '6s' })
    expect(result.code).toBe(1)
    expect(failure(result)).toContain('CertCentral answered 500 with a body larger than 1 MiB')
    expect(server.seen('GET', LOOKUP).length).toBeGreaterThan(1)
    expect(server.seen('POST')).toHaveLength(0)
    expect(result.wallMs).toBeLessThan(15_000)
  })

  it('says that no complete answer came within the request limit, for a body dripping a byte a second', async ({
    server,
    run
  }) => {
    server.on('GET', ORDER_INFO, res => drip(res, 200, JSON.stringify(orderInfo())))
    const result = await run({ timeout: '6s' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `GET ${server.url}/order/certificate/${ORDER_ID} failed: no complete answer within 2s`
    )
    expect(result.stdout).not.toContain('mid-answer')
    expect(result.wallMs).toBeLessThan(15_000)
  })

  it('refuses a 5 MB error body without reading it', async ({ server, run }) => {
    const body = JSON.stringify({ errors: [{ code: 'x', message: 'y'.repeat(5 * MIB) }] })
    server.on('POST', ORDER_POST, res => json(res, 400, undefined, body))
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain('CertCentral answered 400 with a body larger than 1 MiB')
  })

  it.for([
    ['nested 500,000 deep', '['.repeat(500_000) + ']'.repeat(500_000), 'nested deeper than 64'],
    ['of 300,000 empty objects', `[${'{},'.repeat(300_000)}{}]`, 'more than 20000 objects']
  ])('refuses JSON %s before parsing it', async ([, body, message], { server, run }) => {
    server.on('GET', ORDER_INFO, res => json(res, 200, undefined, body))
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain(message)
  })
})

describe('certificate downloads', () => {
  it('refuses a 1 MiB file of BEGIN lines without END in well under a second', async ({
    server,
    run
  }) => {
    const line = '-----BEGIN CERTIFICATE-----\n'
    const pem = line.repeat(Math.floor((MIB - 1) / line.length))
    server.on('GET', DOWNLOAD, res => {
      res.writeHead(200, { 'content-type': 'application/x-pem-file' })
      res.end(pem)
    })
    const result = await run({ 'wait-for': 'issued' })
    expect(result.code).toBe(1)
    expect(failure(result)).toContain('holds no PEM certificate')
    const [download] = server.seen('GET', DOWNLOAD)
    expect(result.exitedAt - download!.at).toBeLessThan(1_000)
  })

  it('refuses a 2 MB download by its size', async ({ server, run }) => {
    server.on('GET', DOWNLOAD, res => stream(res, 200, '-----BEGIN CERTIFICATE-----\n', 2 * MIB))
    const result = await run({ 'wait-for': 'issued' })
    expect(result.code).toBe(1)
    expect(failure(result)).toContain(
      `GET ${server.url}/certificate/${CERTIFICATE_ID}/download/format/pem_all with more than 1 MiB`
    )
    const [download] = server.seen('GET', DOWNLOAD)
    expect(result.exitedAt - download!.at).toBeLessThan(1_000)
    expect(result.outputs['certificate-path']).toBeUndefined()
  })
})

describe.concurrent('secrets in what the server sends back', () => {
  const echo = `${API_KEY} ${CARD_NUMBER} ${CVV} `

  it('scrubs an HTML page before it is cut', async ({ server, run }) => {
    // The secrets straddle the 300-character cut of the page's text.
    server.on('POST', ORDER_POST, res => {
      res.writeHead(403, { 'content-type': 'text/html' })
      res.end(`<html><body><p>${'a'.repeat(290)}${echo.repeat(3)}</p></body></html>`)
    })
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain(`(text/html): "${'a'.repeat(290)}*** *** **… [cut;`)
  })

  it('scrubs an error message before it is cut', async ({ server, run }) => {
    server.on('POST', ORDER_POST, res =>
      apiError(res, 400, [{ code: 'declined', message: `${'m'.repeat(990)}${echo.repeat(2)}` }])
    )
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain(`${'m'.repeat(990)}*** ***`)
  })

  it('scrubs secrets written with JSON escapes', async ({ server, run }) => {
    const escaped = [...CARD_NUMBER].map(d => `\\u003${d}`).join('')
    const body = `{"errors":[{"code":"declined","message":"card ${escaped} key ${API_KEY}"}]}`
    server.on('POST', ORDER_POST, res => json(res, 400, undefined, body))
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain('declined: card *** key ***')
  })
})

describe.concurrent('rate limits', () => {
  const tooMany =
    (headers: Record<string, string> = {}) =>
    (res: ServerResponse) =>
      apiError(
        res,
        429,
        [{ code: 'request_limit_exceeded', message: 'Rate limit exceeded' }],
        headers
      )

  it('stops at once when Retry-After falls after the timeout, naming the limit and the order', async ({
    server,
    run
  }) => {
    server.on('GET', ORDER_INFO, tooMany({ 'Retry-After': '86400' }))
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toMatch(
      /CertCentral's rate limit \(1,000 requests per 3 minutes.*\) was reached, and CertCentral asked for a pause of 86400s \(Retry-After\)/
    )
    expect(failure(result)).toContain(`order-id: ${ORDER_ID}`)
    const [limited] = server.seen('GET', ORDER_INFO)
    expect(server.requests.filter(r => r.at > limited!.at)).toHaveLength(0)
    expect(result.wallMs).toBeLessThan(10_000)
  })

  it('waits at least 5 s after a 429 before any request, whatever Retry-After holds', async ({
    server,
    run
  }) => {
    const limited: number[] = []
    const counted = (handler: (res: ServerResponse) => void) => (res: ServerResponse) => {
      limited.push(server.requests.length - 1)
      handler(res)
    }
    const garbage = `1\u0085${INJECTION.replace(/[\n\r\u2028]/g, ' ')}`
    server.once('GET', LOOKUP, counted(tooMany({ 'Retry-After': garbage })))
    server.once('GET', ORDER_INFO, counted(tooMany()))
    const result = await run({ timeout: '40s' })
    expect(result.code, result.stdout).toBe(0)
    // The first lookup, and the first poll after the order was placed.
    expect(limited).toHaveLength(2)
    expect(limited[0]).toBe(0)
    for (const index of limited) {
      const [answered, next] = [server.requests[index]!, server.requests[index + 1]!]
      expect(next.at - answered.at).toBeGreaterThanOrEqual(5_000)
    }
  }, 60_000)

  it('stops polling when the pause after a 429 would outlast the timeout', async ({
    server,
    run
  }) => {
    // Polls answer `pending` for 3 s, then 429: a retry 5 s later would come after the timeout.
    let first: number | undefined
    server.on('GET', ORDER_INFO, res => {
      first ??= Date.now()
      if (Date.now() - first < 3_000)
        json(res, 200, orderInfo({ status: 'pending', certificate: {} }))
      else tooMany()(res)
    })
    const result = await run({ timeout: '7s' })
    expect(result.code).toBe(1)
    expect(failure(result)).toMatch(
      /rate limit .* was reached, and the action pauses 5s after a 429/
    )
    expect(failure(result)).toContain(`order-id: ${ORDER_ID}`)
    const polls = server.seen('GET', ORDER_INFO)
    expect(server.requests.filter(r => r.at > polls.at(-1)!.at)).toHaveLength(0)
  })

  it('stops before the lookup when the pause after a 429 would outlast the timeout', async ({
    server,
    run
  }) => {
    server.on('GET', LOOKUP, tooMany())
    const result = await run({ timeout: '4s' })
    expect(result.code).toBe(1)
    expect(failure(result)).toMatch(
      /rate limit .* was reached, and the action pauses 5s after a 429/
    )
    expect(server.requests).toHaveLength(1)
  })
})

describe.concurrent('redirects', () => {
  it('refuses one, naming the status and the Location, and sends nothing there', async ({
    server,
    run
  }) => {
    const elsewhere = await startHostileServer({ pem: chain.pem })
    try {
      const location = `${elsewhere.url}/steal\n::set-output name=x::y`
      server.on('GET', LOOKUP, res => {
        res.writeHead(301, { location: location.replace('\n', '%0A') })
        res.end()
      })
      const result = await run()
      expect(result.code).toBe(1)
      expect(failure(result)).toContain(
        `CertCentral answered 301 (a redirect to "${elsewhere.url}/steal%0A::set-output name=x::y"). ` +
          'Redirects are refused, so that the API key is never sent to another address'
      )
      expect(elsewhere.requests).toHaveLength(0)
    } finally {
      await elsewhere.close()
    }
  })
})

describe.concurrent('a 2xx answer to the order POST with an ID that is not one', () => {
  // Which values are not IDs is checked value by value in process (server-text.test.ts, shapes);
  // here, that the bundled action adopts the order instead of sending it again, for each kind.
  it.for([2 ** 60, '12abc', null])('does not send %s again', async (id, { server, run }) => {
    server.on('POST', ORDER_POST, res => json(res, 201, { id, requests: [] }))
    server.on('GET', LOOKUP, res =>
      server.seen('POST').length > 0 ? lookupFinds()(res) : json(res, 200, { orders: [] })
    )
    const result = await run()
    expect(result.code, result.stdout).toBe(0)
    expect(server.seen('POST')).toHaveLength(1)
    expect(result.stdout).toContain('CertCentral accepted the order, so it is not sent again')
    expect(result.outputs['order-id']).toBe(String(ORDER_ID))
  })

  it('does not send it again when its answer is larger than 1 MiB', async ({ server, run }) => {
    server.on('POST', ORDER_POST, res => stream(res, 201, '{"id":1,', 2 * MIB))
    server.on('GET', LOOKUP, res =>
      server.seen('POST').length > 0 ? lookupFinds()(res) : json(res, 200, { orders: [] })
    )
    const result = await run()
    expect(result.code, result.stdout).toBe(0)
    expect(server.seen('POST')).toHaveLength(1)
    expect(result.stdout).toMatch(
      /::warning::CertCentral answered 201 to POST .* with more than 1 MiB/
    )
    expect(result.outputs['order-id']).toBe(String(ORDER_ID))
  })

  it('fails naming the alternative order ID when the lookup does not find the order', async ({
    server,
    run
  }) => {
    server.on('POST', ORDER_POST, res => json(res, 201, { id: 2 ** 60 }))
    const result = await run()
    expect(result.code).toBe(1)
    expect(server.seen('POST')).toHaveLength(1)
    expect(server.seen('GET', LOOKUP)).toHaveLength(2)
    const key = (JSON.parse(server.seen('POST')[0]!.body) as { alternative_order_id: string })
      .alternative_order_id
    expect(failure(result)).toContain(
      `id is ${String(2 ** 60)}, not a positive whole number below 2^53`
    )
    expect(failure(result)).toContain(
      `so it was not sent again, but no order carrying alternative order ID ${key} was found`
    )
    expect(result.outputs['order-id']).toBeUndefined()
  })
})

describe.concurrent('IDs that are not IDs', () => {
  it('refuses an order ID of -5 from the lookup', async ({ server, run }) => {
    server.on('GET', LOOKUP, res =>
      json(res, 200, { orders: [{ order_id: -5, status: 'pending' }] })
    )
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain('orders[0].order_id is -5, not a positive whole number')
    expect(result.outputs['order-id']).toBeUndefined()
    expect(server.seen('POST')).toHaveLength(0)
  })

  it('takes a certificate ID of 0 as none: nothing is downloaded or output for it', async ({
    server,
    run
  }) => {
    server.on('GET', ORDER_INFO, res => json(res, 200, orderInfo({ certificate: { id: 0 } })))
    const result = await run({ 'wait-for': 'issued' })
    expect(result.code).toBe(1)
    expect(failure(result)).toContain('is issued but has no certificate ID')
    expect(result.outputs['certificate-id']).toBeUndefined()
    expect(server.seen('GET', DOWNLOAD)).toHaveLength(0)
  })
})

describe.concurrent('invalid UTF-8', () => {
  const bytes = (before: string, after: string) =>
    Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from(after)])

  it('shows what it can of an error message', async ({ server, run }) => {
    server.on('POST', ORDER_POST, res => {
      const body = bytes('{"errors":[{"code":"bad","message":"x', '\\n::set-output name=a::b"}]}')
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end(body)
    })
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain('400 bad: x\ufffd\ufffd\ufffd\ufffd\\n::set-output')
  })

  it('refuses it in a status', async ({ server, run }) => {
    server.on('GET', ORDER_INFO, res => {
      const body = bytes(`{"id":${ORDER_ID},"status":"pend`, 'ing"}')
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(body)
    })
    const result = await run()
    expect(result.code).toBe(1)
    expect(failure(result)).toContain('status is "pend\ufffd')
  })
})

describe('answers a run meets seldom, in the bundled action', () => {
  it('takes a 404 page for the organization as "could not check": block still orders', async ({
    server,
    run
  }) => {
    server.on('GET', ORGANIZATION, res => {
      res.writeHead(404, { 'content-type': 'text/html' })
      res.end('<html><body>Not Found</body></html>')
    })
    const result = await run({ preflight: 'block' })
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain('Could not check organization 12345')
    expect(server.seen('POST', ORDER_POST)).toHaveLength(1)
  })

  it('ends the wait for a new key’s reissue that a person canceled, naming order and request', async ({
    server,
    run
  }) => {
    const REISSUE_REQUEST = 4_200_777
    const reissued = () => server.seen('POST', /\/reissue$/).length > 0
    // The issued order of the first generation; its certificate (chain.pem) is not the CSR's key.
    server.on('GET', LOOKUP, (res, req) =>
      json(res, 200, {
        orders: /g\d{3}$/.test(req.path) ? [] : [{ order_id: ORDER_ID, status: 'issued' }]
      })
    )
    server.on('GET', ORDER_INFO, res =>
      json(
        res,
        200,
        orderInfo({
          certificate: { id: CERTIFICATE_ID, valid_till: '2099-01-01' },
          requests: [
            { id: REQUEST_ID, status: 'approved' },
            ...(reissued() ? [{ id: REISSUE_REQUEST, type: 'reissue', status: 'rejected' }] : [])
          ]
        })
      )
    )
    server.on('POST', /\/reissue$/, res =>
      json(res, 201, { id: ORDER_ID, requests: [{ id: REISSUE_REQUEST, status: 'pending' }] })
    )
    const result = await run({
      'provisioning-method': 'email',
      csr: await generateCsrPem(),
      'wait-for': 'issued',
      timeout: '10m'
    })
    expect(result.code).toBe(1)
    expect(server.seen('POST')).toHaveLength(1)
    expect(failure(result)).toContain(
      `The reissue of order ${ORDER_ID} ended without a certificate: the order info shows its request ${REISSUE_REQUEST} rejected`
    )
    expect(result.outputs).toMatchObject({
      'order-id': String(ORDER_ID),
      'order-action': 'reissue-placed',
      'request-id': String(REISSUE_REQUEST),
      'request-status': 'rejected'
    })
    expect(result.outputs['certificate-id']).toBeUndefined()
    // Ended at the first poll after the reissue, not at the timeout.
    expect(result.wallMs).toBeLessThan(20_000)
  })
})

describe('api-url', () => {
  // Each malformed URL is refused in process (server-text.test.ts); here, that the refusal in the
  // bundled action comes before any request.
  it('is refused with a backslash before any request', async ({ server, run }) => {
    const result = await run({ 'api-url': server.url.replace('/services/v2', '\\services/v2') })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/::error title=Input api-url::api-url: /)
    expect(server.requests).toHaveLength(0)
  })
})
