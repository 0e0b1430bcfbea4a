// The simulator's pre-flight endpoints answer in DigiCert's shapes (shared/reference
// certcentral-beyond-the-order-page.md, "Pre-flight facts"), and its order info in the shapes
// DigiCert and other clients show.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from './support/simulator.js'
import { ROLES } from './support/simulator/preflight.js'

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator()
})
afterAll(() => sim.close())
beforeEach(() => {
  sim.reset()
  sim.directory.limitedKey = false
  sim.directory.setRole(1)
})

interface Validation {
  type: string
  name: string
  status: string
  date_created: string
  validated_until?: string
  verified_users: { id: number }[]
}
/** The fields these tests read, of every answer they read. */
interface Answer {
  validations: Validation[]
  errors: { code: string }[]
  verified_contacts: { id: number }[]
  access_roles: { id: number; name: string }[]
  signature_hash_types: { allowed_hash_types: { id: string }[]; default_hash_type_id: string }
  id: number
  status: string
  organization: unknown
  certificate: { organization?: unknown }
}

async function get(path: string, key = sim.apiKey): Promise<{ status: number; body: Answer }> {
  const response = await fetch(sim.url + path, { headers: { 'X-DC-DEVKEY': key } })
  return { status: response.status, body: (await response.json()) as Answer }
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/

describe('GET /organization/{id}/validation', () => {
  it('lists a validated organization’s cs and ev_cs validations, active beyond today', async () => {
    const { status, body } = await get('/organization/12345/validation')
    expect(status).toBe(200)
    expect(body.validations.map(v => [v.type, v.status])).toEqual([
      ['cs', 'active'],
      ['ev_cs', 'active']
    ])
    for (const v of body.validations) {
      expect(v.validated_until).toMatch(DATE_TIME)
      expect(Date.parse(v.validated_until ?? '')).toBeGreaterThan(Date.now())
      expect(v.verified_users).toEqual([
        { id: 12345, first_name: 'Jane', last_name: 'Doe' },
        { id: 67890, first_name: 'John', last_name: 'Roe' }
      ])
      expect(v).toHaveProperty('name')
      expect(v.date_created).toMatch(DATE_TIME)
    }
  })

  it('has pending, lapsed and cs-only organizations', async () => {
    const pending = (await get('/organization/22222/validation')).body.validations
    expect(pending.map(v => v.status)).toEqual(['pending', 'pending'])
    expect(pending[0]).not.toHaveProperty('validated_until')
    const lapsed = (await get('/organization/33333/validation')).body.validations
    expect(lapsed.map(v => v.status)).toEqual(['active', 'expired'])
    for (const v of lapsed) expect(Date.parse(v.validated_until ?? '')).toBeLessThan(Date.now())
    const csOnly = (await get('/organization/44444/validation')).body.validations
    expect(csOnly.map(v => v.type)).toEqual(['cs'])
  })

  it('answers 404 not_found|organization for an organization that does not exist', async () => {
    const { status, body } = await get('/organization/99999/validation')
    expect(status).toBe(404)
    expect(body.errors[0]?.code).toBe('not_found|organization')
  })
})

describe('GET /organization/{id}', () => {
  it('describes an active organization with its verified contacts, without validations', async () => {
    const { status, body } = await get('/organization/12345')
    expect(status).toBe(200)
    expect(body).toMatchObject({ id: 12345, status: 'active', is_active: true })
    expect(body.verified_contacts.map(c => c.id)).toEqual([12345, 67890])
    expect(body).not.toHaveProperty('validations')
  })

  it('has an inactive organization and misses unknown ones', async () => {
    expect((await get('/organization/55555')).body).toMatchObject({
      status: 'inactive',
      is_active: false
    })
    expect((await get('/organization/99999')).status).toBe(404)
  })
})

describe('GET /user/me', () => {
  it.each(Object.entries(ROLES))('answers the key’s user with role %s (%s)', async (id, name) => {
    sim.directory.setRole(Number(id) as keyof typeof ROLES)
    const { status, body } = await get('/user/me')
    expect(status).toBe(200)
    expect(body).toMatchObject({ username: 'release-bot' })
    expect(body.access_roles).toEqual([{ id: Number(id), name }])
  })
})

describe('GET /product/{name_id}', () => {
  it('lists allowed validity years and hash types', async () => {
    for (const product of ['code_signing', 'code_signing_ev']) {
      const { status, body } = await get(`/product/${product}?container_id=7`)
      expect(status).toBe(200)
      expect(body).toMatchObject({ name_id: product, allowed_validity_years: [1, 2, 3] })
      expect(body.signature_hash_types.allowed_hash_types.map(h => h.id)).toEqual([
        'sha256',
        'sha384',
        'sha512'
      ])
      expect(body.signature_hash_types.default_hash_type_id).toBe('sha256')
    }
  })

  it('answers 404 for a product it does not know', async () => {
    expect((await get('/product/ssl_plus')).status).toBe(404)
  })
})

describe('a key limited by its role', () => {
  it('is refused every pre-flight endpoint with 403 access_denied|missing_permission', async () => {
    sim.directory.limitedKey = true
    for (const path of [
      '/organization/12345/validation',
      '/organization/12345',
      '/user/me',
      '/product/code_signing'
    ]) {
      const { status, body } = await get(path)
      expect(status, path).toBe(403)
      expect(body.errors[0]?.code).toBe('access_denied|missing_permission')
    }
  })

  it('and a wrong key is refused as everywhere else', async () => {
    expect((await get('/user/me', 'wrong')).status).toBe(401)
  })
})

describe('order info shapes', () => {
  const body = {
    certificate: { signature_hash: 'sha256' },
    order_validity: { years: 1 },
    organization: { id: 12345 },
    cs_provisioning_method: 'keylocker'
  }
  async function placeAndRead(): Promise<Answer> {
    const response = await fetch(`${sim.url}/order/certificate/code_signing`, {
      method: 'POST',
      headers: { 'X-DC-DEVKEY': sim.apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    })
    const { id } = (await response.json()) as { id: number }
    return (await get(`/order/certificate/${id}`)).body
  }

  it('puts the organization at the top, under the certificate, or without an id', async () => {
    sim.setScenario({ organizationAt: 'top' })
    expect((await placeAndRead()).organization).toEqual({ id: 12345 })
    sim.setScenario({ organizationAt: 'certificate' })
    const certificateShape = await placeAndRead()
    expect(certificateShape).not.toHaveProperty('organization')
    expect(certificateShape.certificate.organization).toEqual({ id: 12345 })
    sim.setScenario({ organizationAt: 'top-without-id' })
    const noId = await placeAndRead()
    expect(noId.organization).not.toHaveProperty('id')
  })

  it('answers the statuses real clients see: denied ends the order, approved and needs_csr wait', async () => {
    sim.setScenario({ approval: 'needs-approval' })
    for (const status of ['denied', 'approved', 'needs_csr'] as const) {
      const order = await placeAndRead()
      sim.setStatus(order.id, status)
      expect((await get(`/order/certificate/${order.id}`)).body.status).toBe(status)
      expect((await get(`/order/certificate/${order.id}`)).body.status).toBe(status)
    }
  })
})
