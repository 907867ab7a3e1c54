import { join } from 'node:path';
import type { LocalCa } from './ca.js';
import type { CertifiedKey, StoredPair } from './certificate.js';
import { OWNER_ONLY_FILE, PUBLIC_FILE, readTextIfPresent, restrictToOwner, writeFileAtomic } from './files.js';

/** Layout of `<data-dir>/tls`. */
export const TLS_FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  leafCert: 'server.crt',
  leafKey: 'server.key',
} as const;

export interface StoredTls {
  ca: StoredPair;
  leaf: StoredPair;
  /** True when none of the four files exists: a first run, not a damaged directory. */
  empty: boolean;
}

export async function readStoredTls(dir: string): Promise<StoredTls> {
  const ca = await readPair(dir, TLS_FILES.caCert, TLS_FILES.caKey);
  const leaf = await readPair(dir, TLS_FILES.leafCert, TLS_FILES.leafKey);
  const empty = [ca.certPem, ca.keyPem, leaf.certPem, leaf.keyPem].every((text) => text === undefined);
  return { ca, leaf, empty };
}

export function saveCa(dir: string, ca: LocalCa): Promise<void> {
  return savePair(dir, TLS_FILES.caCert, TLS_FILES.caKey, ca);
}

export function saveLeaf(dir: string, leaf: CertifiedKey): Promise<void> {
  return savePair(dir, TLS_FILES.leafCert, TLS_FILES.leafKey, leaf);
}

async function readPair(dir: string, certFile: string, keyFile: string): Promise<StoredPair> {
  const keyPath = join(dir, keyFile);
  const keyPem = await readTextIfPresent(keyPath);
  if (keyPem !== undefined) {
    await restrictToOwner(keyPath);
  }
  return { certFile, certPem: await readTextIfPresent(join(dir, certFile)), keyFile, keyPem };
}

// Key first: a crash between the two writes leaves a key that does not match the old
// certificate, which the next start detects and repairs.
async function savePair(dir: string, certFile: string, keyFile: string, pair: CertifiedKey): Promise<void> {
  await writeFileAtomic(join(dir, keyFile), pair.keyPem, OWNER_ONLY_FILE);
  await writeFileAtomic(join(dir, certFile), pair.certificate.pem, PUBLIC_FILE);
}
