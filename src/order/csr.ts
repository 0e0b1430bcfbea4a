// The CSR input, checked before ordering: a CSR DigiCert would refuse, or one that is not the key
// the HSM holds (a damaged or edited file), should fail here rather than days later.
// Loaded lazily by parseInputs: the ASN.1 libraries are only needed when a CSR is given.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { CertificationRequest } from '@peculiar/asn1-csr'
import { AsnConvert } from '@peculiar/asn1-schema'
import { failed, parsed, type Parsed } from './parsed.js'

export interface CsrInfo {
  /** Normalized PEM, as sent in certificate.csr. */
  pem: string
  /** 'RSA', 'EC', or Node's key type in upper case for anything else. */
  keyAlgorithm: string
  /** RSA modulus length in bits. */
  keySize?: number
  /** EC curve, e.g. 'P-256'. */
  curve?: string
  /** e.g. 'C=US, O=Example Corp, CN=Example Corp' */
  subject: string
  /** SHA-256 of the public key (SPKI DER), hex: a new key needs a new certificate. */
  publicKeySha256: string
  /** Why the self-signature was not checked, when it was not. */
  signatureUnchecked?: string
}

const PEM_BLOCK =
  /-----BEGIN (NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END \1CERTIFICATE REQUEST-----/
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

// OID -> hash for crypto.verify; PKCS#1 v1.5 and ECDSA signatures need no further parameters.
const SIGNATURE_HASHES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.11': 'sha256', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512'
}
const RSASSA_PSS = '1.2.840.113549.1.1.10'

const CURVES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521'
}

const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress'
}

/** `value` is PEM text, or else the path of a file holding it. */
export async function loadCsr(value: string): Promise<Parsed<CsrInfo>> {
  if (value.includes('-----BEGIN')) return inspectCsr(value)
  let text: string
  try {
    text = await readFile(value, 'utf8')
  } catch {
    return failed(
      `is neither PEM text nor a readable file: no file at "${value}"; give the CSR's PEM text or the path of its file`
    )
  }
  return inspectCsr(text)
}

export function inspectCsr(text: string): Parsed<CsrInfo> {
  const block = PEM_BLOCK.exec(text)
  if (block === null) {
    return failed(
      'holds no -----BEGIN CERTIFICATE REQUEST----- block; give a PEM-encoded PKCS#10 CSR'
    )
  }
  const base64 = (block[2] ?? '').replace(/\s/g, '')
  if (!BASE64.test(base64) || base64.length % 4 !== 0) {
    return failed('the text between BEGIN and END is not base64; copy the CSR again, whole')
  }
  const der = Buffer.from(base64, 'base64')
  let request: CertificationRequest
  try {
    request = AsnConvert.parse(der, CertificationRequest)
  } catch {
    // The ASN.1 library's own words (e.g. "byte length of Uint32Array should be a multiple of 4")
    // mean nothing to the user: the problem is said in theirs.
    return failed(
      'is not a PKCS#10 certificate signing request: its content does not decode as one (damaged, ' +
        'cut or another kind of file); create the CSR again, or copy it again, whole'
    )
  }
  if (outerLength(der) !== der.length) {
    return failed('has bytes after the end of the request; copy the CSR again, whole')
  }
  let key: KeyObject
  let spki: Buffer
  try {
    spki = Buffer.from(AsnConvert.serialize(request.certificationRequestInfo.subjectPKInfo))
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' })
  } catch {
    return failed(
      'has a public key of an unknown or damaged algorithm that this action cannot read; create ' +
        'the CSR again with an RSA or ECDSA key'
    )
  }
  const signature = checkSignature(request, key)
  if (!signature.ok) return signature
  return parsed({
    pem: toPem(der),
    ...describeKey(key),
    subject: describeSubject(request),
    publicKeySha256: createHash('sha256').update(spki).digest('hex'),
    ...(signature.value === undefined ? {} : { signatureUnchecked: signature.value })
  })
}

/** ok with undefined when verified, ok with a reason when it cannot be checked here. */
function checkSignature(request: CertificationRequest, key: KeyObject): Parsed<string | undefined> {
  const algorithm = request.signatureAlgorithm.algorithm
  if (algorithm === RSASSA_PSS)
    return parsed('RSASSA-PSS signatures are not checked by this action')
  const hash = SIGNATURE_HASHES[algorithm]
  if (hash === undefined) {
    return failed(
      `is signed with algorithm ${algorithm}; sign it with SHA-256, SHA-384 or SHA-512 (RSA or ECDSA)`
    )
  }
  const signed = request.certificationRequestInfoRaw
  let valid = false
  try {
    valid =
      signed !== undefined && verify(hash, Buffer.from(signed), key, Buffer.from(request.signature))
  } catch {
    // A key that does not fit the algorithm (an RSA key under ECDSA) is a failed check, not a crash.
  }
  return valid
    ? parsed(undefined)
    : failed(
        'has a signature that does not verify: the CSR was altered or damaged; create it again'
      )
}

function describeKey(key: KeyObject): Pick<CsrInfo, 'keyAlgorithm' | 'keySize' | 'curve'> {
  const details = key.asymmetricKeyDetails ?? {}
  if (key.asymmetricKeyType === 'rsa' && details.modulusLength !== undefined) {
    return { keyAlgorithm: 'RSA', keySize: details.modulusLength }
  }
  if (key.asymmetricKeyType === 'ec' && details.namedCurve !== undefined) {
    return { keyAlgorithm: 'EC', curve: CURVES[details.namedCurve] ?? details.namedCurve }
  }
  return { keyAlgorithm: (key.asymmetricKeyType ?? 'unknown').toUpperCase() }
}

function describeSubject(request: CertificationRequest): string {
  return request.certificationRequestInfo.subject
    .flatMap(rdn =>
      rdn.map(({ type, value }) => `${ATTRIBUTE_NAMES[type] ?? type}=${value.toString()}`)
    )
    .join(', ')
}

// asn1-schema stops at the end of the outer SEQUENCE and ignores whatever follows.
function outerLength(der: Buffer): number {
  const first = der[1] ?? 0
  if (first < 0x80) return 2 + first
  const count = first & 0x7f
  return 2 + count + der.subarray(2, 2 + count).reduce((length, byte) => length * 256 + byte, 0)
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`
}

/** The note printed for a CSR, e.g. `csr: RSA 3072-bit key, subject CN=Example`. */
export function describeCsr(csr: CsrInfo): string {
  const size = csr.keySize === undefined ? csr.curve : `${csr.keySize}-bit`
  const key = [csr.keyAlgorithm, size, 'key'].filter(part => part !== undefined).join(' ')
  const unchecked = csr.signatureUnchecked === undefined ? '' : ` (${csr.signatureUnchecked})`
  return `csr: ${key}, subject ${csr.subject === '' ? '(empty)' : csr.subject}${unchecked}`
}
