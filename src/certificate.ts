// The facts signing steps need from an issued chain, read with Node's own X.509 parser.
import { X509Certificate } from 'node:crypto'

export interface IssuedCertificate {
  /** Upper-case hex, as Windows shows it. */
  serial: string
  /** SHA-1 of the leaf's DER, upper-case hex: what `signtool /sha1` and `smctl --fingerprint` take. */
  thumbprint: string
  /** YYYY-MM-DD (UTC). */
  validTill: string
  subject: string
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/**
 * Reads the leaf: CertCentral's pem_all lists it first, but the one certificate that is not a CA
 * is taken wherever it stands.
 */
export function readLeaf(chainPem: string): IssuedCertificate {
  const chain = (chainPem.match(PEM_BLOCK) ?? []).map(pem => new X509Certificate(pem))
  const leaf = chain.find(certificate => !certificate.ca) ?? chain[0]
  if (!leaf) throw new Error('The downloaded certificate file holds no PEM certificate.')
  return {
    serial: leaf.serialNumber.toUpperCase(),
    thumbprint: leaf.fingerprint.replaceAll(':', '').toUpperCase(),
    validTill: new Date(leaf.validTo).toISOString().slice(0, 10),
    subject: leaf.subject.replaceAll('\n', ', ')
  }
}
