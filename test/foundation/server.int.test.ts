import { X509Certificate } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../server/src/server.js';
import { AdminSession, removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';

describe('the HTTPS server', () => {
  let dataDir: string;
  let server: RunningServer;

  beforeAll(async () => {
    dataDir = await tempDataDir();
    server = await startTestServer(dataDir);
  });
  afterAll(async () => {
    await server?.close();
    await removeDir(dataDir);
  });

  test('serves /metadata over TLS that verifies against its own CA', async () => {
    const res = await request(server, '/metadata');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const capability = res.json<Record<string, unknown>>();
    expect(capability).toMatchObject({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      format: expect.arrayContaining(['json']),
      software: { name: 'InPracSys EHR Server' },
      implementation: { url: server.urls.fhirBase },
    });
    expect((await request(server, '/fhir/r4/metadata')).json()).toMatchObject({ resourceType: 'CapabilityStatement' });
  });

  test('is refused by a client that does not trust the local CA', async () => {
    const error = await new Promise<Error>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port: server.port, servername: 'localhost' }, () => resolve(new Error('connected')));
      socket.on('error', resolve);
    });
    expect(error.message).toMatch(/self-signed|unable to get local issuer|self signed/i);
  });

  test('the leaf certificate names localhost, 127.0.0.1 and ::1 and is issued by the CA', async () => {
    const leaf = new X509Certificate(server.tls.certPem);
    const ca = new X509Certificate(server.tls.caPem);
    expect(leaf.subjectAltName).toContain('DNS:localhost');
    expect(leaf.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(leaf.subjectAltName).toMatch(/IP Address:(::1|0:0:0:0:0:0:0:1)/);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(server.tls.caFingerprint256).toBe(ca.fingerprint256);
    expect(await readFile(path.join(dataDir, 'tls', 'ca.crt'), 'utf8')).toBe(server.tls.caPem);
  });

  test('refuses a client that offers only TLS 1.1', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const socket = tls.connect({
        host: '127.0.0.1',
        port: server.port,
        servername: 'localhost',
        ca: server.tls.caPem,
        minVersion: 'TLSv1.1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT@SECLEVEL=0',
      });
      socket.on('secureConnect', () => resolve(`connected with ${socket.getProtocol()}`));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(outcome).toMatch(/ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION|ERR_SSL_UNSUPPORTED_PROTOCOL|protocol version/i);
    const modern = await new Promise<string | null>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: server.port, servername: 'localhost', ca: server.tls.caPem, maxVersion: 'TLSv1.2' }, () => {
        resolve(socket.getProtocol());
        socket.end();
      });
      socket.on('error', reject);
    });
    expect(modern).toBe('TLSv1.2');
  });

  test('gives plain HTTP no HTTP response', async () => {
    const reply = await new Promise<string>((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1', () => socket.write('GET /metadata HTTP/1.1\r\nHost: localhost\r\n\r\n'));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
      socket.on('error', () => undefined);
      socket.setTimeout(5_000, () => socket.destroy());
    });
    expect(reply).not.toMatch(/^HTTP\//);
    expect(reply).not.toContain('CapabilityStatement');
  });

  test('serves the CA certificate at /ca.crt', async () => {
    const res = await request(server, '/ca.crt');
    expect(res.status).toBe(200);
    expect(res.body).toBe(server.tls.caPem);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
  });

  test('answers unknown paths with 404 JSON and no stack trace', async () => {
    const admin = await request(server, '/no/such/place');
    expect(admin.status).toBe(404);
    expect(admin.json()).toEqual({ error: 'not found' });
    const fhir = await request(server, '/fhir/r4/NoSuchType/1/x/y');
    expect(fhir.status).toBe(404);
    expect(fhir.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    expect(fhir.body).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  test('answers a malformed JSON body with 400 and no stack trace', async () => {
    const res = await request(server, '/admin/api/session', { method: 'POST', body: '{"username": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ error: 'the request body is not valid JSON' });
  });

  test('sends the security headers and no x-powered-by', async () => {
    const res = await request(server, '/admin/api/status');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('changing the site address', () => {
  test('re-issues the server certificate for the new host and serves it at once', async () => {
    const dataDir = await tempDataDir();
    const server = await startTestServer(dataDir);
    try {
      const admin = await AdminSession.login(server);
      const before = server.tls.leafFingerprint256;
      const res = await admin.call('PUT', '/admin/api/settings', { siteAddress: 'https://ehr.maple-clinic.test:8443/' });
      expect(res.status).toBe(200);
      const settings = res.json<{ siteAddress: string; fhirBaseUrl: string; tls: { sans: string[]; leafFingerprint256: string } }>();
      expect(settings.siteAddress).toBe('https://ehr.maple-clinic.test:8443');
      expect(settings.fhirBaseUrl).toBe('https://ehr.maple-clinic.test:8443/fhir/r4');
      expect(settings.tls.sans).toContain('ehr.maple-clinic.test');
      expect(settings.tls.leafFingerprint256).not.toBe(before);
      expect(server.tls.leafFingerprint256).toBe(settings.tls.leafFingerprint256);
      const served = await new Promise<X509Certificate>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port: server.port, servername: 'ehr.maple-clinic.test', ca: server.tls.caPem }, () => {
          resolve(new X509Certificate(socket.getPeerX509Certificate()!.raw));
          socket.end();
        });
        socket.on('error', reject);
      });
      expect(served.fingerprint256).toBe(settings.tls.leafFingerprint256);
      expect(served.checkHost('ehr.maple-clinic.test')).toBe('ehr.maple-clinic.test');
    } finally {
      await server.close();
      await removeDir(dataDir);
    }
  });
});

describe('a restart', () => {
  test('reuses the CA, the signing keys, the database and the settings', async () => {
    const dataDir = await tempDataDir();
    try {
      const first = await startTestServer(dataDir);
      const admin = await AdminSession.login(first);
      const saved = await admin.call('PUT', '/admin/api/settings', { practiceName: 'Maple Street Family Practice' });
      expect(saved.status).toBe(200);
      const kids = first.context.keys.jwks().keys.map((key) => key.kid);
      await first.close();

      const second = await startTestServer(dataDir, {});
      try {
        expect(second.tls.caFingerprint256).toBe(first.tls.caFingerprint256);
        expect(second.tls.leafFingerprint256).toBe(first.tls.leafFingerprint256);
        expect(second.context.keys.jwks().keys.map((key) => key.kid)).toEqual(kids);
        expect(second.urls.setup).toBeUndefined();
        const again = await AdminSession.login(second);
        expect((await again.call('GET', '/admin/api/settings')).json()).toMatchObject({ practiceName: 'Maple Street Family Practice' });
      } finally {
        await second.close();
      }
    } finally {
      await removeDir(dataDir);
    }
  });

  test('re-creates a deleted server certificate from the same CA', async () => {
    const dataDir = await tempDataDir();
    try {
      const first = await startTestServer(dataDir);
      await first.close();
      await rm(path.join(dataDir, 'tls', 'server.crt'));
      const second = await startTestServer(dataDir);
      try {
        expect(second.tls.caFingerprint256).toBe(first.tls.caFingerprint256);
        expect(second.tls.leafFingerprint256).not.toBe(first.tls.leafFingerprint256);
        expect((await request(second, '/metadata')).status).toBe(200);
      } finally {
        await second.close();
      }
    } finally {
      await removeDir(dataDir);
    }
  });

  test('resets an unreadable settings row to its default', async () => {
    const dataDir = await tempDataDir();
    try {
      const first = await startTestServer(dataDir);
      await first.context.models.Setting.upsert({ key: 'practiceName', value: '{not json' });
      await first.context.models.Setting.upsert({ key: 'refreshTokenLifetimeDays', value: '5' });
      await first.close();
      const second = await startTestServer(dataDir);
      try {
        expect(second.context.settings.get()).toMatchObject({ practiceName: 'InPracSys EHR', refreshTokenLifetimeDays: 120 });
        expect(await second.context.models.Setting.findByPk('practiceName')).toBeNull();
      } finally {
        await second.close();
      }
    } finally {
      await removeDir(dataDir);
    }
  });
});
