// The CSR check: which requests are read (keys, curves, signature algorithms, subject names), which
// are refused before ordering, and the exact problem or note a person reads.
import 'reflect-metadata'
import { createHash, generateKeyPairSync, webcrypto } from 'node:crypto'
import { CertificationRequest } from '@peculiar/asn1-csr'
import { AsnConvert } from '@peculiar/asn1-schema'
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509'
import * as x509 from '@peculiar/x509'
import { beforeAll, describe, expect, it } from 'vitest'
import { describeCsr, inspectCsr, loadCsr, type CsrInfo } from '../src/order/csr.js'
import { readFixture } from './fixtures/run-inputs.js'

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])

const RSA_3072 = readFixture('csr-rsa3072.pem')
const EC_P256 = readFixture('csr-ec-p256.pem')

const RSA_PSS = '1.2.840.113549.1.1.10'
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11'
const SHA1_WITH_RSA = '1.2.840.113549.1.1.5'

function pemOf(der: Buffer | ArrayBuffer): string {
  const body = Buffer.from(der as ArrayBuffer)
    .toString('base64')
    .replace(/.{64}/g, '$&\n')
  return `-----BEGIN CERTIFICATE REQUEST-----\n${body.replace(/\n$/, '')}\n-----END CERTIFICATE REQUEST-----\n`
}

function derOf(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64')
}

/** SHA-256 of the CSR's public key (SPKI DER), as CertCentral's key identity. */
function spkiSha256(pem: string): string {
  const request = AsnConvert.parse(derOf(pem), CertificationRequest)
  const spki = AsnConvert.serialize(request.certificationRequestInfo.subjectPKInfo)
  return createHash('sha256').update(Buffer.from(spki)).digest('hex')
}

async function csrPem(
  name: string,
  keyAlgorithm: webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams,
  signingAlgorithm: webcrypto.Algorithm | webcrypto.EcdsaParams | webcrypto.RsaPssParams
): Promise<string> {
  const keys = await webcrypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify'])
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys,
    signingAlgorithm
  })
  return csr.toString('pem')
}

function rsaKey(hash: string): webcrypto.RsaHashedKeyGenParams {
  return {
    name: 'RSASSA-PKCS1-v1_5',
    hash,
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048
  }
}

/**
 * The P-256 fixture with an Ed25519 public key and `signatureOid` put in: a request no signer made,
 * for the paths a real CSR does not reach.
 */
function withEd25519Key(signatureOid: string): string {
  const request = AsnConvert.parse(derOf(EC_P256), CertificationRequest)
  const ed25519 = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' })
  request.certificationRequestInfo.subjectPKInfo = AsnConvert.parse(ed25519, SubjectPublicKeyInfo)
  request.signatureAlgorithm = new AlgorithmIdentifier({ algorithm: signatureOid })
  request.signature = new Uint8Array(64).buffer
  return pemOf(AsnConvert.serialize(request))
}

function expectInfo(pem: string, info: Omit<CsrInfo, 'pem' | 'publicKeySha256'>): void {
  expect(inspectCsr(pem)).toEqual({
    ok: true,
    value: { pem: pemOf(derOf(pem)), publicKeySha256: spkiSha256(pem), ...info }
  })
}

function expectProblem(pem: string, message: string): void {
  expect(inspectCsr(pem)).toEqual({ ok: false, message })
}

describe('inspectCsr', () => {
  it('reads the RSA fixture: size, subject in order, and the SHA-256 of its public key', () => {
    expectInfo(RSA_3072, {
      keyAlgorithm: 'RSA',
      keySize: 3072,
      subject: 'C=US, ST=Utah, L=Lehi, O=Example Corp, CN=Example Corp Code Signing'
    })
    expect(inspectCsr(RSA_3072)).toMatchObject({ value: { pem: RSA_3072 } })
  })

  it('reads the EC fixture as P-256', () => {
    expectInfo(EC_P256, {
      keyAlgorithm: 'EC',
      curve: 'P-256',
      subject: 'C=US, O=Example Corp, CN=Example Corp EC'
    })
  })

  describe('signature algorithms', () => {
    let pems: Record<string, string>
    beforeAll(async () => {
      const name = 'CN=Alg, OU=Signing, L=Lehi, ST=Utah, E=dev@example.com, 2.5.4.5=42'
      const [ecSha384, ecSha512, rsaSha384, rsaSha512, rsaSha1, rsaPss] = await Promise.all([
        csrPem(name, { name: 'ECDSA', namedCurve: 'P-384' }, { name: 'ECDSA', hash: 'SHA-384' }),
        csrPem(name, { name: 'ECDSA', namedCurve: 'P-521' }, { name: 'ECDSA', hash: 'SHA-512' }),
        csrPem(name, rsaKey('SHA-384'), { name: 'RSASSA-PKCS1-v1_5' }),
        csrPem(name, rsaKey('SHA-512'), { name: 'RSASSA-PKCS1-v1_5' }),
        csrPem(name, rsaKey('SHA-1'), { name: 'RSASSA-PKCS1-v1_5' }),
        csrPem(
          name,
          { ...rsaKey('SHA-256'), name: 'RSA-PSS' },
          {
            name: 'RSA-PSS',
            saltLength: 32
          }
        )
      ])
      pems = { ecSha384, ecSha512, rsaSha384, rsaSha512, rsaSha1, rsaPss }
    }, 60_000)

    const subject = 'CN=Alg, OU=Signing, L=Lehi, ST=Utah, emailAddress=dev@example.com, 2.5.4.5=42'

    it('verifies ECDSA with SHA-384 on P-384 and SHA-512 on P-521, naming the curves', () => {
      expectInfo(pems.ecSha384 ?? '', { keyAlgorithm: 'EC', curve: 'P-384', subject })
      expectInfo(pems.ecSha512 ?? '', { keyAlgorithm: 'EC', curve: 'P-521', subject })
    })

    it('verifies RSA with SHA-384 and SHA-512', () => {
      expectInfo(pems.rsaSha384 ?? '', { keyAlgorithm: 'RSA', keySize: 2048, subject })
      expectInfo(pems.rsaSha512 ?? '', { keyAlgorithm: 'RSA', keySize: 2048, subject })
    })

    it('refuses SHA-1, naming the algorithm and the ones accepted', () => {
      expectProblem(
        pems.rsaSha1 ?? '',
        `is signed with algorithm ${SHA1_WITH_RSA}; sign it with SHA-256, SHA-384 or SHA-512 (RSA or ECDSA)`
      )
    })

    it('accepts RSASSA-PSS unchecked, and says so', () => {
      expectInfo(pems.rsaPss ?? '', {
        keyAlgorithm: 'RSA',
        keySize: 2048,
        subject,
        signatureUnchecked: 'RSASSA-PSS signatures are not checked by this action'
      })
    })
  })

  it('names a key type other than RSA and EC in upper case', () => {
    expectInfo(withEd25519Key(RSA_PSS), {
      keyAlgorithm: 'ED25519',
      subject: 'C=US, O=Example Corp, CN=Example Corp EC',
      signatureUnchecked: 'RSASSA-PSS signatures are not checked by this action'
    })
  })

  it('refuses a key that does not fit its signature algorithm, rather than crashing', () => {
    expectProblem(
      withEd25519Key(SHA256_WITH_RSA),
      'has a signature that does not verify: the CSR was altered or damaged; create it again'
    )
  })

  it('refuses a public key Node cannot read', () => {
    const der = derOf(EC_P256)
    // id-ecPublicKey 1.2.840.10045.2.1 -> 1.2.840.10045.2.9, an algorithm no one defined.
    const oid = Buffer.from([0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01])
    const at = der.indexOf(oid)
    expect(at).toBeGreaterThan(0)
    der[at + oid.length - 1] = 0x09
    const result = inspectCsr(pemOf(der))
    expect(result.ok).toBe(false)
    expect(result).toEqual({
      ok: false,
      message:
        'has a public key of an unknown or damaged algorithm that this action cannot read; create ' +
        'the CSR again with an RSA or ECDSA key'
    })
  })

  it("refuses a damaged request in its own words, never the ASN.1 library's", () => {
    const notARequest =
      'is not a PKCS#10 certificate signing request: its content does not decode as one (damaged, ' +
      'cut or another kind of file); create the CSR again, or copy it again, whole'
    // A sequence whose BIT STRING has a length no request has: the library's words would be about
    // a Uint32Array.
    expectProblem(pemOf(Buffer.from([0x30, 0x06, 0x03, 0x02, 0x00, 0x01, 0x05, 0x00])), notARequest)
    const der = derOf(RSA_3072)
    der[4] = 0x02 // the request info is no longer a SEQUENCE
    expectProblem(pemOf(der), notARequest)
  })

  it('refuses a block that is not base64, before or after the request, or cut short', () => {
    const body = derOf(RSA_3072).toString('base64')
    const notBase64 = 'the text between BEGIN and END is not base64; copy the CSR again, whole'
    for (const text of [`!!!!${body}`, `${body}!!!!`, body.slice(0, -1), body.slice(0, -3)]) {
      expectProblem(pemOf(Buffer.alloc(0)).replace('\n\n', `\n${text}\n`), notBase64)
    }
  })

  it('refuses text without a request block', () => {
    expectProblem(
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      'holds no -----BEGIN CERTIFICATE REQUEST----- block; give a PEM-encoded PKCS#10 CSR'
    )
  })

  it('refuses bytes after the end of the request', () => {
    expectProblem(
      pemOf(Buffer.concat([derOf(RSA_3072), Buffer.from([0, 0, 0, 0])])),
      'has bytes after the end of the request; copy the CSR again, whole'
    )
  })
})

describe('loadCsr', () => {
  it('names a path that is not a file', async () => {
    expect(await loadCsr('/nonexistent/request.csr')).toEqual({
      ok: false,
      message:
        'is neither PEM text nor a readable file: no file at "/nonexistent/request.csr"; give the CSR\'s PEM text or the path of its file'
    })
  })
})

describe('describeCsr', () => {
  const base = { pem: '', publicKeySha256: '' }

  it('notes an RSA key by its size, an EC key by its curve, another by its type alone', () => {
    expect(describeCsr({ ...base, keyAlgorithm: 'RSA', keySize: 3072, subject: 'CN=A' })).toBe(
      'csr: RSA 3072-bit key, subject CN=A'
    )
    expect(describeCsr({ ...base, keyAlgorithm: 'EC', curve: 'P-384', subject: 'CN=A' })).toBe(
      'csr: EC P-384 key, subject CN=A'
    )
    expect(describeCsr({ ...base, keyAlgorithm: 'ED25519', subject: 'CN=A' })).toBe(
      'csr: ED25519 key, subject CN=A'
    )
  })

  it('notes an empty subject, and why the signature was not checked', () => {
    expect(
      describeCsr({
        ...base,
        keyAlgorithm: 'RSA',
        keySize: 2048,
        subject: '',
        signatureUnchecked: 'not checked'
      })
    ).toBe('csr: RSA 2048-bit key, subject (empty) (not checked)')
  })
})
