// Proves the simulator's reissues and multi-year orders: POST /order/certificate/{id}/reissue, the
// order's reissue_pending status and its requests[] of type reissue, a new certificate on the same
// order (its own ID, serial and thumbprint; the CSR's key for an HSM order), order_valid_till and
// the 459-day cap. Driven with plain fetch().
import { createHash, X509Certificate } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import 'reflect-metadata'
import { Pkcs10CertificateRequest } from '@peculiar/x509'
import { generateCsrPem } from './support/certificates.js'
import { startSimulator, type Simulator } from './support/simulator.js'

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ scenario: { pollsUntilIssued: 0 } })
})
afterAll(() => sim.close())
beforeEach(() => sim.reset())

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'X-DC-DEVKEY': sim.apiKey, 'Content-Type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) })
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

const codes = (answer: { json: Record<string, unknown> }) =>
  ((answer.json.errors ?? []) as { code: string }[]).map(e => e.code)

async function issuedOrder(years = 1, more: Record<string, unknown> = {}) {
  const placed = await call('POST', '/order/certificate/code_signing', {
    certificate: { signature_hash: 'sha256' },
    order_validity: { years },
    organization: { id: 12345, contacts: [{ contact_type: 'verified_contact', user_id: 12345 }] },
    cs_provisioning_method: 'keylocker',
    ...more
  })
  expect(placed.status, JSON.stringify(placed.json)).toBe(201)
  const id = placed.json.id as number
  sim.issueNow(id)
  return id
}

const sha256 = (der: Buffer) => createHash('sha256').update(der).digest('hex')
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)

describe('the simulator’s reissue', () => {
  it('puts the order in reissue_pending, then issues a new certificate on the same order', async () => {
    const id = await issuedOrder(3)
    const before = await call('GET', `/order/certificate/${id}`)
    const oldCertificate = (before.json.certificate as { id: number }).id
    const reissued = await call('POST', `/order/certificate/${id}/reissue`, {
      certificate: { signature_hash: 'sha384' }
    })
    expect(reissued.status).toBe(201)
    const request = (reissued.json.requests as { id: number; status: string }[])[0]
    expect(reissued.json).toEqual({ id, requests: [{ id: request?.id, status: 'pending' }] })

    const order = sim.orders.find(o => o.id === id)
    expect(order?.status).toBe('reissue_pending')
    expect(sim.orders.find(o => o.id === id)?.reissues).toHaveLength(1)

    // The first poll (pollsUntilReissued 1) issues it.
    const after = await call('GET', `/order/certificate/${id}`)
    expect(after.json.status).toBe('issued')
    const certificate = after.json.certificate as Record<string, unknown>
    expect(certificate.id).not.toBe(oldCertificate)
    expect(certificate.valid_till).toBe(inDays(459))
    expect(after.json.requests).toEqual([
      expect.objectContaining({ type: 'new_request' }),
      expect.objectContaining({ id: request?.id, type: 'reissue', status: 'approved' })
    ])
    expect(after.json.order_valid_till).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/)

    // Both certificates download; the new one is a leaf of its own.
    const leaf = await sim.certificateOf(id)
    expect(certificate.thumbprint).toBe(leaf.sha1Thumbprint.toUpperCase())
    const leaves: string[] = []
    for (const certificateId of [oldCertificate, certificate.id as number]) {
      const download = await fetch(
        `${sim.url}/certificate/${certificateId}/download/format/pem_all`,
        { headers: { 'X-DC-DEVKEY': sim.apiKey } }
      )
      expect(download.status).toBe(200)
      leaves.push((await download.text()).split('-----END CERTIFICATE-----')[0] ?? '')
    }
    expect(leaves[1]).toBe(leaf.leafPem.split('-----END CERTIFICATE-----')[0])
    expect(leaves[0]).not.toBe(leaves[1])
  })

  it('refuses a second reissue while one is pending, in the documented error shape', async () => {
    sim.setScenario({ pollsUntilReissued: 1_000 })
    const id = await issuedOrder(2)
    expect(
      (await call('POST', `/order/certificate/${id}/reissue`, { certificate: {} })).status
    ).toBe(201)
    const second = await call('POST', `/order/certificate/${id}/reissue`, { certificate: {} })
    expect(second.status).toBe(400)
    expect(codes(second)).toEqual(['reissue_pending'])
    // While pending, the order keeps its certificate.
    const info = await call('GET', `/order/certificate/${id}`)
    expect(info.json.status).toBe('reissue_pending')
    expect((info.json.certificate as { id?: number }).id).toBeDefined()
    expect(info.json.requests).toContainEqual(
      expect.objectContaining({ type: 'reissue', status: 'pending' })
    )
  })

  it.each<[string, () => Promise<number>, unknown, string[]]>([
    [
      'an order not issued',
      async () => {
        const id = await issuedOrder()
        sim.setStatus(id, 'pending')
        return id
      },
      { certificate: {} },
      ['order_not_eligible_for_reissue']
    ],
    [
      'an expired certificate',
      async () => {
        const id = await issuedOrder()
        sim.setValidTill(id, inDays(-1))
        return id
      },
      { certificate: {} },
      ['order_not_eligible_for_reissue']
    ],
    ['no certificate object', () => issuedOrder(), {}, ['missing_param|certificate']],
    [
      'a common name',
      () => issuedOrder(),
      { certificate: { common_name: 'x' } },
      ['invalid_param|common_name']
    ],
    [
      'a CSR for a KeyLocker order',
      () => issuedOrder(),
      { certificate: { csr: 'x' } },
      ['invalid_param|csr']
    ],
    [
      'an unknown signature hash',
      () => issuedOrder(),
      { certificate: { signature_hash: 'md5' } },
      ['invalid_param|signature_hash']
    ]
  ])('refuses a reissue of %s', async (_what, make, body, expected) => {
    const id = await make()
    const answer = await call('POST', `/order/certificate/${id}/reissue`, body)
    expect(answer.status).toBe(400)
    expect(codes(answer)).toEqual(expected)
  })

  it('requires the new CSR for an HSM order, and issues a leaf with its key', async () => {
    const csr = await generateCsrPem()
    const id = await issuedOrder(1, {
      cs_provisioning_method: 'email',
      certificate: { signature_hash: 'sha256', csr }
    })
    const without = await call('POST', `/order/certificate/${id}/reissue`, { certificate: {} })
    expect(codes(without)).toEqual(['missing_param|csr'])
    const next = await generateCsrPem()
    expect(
      (await call('POST', `/order/certificate/${id}/reissue`, { certificate: { csr: next } }))
        .status
    ).toBe(201)
    sim.issueReissue(id)
    const leaf = new X509Certificate((await sim.certificateOf(id)).leafPem)
    const leafKey = leaf.publicKey.export({ type: 'spki', format: 'der' })
    const csrKey = Buffer.from(new Pkcs10CertificateRequest(next).publicKey.rawData)
    expect(sha256(leafKey)).toBe(sha256(csrKey))
    expect(sha256(csrKey)).not.toBe(
      sha256(Buffer.from(new Pkcs10CertificateRequest(csr).publicKey.rawData))
    )
  })

  it('tells a one-year order’s end by its certificate, a multi-year order’s by its years', async () => {
    const oneYear = await issuedOrder(1)
    const info = await call('GET', `/order/certificate/${oneYear}`)
    const validTill = (info.json.certificate as { valid_till: string }).valid_till
    expect(info.json.order_valid_till).toBe(`${validTill}T23:59:59+00:00`)
    const threeYears = await issuedOrder(3)
    const order = sim.orders.find(o => o.id === threeYears)
    expect(order?.orderValidTill?.getUTCFullYear()).toBe(new Date().getUTCFullYear() + 3)
    expect(order?.validTill).toBe(inDays(459))
  })
})
