// The facts signing steps need from an issued chain, read with Node's own X.509 parser.
import { createHash, X509Certificate } from 'node:crypto'
import { isSerial } from './certcentral/shapes.js'

export interface IssuedCertificate {
  /** Upper-case hex, as Windows shows it. */
  serial: string
  /** SHA-1 of the leaf's DER, upper-case hex: what `signtool /sha1` and `smctl --fingerprint` take. */
  thumbprint: string
  /** YYYY-MM-DD (UTC). */
  validTill: string
  /** As the certificate has it: server text, to be escaped before it is shown. */
  subject: string
}

/** The PEM markers of a certificate; the text between a BEGIN and the next END is one block. */
const MARKER = /-----(BEGIN|END) CERTIFICATE-----/g

/**
 * The certificate blocks of a PEM text, in one pass over its markers: linear in the length of the
 * text whatever it holds (a lazy `BEGIN[\s\S]+?END` regex is quadratic on BEGIN lines without END).
 * A BEGIN without its END is dropped, as a BEGIN inside a block restarts it.
 */
export function pemBlocks(text: string): string[] {
  const blocks: string[] = []
  let begin: number | undefined
  for (const marker of text.matchAll(MARKER)) {
    if (marker[1] === 'BEGIN') begin = marker.index
    else if (begin !== undefined) {
      blocks.push(text.slice(begin, marker.index + marker[0].length))
      begin = undefined
    }
  }
  return blocks
}

/**
 * Reads the leaf: CertCentral's pem_all lists it first, but the one certificate that is not a CA
 * is taken wherever it stands. The facts are checked for their shape, so that a certificate with
 * odd content cannot put anything but hex digits and a date into the outputs.
 */
export function readLeaf(chainPem: string): IssuedCertificate {
  const leaf = leafOf(chainPem)
  const expiry = new Date(leaf.validTo)
  if (Number.isNaN(expiry.getTime())) {
    throw new Error('The downloaded certificate has an expiry date that cannot be read.')
  }
  const serial = leaf.serialNumber.toUpperCase()
  if (!isSerial(serial)) {
    throw new Error('The downloaded certificate has a serial number that is not hex digits.')
  }
  return {
    serial,
    thumbprint: leaf.fingerprint.replaceAll(':', '').toUpperCase(),
    validTill: expiry.toISOString().slice(0, 10),
    subject: leaf.subject.replaceAll('\n', ', ')
  }
}

/**
 * SHA-256 of the leaf's SubjectPublicKeyInfo (DER), as csr.ts hashes the CSR's: equal exactly when
 * the certificate carries the CSR's key.
 */
export function leafPublicKeySha256(chainPem: string): string {
  const spki = leafOf(chainPem).publicKey.export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(spki).digest('hex')
}

/** The one certificate of the chain that is not a CA (pem_all lists it first), wherever it stands. */
function leafOf(chainPem: string): X509Certificate {
  const chain = pemBlocks(chainPem).map(pem => {
    try {
      return new X509Certificate(pem)
    } catch {
      throw new Error(
        'The downloaded certificate file holds a PEM block that is not a certificate.'
      )
    }
  })
  const leaf = chain.find(certificate => !certificate.ca) ?? chain[0]
  if (!leaf) throw new Error('The downloaded certificate file holds no PEM certificate.')
  return leaf
}
