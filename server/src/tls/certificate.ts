import { createPrivateKey, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { canonicalHost, type SanEntries } from './hosts.js';
import { x509 } from './x509.js';

export interface ParsedCertificate {
  /** This certificate alone, re-encoded, ending with a newline. */
  pem: string;
  /** Node's (OpenSSL's) view: issuer, signature and key-pair checks. */
  node: NodeX509Certificate;
  /** @peculiar/x509's view: fields and extensions. */
  decoded: x509.X509Certificate;
  san: SanEntries;
}

/** A certificate together with the private key that belongs to it. */
export interface CertifiedKey {
  certificate: ParsedCertificate;
  keyPem: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

export interface StoredPair {
  certFile: string;
  certPem: string | undefined;
  keyFile: string;
  keyPem: string | undefined;
}

/** Throws when `pem` does not start with a parseable certificate. */
export function parseCertificate(pem: string): ParsedCertificate {
  const node = new NodeX509Certificate(pem);
  const decoded = new x509.X509Certificate(node.raw);
  return { pem: withNewline(decoded.toString('pem')), node, decoded, san: subjectAltNames(decoded) };
}

/** Checks that a stored certificate parses and its key is the one it certifies. */
export function checkStoredPair(stored: StoredPair): Checked<CertifiedKey> {
  const { certFile, certPem, keyFile, keyPem } = stored;
  if (certPem === undefined) {
    return { ok: false, problem: `${certFile} is missing` };
  }
  if (keyPem === undefined) {
    return { ok: false, problem: `${keyFile} is missing` };
  }
  let certificate: ParsedCertificate;
  try {
    certificate = parseCertificate(certPem);
  } catch {
    return { ok: false, problem: `${certFile} is not a readable certificate` };
  }
  let keyMatches: boolean;
  try {
    keyMatches = certificate.node.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return { ok: false, problem: `${keyFile} is not a readable private key` };
  }
  if (!keyMatches) {
    return { ok: false, problem: `${keyFile} does not belong to ${certFile}` };
  }
  return { ok: true, value: { certificate, keyPem } };
}

export function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function subjectAltNames(certificate: x509.X509Certificate): SanEntries {
  const names = certificate.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON() ?? [];
  const san: SanEntries = { dnsNames: [], ipAddresses: [] };
  for (const name of names) {
    const canonical = name.type === 'dns' || name.type === 'ip' ? canonicalHost(name.value) : undefined;
    if (canonical?.kind === 'dns') {
      san.dnsNames.push(canonical.value);
    } else if (canonical?.kind === 'ip') {
      san.ipAddresses.push(canonical.value);
    }
  }
  return san;
}
