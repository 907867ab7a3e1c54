import { createPrivateKey, type KeyObject } from 'node:crypto';
import { parseCertificate, type Checked, type ParsedCertificate } from './certificate.js';
import { x509 } from './x509.js';

/**
 * A server certificate the practice obtained elsewhere (its IT provider, a public CA), served
 * instead of the local CA's leaf.
 */
export interface PracticeCertificate {
  leaf: ParsedCertificate;
  /** The issuers sent after the leaf, in order; may be empty. */
  intermediates: ParsedCertificate[];
  /** The leaf's private key, re-encoded as unencrypted PKCS#8 PEM. */
  keyPem: string;
}

/** Leaf then intermediates, the form https.createServer({ cert }) serves. */
export function practiceChainPem(practice: PracticeCertificate): string {
  return [practice.leaf, ...practice.intermediates].map((certificate) => certificate.pem).join('');
}

/**
 * Checks that `certificatePem` (the leaf, optionally followed by its issuers) and
 * `privateKeyPem` can serve HTTPS now: both parse, the key is the leaf's, every certificate is
 * within its validity period, each one is issued by the next, and the leaf is a server
 * certificate. The problem is worded for the person who pasted the files.
 */
export function checkPracticeCertificate(certificatePem: string, privateKeyPem: string, now: Date): Checked<PracticeCertificate> {
  const certificates = parseCertificates(certificatePem);
  if (!certificates.ok) {
    return certificates;
  }
  const [leaf, ...intermediates] = certificates.value;
  if (leaf === undefined) {
    return { ok: false, problem: 'the certificate field holds no PEM certificate (-----BEGIN CERTIFICATE-----)' };
  }
  const key = readPrivateKey(privateKeyPem);
  if (!key.ok) {
    return key;
  }
  if (!leaf.node.checkPrivateKey(key.value)) {
    return { ok: false, problem: 'the private key does not belong to the certificate' };
  }
  const problem =
    leafProblem(leaf) ??
    certificates.value.map((certificate) => validityProblem(certificate, now)).find((found) => found !== undefined) ??
    chainProblem(certificates.value);
  if (problem !== undefined) {
    return { ok: false, problem };
  }
  return { ok: true, value: { leaf, intermediates, keyPem: key.value.export({ type: 'pkcs8', format: 'pem' }) as string } };
}

function parseCertificates(pem: string): Checked<ParsedCertificate[]> {
  let blocks: x509.PemStruct[];
  try {
    blocks = x509.PemConverter.decodeWithHeaders(pem);
  } catch {
    return { ok: false, problem: 'the certificate is not in PEM form' };
  }
  const parsed: ParsedCertificate[] = [];
  for (const [index, block] of blocks.entries()) {
    if (block.type !== x509.PemConverter.CertificateTag) {
      return { ok: false, problem: `the certificate field holds a ${block.type} block; only certificates belong there` };
    }
    try {
      parsed.push(parseCertificate(x509.PemConverter.encode(block.rawData, block.type)));
    } catch {
      return { ok: false, problem: `certificate ${index + 1} in the certificate field cannot be read` };
    }
  }
  return { ok: true, value: parsed };
}

function readPrivateKey(pem: string): Checked<KeyObject> {
  try {
    return { ok: true, value: createPrivateKey({ key: pem, format: 'pem' }) };
  } catch {
    return { ok: false, problem: 'the private key is not a readable, unencrypted PEM private key' };
  }
}

function leafProblem(leaf: ParsedCertificate): string | undefined {
  if (leaf.node.ca) {
    return 'the first certificate is a CA certificate; put the server certificate first, then its issuers';
  }
  const extendedUsage = leaf.decoded.getExtension(x509.ExtendedKeyUsageExtension);
  if (extendedUsage !== null && !extendedUsage.usages.includes(x509.ExtendedKeyUsage.serverAuth)) {
    return 'the certificate is not for TLS servers (its extended key usage lacks serverAuth)';
  }
  if (leaf.san.dnsNames.length + leaf.san.ipAddresses.length === 0) {
    return 'the certificate names no host in its subject alternative names, so browsers would refuse it';
  }
  return undefined;
}

function validityProblem(certificate: ParsedCertificate, now: Date): string | undefined {
  const { subject, notBefore, notAfter } = certificate.decoded;
  if (notAfter <= now) {
    return `the certificate ${subject} expired on ${notAfter.toISOString()}`;
  }
  if (notBefore > now) {
    return `the certificate ${subject} is not valid before ${notBefore.toISOString()}`;
  }
  return undefined;
}

function chainProblem(certificates: ParsedCertificate[]): string | undefined {
  for (let index = 0; index + 1 < certificates.length; index++) {
    const issued = certificates[index]!.node;
    const issuer = certificates[index + 1]!.node;
    if (!issued.checkIssued(issuer) || !issued.verify(issuer.publicKey)) {
      return `certificate ${index + 2} did not issue certificate ${index + 1}; give the server certificate first, then each issuer in order`;
    }
  }
  return undefined;
}
