// FHIR Setup's practice certificate: an administrator imports a certificate and key the practice
// got elsewhere, the running server presents it at once and after a restart, and can go back
// to its local CA. Everything goes over real TLS connections to the real server.
import { X509Certificate } from 'node:crypto';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/server.js';
import { x509 } from '../../server/src/tls/x509.js';
import { createPracticeCa, issuePracticeLeaf, type PracticeCa, type PracticeLeaf } from '../helpers/practice-certificate.js';
import { AdminSession, removeDir, request, startTestServer, tempDataDir, type HttpResult } from '../helpers/server.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const POSIX = process.platform !== 'win32';

interface TlsView {
  source: 'local-ca' | 'practice';
  practiceProblem?: string;
  subject: string;
  issuer: string;
  sans: string[];
  notBefore: string;
  notAfter: string;
  leafFingerprint256: string;
  coversSiteAddress: boolean;
}

let dataDir: string;
let server: RunningServer;
let practiceCa: PracticeCa;
let practiceLeaf: PracticeLeaf;
let localLeafFingerprint: string;
/** The CAs a client of this server trusts: the local one and the practice's. */
let trusted: string[];

/** The SHA-256 fingerprint of the certificate the server presents on a new TLS connection. */
function presentedFingerprint(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: server.port, servername: 'localhost', rejectUnauthorized: false }, () => {
      const { fingerprint256 } = socket.getPeerCertificate();
      socket.end();
      resolve(fingerprint256);
    });
    socket.on('error', reject);
  });
}

/** An admin API call over a fresh connection that verifies the server against the trusted CAs. */
function call(session: { cookie: string; csrfToken: string }, method: string, pathname: string, body?: object): Promise<HttpResult> {
  return request(server, pathname, { method, body, ca: trusted, agent: false, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken } });
}

let admin: AdminSession;

function importCertificate(certificatePem: string, privateKeyPem: string): Promise<HttpResult> {
  return call(admin, 'PUT', '/admin/api/tls/practice-certificate', { certificatePem, privateKeyPem });
}

function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

beforeAll(async () => {
  dataDir = await tempDataDir();
  server = await startTestServer(dataDir);
  admin = await AdminSession.login(server);
  practiceCa = await createPracticeCa();
  practiceLeaf = await issuePracticeLeaf(practiceCa);
  trusted = [server.tls.caPem, practiceCa.certPem];
  localLeafFingerprint = fingerprintOf(server.tls.certPem);
});

afterAll(async () => {
  await server?.close();
  if (dataDir) await removeDir(dataDir);
});

describe('importing a practice certificate', () => {
  it('serves the local CA leaf at first and says so', async () => {
    expect(await presentedFingerprint()).toBe(localLeafFingerprint);
    const view = (await call(admin, 'GET', '/admin/api/tls')).json<TlsView>();
    expect(view).toMatchObject({ source: 'local-ca', leafFingerprint256: localLeafFingerprint, coversSiteAddress: true });
    expect(view.issuer).toMatch(/InPracSys EHR Local CA/);
  });

  it('refuses a key that does not belong to the certificate, and keeps serving the same certificate', async () => {
    const other = await issuePracticeLeaf(practiceCa);
    const res = await importCertificate(practiceLeaf.certPem, other.keyPem);
    expect(res.status).toBe(400);
    expect(res.json<{ error: string }>().error).toBe('the private key does not belong to the certificate');
    expect(await presentedFingerprint()).toBe(localLeafFingerprint);
  });

  it('refuses an expired certificate and one that is not valid yet', async () => {
    const now = Date.now();
    const expired = await issuePracticeLeaf(practiceCa, { notBefore: new Date(now - 400 * DAY_MS), notAfter: new Date(now - DAY_MS) });
    const expiredAnswer = await importCertificate(expired.certPem, expired.keyPem);
    expect(expiredAnswer.status).toBe(400);
    expect(expiredAnswer.json<{ error: string }>().error).toMatch(/expired on/);

    const early = await issuePracticeLeaf(practiceCa, { notBefore: new Date(now + 2 * DAY_MS), notAfter: new Date(now + 90 * DAY_MS) });
    const earlyAnswer = await importCertificate(early.certPem, early.keyPem);
    expect(earlyAnswer.status).toBe(400);
    expect(earlyAnswer.json<{ error: string }>().error).toMatch(/is not valid before/);
    expect(await presentedFingerprint()).toBe(localLeafFingerprint);
  });

  it('refuses garbage, a key in the certificate field, a client-only certificate and a CA certificate', async () => {
    const cases: [string, string, RegExp][] = [
      ['not a certificate', practiceLeaf.keyPem, /holds no PEM certificate|not in PEM form/],
      ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', practiceLeaf.keyPem, /cannot be read|not in PEM form/],
      [practiceLeaf.certPem, 'garbage', /not a readable, unencrypted PEM private key/],
      [practiceLeaf.keyPem, practiceLeaf.keyPem, /holds a PRIVATE KEY block/],
      [practiceCa.certPem, await privateKeyOf(practiceCa), /is a CA certificate/],
    ];
    const clientOnly = await issuePracticeLeaf(practiceCa, { extendedKeyUsage: [x509.ExtendedKeyUsage.clientAuth] });
    cases.push([clientOnly.certPem, clientOnly.keyPem, /lacks serverAuth/]);
    for (const [certificatePem, privateKeyPem, problem] of cases) {
      const res = await importCertificate(certificatePem, privateKeyPem);
      expect(res.status).toBe(400);
      expect(res.json<{ error: string }>().error).toMatch(problem);
    }
    expect((await importCertificate('', practiceLeaf.keyPem)).status).toBe(400);
    expect(await presentedFingerprint()).toBe(localLeafFingerprint);
    expect((await readdir(path.join(dataDir, 'tls'))).sort()).toEqual(['ca.crt', 'ca.key', 'server.crt', 'server.key']);
  });

  it('refuses a chain whose second certificate did not issue the first', async () => {
    const strangerCa = await createPracticeCa('Some Other CA');
    const res = await importCertificate(practiceLeaf.certPem + strangerCa.certPem, practiceLeaf.keyPem);
    expect(res.status).toBe(400);
    expect(res.json<{ error: string }>().error).toMatch(/certificate 2 did not issue certificate 1/);
  });

  it('is for administrators only', async () => {
    const created = await call(admin, 'POST', '/admin/api/users', { username: 'dr.tls', displayName: 'Dr TLS', password: 'clinician password 1', role: 'clinician' });
    expect(created.status).toBe(201);
    const clinician = await AdminSession.login(server, 'dr.tls', 'clinician password 1');
    expect((await clinician.call('PUT', '/admin/api/tls/practice-certificate', { certificatePem: practiceLeaf.certPem, privateKeyPem: practiceLeaf.keyPem })).status).toBe(403);
    expect((await clinician.call('DELETE', '/admin/api/tls/practice-certificate')).status).toBe(403);
    expect((await clinician.call('GET', '/admin/api/tls')).status).toBe(403);
    expect(await presentedFingerprint()).toBe(localLeafFingerprint);
  });

  it('serves an imported certificate with its chain on the next connection, and records it', async () => {
    const res = await importCertificate(practiceLeaf.certPem + practiceCa.certPem, practiceLeaf.keyPem);
    expect(res.status).toBe(200);
    const view = res.json<TlsView>();
    expect(view).toMatchObject({ source: 'practice', sans: ['localhost', '127.0.0.1'], leafFingerprint256: fingerprintOf(practiceLeaf.certPem), coversSiteAddress: true });
    expect(view.subject).toContain('CN=ehr.sunrise-clinic.example');
    expect(view.issuer).toBe('CN=Sunrise Clinic IT Root CA');
    expect(res.body).not.toContain('PRIVATE KEY');

    expect(await presentedFingerprint()).toBe(fingerprintOf(practiceLeaf.certPem));
    // A client that trusts only the practice's CA accepts the server now.
    trusted = [practiceCa.certPem];
    expect((await call(admin, 'GET', '/admin/api/settings')).json<{ tls: TlsView }>().tls.source).toBe('practice');
    trusted = [server.tls.caPem, practiceCa.certPem];
    expect(server.tls.certPem).toBe(practiceLeaf.certPem);

    if (POSIX) expect((await stat(path.join(dataDir, 'tls', 'practice.key'))).mode & 0o777).toBe(0o600);
    const audit = (await call(admin, 'GET', '/admin/api/audit?type=tls.practice-certificate')).json<{ items: { outcome: string; detail: Record<string, unknown> }[] }>();
    expect(audit.items[0]).toMatchObject({ outcome: 'success', detail: { leafFingerprint256: fingerprintOf(practiceLeaf.certPem) } });
    expect(audit.items.some((item) => item.outcome === 'failure')).toBe(true);
  });

  it('keeps serving the practice certificate after a restart, without re-issuing over it', async () => {
    await server.close();
    server = await startTestServer(dataDir);
    expect(await presentedFingerprint()).toBe(fingerprintOf(practiceLeaf.certPem));
    admin = new AdminSession(server, admin.cookie, admin.csrfToken);
    const view = (await call(admin, 'GET', '/admin/api/tls')).json<TlsView>();
    expect(view.source).toBe('practice');
    expect(view.practiceProblem).toBeUndefined();
  });

  it('falls back to the local CA at start when the practice key is damaged, and says why', async () => {
    await writeFile(path.join(dataDir, 'tls', 'practice.key'), 'damaged');
    await server.close();
    server = await startTestServer(dataDir);
    expect(await presentedFingerprint()).toBe(localLeafFingerprint);
    admin = new AdminSession(server, admin.cookie, admin.csrfToken);
    const view = (await call(admin, 'GET', '/admin/api/tls')).json<TlsView>();
    expect(view.source).toBe('local-ca');
    expect(view.practiceProblem).toMatch(/private key/);
  });

  it('goes back to the local CA leaf when asked, leaving no practice key behind', async () => {
    expect((await importCertificate(practiceLeaf.certPem, practiceLeaf.keyPem)).status).toBe(200);
    expect(await presentedFingerprint()).toBe(fingerprintOf(practiceLeaf.certPem));

    const res = await call(admin, 'DELETE', '/admin/api/tls/practice-certificate');
    expect(res.status).toBe(200);
    expect(res.json<TlsView>()).toMatchObject({ source: 'local-ca', leafFingerprint256: localLeafFingerprint });
    expect(await presentedFingerprint()).toBe(localLeafFingerprint);
    expect((await readdir(path.join(dataDir, 'tls'))).sort()).toEqual(['ca.crt', 'ca.key', 'server.crt', 'server.key']);
    const audit = (await call(admin, 'GET', '/admin/api/audit?type=tls.practice-certificate.remove')).json<{ items: { outcome: string }[] }>();
    expect(audit.items).toHaveLength(1);

    await server.close();
    server = await startTestServer(dataDir);
    expect(await presentedFingerprint()).toBe(localLeafFingerprint);
  });
});

async function privateKeyOf(ca: PracticeCa): Promise<string> {
  const der = await globalThis.crypto.subtle.exportKey('pkcs8', ca.keys.privateKey);
  return `${x509.PemConverter.encode(der, 'PRIVATE KEY')}\n`;
}
