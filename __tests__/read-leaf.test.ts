// The facts the action outputs about an issued certificate, read from the chain CertCentral sends:
// the leaf wherever it stands, and nothing but hex digits and a date, whatever the certificate holds.
import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { pemBlocks, readLeaf } from '../src/certificate.js'
import { generateChain, type CertificateChain } from './support/certificates.js'

let chain: CertificateChain

beforeAll(async () => {
  chain = await generateChain({ commonName: 'Pub', organization: 'Org' })
})

const sha1 = (der: Buffer) => createHash('sha1').update(der).digest('hex').toUpperCase()
const derOf = (pem: string) => Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64')
const pemOf = (der: Buffer) =>
  `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`

/** The leaf with its DER changed in place (the signature no longer matches: nothing checks it). */
function alteredLeaf(change: (der: Buffer) => void): string {
  const der = Buffer.from(chain.leafDer)
  change(der)
  return pemOf(der)
}

/** The offset of the serial number's first byte: after `[0] { INTEGER 2 }` and its INTEGER tag and length. */
function serialStart(der: Buffer): number {
  return der.indexOf(Buffer.from('a003020102', 'hex')) + 7
}

describe('readLeaf', () => {
  it('reads the serial, the SHA-1 thumbprint (upper-case hex), the expiry day and the subject', () => {
    expect(readLeaf(chain.pem)).toEqual({
      serial: chain.serialNumber.toUpperCase(),
      thumbprint: chain.sha1Thumbprint.toUpperCase(),
      validTill: chain.notAfter.toISOString().slice(0, 10),
      subject: 'CN=Pub, O=Org, L=Lehi, ST=Utah, C=US'
    })
    expect(readLeaf(chain.pem).validTill).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })

  it('takes the one certificate that is not a CA, wherever it stands in the chain', () => {
    const shuffled = `${chain.rootPem}\n${chain.leafPem}\n${chain.intermediatePem}`
    expect(readLeaf(shuffled).thumbprint).toBe(chain.sha1Thumbprint.toUpperCase())
  })

  it('takes the first certificate when all of them are CAs', () => {
    const cas = `${chain.intermediatePem}\n${chain.rootPem}`
    expect(readLeaf(cas).thumbprint).toBe(sha1(derOf(chain.intermediatePem)))
  })

  it('refuses a certificate whose serial number is negative (not hex digits as Node shows it)', () => {
    const pem = alteredLeaf(der => {
      // 0x80 exactly: a negative number in minimal DER whatever follows (0xFF before a byte with
      // its top bit set would not be, and the certificate would not parse at all).
      der[serialStart(der)] = 0x80
    })
    expect(() => readLeaf(pem)).toThrow(
      'The downloaded certificate has a serial number that is not hex digits.'
    )
  })

  it('refuses a certificate whose expiry cannot be read', () => {
    const pem = alteredLeaf(der => {
      // The second UTCTime (tag 0x17, 13 bytes) after the serial is notAfter.
      const utcTime = Buffer.from('170d', 'hex')
      const notBefore = der.indexOf(utcTime, serialStart(der))
      const notAfter = der.indexOf(utcTime, notBefore + 2)
      der.write('ABCDEFGHIJKLZ', notAfter + 2, 'latin1')
    })
    expect(() => readLeaf(pem)).toThrow(
      'The downloaded certificate has an expiry date that cannot be read.'
    )
  })
})

describe('pemBlocks', () => {
  it('takes each block from its BEGIN to its END, leaving out what lies between blocks', () => {
    const a = '-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----'
    const b = '-----BEGIN CERTIFICATE-----\nBB\n-----END CERTIFICATE-----'
    expect(pemBlocks(`${a}\nnoise\n${b}\n`)).toEqual([a, b])
    expect(pemBlocks('-----END CERTIFICATE-----')).toEqual([])
  })
})
