import type { Request } from 'express';
import { InvalidClient, InvalidRequest } from '../errors.js';
import { sameHash } from '../secrets.js';
import type { ClientRecord, ClientStore } from '../store/client-store.js';
import type { AssertionJtiStore } from '../store/misc-stores.js';
import type { ClientJwksCache } from './client-jwks.js';
import { assertionType, verifyClientAssertion } from './private-key-jwt.js';

export interface ClientAuthDeps {
  clients: ClientStore;
  jwks: ClientJwksCache;
  jtis: AssertionJtiStore;
  /** Accepted `aud` values for client assertions: the token URL and the issuer. */
  audiences: string[];
}

type Presented =
  | { method: 'client_secret_basic' | 'client_secret_post'; clientId: string; secret: string }
  | { method: 'private_key_jwt'; clientId: string | undefined; assertion: string }
  | { method: 'none'; clientId: string };

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before base64; decode them ('+' is a space). */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

function presented(req: Request): Presented {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const str = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
  const header = req.get('authorization');
  const found: Presented[] = [];
  if (header && /^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new InvalidClient('malformed Basic credentials');
    try {
      found.push({ method: 'client_secret_basic', clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) });
    } catch {
      throw new InvalidClient('malformed Basic credentials');
    }
  }
  if (str('client_secret') !== undefined) found.push({ method: 'client_secret_post', clientId: str('client_id') ?? '', secret: str('client_secret')! });
  if (str('client_assertion') !== undefined || str('client_assertion_type') !== undefined) {
    if (str('client_assertion_type') !== assertionType || !str('client_assertion')) throw new InvalidClient('unsupported client_assertion_type');
    found.push({ method: 'private_key_jwt', clientId: str('client_id'), assertion: str('client_assertion')! });
  }
  // RFC 6749 §2.3: a client must not use more than one authentication method per request.
  if (found.length > 1) throw new InvalidRequest('more than one client authentication method was used');
  if (found[0]) return found[0];
  const clientId = str('client_id');
  if (!clientId) throw new InvalidClient('client authentication is required');
  return { method: 'none', clientId };
}

function assertionIssuer(assertion: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}

const symmetric = new Set(['client_secret_basic', 'client_secret_post']);

/**
 * Authenticates the calling client at the token, introspection and revocation endpoints:
 * client_secret_basic/_post, private_key_jwt, or none for public clients. Every failure,
 * including a disabled client, is 401 invalid_client.
 */
export async function authenticateClient(req: Request, deps: ClientAuthDeps): Promise<ClientRecord> {
  const credentials = presented(req);
  const clientId = credentials.method === 'private_key_jwt' ? (credentials.clientId ?? assertionIssuer(credentials.assertion)) : credentials.clientId;
  const client = clientId ? await deps.clients.get(clientId) : null;
  if (!client) throw new InvalidClient();
  const registered = client.tokenEndpointAuthMethod;
  switch (credentials.method) {
    case 'client_secret_basic':
    case 'client_secret_post':
      if (!symmetric.has(registered) || !client.secretHash || !sameHash(credentials.secret, client.secretHash)) throw new InvalidClient();
      break;
    case 'private_key_jwt':
      if (registered !== 'private_key_jwt') throw new InvalidClient();
      await verifyClientAssertion(credentials.assertion, client, deps);
      break;
    case 'none':
      if (registered !== 'none') throw new InvalidClient();
      break;
  }
  if (!client.enabled) throw new InvalidClient('the client is disabled');
  return client;
}
