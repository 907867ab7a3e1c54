import { join } from 'node:path';
import type { LocalCa } from './ca.js';
import type { CertifiedKey, StoredPair } from './certificate.js';
import { rm } from 'node:fs/promises';
import { OWNER_ONLY_FILE, PUBLIC_FILE, readTextIfPresent, restrictToOwner, writeFileAtomic } from './files.js';
import { practiceChainPem, type PracticeCertificate } from './practice.js';

/** Layout of `<data-dir>/tls`. */
export const TLS_FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  leafCert: 'server.crt',
  leafKey: 'server.key',
  /** An imported practice certificate: the leaf then its issuers, and the leaf's key. */
  practiceCert: 'practice.crt',
  practiceKey: 'practice.key',
  /** Which certificate to serve; absent means the local CA's leaf. */
  source: 'source.json',
} as const;

/** Where the served certificate comes from. */
export type TlsSource = 'local-ca' | 'practice';

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

/** The source an administrator chose; a missing or unreadable choice means the local CA. */
export async function readChosenSource(dir: string): Promise<{ source: TlsSource; problem?: string }> {
  const text = await readTextIfPresent(join(dir, TLS_FILES.source));
  if (text === undefined) {
    return { source: 'local-ca' };
  }
  try {
    const { source } = JSON.parse(text) as { source?: unknown };
    if (source === 'practice' || source === 'local-ca') {
      return { source };
    }
  } catch {
    // reported below
  }
  return { source: 'local-ca', problem: `${TLS_FILES.source} is not readable` };
}

export function readPracticePair(dir: string): Promise<StoredPair> {
  return readPair(dir, TLS_FILES.practiceCert, TLS_FILES.practiceKey);
}

/** Stores the practice certificate, then records the choice: a crash in between keeps the old choice. */
export async function savePracticeCertificate(dir: string, practice: PracticeCertificate): Promise<void> {
  await writeFileAtomic(join(dir, TLS_FILES.practiceKey), practice.keyPem, OWNER_ONLY_FILE);
  await writeFileAtomic(join(dir, TLS_FILES.practiceCert), practiceChainPem(practice), PUBLIC_FILE);
  await writeFileAtomic(join(dir, TLS_FILES.source), `${JSON.stringify({ source: 'practice' })}\n`, PUBLIC_FILE);
}

/** Goes back to the local CA: the choice first, then the practice files (no private key left behind). */
export async function removePracticeCertificate(dir: string): Promise<void> {
  await rm(join(dir, TLS_FILES.source), { force: true });
  await rm(join(dir, TLS_FILES.practiceCert), { force: true });
  await rm(join(dir, TLS_FILES.practiceKey), { force: true });
}
