// Test certificate chains for the CertCentral simulator: a self-signed root, an intermediate CA and a
// code signing leaf, all real X.509 made with @peculiar/x509 over Node's WebCrypto (ECDSA P-256, fast).
import 'reflect-metadata'
import { createHash, webcrypto } from 'node:crypto'
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

/** Generates a fresh root -> intermediate -> code signing leaf chain. */
export async function generateChain(options: ChainOptions = {}): Promise<CertificateChain> {
  const commonName = options.commonName ?? 'Simulated Code Signing Publisher'
  const organization = options.organization ?? 'Simulated Publisher Inc'
  const now = Date.now()
  const notBefore = new Date(Math.floor((now - DAY_MS) / 1000) * 1000)
  const notAfter = new Date(notBefore.getTime() + (options.validityDays ?? 365) * DAY_MS)

  const [rootKeys, intermediateKeys, leafKeys] = await Promise.all([
    generateKeys(),
    generateKeys(),
    generateKeys()
  ])

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

  const serialNumber = randomSerial()
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: options.leafSubject ?? `CN=${commonName}, O=${organization}, L=Lehi, ST=Utah, C=US`,
    issuer: intermediateName,
    notBefore,
    notAfter,
    publicKey: leafKeys.publicKey,
    signingKey: intermediateKeys.privateKey,
    signingAlgorithm: EC_SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([CODE_SIGNING_EKU], false),
      await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(intermediateKeys.publicKey)
    ]
  })

  const issued = describeChain(leaf, intermediate.toString('pem'), root.toString('pem'), {
    commonName,
    notBefore,
    notAfter
  })
  issuers.set(issued, {
    name: intermediateName,
    keys: intermediateKeys,
    subject: options.leafSubject ?? `CN=${commonName}, O=${organization}, L=Lehi, ST=Utah, C=US`
  })
  return issued
}

/** The intermediate CA of each chain generateChain made, to issue more leaves under it. */
const issuers = new WeakMap<
  CertificateChain,
  { name: string; keys: KeyPair; subject: string | x509.JsonName }
>()

function describeChain(
  leaf: x509.X509Certificate,
  intermediatePem: string,
  rootPem: string,
  facts: Pick<CertificateChain, 'commonName' | 'notBefore' | 'notAfter'>
): CertificateChain {
  const leafDer = Buffer.from(leaf.rawData)
  const leafPem = leaf.toString('pem')
  return {
    pem: [leafPem, intermediatePem, rootPem].join('\n') + '\n',
    leafPem,
    intermediatePem,
    rootPem,
    leafDer,
    serialNumber: leaf.serialNumber.toLowerCase(),
    sha1Thumbprint: createHash('sha1').update(leafDer).digest('hex'),
    sha256Thumbprint: createHash('sha256').update(leafDer).digest('hex'),
    ...facts
  }
}

/**
 * Another leaf under the same intermediate and root, as CertCentral issues each certificate of an
 * order (a reissue, an HSM order): its own serial and thumbprint, the CSR's public key when a CSR is
 * given (else a fresh key), and the end given.
 */
export async function issueLeaf(
  chain: CertificateChain,
  options: { csrPem?: string | undefined; notAfter: Date }
): Promise<CertificateChain> {
  const issuer = issuers.get(chain)
  if (issuer === undefined) throw new Error('issueLeaf: the chain was not made by generateChain')
  const publicKey: x509.PublicKey | webcrypto.CryptoKey =
    options.csrPem === undefined
      ? (await generateKeys()).publicKey
      : new x509.Pkcs10CertificateRequest(options.csrPem).publicKey
  const notBefore = new Date(Math.floor((Date.now() - DAY_MS) / 1000) * 1000)
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: issuer.subject,
    issuer: issuer.name,
    notBefore,
    notAfter: options.notAfter,
    publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: EC_SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([CODE_SIGNING_EKU], false),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey)
    ]
  })
  return describeChain(leaf, chain.intermediatePem, chain.rootPem, {
    commonName: chain.commonName,
    notBefore,
    notAfter: options.notAfter
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
