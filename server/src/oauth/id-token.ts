import { SignJWT } from 'jose';
import type { AppContext } from '../context.js';

export interface IdTokenClaims {
  clientId: string;
  subject: string;
  nonce: string | null;
  authTime: Date;
  fhirUser: string | null;
  name?: string;
}

/** OpenID Connect id_token: RS256 with `kid`, `aud` = the client, `fhirUser` naming a readable Patient or Practitioner. */
export async function signIdToken(ctx: AppContext, claims: IdTokenClaims): Promise<string> {
  const key = ctx.keys.signingKey('RS256');
  const body: Record<string, unknown> = { auth_time: Math.floor(claims.authTime.getTime() / 1000) };
  if (claims.nonce) body.nonce = claims.nonce;
  if (claims.fhirUser) body.fhirUser = claims.fhirUser;
  if (claims.name) body.name = claims.name;
  return new SignJWT(body)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(ctx.urls().issuer)
    .setAudience(claims.clientId)
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key.privateKey);
}
