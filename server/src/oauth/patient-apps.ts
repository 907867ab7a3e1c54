import type { OAuthServices } from './services.js';

/** One app a patient authorized, as the admin patient page lists it. */
export interface PatientAuthorizedApp {
  clientId: string;
  clientName: string;
  /** A disabled client's tokens are refused even while the grant stands. */
  clientEnabled: boolean;
  /** Every scope granted by the patient's standing authorizations of this app. */
  scopes: string[];
  firstAuthorizedAt: string;
  lastAuthorizedAt: string;
  /** Access tokens of those authorizations that are neither revoked nor expired. */
  activeTokens: number;
}

/**
 * The apps a patient authorized themselves (grants with the patient as the user) that are not
 * revoked, most recently authorized first. Each new authorization is its own grant, so one app
 * may stand for several.
 */
export async function patientAuthorizedApps(services: Pick<OAuthServices, 'tokens' | 'clients'>, patientId: string): Promise<PatientAuthorizedApp[]> {
  const grants = await services.tokens.listGrants({ userKind: 'patient', userId: patientId, active: true });
  const liveTokens = await services.tokens.countLiveAccessTokens(grants.map((grant) => grant.id));
  const byClient = new Map<string, PatientAuthorizedApp>();
  for (const grant of grants) {
    const tokens = liveTokens.get(grant.id) ?? 0;
    const authorizedAt = grant.createdAt.toISOString();
    const scopes = grant.scope.split(' ').filter(Boolean);
    const app = byClient.get(grant.clientId);
    if (app) {
      // Grants come newest first: later ones here are older.
      app.firstAuthorizedAt = authorizedAt;
      app.scopes = [...new Set([...app.scopes, ...scopes])];
      app.activeTokens += tokens;
      continue;
    }
    const client = await services.clients.get(grant.clientId);
    byClient.set(grant.clientId, {
      clientId: grant.clientId,
      clientName: client?.clientName ?? grant.clientId,
      clientEnabled: client?.enabled ?? false,
      scopes,
      firstAuthorizedAt: authorizedAt,
      lastAuthorizedAt: authorizedAt,
      activeTokens: tokens,
    });
  }
  return [...byClient.values()];
}
