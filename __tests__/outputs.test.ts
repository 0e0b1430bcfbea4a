// What the step hands on: the outputs (in the runner's GITHUB_OUTPUT file) and the job summary (in
// GITHUB_STEP_SUMMARY), written by the real @actions/core into temporary files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { formatDuration } from '../src/duration.js'
import { writeOutputs, writeSummary } from '../src/outputs.js'
import type { Outcome } from '../src/place.js'
import { parseCommandFile } from './support/run-action.js'

const dir = mkdtempSync(join(tmpdir(), 'outputs-test-'))
const files = { output: join(dir, 'output'), summary: join(dir, 'summary') }
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let log = ''
beforeEach(() => {
  writeFileSync(files.output, '')
  writeFileSync(files.summary, '')
  vi.stubEnv('GITHUB_OUTPUT', files.output)
  vi.stubEnv('GITHUB_STEP_SUMMARY', files.summary)
  log = ''
  vi.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    log += String(chunk)
    return true
  })
})
afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

const outputs = () => parseCommandFile(readFileSync(files.output, 'utf8'))
const summary = () => readFileSync(files.summary, 'utf8')

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
  notes: [],
  waitedMs: 4_400
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
    writeOutputs(PLACED)
    expect(outputs()).toEqual({
      'order-action': 'placed',
      'order-id': '101',
      'alternative-order-id': 'ghaabc',
      'request-id': '301',
      'request-status': 'pending'
    })
    expect(log).toBe('')
  })

  it('hand on only the order of an outcome found and never read', () => {
    const { placed: _, ...found } = PLACED
    const { alternativeOrderId: __, ...bare } = found
    writeOutputs({ ...bare, origin: 'found', action: 'resumed' })
    expect(outputs()).toEqual({ 'order-action': 'resumed', 'order-id': '101' })
  })

  it('prefer the order info to the POST answer, and hand on the issued certificate', () => {
    writeOutputs({
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

  it('take the certificate ID and the alternative order ID from wherever they are', () => {
    const { alternativeOrderId: _, ...withoutKey } = PLACED
    writeOutputs({
      ...withoutKey,
      placed: { id: 101, requests: [], certificateId: 200 },
      info: { id: 101, status: 'pending', requests: [], alternativeOrderId: 'fromInfo' }
    })
    expect(outputs()).toMatchObject({ 'certificate-id': '200', 'alternative-order-id': 'fromInfo' })
  })

  it('mask the hardware init code before they hand it on', () => {
    writeOutputs({
      ...PLACED,
      info: { id: 101, status: 'pending', requests: [], hardwareInitCode: 'HW-77' }
    })
    expect(outputs()['hardware-init-code']).toBe('HW-77')
    expect(log).toBe('::add-mask::HW-77\n')
  })

  it('hand on the renewal on its way', () => {
    writeOutputs({ ...PLACED, action: 'renewal-placed', renewal: { orderId: 102 } })
    expect(outputs()['renewal-order-id']).toBe('102')
    expect(outputs()['order-action']).toBe('renewal-placed')
  })

  describe('organization-id', () => {
    it('comes from the POST answer', () => {
      writeOutputs({ ...PLACED, placed: { id: 101, requests: [], organizationId: 9 } })
      expect(outputs()['organization-id']).toBe('9')
    })

    it('comes from the order info when the body created the organization', () => {
      writeOutputs({
        ...PLACED,
        newOrganization: true,
        info: { id: 101, status: 'pending', requests: [], organizationId: 8 }
      })
      expect(outputs()['organization-id']).toBe('8')
    })

    it('is left out for an organization that existed before the order', () => {
      writeOutputs({
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
  it('writes nothing without GITHUB_STEP_SUMMARY', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '')
    await writeSummary(PLACED)
    expect(summary()).toBe('')
  })

  it('lists what is known, and what to do next for the provisioning method', async () => {
    await writeSummary(PLACED)
    const html = summary()
    expect(html).toMatch(/^<h2>Code signing order<\/h2>/)
    expect(rows(html)).toEqual([
      ['Product', 'code_signing'],
      ['Provisioning method', 'keylocker'],
      ['Action', 'placed'],
      ['Order ID', '101'],
      ['Alternative order ID', 'ghaabc'],
      ['Request', '301 (pending)'],
      ['Waited', '4s']
    ])
    expect(html).toContain('<h3>Next</h3>')
    expect(html).toContain(
      "Sign with DigiCert's KeyLocker tools (the <code>digicert/code-signing-software-trust-action</code> action"
    )
  })

  it('lists the order info, the certificate and the organization created', async () => {
    await writeSummary({
      ...PLACED,
      placed: { id: 101, requests: [], organizationId: 9 },
      info: {
        id: 101,
        status: 'issued',
        requests: [{ id: 302, status: 'approved' }],
        certificateId: 201
      },
      issued: ISSUED,
      waitedMs: 65_000
    })
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
        writeFileSync(files.summary, '')
        return row?.[1]
      })
    expect(await renewalRow({ orderId: 102 })).toBe('102&#58; in use once issued')
    expect(
      await renewalRow({
        orderId: 102,
        placed: { id: 102, requests: [{ id: 1, status: 'pending' }] }
      })
    ).toBe('102 (pending)&#58; in use once issued')
    expect(
      await renewalRow({
        orderId: 102,
        placed: { id: 102, requests: [{ id: 1, status: 'pending' }] },
        info: { id: 102, status: 'needs_approval', requests: [] }
      })
    ).toBe('102 (needs_approval)&#58; in use once issued')
    expect(await renewalRow({ orderId: 102, placed: { id: 102, requests: [] } })).toBe(
      '102&#58; in use once issued'
    )
  })

  it('gives way to one line, naming the order, when its notes would take it past 60,000 bytes', async () => {
    await writeSummary({ ...PLACED, notes: Array.from({ length: 60 }, () => '<'.repeat(1_000)) })
    expect(summary()).toBe('<p>Order 101: see the step log.</p>\n')
    writeFileSync(files.summary, '')
    await writeSummary({ ...PLACED, notes: Array.from({ length: 5 }, () => '<'.repeat(1_000)) })
    expect(summary()).toContain('&#60;'.repeat(1_000))
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
      writeFileSync(files.summary, '')
      const { placed: _, ...found } = PLACED
      await writeSummary({
        ...found,
        origin: 'found',
        provisioningMethod: method,
        notes: ['n'],
        failure: 'f'
      })
      expect(summary()).toBe(
        '<h2>Code signing order: not finished</h2>\n' +
          '<table><tr><th>Field</th><th>Value</th></tr>' +
          '<tr><td>Product</td><td>code_signing</td></tr>' +
          `<tr><td>Provisioning method</td><td>${method}</td></tr>` +
          '<tr><td>Action</td><td>placed</td></tr>' +
          '<tr><td>Order ID</td><td>101</td></tr>' +
          '<tr><td>Alternative order ID</td><td>ghaabc</td></tr>' +
          '<tr><td>Waited</td><td>4s</td></tr></table>\n' +
          '<p>No certificate yet&#58; placing the first order&#46;</p>\n' +
          '<p>n</p>\n<p>f</p>\n<h3>Next</h3>\n' +
          `<p>${NEXT[method]}</p>\n`
      )
    }
  })

  it('heads a failed run "not finished" and escapes notes and the failure', async () => {
    await writeSummary({
      ...PLACED,
      notes: ['A <b>race</b> & "more"'],
      failure: 'Order 101 is <script>x</script>: see `order-id`.'
    })
    const html = summary()
    expect(html).toMatch(/^<h2>Code signing order: not finished<\/h2>/)
    expect(html).toContain('<p>A &#60;b&#62;race&#60;&#47;b&#62; &#38; &#34;more&#34;</p>')
    expect(html).toContain(
      '<p>Order 101 is &#60;script&#62;x&#60;&#47;script&#62;&#58; see &#96;order-id&#96;&#46;</p>'
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
