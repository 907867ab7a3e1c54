import type { AuditLog } from '../audit/audit-log.js';
import type { AccessCache } from './access-cache.js';
import type { RefreshTokenRow, UserKind } from './store/models.js';
import type { ClientStore } from './store/client-store.js';
import type { PatientAccessStore } from './store/misc-stores.js';
import type { TokenStore } from './store/token-store.js';

export interface Actor {
  actor?: string | null;
  ip?: string | null;
}

/**
 * Every action that ends access (DESIGN §5, §10 "Revocation extent"): it changes the records,
 * clears the bearer cache so the next request sees it, and leaves an audit event.
 */
export class Revocation {
  constructor(
    private readonly tokens: TokenStore,
    private readonly clients: ClientStore,
    private readonly patients: PatientAccessStore,
    private readonly cache: AccessCache<unknown>,
    private readonly audit: AuditLog,
  ) {}

  /** One access token only. */
  async revokeAccessToken(jti: string, by: Actor, via: string): Promise<boolean> {
    const row = await this.tokens.getAccessToken(jti);
    const changed = await this.tokens.revokeAccessToken(jti);
    this.cache.clear();
    if (changed) await this.audit.record({ type: 'oauth.token.revoke', outcome: 'success', ...by, clientId: row?.clientId, patientId: row?.patientId, detail: { jti, via } });
    return changed;
  }

  /** A grant and every token issued under it (refresh-token revocation, reuse, code replay). */
  async revokeGrant(grantId: string, by: Actor, reason: string): Promise<void> {
    const grant = await this.tokens.getGrant(grantId);
    await this.tokens.revokeGrants({ id: grantId });
    this.cache.clear();
    await this.audit.record({ type: 'oauth.grant.revoke', outcome: 'success', ...by, clientId: grant?.clientId, patientId: grant?.patientId, detail: { grantId, reason } });
  }

  /**
   * One refresh token by its identifier: it ends with its grant, so every refresh and access
   * token issued under that grant stops too (RFC 7009 §2.1, DESIGN §10). False when the grant had already ended.
   */
  async revokeRefreshToken(token: RefreshTokenRow, by: Actor, via: string): Promise<boolean> {
    const grant = await this.tokens.getGrant(token.grantId);
    const changed = (await this.tokens.revokeGrants({ id: token.grantId })) > 0;
    this.cache.clear();
    if (changed) {
      await this.audit.record({ type: 'oauth.refresh-token.revoke', outcome: 'success', ...by, clientId: token.clientId, patientId: grant?.patientId, detail: { refreshTokenId: token.id, grantId: token.grantId, via } });
    }
    return changed;
  }

  /** "Revoke User": that user's grants, refresh and access tokens for one client. */
  async revokeUser(clientId: string, userKind: UserKind, userId: string, by: Actor): Promise<number> {
    const count = await this.tokens.revokeGrants({ clientId, userKind, userId });
    this.cache.clear();
    await this.audit.record({ type: 'oauth.user.revoke', outcome: 'success', ...by, clientId, detail: { userKind, userId, grants: count } });
    return count;
  }

  async setClientEnabled(clientId: string, enabled: boolean, by: Actor) {
    const client = await this.clients.setEnabled(clientId, enabled);
    this.cache.clear();
    if (client) await this.audit.record({ type: enabled ? 'client.enable' : 'client.disable', outcome: 'success', ...by, clientId });
    return client;
  }

  /** Opt-out ends every grant the patient gave; the bearer check refuses their tokens too. */
  async setPatientOptOut(patientId: string, optedOut: boolean, by: Actor) {
    const row = await this.patients.setOptOut(patientId, optedOut);
    if (optedOut) await this.tokens.revokeGrants({ patientId });
    this.cache.clear();
    await this.audit.record({ type: optedOut ? 'patient.api.opt-out' : 'patient.api.opt-in', outcome: 'success', ...by, patientId });
    return row;
  }
}
