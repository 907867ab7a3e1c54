import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPracticeCa, issuePracticeLeaf, type PracticeCa, type PracticeLeaf } from '../../../test/helpers/practice-certificate.js';
import { checkPracticeCertificate, ensureTlsMaterial, removePracticeCertificate, savePracticeCertificate, type TlsOptions } from './index.js';
import { x509 } from './x509.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOSTS = ['localhost', '127.0.0.1'];

let ca: PracticeCa;
let leaf: PracticeLeaf;
let root: string;
let dir: string;
let warnings: string[];

beforeAll(async () => {
  ca = await createPracticeCa();
  leaf = await issuePracticeLeaf(ca);
});

beforeEach(async () => {
  root = await mkdtemp(join(os.tmpdir(), 'inpracsys-practice-'));
  dir = join(root, 'tls');
  warnings = [];
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function options(hosts = HOSTS): TlsOptions {
  return { dir, hosts, log: { info: () => undefined, warn: (obj, msg) => warnings.push(`${msg ?? ''} ${JSON.stringify(obj)}`) } };
}

function imported(certificatePem = leaf.certPem + ca.certPem, keyPem = leaf.keyPem) {
  const checked = checkPracticeCertificate(certificatePem, keyPem, new Date());
  if (!checked.ok) throw new Error(checked.problem);
  return checked.value;
}

describe('checkPracticeCertificate refuses what cannot serve HTTPS', () => {
  it.each<[string, () => Promise<[string, string]> | [string, string], RegExp]>([
    ['an empty certificate field', () => ['', leaf.keyPem], /holds no PEM certificate|not in PEM form/],
    ['a certificate request instead of a certificate', () => ['-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n', leaf.keyPem], /CERTIFICATE REQUEST block/],
    ['a truncated certificate', () => [leaf.certPem.replace(/\n[^\n]+\n-----END/, '\n-----END'), leaf.keyPem], /cannot be read/],
    ['an encrypted or unreadable key', () => [leaf.certPem, '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n'], /not a readable, unencrypted/],
    ['another certificate’s key', async () => [leaf.certPem, (await issuePracticeLeaf(ca)).keyPem], /does not belong/],
    ['an expired certificate', async () => {
      const old = await issuePracticeLeaf(ca, { notBefore: new Date(Date.now() - 30 * DAY_MS), notAfter: new Date(Date.now() - 60_000) });
      return [old.certPem, old.keyPem];
    }, /expired on/],
    ['a certificate only for TLS clients', async () => {
      const client = await issuePracticeLeaf(ca, { extendedKeyUsage: [x509.ExtendedKeyUsage.clientAuth] });
      return [client.certPem, client.keyPem];
    }, /lacks serverAuth/],
    ['a certificate that names no host', async () => {
      const nameless = await issuePracticeLeaf(ca, { hosts: {} });
      return [nameless.certPem, nameless.keyPem];
    }, /names no host/],
    ['issuers given in the wrong order', async () => {
      const other = await createPracticeCa('Unrelated CA');
      return [leaf.certPem + other.certPem, leaf.keyPem];
    }, /did not issue certificate 1/],
  ])('refuses %s', async (_name, input, problem) => {
    const [certificatePem, keyPem] = await input();
    const checked = checkPracticeCertificate(certificatePem, keyPem, new Date());
    expect(checked.ok).toBe(false);
    expect(checked.ok ? '' : checked.problem).toMatch(problem);
  });

  it('accepts a certificate without an extended key usage, and re-encodes the key as PKCS#8', async () => {
    const plain = await issuePracticeLeaf(ca, { extendedKeyUsage: undefined });
    const checked = checkPracticeCertificate(plain.certPem, plain.keyPem, new Date());
    expect(checked.ok && checked.value.keyPem.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
  });
});

describe('ensureTlsMaterial with a practice certificate', () => {
  it('serves the imported certificate and its chain, keeping the local CA for /ca.crt', async () => {
    const local = await ensureTlsMaterial(options());
    await savePracticeCertificate(dir, imported());
    const material = await ensureTlsMaterial(options());
    expect(material.source).toBe('practice');
    expect(material.certPem).toBe(leaf.certPem);
    expect(material.certChainPem).toBe(leaf.certPem + ca.certPem);
    expect(material.leafFingerprint256).toBe(new X509Certificate(leaf.certPem).fingerprint256);
    expect(material.caFingerprint256).toBe(local.caFingerprint256);
    expect(material.leafIssuer).toBe('CN=Sunrise Clinic IT Root CA');
  });

  it('keeps the practice certificate when the hosts change, re-issuing only the local leaf beside it', async () => {
    const local = await ensureTlsMaterial(options());
    await savePracticeCertificate(dir, imported());
    const material = await ensureTlsMaterial(options([...HOSTS, 'ehr.elsewhere.example']));
    expect(material.certPem).toBe(leaf.certPem);
    expect(await readFile(join(dir, 'practice.key'), 'utf8')).toBe(imported().keyPem);
    expect(await readFile(join(dir, 'server.crt'), 'utf8')).not.toBe(local.certPem);
  });

  it.each([
    ['the practice key is missing', () => rm(join(dir, 'practice.key')), /practice\.key is missing/],
    ['the practice certificate is damaged', () => writeFile(join(dir, 'practice.crt'), 'damaged'), /holds no PEM certificate|not in PEM form/],
    ['the choice of source is unreadable', () => writeFile(join(dir, 'source.json'), '{'), /source\.json is not readable/],
  ])('falls back to the local CA with a warning when %s', async (_name, damage, problem) => {
    const local = await ensureTlsMaterial(options());
    await savePracticeCertificate(dir, imported());
    await damage();
    const material = await ensureTlsMaterial(options());
    expect(material.source).toBe('local-ca');
    expect(material.certPem).toBe(local.certPem);
    expect(material.practiceProblem).toMatch(problem);
    expect(warnings.join('\n')).toMatch(/the local CA's certificate is served instead/);
  });

  it('serves the local CA leaf again once the practice certificate is removed', async () => {
    const local = await ensureTlsMaterial(options());
    await savePracticeCertificate(dir, imported());
    await removePracticeCertificate(dir);
    const material = await ensureTlsMaterial(options());
    expect(material).toMatchObject({ source: 'local-ca', certPem: local.certPem });
    expect(material.practiceProblem).toBeUndefined();
  });
});
