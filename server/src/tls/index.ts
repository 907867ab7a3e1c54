import os from 'node:os';
import { createLocalCa, loadLocalCa, type LocalCa } from './ca.js';
import { checkStoredPair, type CertifiedKey } from './certificate.js';
import { ensurePrivateDir } from './files.js';
import { fingerprint256 } from './fingerprint.js';
import { splitHosts, type SanEntries } from './hosts.js';
import { issueLeaf, leafRenewalReason } from './leaf.js';
import { readStoredTls, saveCa, saveLeaf, type StoredTls } from './store.js';

export { defaultTlsHosts } from './hosts.js';
export { electronFingerprint, fingerprint256 } from './fingerprint.js';

export interface TlsMaterial {
  caPem: string;
  /** The leaf alone; serve `certChainPem`. */
  certPem: string;
  /** Leaf then CA, for https.createServer({ cert }). */
  certChainPem: string;
  /** Leaf private key, PKCS#8 PEM. */
  keyPem: string;
  caFingerprint256: string;
  leafFingerprint256: string;
  leafSans: string[];
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
 * retries, so a broken disk throws instead of looping.
 */
export async function ensureTlsMaterial(opts: TlsOptions): Promise<TlsMaterial> {
  const { dir, log } = opts;
  const now = opts.now ?? new Date();
  const requested = requestedSan(opts.hosts, log);

  await ensurePrivateDir(dir);
  const stored = await readStoredTls(dir);
  const { ca, created } = await ensureCa(dir, stored, now, log);
  const leaf = await ensureLeaf(dir, stored, ca, created, requested, now, log);
  return describe(ca, leaf);
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

function describe(ca: LocalCa, leaf: CertifiedKey): TlsMaterial {
  const { san } = leaf.certificate;
  return {
    caPem: ca.certificate.pem,
    certPem: leaf.certificate.pem,
    certChainPem: leaf.certificate.pem + ca.certificate.pem,
    keyPem: leaf.keyPem,
    caFingerprint256: fingerprint256(ca.certificate.pem),
    leafFingerprint256: fingerprint256(leaf.certificate.pem),
    leafSans: [...san.dnsNames, ...san.ipAddresses],
    leafNotAfter: leaf.certificate.decoded.notAfter,
  };
}
