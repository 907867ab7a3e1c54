import os from 'node:os';
import path from 'node:path';
import { createLocalCa, loadLocalCa, type LocalCa } from './ca.js';
import { checkStoredPair, type CertifiedKey, type ParsedCertificate } from './certificate.js';
import { ensurePrivateDir } from './files.js';
import { fingerprint256 } from './fingerprint.js';
import { splitHosts, type SanEntries } from './hosts.js';
import { issueLeaf, leafRenewalReason } from './leaf.js';
import { checkPracticeCertificate, practiceChainPem, type PracticeCertificate } from './practice.js';
import { readChosenSource, readPracticePair, readStoredTls, saveCa, saveLeaf, type StoredTls, type TlsSource } from './store.js';
import { expiresWithinRenewalMargin } from './validity.js';

export { defaultTlsHosts } from './hosts.js';
export { electronFingerprint, fingerprint256 } from './fingerprint.js';
export { checkPracticeCertificate, type PracticeCertificate } from './practice.js';
export { removePracticeCertificate, savePracticeCertificate, type TlsSource } from './store.js';

/** `<data-dir>/tls`, where the CA, the server certificate and an imported practice certificate live. */
export function tlsDir(dataDir: string): string {
  return path.join(dataDir, 'tls');
}

export interface TlsMaterial {
  /** What is served: the local CA's leaf, or a certificate the practice imported. */
  source: TlsSource;
  /** Why an imported practice certificate is not served although it was chosen; absent otherwise. */
  practiceProblem?: string;
  /** The local CA, whichever certificate is served (GET /ca.crt, the banner). */
  caPem: string;
  /** The leaf alone; serve `certChainPem`. */
  certPem: string;
  /** The leaf then its issuers (the local CA, or the practice certificate's chain), for https.createServer({ cert }). */
  certChainPem: string;
  /** Leaf private key, PKCS#8 PEM. */
  keyPem: string;
  caFingerprint256: string;
  leafFingerprint256: string;
  leafSans: string[];
  leafSubject: string;
  leafIssuer: string;
  leafNotBefore: Date;
  leafNotAfter: Date;
}

export interface TlsLog {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
}

export interface TlsOptions {
  /** `<data-dir>/tls` */
  dir: string;
  /** DNS names and IP addresses the leaf must cover; see defaultTlsHosts. */
  hosts: string[];
  log: TlsLog;
  now?: Date;
}

/**
 * Loads the local CA and server certificate from `dir`, creating or repairing whatever is
 * missing, damaged, expiring or no longer covers `hosts`. Each start decides once; it never
 * retries, so a broken disk throws instead of looping. When an administrator imported a
 * practice certificate, that one is served instead (the local CA's leaf is still kept current,
 * so going back is immediate); if it has become unusable, the local CA's leaf is served.
 */
export async function ensureTlsMaterial(opts: TlsOptions): Promise<TlsMaterial> {
  const { dir, log } = opts;
  const now = opts.now ?? new Date();
  const requested = requestedSan(opts.hosts, log);

  await ensurePrivateDir(dir);
  const stored = await readStoredTls(dir);
  const { ca, created } = await ensureCa(dir, stored, now, log);
  const leaf = await ensureLeaf(dir, stored, ca, created, requested, now, log);
  const local = describe(ca, leaf);
  const practice = await loadChosenPractice(dir, now, log);
  if (practice.certificate !== undefined) {
    return servePractice(local, practice.certificate);
  }
  return practice.problem === undefined ? local : { ...local, practiceProblem: practice.problem };
}

function requestedSan(hosts: readonly string[], log: TlsLog): SanEntries {
  const { dnsNames, ipAddresses, rejected } = splitHosts(hosts);
  if (rejected.length > 0) {
    log.warn({ rejected }, 'TLS: left out host names that cannot go into a certificate');
  }
  if (dnsNames.length + ipAddresses.length === 0) {
    throw new TypeError('TLS: hosts must name at least one DNS name or IP address');
  }
  return { dnsNames, ipAddresses };
}

async function ensureCa(
  dir: string,
  stored: StoredTls,
  now: Date,
  log: TlsLog,
): Promise<{ ca: LocalCa; created: boolean }> {
  const loaded = await loadLocalCa(stored.ca, now);
  if (loaded.ok) {
    return { ca: loaded.value, created: false };
  }
  const ca = await createLocalCa(os.hostname(), now);
  await saveCa(dir, ca);
  const caFingerprint256 = fingerprint256(ca.certificate.pem);
  if (stored.empty) {
    log.info({ dir, caFingerprint256 }, 'TLS: created the local CA');
  } else {
    log.warn(
      { reason: loaded.problem, caFingerprint256 },
      'TLS: the local CA was unusable, so a new one was created; other machines must trust the new CA (check its fingerprint)',
    );
  }
  return { ca, created: true };
}

async function ensureLeaf(
  dir: string,
  stored: StoredTls,
  ca: LocalCa,
  caCreated: boolean,
  requested: SanEntries,
  now: Date,
  log: TlsLog,
): Promise<CertifiedKey> {
  const loaded = checkStoredPair(stored.leaf);
  if (caCreated) {
    log.info('TLS: issuing a server certificate from the new local CA');
  } else if (!loaded.ok) {
    log.warn({ reason: loaded.problem }, 'TLS: the server certificate was unusable, so it is being re-issued');
  } else {
    const reason = leafRenewalReason(loaded.value, ca, requested, now);
    if (reason === undefined) {
      return loaded.value;
    }
    log.info({ reason }, `TLS: re-issuing the server certificate because ${reason}`);
  }
  const leaf = await issueLeaf(ca, requested, now);
  await saveLeaf(dir, leaf);
  return leaf;
}

/** The practice certificate when one was chosen and is still usable, or why it is not. */
async function loadChosenPractice(
  dir: string,
  now: Date,
  log: TlsLog,
): Promise<{ certificate?: PracticeCertificate; problem?: string }> {
  const chosen = await readChosenSource(dir);
  let problem = chosen.problem;
  if (problem === undefined && chosen.source === 'local-ca') {
    return {};
  }
  if (problem === undefined) {
    const { certFile, certPem, keyFile, keyPem } = await readPracticePair(dir);
    if (certPem === undefined || keyPem === undefined) {
      problem = `${certPem === undefined ? certFile : keyFile} is missing`;
    } else {
      const checked = checkPracticeCertificate(certPem, keyPem, now);
      if (checked.ok) {
        logPracticeServed(checked.value, now, log);
        return { certificate: checked.value };
      }
      problem = checked.problem;
    }
  }
  log.warn(
    { reason: problem },
    'TLS: the imported practice certificate cannot be served, so the local CA\'s certificate is served instead; import it again or return to the local CA in FHIR Setup',
  );
  return { problem };
}

function logPracticeServed(practice: PracticeCertificate, now: Date, log: TlsLog): void {
  const { subject, notAfter } = practice.leaf.decoded;
  log.info({ subject, leafFingerprint256: fingerprint256(practice.leaf.pem) }, 'TLS: serving the imported practice certificate');
  if (expiresWithinRenewalMargin(notAfter, now)) {
    log.warn({ notAfter: notAfter.toISOString() }, 'TLS: the practice certificate expires soon; import its renewal in FHIR Setup');
  }
}

function describe(ca: LocalCa, leaf: CertifiedKey): TlsMaterial {
  return {
    ...describeLeaf(leaf.certificate),
    source: 'local-ca',
    caPem: ca.certificate.pem,
    certChainPem: leaf.certificate.pem + ca.certificate.pem,
    keyPem: leaf.keyPem,
    caFingerprint256: fingerprint256(ca.certificate.pem),
  };
}

function servePractice(local: TlsMaterial, practice: PracticeCertificate): TlsMaterial {
  return {
    ...describeLeaf(practice.leaf),
    source: 'practice',
    caPem: local.caPem,
    certChainPem: practiceChainPem(practice),
    keyPem: practice.keyPem,
    caFingerprint256: local.caFingerprint256,
  };
}

function describeLeaf(certificate: ParsedCertificate) {
  const { san, decoded } = certificate;
  return {
    certPem: certificate.pem,
    leafFingerprint256: fingerprint256(certificate.pem),
    leafSans: [...san.dnsNames, ...san.ipAddresses],
    leafSubject: decoded.subject,
    leafIssuer: decoded.issuer,
    leafNotBefore: decoded.notBefore,
    leafNotAfter: decoded.notAfter,
  };
}
