// Test certificate chains for the CertCentral simulator: a self-signed root, an intermediate CA and a
// code signing leaf, all real X.509 made with @peculiar/x509 over Node's WebCrypto (ECDSA P-256, fast).
import 'reflect-metadata'
import {
  createHash,
  generateKeyPairSync,
  KeyObject,
  sign,
  webcrypto,
  type KeyObject as Key
} from 'node:crypto'
import { AsnConvert, OctetString } from '@peculiar/asn1-schema'
import * as asn1 from '@peculiar/asn1-x509'
import * as x509 from '@peculiar/x509'

const crypto = webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]
x509.cryptoProvider.set(crypto)

const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const
const EC_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const
const DAY_MS = 24 * 60 * 60 * 1000
const CODE_SIGNING_EKU = '1.3.6.1.5.5.7.3.3'

type KeyPair = Awaited<ReturnType<typeof generateKeys>>

export interface ChainOptions {
  /** Subject CN of the leaf. */
  commonName?: string
  /** Subject O of the leaf. */
  organization?: string
  /** Leaf validity in days from now (default 365, inside the 459-day code signing limit). */
  validityDays?: number
  /** The leaf's whole subject, as attribute -> values; for names a DN string cannot carry (a newline). */
  leafSubject?: x509.JsonName
}

export interface CertificateChain {
  /** leaf, intermediate, root: one PEM bundle as `pem_all` returns it. */
  pem: string
  leafPem: string
  intermediatePem: string
  rootPem: string
  leafDer: Buffer
  /** Lower-case hex, no separators, leading zero bytes kept as in the DER integer. */
  serialNumber: string
  /** SHA-1 over the leaf DER, lower-case hex. */
  sha1Thumbprint: string
  /** SHA-256 over the leaf DER, lower-case hex. */
  sha256Thumbprint: string
  commonName: string
  notBefore: Date
  notAfter: Date
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])
}

/** A positive DER serial: 16 random bytes with the top bit cleared and a non-zero first byte. */
function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16))
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01
  return Buffer.from(bytes).toString('hex')
}

async function caExtensions(keys: KeyPair, pathLength?: number): Promise<x509.Extension[]> {
  return [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)
  ]
}

/** A root and an intermediate CA, and what it takes to issue leaves from the intermediate. */
export interface Issuer {
  intermediatePem: string
  rootPem: string
  /** The intermediate's subject, the leaves' issuer. */
  name: asn1.Name
  /** The intermediate's key identifier, for the leaves' authority key identifier. */
  keyIdentifier: ArrayBuffer
  privateKey: Key
}

export interface LeafOptions {
  commonName?: string
  organization?: string
  notBefore: Date
  notAfter: Date
  /** A CSR whose public key the leaf carries (an HSM order's); else a key of its own. */
  csrPem?: string
  /** The whole subject, instead of the one made of commonName and organization. */
  subject?: x509.JsonName
}

/** Generates a fresh root -> intermediate CA pair. */
export async function generateIssuer(): Promise<Issuer> {
  const now = Date.now()
  const [rootKeys, intermediateKeys] = await Promise.all([generateKeys(), generateKeys()])

  const rootName = 'CN=Simulated CertCentral Root CA, O=Simulated DigiCert Test, C=US'
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: rootName,
    notBefore: new Date(now - 365 * DAY_MS),
    notAfter: new Date(now + 10 * 365 * DAY_MS),
    keys: rootKeys,
    signingAlgorithm: EC_SIGN,
    extensions: await caExtensions(rootKeys)
  })

  const intermediateName =
    'CN=Simulated CertCentral Code Signing CA, O=Simulated DigiCert Test, C=US'
  const ski = await x509.SubjectKeyIdentifierExtension.create(intermediateKeys.publicKey)
  const intermediate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: intermediateName,
    issuer: rootName,
    notBefore: new Date(now - 180 * DAY_MS),
    notAfter: new Date(now + 5 * 365 * DAY_MS),
    publicKey: intermediateKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: EC_SIGN,
    extensions: [
      ...(await caExtensions(intermediateKeys, 0)),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey)
    ]
  })
  return {
    intermediatePem: intermediate.toString('pem'),
    rootPem: root.toString('pem'),
    name: AsnConvert.parse(intermediate.subjectName.toArrayBuffer(), asn1.Name),
    keyIdentifier: arrayBuffer(Buffer.from(ski.keyId, 'hex')),
    privateKey: KeyObject.from(intermediateKeys.privateKey)
  }
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2'

/** The bytes in an ArrayBuffer of their own (a small Buffer shares Node's pool). */
const arrayBuffer = (bytes: Uint8Array): ArrayBuffer => new Uint8Array(bytes).buffer

const extension = (extnID: string, critical: boolean, value: object) =>
  new asn1.Extension({
    extnID,
    critical,
    extnValue: new OctetString(AsnConvert.serialize(value))
  })

/**
 * A code signing leaf from `issuer`, made synchronously (a key of its own, a random serial): the
 * simulator issues one per order while it answers a request.
 */
export function issueLeaf(issuer: Issuer, options: LeafOptions): CertificateChain {
  const commonName = options.commonName ?? 'Simulated Code Signing Publisher'
  const organization = options.organization ?? 'Simulated Publisher Inc'
  const spki = AsnConvert.parse(
    options.csrPem === undefined
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
          type: 'spki',
          format: 'der'
        })
      : new x509.Pkcs10CertificateRequest(options.csrPem).publicKey.rawData,
    asn1.SubjectPublicKeyInfo
  )
  const keyId = createHash('sha1').update(Buffer.from(spki.subjectPublicKey)).digest()
  const serialNumber = randomSerial()
  const algorithm = new asn1.AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 })
  const subject = new x509.Name(
    options.subject ?? `CN=${commonName}, O=${organization}, L=Lehi, ST=Utah, C=US`
  ).toArrayBuffer()
  const tbs = new asn1.TBSCertificate({
    version: asn1.Version.v3,
    serialNumber: arrayBuffer(Buffer.from(serialNumber, 'hex')),
    signature: algorithm,
    issuer: issuer.name,
    validity: new asn1.Validity({ notBefore: options.notBefore, notAfter: options.notAfter }),
    subject: AsnConvert.parse(subject, asn1.Name),
    subjectPublicKeyInfo: spki,
    extensions: new asn1.Extensions([
      extension(asn1.id_ce_basicConstraints, true, new asn1.BasicConstraints({ cA: false })),
      extension(asn1.id_ce_keyUsage, true, new asn1.KeyUsage(asn1.KeyUsageFlags.digitalSignature)),
      extension(asn1.id_ce_extKeyUsage, false, new asn1.ExtendedKeyUsage([CODE_SIGNING_EKU])),
      extension(
        asn1.id_ce_subjectKeyIdentifier,
        false,
        new asn1.SubjectKeyIdentifier(arrayBuffer(keyId))
      ),
      extension(
        asn1.id_ce_authorityKeyIdentifier,
        false,
        new asn1.AuthorityKeyIdentifier({
          keyIdentifier: new asn1.KeyIdentifier(issuer.keyIdentifier)
        })
      )
    ])
  })
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs))
  const signature = sign('sha256', tbsDer, { key: issuer.privateKey, dsaEncoding: 'der' })
  const leafDer = Buffer.from(
    AsnConvert.serialize(
      new asn1.Certificate({
        tbsCertificate: tbs,
        signatureAlgorithm: algorithm,
        signatureValue: arrayBuffer(signature)
      })
    )
  )
  const leafPem = new x509.X509Certificate(leafDer).toString('pem')
  return {
    pem: [leafPem, issuer.intermediatePem, issuer.rootPem].join('\n') + '\n',
    leafPem,
    intermediatePem: issuer.intermediatePem,
    rootPem: issuer.rootPem,
    leafDer,
    serialNumber,
    sha1Thumbprint: createHash('sha1').update(leafDer).digest('hex'),
    sha256Thumbprint: createHash('sha256').update(leafDer).digest('hex'),
    commonName,
    notBefore: new Date(Math.floor(options.notBefore.getTime() / 1000) * 1000),
    notAfter: new Date(Math.floor(options.notAfter.getTime() / 1000) * 1000)
  }
}

/** Generates a fresh root -> intermediate -> code signing leaf chain. */
export async function generateChain(options: ChainOptions = {}): Promise<CertificateChain> {
  const notBefore = new Date(Math.floor((Date.now() - DAY_MS) / 1000) * 1000)
  const notAfter = new Date(notBefore.getTime() + (options.validityDays ?? 365) * DAY_MS)
  return issueLeaf(await generateIssuer(), {
    ...(options.commonName !== undefined && { commonName: options.commonName }),
    ...(options.organization !== undefined && { organization: options.organization }),
    ...(options.leafSubject !== undefined && { subject: options.leafSubject }),
    notBefore,
    notAfter
  })
}

/**
 * A real PKCS#10 CSR in PEM, for `email` (HSM) order bodies. ECDSA P-256 by default; `rsaBits` makes
 * an RSA key instead (slow for 3072+, use sparingly).
 */
export async function generateCsrPem(
  options: { commonName?: string; rsaBits?: number } = {}
): Promise<string> {
  const rsa =
    options.rsaBits === undefined
      ? undefined
      : {
          name: 'RSASSA-PKCS1-v1_5',
          hash: 'SHA-256',
          publicExponent: new Uint8Array([1, 0, 1]),
          modulusLength: options.rsaBits
        }
  const keys =
    rsa === undefined
      ? await generateKeys()
      : await webcrypto.subtle.generateKey(rsa, true, ['sign', 'verify'])
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${options.commonName ?? 'Simulated Publisher Inc'}`,
    keys,
    signingAlgorithm: rsa ?? EC_SIGN
  })
  return csr.toString('pem')
}
