// A practice's own CA and server certificate, made the way an IT provider would, for the
// tests of importing a practice certificate in FHIR Setup.
import { webcrypto } from 'node:crypto';
import { x509 } from '../../server/src/tls/x509.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface PracticeCa {
  certPem: string;
  keys: webcrypto.CryptoKeyPair;
  certificate: x509.X509Certificate;
}

export interface PracticeLeaf {
  certPem: string;
  keyPem: string;
}

export interface LeafOptions {
  hosts?: { dns?: string[]; ip?: string[] };
  notBefore?: Date;
  notAfter?: Date;
  /** The extended key usages; undefined leaves the extension out. */
  extendedKeyUsage?: string[] | undefined;
  commonName?: string;
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  return `${x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY')}\n`;
}

export async function createPracticeCa(name = 'Sunrise Clinic IT Root CA'): Promise<PracticeCa> {
  const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`,
    keys,
    signingAlgorithm: SIGNING,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { certPem: `${certificate.toString('pem')}\n`, keys, certificate };
}

/** A server certificate for `hosts` (default localhost and 127.0.0.1), signed by `ca`. */
export async function issuePracticeLeaf(ca: PracticeCa, options: LeafOptions = {}): Promise<PracticeLeaf> {
  const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const now = Date.now();
  const hosts = options.hosts ?? { dns: ['localhost'], ip: ['127.0.0.1'] };
  const extendedKeyUsage = 'extendedKeyUsage' in options ? options.extendedKeyUsage : [x509.ExtendedKeyUsage.serverAuth];
  const certificate = await x509.X509CertificateGenerator.create({
    subject: `CN=${options.commonName ?? 'ehr.sunrise-clinic.example'}, O=Sunrise Clinic`,
    issuer: ca.certificate.subject,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: SIGNING,
    notBefore: options.notBefore ?? new Date(now - DAY_MS),
    notAfter: options.notAfter ?? new Date(now + 90 * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ...(extendedKeyUsage === undefined ? [] : [new x509.ExtendedKeyUsageExtension(extendedKeyUsage)]),
      new x509.SubjectAlternativeNameExtension([
        ...(hosts.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
        ...(hosts.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
      ]),
    ],
  });
  return { certPem: `${certificate.toString('pem')}\n`, keyPem: await privateKeyPem(keys.privateKey) };
}
