import { randomUUID } from 'node:crypto';
import https from 'node:https';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { RunningServer } from '../../server/src/server.js';
import { oauthServices } from '../../server/src/oauth/services.js';

function post(server: RunningServer, path: string, body: string, contentType: string): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: server.port, servername: 'localhost', path, method: 'POST', ca: server.tls.caPem, headers: { 'content-type': contentType } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A system access token obtained the way a backend program gets one: register with a JWKS,
 * have the practice enable the client, then client_credentials with a private_key_jwt assertion.
 */
export async function backendAccessToken(server: RunningServer, scope: string): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('ES384');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'ES384', use: 'sig' };
  const registration = await post(server, '/oauth2/register', JSON.stringify({ client_name: 'Benchmark', token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials'], scope, jwks: { keys: [jwk] } }), 'application/json');
  if (registration.status !== 201) throw new Error(`registration failed: ${JSON.stringify(registration.json)}`);
  const clientId = String(registration.json.client_id);
  await oauthServices(server.context).revocation.setClientEnabled(clientId, true, { actor: 'benchmark' });
  const tokenUrl = `${server.urls.issuer}/token`;
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES384', kid: 'bench-1' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenUrl)
    .setIssuedAt(now)
    .setExpirationTime(now + 240)
    .sign(privateKey);
  const form = new URLSearchParams({ grant_type: 'client_credentials', scope, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
  const token = await post(server, '/oauth2/token', form.toString(), 'application/x-www-form-urlencoded');
  if (token.status !== 200) throw new Error(`token request failed: ${JSON.stringify(token.json)}`);
  return String(token.json.access_token);
}
