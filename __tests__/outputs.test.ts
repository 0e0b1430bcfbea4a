// What the step hands on, derived from the run's one result: the outputs and the job summary's
// order section, as the door hands them to the runner (a recording double of it).
import { beforeEach, describe, expect, it } from 'vitest'
import { Door } from '../src/door.js'
import { formatDuration } from '../src/duration.js'
import { summaryOf, writeOutputs } from '../src/outputs.js'
import type { Outcome, RunResult } from '../src/result.js'
import { recordingRunner, type RecordingRunner } from './fixtures/recording-runner.js'

let runner: RecordingRunner
let door: Door
beforeEach(() => {
  runner = recordingRunner()
  door = new Door(runner)
})

const outputs = () => runner.outputs()
const rawSummary = () => runner.summaryHtml()
/** The summary with its character references read back: what a reader sees. */
const summary = () =>
  rawSummary().replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
const done = (order: Outcome, waitedMs = 4_400): RunResult => ({
  kind: order.action,
  order,
  waitedMs
})
const failed = (order: Outcome, reason: string): RunResult => ({
  kind: 'failed-after-ordering',
  order,
  reason,
  waitedMs: 4_400
})
const writeOutputsOf = (order: Outcome) => writeOutputs(done(order), door)
const writeSummary = (order: Outcome, waitedMs?: number) =>
  door.summary(summaryOf(done(order, waitedMs)))

/** A placed order whose POST answer is all that is known. */
const PLACED = {
  origin: 'placed',
  action: 'placed',
  decision: 'No certificate yet: placing the first order.',
  product: 'code_signing',
  provisioningMethod: 'keylocker',
  orderId: 101,
  alternativeOrderId: 'ghaabc',
  newOrganization: false,
  placed: { id: 101, requests: [{ id: 301, status: 'pending' }] },
  notes: []
} satisfies Outcome

const ISSUED = {
  serial: '0A1B',
  thumbprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
  validTill: '2027-03-01',
  subject: 'CN=Example',
  path: '/tmp/runner/digicert-certificate-201.pem'
}

describe('the outputs', () => {
  it('hand on what the POST answer says when nothing more is known', () => {
    writeOutputsOf(PLACED)
    expect(outputs()).toEqual({
      'order-action': 'placed',
      'order-id': '101',
      'alternative-order-id': 'ghaabc',
      'request-id': '301',
      'request-status': 'pending'
    })
    expect(runner.calls.filter(c => c.kind !== 'output')).toEqual([])
  })

  it('hand on only the order of an outcome found and never read', () => {
    const { placed: _, ...found } = PLACED
    const { alternativeOrderId: __, ...bare } = found
    writeOutputsOf({ ...bare, origin: 'found', action: 'resumed' })
    expect(outputs()).toEqual({ 'order-action': 'resumed', 'order-id': '101' })
  })

  it('prefer the order info to the POST answer, and hand on the issued certificate', () => {
    writeOutputsOf({
      ...PLACED,
      placed: { id: 101, requests: [{ id: 301, status: 'pending' }], certificateId: 200 },
      info: {
        id: 101,
        status: 'issued',
        requests: [{ id: 302, status: 'approved' }],
        certificateId: 201,
        alternativeOrderId: 'other'
      },
      issued: ISSUED
    })
    expect(outputs()).toEqual({
      'order-action': 'placed',
      'order-id': '101',
      'alternative-order-id': 'ghaabc',
      'request-id': '302',
      'request-status': 'approved',
      'certificate-id': '201',
      'order-status': 'issued',
      'certificate-serial': '0A1B',
      'certificate-thumbprint': ISSUED.thumbprint,
      'valid-till': '2027-03-01',
      'certificate-path': ISSUED.path
    })
  })

  it.each([
    ['no reissue: the order’s first request', undefined, [[302, 'approved', 'new_request']], '302'],
    [
      'a reissue this run sent, as the info shows it now',
      { reason: 'window', answer: { id: 101, requests: [{ id: 310, status: 'pending' }] } },
      [
        [302, 'approved', 'new_request'],
        [310, 'approved', 'reissue']
      ],
      '310 approved'
    ],
    [
      'a reissue this run sent, as its answer said, when the info does not list it yet',
      { reason: 'key', answer: { id: 101, requests: [{ id: 310, status: 'pending' }] } },
      [[302, 'approved', 'new_request']],
      '310 pending'
    ],
    [
      'a reissue followed: the newest reissue request of the info',
      { reason: 'key', replaces: 201 },
      [
        [302, 'approved', 'new_request'],
        [305, 'rejected', 'reissue'],
        [309, 'pending', 'reissue'],
        [307, 'approved', 'reissue']
      ],
      '309 pending'
    ],
    [
      'a reissue followed that the info does not list: the order’s first request',
      { reason: 'window' },
      [[302, 'approved', 'new_request']],
      '302'
    ]
  ] as [string, Outcome['reissue'], [number, string, string][], string][])(
    'name the request of %s',
    async (_, reissue, listed, expected) => {
      const outcome: Outcome = {
        ...PLACED,
        ...(reissue && { reissue }),
        info: {
          id: 101,
          status: 'issued',
          requests: listed.map(([id, status, type]) => ({ id, status, type })),
          certificateId: 201
        }
      }
      writeOutputsOf(outcome)
      const [id, status = 'approved'] = expected.split(' ')
      expect(outputs()).toMatchObject({ 'request-id': id, 'request-status': status })
      // The summary names the same request.
      await writeSummary(outcome)
      expect(rows(summary())).toContainEqual(['Request', `${id} (${status})`])
    }
  )

  it('take the certificate ID and the alternative order ID from wherever they are', () => {
    const { alternativeOrderId: _, ...withoutKey } = PLACED
    writeOutputsOf({
      ...withoutKey,
      placed: { id: 101, requests: [], certificateId: 200 },
      info: { id: 101, status: 'pending', requests: [], alternativeOrderId: 'fromInfo' }
    })
    expect(outputs()).toMatchObject({ 'certificate-id': '200', 'alternative-order-id': 'fromInfo' })
  })

  it('mask the hardware init code before they hand it on', () => {
    writeOutputsOf({
      ...PLACED,
      info: { id: 101, status: 'pending', requests: [], hardwareInitCode: 'HW-777' }
    })
    expect(outputs()['hardware-init-code']).toBe('HW-777')
    const last = runner.calls.slice(-2)
    expect(last).toEqual([
      { kind: 'mask', secret: 'HW-777' },
      { kind: 'output', name: 'hardware-init-code', value: 'HW-777' }
    ])
  })

  it('neither mask nor hand on an init code too short to mask, and say where to read it', () => {
    writeOutputsOf({
      ...PLACED,
      info: { id: 101, status: 'pending', requests: [], hardwareInitCode: '12345' }
    })
    expect(outputs()).not.toHaveProperty('hardware-init-code')
    expect(runner.calls.filter(c => c.kind === 'mask')).toEqual([])
    expect(runner.lines('warning')).toEqual([
      'The hardware-init-code is too short to be masked in the log (under 6 characters), so it ' +
        'is not output: read it in CertCentral (order 101, Order details).'
    ])
  })

  it('hand on the ended order of a stopped run: its ID and status, nothing else', () => {
    writeOutputs(
      {
        kind: 'stopped',
        ended: { id: 7, status: 'revoked', requests: [{ id: 8, status: 'approved' }] },
        product: 'code_signing',
        provisioningMethod: 'keylocker',
        reason: 'r',
        waitedMs: 0
      },
      door
    )
    expect(outputs()).toEqual({ 'order-id': '7', 'order-status': 'revoked' })
  })

  it('hand on the order of a run that failed after ordering, and nothing of one before', () => {
    writeOutputs(failed(PLACED, 'x'), door)
    expect(outputs()).toMatchObject({ 'order-action': 'placed', 'order-id': '101' })
    writeOutputs({ kind: 'failed-before-ordering', reason: 'x', waitedMs: 0 }, door)
    expect(runner.calls.filter(c => c.kind === 'output')).toHaveLength(
      Object.keys(outputs()).length
    )
  })

  it('hand on the renewal on its way', () => {
    writeOutputsOf({ ...PLACED, action: 'renewal-placed', renewal: { orderId: 102 } })
    expect(outputs()['renewal-order-id']).toBe('102')
    expect(outputs()['order-action']).toBe('renewal-placed')
  })

  describe('organization-id', () => {
    it('comes from the POST answer', () => {
      writeOutputsOf({ ...PLACED, placed: { id: 101, requests: [], organizationId: 9 } })
      expect(outputs()['organization-id']).toBe('9')
    })

    it('comes from the order info when the body created the organization', () => {
      writeOutputsOf({
        ...PLACED,
        newOrganization: true,
        info: { id: 101, status: 'pending', requests: [], organizationId: 8 }
      })
      expect(outputs()['organization-id']).toBe('8')
    })

    it('is left out for an organization that existed before the order', () => {
      writeOutputsOf({
        ...PLACED,
        info: { id: 101, status: 'pending', requests: [], organizationId: 8 }
      })
      expect(outputs()).not.toHaveProperty('organization-id')
    })
  })
})

/** The summary's table as [field, value] rows. */
function rows(html: string): [string, string][] {
  return [...html.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map(
    m => [m[1], m[2]] as [string, string]
  )
}

describe('the job summary', () => {
  it('lists what is known, and what to do next for the provisioning method', async () => {
    await writeSummary(PLACED)
    const html = summary()
    expect(html).toMatch(/^<h2>Code signing order<\/h2>/)
    expect(rawSummary()).toContain('<tr><td>Request</td><td>301 (pending)</td></tr>')
    expect(rows(html)).toEqual([
      ['Product', 'code_signing'],
      ['Provisioning method', 'keylocker'],
      ['Action', 'placed'],
      ['Order ID', '101'],
      ['Alternative order ID', 'ghaabc'],
      ['Request', '301 (pending)'],
      ['Waited', '4s']
    ])
    expect(html).toContain('<p>Next: The certificate lands')
    expect(html).toContain(
      "Sign with DigiCert's KeyLocker tools (the <code>digicert/code-signing-software-trust-action</code> action"
    )
  })

  it('lists the order info, the certificate and the organization created', async () => {
    await writeSummary(
      {
        ...PLACED,
        placed: { id: 101, requests: [], organizationId: 9 },
        info: {
          id: 101,
          status: 'issued',
          requests: [{ id: 302, status: 'approved' }],
          certificateId: 201
        },
        issued: ISSUED
      },
      65_000
    )
    expect(rows(summary())).toEqual([
      ['Product', 'code_signing'],
      ['Provisioning method', 'keylocker'],
      ['Action', 'placed'],
      ['Order ID', '101'],
      ['Alternative order ID', 'ghaabc'],
      ['Order status', 'issued'],
      ['Request', '302 (approved)'],
      ['Certificate ID', '201'],
      ['Organization created', '9'],
      ['Certificate thumbprint (SHA-1)', ISSUED.thumbprint],
      ['Serial number', '0A1B'],
      ['Valid till', '2027-03-01'],
      ['Waited', '1m 05s']
    ])
  })

  it('says a renewal is on its way, with its status when known', async () => {
    const renewalRow = (renewal: NonNullable<Outcome['renewal']>) =>
      writeSummary({ ...PLACED, renewal }).then(() => {
        const row = rows(summary()).find(([field]) => field === 'Renewal order')
        runner.calls.length = 0
        return row?.[1]
      })
    expect(await renewalRow({ orderId: 102 })).toBe('102: in use once issued')
    expect(
      await renewalRow({
        orderId: 102,
        placed: { id: 102, requests: [{ id: 1, status: 'pending' }] }
      })
    ).toBe('102 (pending): in use once issued')
    expect(
      await renewalRow({
        orderId: 102,
        placed: { id: 102, requests: [{ id: 1, status: 'pending' }] },
        info: { id: 102, status: 'needs_approval', requests: [] }
      })
    ).toBe('102 (needs_approval): in use once issued')
    expect(await renewalRow({ orderId: 102, placed: { id: 102, requests: [] } })).toBe(
      '102: in use once issued'
    )
  })

  it('says a reissue is on its way: sent by this run or followed, for the window or a new key', async () => {
    const reissueRow = (reissue: NonNullable<Outcome['reissue']>) =>
      writeSummary({ ...PLACED, reissue }).then(() => {
        const row = rows(summary()).find(([field]) => field === 'Reissue')
        runner.calls.length = 0
        return row?.[1]
      })
    expect(
      await reissueRow({
        reason: 'window',
        answer: { id: 101, requests: [{ id: 7, status: 'pending' }] }
      })
    ).toBe(
      'request 7 (pending) sent by this run: the next certificate of this multi-year order, free; in use once issued'
    )
    expect(await reissueRow({ reason: 'key', replaces: 201 })).toBe(
      "on its way: the certificate of the CSR's new key, free"
    )
    expect(await reissueRow({ reason: 'key', answer: { id: 101, requests: [] } })).toBe(
      "sent by this run: the certificate of the CSR's new key, free"
    )
  })

  it('gives way to one line, naming the order, when its notes would take it past 60,000 bytes', async () => {
    await writeSummary({ ...PLACED, notes: Array.from({ length: 60 }, () => '<'.repeat(1_000)) })
    expect(summary()).toBe('<h2>Code signing order</h2>\n<p>Order 101: see the step log.</p>\n')
    runner.calls.length = 0
    await writeSummary({ ...PLACED, notes: Array.from({ length: 5 }, () => '<'.repeat(1_000)) })
    expect(rawSummary()).toContain('&#60;'.repeat(1_000))
  })

  it('is written whole, each part on its own line, for every provisioning method', async () => {
    const NEXT = {
      keylocker:
        "The certificate lands in the DigiCert KeyLocker account linked to CertCentral. Sign with DigiCert's KeyLocker tools (the <code>digicert/code-signing-software-trust-action</code> action and <code>smctl sign --fingerprint</code>, or <code>signtool sign /sha1</code> with the certificate thumbprint).",
      email:
        'DigiCert emails the requester a private key protection agreement and issues the certificate once it is accepted. Install the issued chain (<code>certificate-path</code>) on the HSM next to the key, then sign with <code>signtool /sha1</code> or your HSM’s tool.',
      ship_token:
        'DigiCert ships a hardware token. When it arrives, install the certificate with DigiCert Hardware Certificate Installer (DHCI) using the hardware init code (the masked <code>hardware-init-code</code> output, or the order in CertCentral).',
      client_app:
        'Install the certificate on your own token with DigiCert Hardware Certificate Installer (DHCI) using the hardware init code (the masked <code>hardware-init-code</code> output, or the order in CertCentral).'
    } as const
    for (const method of ['keylocker', 'email', 'ship_token', 'client_app'] as const) {
      runner.calls.length = 0
      const { placed: _, ...found } = PLACED
      await door.summary(
        summaryOf(
          failed(
            {
              ...found,
              origin: 'found',
              provisioningMethod: method,
              notes: ['n'],
              info: { id: 101, status: 'issued', requests: [] }
            },
            'f'
          )
        )
      )
      expect(summary()).toBe(
        '<h2>Code signing order: not finished</h2>\n' +
          '<table><tr><th>Field</th><th>Value</th></tr>' +
          '<tr><td>Product</td><td>code_signing</td></tr>' +
          `<tr><td>Provisioning method</td><td>${method}</td></tr>` +
          '<tr><td>Action</td><td>placed</td></tr>' +
          '<tr><td>Order ID</td><td>101</td></tr>' +
          '<tr><td>Alternative order ID</td><td>ghaabc</td></tr>' +
          '<tr><td>Order status</td><td>issued</td></tr>' +
          '<tr><td>Waited</td><td>4s</td></tr></table>\n' +
          '<p>No certificate yet: placing the first order.</p>\n' +
          '<p>n</p>\n<p>f</p>\n' +
          `<p>Next: ${NEXT[method]}</p>\n`
      )
    }
  })

  it('heads a failed run "not finished" and escapes notes and the failure', async () => {
    await door.summary(
      summaryOf(
        failed(
          { ...PLACED, notes: ['A <b>race</b> & "more"'] },
          'Order 101 is <script>x</script>: see `order-id`.'
        )
      )
    )
    const html = rawSummary()
    expect(html).toMatch(/^<h2>Code signing order&#58; not finished<\/h2>/)
    expect(html).toContain('<p>A &#60;b&#62;race&#60;&#47;b&#62; &#38; &#34;more&#34;</p>')
    expect(html).toContain(
      '<p>Order 101 is &#60;script&#62;x&#60;&#47;script&#62;&#58; see <code>order-id</code>&#46;</p>'
    )
    expect(html).not.toContain('<script>')
  })

  it.each([
    ['email', 'Install the issued chain (<code>certificate-path</code>) on the HSM'],
    ['ship_token', 'DigiCert ships a hardware token.'],
    ['client_app', 'Install the certificate on your own token']
  ] as const)('says what comes next for %s', async (provisioningMethod, next) => {
    await writeSummary({ ...PLACED, provisioningMethod })
    expect(summary()).toContain(next)
    expect(summary()).not.toContain('KeyLocker')
  })
})

describe('durations', () => {
  it('read like a person would say them, at each boundary', () => {
    expect(formatDuration(0)).toBe('0s')
    expect(formatDuration(59_499)).toBe('59s')
    expect(formatDuration(59_500)).toBe('1m 00s')
    expect(formatDuration(3_599_000)).toBe('59m 59s')
    expect(formatDuration(3_600_000)).toBe('1h 00m')
    expect(formatDuration(26 * 3_600_000 + 7 * 60_000)).toBe('26h 07m')
  })
})

describe('the summary of a run that did not finish', () => {
  const PENDING = { ...PLACED, info: { id: 101, status: 'pending', requests: [] } }

  it('after a timeout, does not say where an issued certificate lands', async () => {
    await door.summary(summaryOf(failed(PENDING, 'Order 101 is still pending.')))
    expect(summary()).not.toContain('The certificate lands')
    expect(summary()).toContain(
      '<p>Next: Order 101 is not issued yet (see its status in CertCentral). Once it is, the next ' +
        'run with the same inputs, or a run with order-id: 101, picks it up.</p>'
    )
  })

  it('of an ended order, says it will not be issued, and promises no pick-up', async () => {
    const revoked = { ...PLACED, info: { id: 101, status: 'revoked', requests: [] } }
    await door.summary(summaryOf(failed(revoked, 'Order 101 is revoked.')))
    expect(summary()).toContain(
      '<p>Next: Order 101 is revoked: it will not be issued. See it in CertCentral.</p>'
    )
    expect(summary()).not.toContain('picks it up')
    runner.calls.length = 0
    const expired = { ...PLACED, info: { id: 101, status: 'expired', requests: [] } }
    await door.summary(summaryOf(failed(expired, 'Order 101 has expired.')))
    expect(summary()).toContain(
      '<p>Next: Order 101 is expired: it will not be issued. See it in CertCentral.</p>'
    )
  })

  it('of a run that succeeded, holds no failure paragraph', async () => {
    await writeSummary({ ...PLACED, notes: ['A note.'] })
    expect(summary().match(/<p>/g)).toHaveLength(3)
    expect(summary()).toContain('<p>A note.</p>\n<p>Next: ')
  })

  it('of a stopped run, names the ended order and its status', async () => {
    await door.summary(
      summaryOf({
        kind: 'stopped',
        ended: { id: 7, status: 'rejected', requests: [] },
        product: 'code_signing_ev',
        provisioningMethod: 'ship_token',
        reason: 'Order 7 was rejected: check it in CertCentral.',
        waitedMs: 1_000
      })
    )
    expect(summary()).toBe(
      '<h2>Code signing order: stopped</h2>\n<table><tr><th>Field</th><th>Value</th></tr>' +
        '<tr><td>Product</td><td>code_signing_ev</td></tr>' +
        '<tr><td>Provisioning method</td><td>ship_token</td></tr>' +
        '<tr><td>Order ID</td><td>7</td></tr><tr><td>Order status</td><td>rejected</td></tr>' +
        '<tr><td>Waited</td><td>1s</td></tr></table>\n' +
        '<p>Order 7 was rejected: check it in CertCentral.</p>\n'
    )
  })

  it('before ordering, says so and why', async () => {
    await door.summary(summaryOf({ kind: 'failed-before-ordering', reason: 'No.', waitedMs: 0 }))
    expect(summary()).toBe('<h2>Code signing order: not placed</h2>\n<p>No.</p>\n')
  })
})
