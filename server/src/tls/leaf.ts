import type { LocalCa } from './ca.js';
import { parseCertificate, type CertifiedKey } from './certificate.js';
import { missingHosts, type SanEntries } from './hosts.js';
import { exportPrivateKeyPem, generateEcKeyPair, SIGNING_ALGORITHM } from './keys.js';
import { expiresWithinRenewalMargin, LEAF_LIFETIME_DAYS, validityPeriod } from './validity.js';
import { x509 } from './x509.js';

/** Issues the HTTPS server certificate for `san`, signed by the local CA. */
export async function issueLeaf(ca: LocalCa, san: SanEntries, now: Date): Promise<CertifiedKey> {
  const keys = await generateEcKeyPair();
  const period = validityPeriod(now, LEAF_LIFETIME_DAYS);
  const caNotAfter = ca.certificate.decoded.notAfter;
  const certificate = await x509.X509CertificateGenerator.create({
    subject: [{ CN: ['InPracSys EHR Server'] }],
    // The CA's encoded name as is, so issuer and subject compare byte for byte.
    issuer: ca.certificate.decoded.subjectName,
    publicKey: keys.publicKey,
    signingKey: ca.signingKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    notBefore: period.notBefore,
    // Never outlive the CA: chains with an expired root fail.
    notAfter: period.notAfter < caNotAfter ? period.notAfter : caNotAfter,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...san.dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ...san.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await authorityKeyIdentifier(ca),
    ],
  });
  return {
    certificate: parseCertificate(certificate.toString('pem')),
    keyPem: await exportPrivateKeyPem(keys.privateKey),
  };
}

/** Why a stored, well-formed leaf must be re-issued, or undefined when it can stay. */
export function leafRenewalReason(
  leaf: CertifiedKey,
  ca: LocalCa,
  requested: SanEntries,
  now: Date,
): string | undefined {
  const { node, decoded, san } = leaf.certificate;
  if (!node.checkIssued(ca.certificate.node) || !node.verify(ca.certificate.node.publicKey)) {
    return 'it is not signed by the current local CA';
  }
  if (expiresWithinRenewalMargin(decoded.notAfter, now)) {
    return `it expires on ${decoded.notAfter.toISOString()}`;
  }
  if (decoded.notBefore > now) {
    return `it is not valid before ${decoded.notBefore.toISOString()} (was the clock moved back?)`;
  }
  const missing = missingHosts(requested, san);
  if (missing.length > 0) {
    return `it does not cover ${missing.join(', ')}`;
  }
  return undefined;
}

// RFC 5280: the key identifier is the issuer's subjectKeyIdentifier, whatever method made it.
async function authorityKeyIdentifier(ca: LocalCa): Promise<x509.AuthorityKeyIdentifierExtension> {
  const caKeyId = ca.certificate.decoded.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  return caKeyId !== undefined
    ? new x509.AuthorityKeyIdentifierExtension(caKeyId)
    : x509.AuthorityKeyIdentifierExtension.create(ca.certificate.decoded.publicKey);
}
