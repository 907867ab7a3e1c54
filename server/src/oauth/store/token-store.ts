import { randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import type { AccessTokenRow, GrantRow, OAuthModels, RefreshTokenRow, UserKind } from './models.js';

export interface NewGrant {
  clientId: string;
  userKind: UserKind;
  userId: string;
  username: string;
  scope: string;
  patientId?: string | null;
  encounterId?: string | null;
  ehrLaunch?: boolean;
}

export interface NewAccessToken {
  jti: string;
  clientId: string;
  grantId: string | null;
  userKind: UserKind;
  userId: string;
  scope: string;
  patientId: string | null;
  issuedAt: Date;
  expiresAt: Date;
}

/** Grants (user × client authorizations), access tokens by jti, refresh tokens by hash. No OAuth logic here. */
export interface TokenStore {
  createGrant(grant: NewGrant): Promise<GrantRow>;
  getGrant(id: string): Promise<GrantRow | null>;
  /** Revokes grants and everything issued under them; returns how many grants changed. */
  revokeGrants(where: { id?: string; clientId?: string; userKind?: UserKind; userId?: string; patientId?: string }): Promise<number>;
  listGrants(where: { clientId?: string; patientId?: string; userKind?: UserKind; userId?: string; active?: boolean }): Promise<GrantRow[]>;

  recordAccessToken(token: NewAccessToken): Promise<void>;
  getAccessToken(jti: string): Promise<AccessTokenRow | null>;
  revokeAccessToken(jti: string): Promise<boolean>;
  listAccessTokens(clientId: string, limit?: number): Promise<AccessTokenRow[]>;
  /** Access tokens that still work (neither revoked nor expired), counted per grant. */
  countLiveAccessTokens(grantIds: string[]): Promise<Map<string, number>>;

  saveRefreshToken(row: { tokenHash: string; grantId: string; clientId: string; scope: string; expiresAt: Date }): Promise<void>;
  getRefreshToken(tokenHash: string): Promise<RefreshTokenRow | null>;
  /** Marks a refresh token used; false when it already was (a concurrent or repeated use). */
  markRefreshTokenUsed(tokenHash: string): Promise<boolean>;
  getRefreshTokenById(id: string): Promise<RefreshTokenRow | null>;
  /** One client's refresh tokens, newest first, after the token `before` (keyset paging). */
  listRefreshTokens(clientId: string, page: { before?: RefreshTokenRow; limit: number }): Promise<RefreshTokenRow[]>;
  countRefreshTokens(clientId: string): Promise<number>;
  /** Access tokens neither revoked nor expired at `now`, across all clients. */
  countActiveAccessTokens(now: Date): Promise<number>;
}

export class SequelizeTokenStore implements TokenStore {
  constructor(private readonly models: OAuthModels) {}

  createGrant(grant: NewGrant): Promise<GrantRow> {
    return this.models.Grant.create({ id: randomUUID(), ...grant });
  }

  getGrant(id: string): Promise<GrantRow | null> {
    return this.models.Grant.findByPk(id);
  }

  async revokeGrants(where: { id?: string; clientId?: string; userKind?: UserKind; userId?: string; patientId?: string }): Promise<number> {
    const filter = Object.fromEntries(Object.entries(where).filter(([, value]) => value !== undefined));
    if (Object.keys(filter).length === 0) throw new Error('revokeGrants needs a filter');
    const now = new Date();
    const sequelize = this.models.Grant.sequelize!;
    return sequelize.transaction(async (transaction) => {
      const grants = await this.models.Grant.findAll({ where: { ...filter, revokedAt: null }, transaction });
      const ids = grants.map((grant) => grant.id);
      if (ids.length === 0) return 0;
      await this.models.Grant.update({ revokedAt: now }, { where: { id: ids }, transaction });
      await this.models.AccessToken.update({ revokedAt: now }, { where: { grantId: ids, revokedAt: null }, transaction });
      await this.models.RefreshToken.update({ revokedAt: now }, { where: { grantId: ids, revokedAt: null }, transaction });
      return ids.length;
    });
  }

  listGrants(where: { clientId?: string; patientId?: string; userKind?: UserKind; userId?: string; active?: boolean }): Promise<GrantRow[]> {
    const { active, ...rest } = where;
    const filter: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
    if (active !== undefined) filter.revokedAt = active ? null : { [Op.ne]: null };
    return this.models.Grant.findAll({ where: filter, order: [['createdAt', 'DESC']] });
  }

  async recordAccessToken(token: NewAccessToken): Promise<void> {
    await this.models.AccessToken.create(token);
  }

  getAccessToken(jti: string): Promise<AccessTokenRow | null> {
    return this.models.AccessToken.findByPk(jti);
  }

  async revokeAccessToken(jti: string): Promise<boolean> {
    const [count] = await this.models.AccessToken.update({ revokedAt: new Date() }, { where: { jti, revokedAt: null } });
    return count > 0;
  }

  listAccessTokens(clientId: string, limit = 500): Promise<AccessTokenRow[]> {
    return this.models.AccessToken.findAll({ where: { clientId }, order: [['issuedAt', 'DESC']], limit });
  }

  async countLiveAccessTokens(grantIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (grantIds.length === 0) return counts;
    const rows = await this.models.AccessToken.findAll({ attributes: ['grantId'], where: { grantId: grantIds, revokedAt: null, expiresAt: { [Op.gt]: new Date() } } });
    for (const row of rows) counts.set(row.grantId!, (counts.get(row.grantId!) ?? 0) + 1);
    return counts;
  }

  async saveRefreshToken(row: { tokenHash: string; grantId: string; clientId: string; scope: string; expiresAt: Date }): Promise<void> {
    await this.models.RefreshToken.create(row);
  }

  getRefreshToken(tokenHash: string): Promise<RefreshTokenRow | null> {
    return this.models.RefreshToken.findByPk(tokenHash);
  }

  async markRefreshTokenUsed(tokenHash: string): Promise<boolean> {
    const [count] = await this.models.RefreshToken.update({ usedAt: new Date() }, { where: { tokenHash, usedAt: null, revokedAt: null } });
    return count === 1;
  }

  getRefreshTokenById(id: string): Promise<RefreshTokenRow | null> {
    return this.models.RefreshToken.findOne({ where: { id } });
  }

  listRefreshTokens(clientId: string, { before, limit }: { before?: RefreshTokenRow; limit: number }): Promise<RefreshTokenRow[]> {
    const after = before
      ? { [Op.or]: [{ createdAt: { [Op.lt]: before.createdAt } }, { createdAt: before.createdAt, id: { [Op.lt]: before.id } }] }
      : {};
    return this.models.RefreshToken.findAll({ where: { clientId, ...after }, order: [['createdAt', 'DESC'], ['id', 'DESC']], limit });
  }

  countRefreshTokens(clientId: string): Promise<number> {
    return this.models.RefreshToken.count({ where: { clientId } });
  }

  countActiveAccessTokens(now: Date): Promise<number> {
    return this.models.AccessToken.count({ where: { revokedAt: null, expiresAt: { [Op.gt]: now } } });
  }
}
