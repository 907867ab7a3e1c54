import type { AppContext } from '../../context.js';
import type { ScopeSet } from '../../smart/scopes.js';
import type { Interaction, SsoSession } from '../browser-state.js';
import { resolveFhirUser } from '../fhir-user.js';
import { randomToken, tokenHash } from '../secrets.js';
import type { OAuthServices } from '../services.js';

const codeLifetimeMs = 60_000;

/** The patient in context: the patient themself, or the EHR launch's / picked patient for staff. */
export function patientContext(interaction: Interaction, session: SsoSession): string | null {
  if (session.userKind === 'patient') return session.patientId ?? null;
  return interaction.request.launch?.patientId ?? interaction.patientId ?? null;
}

/** A single-use code (≤ 60 s) bound to client, redirect URI, PKCE challenge, user and context. Only its hash is stored. */
export async function issueCode(ctx: AppContext, services: OAuthServices, interaction: Interaction, session: SsoSession, granted: ScopeSet): Promise<string> {
  const code = randomToken(32);
  const { request } = interaction;
  await services.codes.save({
    codeHash: tokenHash(code),
    clientId: request.client.clientId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    scope: granted.toString(),
    userKind: session.userKind,
    userId: session.userId,
    username: session.username,
    patientId: patientContext(interaction, session),
    encounterId: request.launch?.encounterId ?? null,
    fhirUser: await resolveFhirUser(ctx, session.userKind, session.userId),
    nonce: request.nonce ?? null,
    ehrLaunch: request.launch !== undefined,
    authTime: session.authTime,
    expiresAt: new Date(Date.now() + codeLifetimeMs),
  });
  return code;
}
