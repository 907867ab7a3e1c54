import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTlsMaterial, type TlsMaterial } from './index.js';

let root: string;
let material: TlsMaterial;
let server: https.Server;
let port: number;

beforeAll(async () => {
  root = await mkdtemp(join(os.tmpdir(), 'inpracsys-tls-https-'));
  const silent = { info: () => undefined, warn: () => undefined };
  material = await ensureTlsMaterial({ dir: join(root, 'tls'), hosts: ['localhost', '127.0.0.1', '::1'], log: silent });
  server = https.createServer(
    { cert: material.certChainPem, key: material.keyPem, minVersion: 'TLSv1.2' },
    (_request, response) => response.end('ok'),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

/** GETs / over TLS; resolves with the body, rejects with the client's TLS error. */
function get(options: https.RequestOptions): Promise<{ body: string; caFingerprint?: string }> {
  return new Promise((resolve, reject) => {
    const request = https.get({ host: '127.0.0.1', port, path: '/', agent: false, ...options }, (response) => {
      const socket = response.socket as TLSSocket;
      const caFingerprint = socket.getPeerCertificate(true).issuerCertificate?.fingerprint256;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ body, caFingerprint }));
    });
    request.on('error', reject);
  });
}

describe('a real HTTPS server using the TLS material', () => {
  it('is trusted by a client that trusts only the local CA, asking for localhost', async () => {
    const answer = await get({ ca: material.caPem, servername: 'localhost' });
    expect(answer.body).toBe('ok');
    expect(answer.caFingerprint).toBe(material.caFingerprint256);
  });

  it('is trusted when reached by its IP address', async () => {
    expect((await get({ ca: material.caPem })).body).toBe('ok');
  });

  it('is refused by a client that does not trust the local CA', async () => {
    await expect(get({ servername: 'localhost' })).rejects.toMatchObject({
      code: expect.stringMatching(/^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/),
    });
  });

  it('is refused for a host name the leaf does not cover', async () => {
    await expect(get({ ca: material.caPem, servername: 'elsewhere.example' })).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });
});
