import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { InvalidClient } from '../errors.js';
import type { ClientRecord } from '../store/client-store.js';
import type { AssertionJtiStore } from '../store/misc-stores.js';
import type { ClientJwksCache } from './client-jwks.js';

export const assertionAlgorithms = ['RS384', 'ES384'];
export const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const maxLifetimeSeconds = 300;
const skewSeconds = 30;

/**
 * RFC 7523 / SMART backend services client assertion: RS384 or ES384, `kid` required, `jku`
 * only when it is the registered jwks_uri, `iss` = `sub` = client id, `aud` = the token URL or
 * the issuer, `exp` at most 5 minutes ahead, `nbf` honoured, `jti` never seen before.
 * Every failure is the same invalid_client (the reason is kept for the audit log only).
 */
export async function verifyClientAssertion(
  assertion: string,
  client: ClientRecord,
  deps: { audiences: string[]; jwks: ClientJwksCache; jtis: AssertionJtiStore },
): Promise<void> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw new InvalidClient('the client assertion is not a JWT');
  }
  if (!header.alg || !assertionAlgorithms.includes(header.alg)) throw new InvalidClient('client assertion must be signed with RS384 or ES384');
  if (!header.kid) throw new InvalidClient('client assertion header needs a kid');
  const registeredUri = client.metadata.jwks_uri;
  if (header.jku !== undefined && header.jku !== registeredUri) throw new InvalidClient('client assertion jku is not the registered jwks_uri');

  let keys;
  try {
    keys = registeredUri
      ? await deps.jwks.keySet(registeredUri, header.kid)
      : createLocalJWKSet((client.metadata.jwks ?? { keys: [] }) as JSONWebKeySet);
  } catch {
    throw new InvalidClient('the client keys could not be loaded');
  }

  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, keys, {
      algorithms: assertionAlgorithms,
      issuer: client.clientId,
      subject: client.clientId,
      audience: deps.audiences,
      requiredClaims: ['exp', 'jti'],
      clockTolerance: skewSeconds,
    }));
  } catch {
    throw new InvalidClient('the client assertion did not verify');
  }
  const now = Math.floor(Date.now() / 1000);
  if (payload.exp! > now + maxLifetimeSeconds + skewSeconds) throw new InvalidClient('client assertion exp is more than 5 minutes ahead');
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256) throw new InvalidClient('client assertion needs a jti (at most 256 characters)');
  const fresh = await deps.jtis.remember(`${client.clientId}:${payload.jti}`, new Date((payload.exp! + skewSeconds) * 1000));
  if (!fresh) throw new InvalidClient('client assertion jti was already used');
}
