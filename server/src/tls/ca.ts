import type { webcrypto } from 'node:crypto';
import { checkStoredPair, parseCertificate, type CertifiedKey, type Checked, type StoredPair } from './certificate.js';
import { exportPrivateKeyPem, generateEcKeyPair, importSigningKeyPem, SIGNING_ALGORITHM } from './keys.js';
import { CA_LIFETIME_DAYS, expiresWithinRenewalMargin, validityPeriod } from './validity.js';
import { x509 } from './x509.js';

/** The practice's own root CA: other machines in the office trust it once. */
export interface LocalCa extends CertifiedKey {
  signingKey: webcrypto.CryptoKey;
}

export async function createLocalCa(hostname: string, now: Date): Promise<LocalCa> {
  const keys = await generateEcKeyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    // JSON form, so a host name with ',' or '=' needs no DN escaping.
    name: [{ CN: [`InPracSys EHR Local CA ${hostname}`] }],
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    ...validityPeriod(now, CA_LIFETIME_DAYS),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true), // signs leaf certificates only
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certificate: parseCertificate(certificate.toString('pem')),
    keyPem: await exportPrivateKeyPem(keys.privateKey),
    signingKey: keys.privateKey,
  };
}

/** A stored CA we can keep issuing from, or why it must be replaced. */
export async function loadLocalCa(stored: StoredPair, now: Date): Promise<Checked<LocalCa>> {
  const pair = checkStoredPair(stored);
  if (!pair.ok) {
    return pair;
  }
  const { certificate, keyPem } = pair.value;
  if (!certificate.node.ca) {
    return { ok: false, problem: `${stored.certFile} is not a CA certificate` };
  }
  if (expiresWithinRenewalMargin(certificate.decoded.notAfter, now)) {
    return { ok: false, problem: `${stored.certFile} expires on ${certificate.decoded.notAfter.toISOString()}` };
  }
  let signingKey: webcrypto.CryptoKey;
  try {
    signingKey = await importSigningKeyPem(keyPem);
  } catch {
    return { ok: false, problem: `${stored.keyFile} is not an ECDSA P-256 key` };
  }
  return { ok: true, value: { certificate, keyPem, signingKey } };
}
